import { reasoningText, visibleText, type Answer } from '../answer';
import { contentText, isRecord, requireModel, RequestError } from '../prompt';
import { readChatTools } from './openai-chat';
import { HOLE, jsonTemplate, type FinishTiming, type MockProvider } from './types';

function line(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

function doneReason(answer: Answer): string {
  return answer.finish === 'length' ? 'length' : 'stop';
}

/** Ollama reports durations in nanoseconds, as Go's time.Duration. */
function metrics(answer: Answer, timing: FinishTiming): Record<string, unknown> {
  const ns = (ms: number): number => Math.max(0, Math.round(ms * 1e6));
  return {
    total_duration: ns(timing.totalMs),
    load_duration: 0,
    prompt_eval_count: answer.usage.inputTokens,
    prompt_eval_duration: ns(timing.promptEvalMs),
    eval_count: answer.usage.outputTokens,
    eval_duration: ns(timing.evalMs),
  };
}

function toolCalls(answer: Answer): unknown[] {
  return answer.tool ? [{ function: { index: 0, name: answer.tool.name, arguments: answer.tool.args } }] : [];
}

/** `format: "json"` or `format: <JSON Schema>` (Ollama's structured outputs). */
function readFormat(format: unknown): { schema: unknown } | undefined {
  if (format === undefined || format === null || format === '') return undefined;
  if (format === 'json') return { schema: undefined };
  if (isRecord(format)) return { schema: format };
  throw new RequestError(`invalid format: expected "json" or a JSON Schema object, got ${JSON.stringify(format)}`);
}

export const ollama: MockProvider = {
  name: 'ollama',
  rateLimitHeaders: 'none',
  paddingField: 'padding',
  wholeToolCall: true,

  parse(body) {
    if (!isRecord(body)) throw new RequestError('invalid body: expected a JSON object');
    const model = requireModel(body);
    if (!Array.isArray(body.messages)) throw new RequestError(`invalid messages: expected an array, got ${JSON.stringify(body.messages)}`);
    const tools = readChatTools(body);
    const structured = readFormat(body.format);
    const parts: string[] = tools.length > 0 ? [JSON.stringify(body.tools)] : [];
    if (structured) parts.push(JSON.stringify(body.format));
    for (const message of body.messages) parts.push(contentText(message));
    const last: unknown = body.messages[body.messages.length - 1];
    const lastRole = isRecord(last) && typeof last.role === 'string' ? last.role : undefined;
    const options = isRecord(body.options) ? body.options : {};
    const cap = options.num_predict;
    if (cap !== undefined && (typeof cap !== 'number' || !Number.isInteger(cap))) {
      throw new RequestError(`invalid num_predict: expected an integer, got ${JSON.stringify(cap)}`);
    }
    return {
      model,
      // Ollama streams unless told not to.
      stream: body.stream !== false,
      // num_predict -1 (or any value < 1) means "no limit".
      maxTokens: typeof cap === 'number' && cap >= 1 ? cap : undefined,
      promptParts: parts,
      lastRole,
      tools,
      // Ollama has no tool_choice: a model offered tools answers a user turn with a call.
      toolChoice: tools.length > 0 && lastRole === 'user' ? 'required' : 'none',
      includeUsage: false,
      structured,
    };
  },

  streamContentType: () => 'application/x-ndjson',

  body(answer, timing) {
    const message: Record<string, unknown> = { role: 'assistant', content: answer.tool ? '' : visibleText(answer) };
    if (answer.usage.reasoningTokens > 0) message.thinking = reasoningText(answer);
    if (answer.tool) message.tool_calls = toolCalls(answer);
    return {
      model: answer.model, created_at: new Date().toISOString(), message, done: true, done_reason: doneReason(answer), ...metrics(answer, timing),
    };
  },

  encoder(answer) {
    const event = (message: Record<string, unknown>) => jsonTemplate({ model: answer.model, created_at: HOLE, message, done: false }, '', '\n');
    const thinkingLine = event({ role: 'assistant', content: '', thinking: HOLE });
    const contentLine = answer.tool
      ? event({ role: 'assistant', content: '', tool_calls: toolCalls(answer) })
      : event({ role: 'assistant', content: HOLE });
    return {
      preamble: () => '',
      chunk(text, _tokens, _last, reasoning) {
        const createdAt = new Date().toISOString();
        if (reasoning) return thinkingLine(createdAt, text);
        return answer.tool ? contentLine(createdAt) : contentLine(createdAt, text);
      },
      finish(timing) {
        return line({
          model: answer.model, created_at: new Date().toISOString(), message: { role: 'assistant', content: '' },
          done: true, done_reason: doneReason(answer), ...metrics(answer, timing),
        });
      },
      error: () => line({ error: 'an error was encountered while running the model: unexpected EOF' }),
    };
  },

  errorBody: (error) => ({ error: error.message }),
};
