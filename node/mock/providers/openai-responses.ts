import { reasoningText, visibleText, type Answer } from '../answer';
import { contentText, isRecord, readMaxTokens, requireModel, RequestError, type ToolChoice, type ToolDef } from '../prompt';
import { openAiErrorBody } from './openai-chat';
import { HOLE, sseEvent, sseEventTemplate, type MockProvider } from './types';

function readTools(body: Record<string, unknown>): ToolDef[] {
  if (body.tools === undefined || body.tools === null) return [];
  if (!Array.isArray(body.tools)) throw new RequestError(`invalid tools: expected an array, got ${JSON.stringify(body.tools)}`);
  // Only function tools can be called by the mock; built-in tools (web_search, ...) are ignored.
  return body.tools
    .filter((tool): tool is Record<string, unknown> => isRecord(tool) && tool.type === 'function')
    .map((tool, i) => {
      if (typeof tool.name !== 'string') throw new RequestError(`invalid tools[${i}]: expected { type: "function", name, parameters }`);
      return { name: tool.name, parameters: tool.parameters };
    });
}

function readToolChoice(value: unknown, hasTools: boolean): ToolChoice {
  if (value === undefined || value === null) return hasTools ? 'auto' : 'none';
  if (value === 'none' || value === 'auto' || value === 'required') return value;
  if (isRecord(value) && value.type === 'function' && typeof value.name === 'string') return { name: value.name };
  throw new RequestError(`invalid tool_choice: expected "none", "auto", "required" or { type: "function", name }, got ${JSON.stringify(value)}`);
}

function lastRoleOf(input: unknown): string | undefined {
  if (typeof input === 'string') return 'user';
  if (!Array.isArray(input) || input.length === 0) return undefined;
  const last: unknown = input[input.length - 1];
  if (!isRecord(last)) return undefined;
  if (typeof last.role === 'string') return last.role;
  if (last.type === 'function_call_output') return 'tool';
  if (last.type === 'function_call') return 'assistant';
  return undefined;
}

/** `text.format`: JSON mode (`json_object`) or Structured Outputs (`json_schema`); `text` asks for nothing. */
function readTextFormat(text: unknown): { schema: unknown } | undefined {
  if (text === undefined || text === null) return undefined;
  const format = isRecord(text) ? text.format : text;
  if (format === undefined || format === null) return undefined;
  if (isRecord(format)) {
    if (format.type === 'text') return undefined;
    if (format.type === 'json_object') return { schema: undefined };
    if (format.type === 'json_schema') return { schema: format.schema };
  }
  throw new RequestError(
    `invalid text.format: expected { type: "text" | "json_object" } or { type: "json_schema", name, schema }, got ${JSON.stringify(format)}`,
  );
}

function usage(answer: Answer): Record<string, unknown> {
  const u = answer.usage;
  return {
    input_tokens: u.inputTokens,
    input_tokens_details: { cached_tokens: u.cachedTokens },
    output_tokens: u.outputTokens,
    output_tokens_details: { reasoning_tokens: u.reasoningTokens },
    total_tokens: u.inputTokens + u.outputTokens,
  };
}

function reasoningItem(answer: Answer, status: string, text: string): Record<string, unknown> {
  return {
    id: `rs_${answer.idSuffix}`,
    type: 'reasoning',
    status,
    summary: [],
    content: status === 'in_progress' ? [] : [{ type: 'reasoning_text', text }],
  };
}

/** The message's one content part: `output_text`, or `refusal` when the model declined. */
function contentPart(answer: Answer, text: string): Record<string, unknown> {
  return answer.refusal ? { type: 'refusal', refusal: text } : { type: 'output_text', text, annotations: [] };
}

function messageItem(answer: Answer, status: string, text: string): Record<string, unknown> {
  return {
    id: `msg_${answer.idSuffix}`,
    type: 'message',
    status,
    role: 'assistant',
    content: status === 'in_progress' ? [] : [contentPart(answer, text)],
  };
}

function callItem(answer: Answer, status: string, args: string): Record<string, unknown> {
  return {
    id: `fc_${answer.idSuffix}`,
    type: 'function_call',
    status,
    call_id: `call_${answer.idSuffix}`,
    name: answer.tool?.name ?? '',
    arguments: args,
  };
}

/** The finished item of the visible output: a function call, or a message (incomplete when the cap cut it). */
function visibleItem(answer: Answer, text: string): Record<string, unknown> {
  if (answer.tool) return callItem(answer, 'completed', text);
  return messageItem(answer, finalStatus(answer), text);
}

function responseObject(answer: Answer, status: 'in_progress' | 'completed' | 'incomplete' | 'failed', output: unknown[]): Record<string, unknown> {
  return {
    id: `resp_${answer.idSuffix}`,
    object: 'response',
    created_at: answer.created,
    status,
    error: status === 'failed' ? { code: 'server_error', message: 'The server had an error while processing your request.' } : null,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    model: answer.model,
    output,
    usage: status === 'in_progress' || status === 'failed' ? null : usage(answer),
  };
}

function finalStatus(answer: Answer): 'completed' | 'incomplete' {
  return answer.finish === 'length' ? 'incomplete' : 'completed';
}

export const openAiResponses: MockProvider = {
  name: 'openai-responses',
  rateLimitHeaders: 'openai',
  paddingField: 'padding',
  wholeToolCall: false,

  parse(body) {
    if (!isRecord(body)) throw new RequestError('invalid body: expected a JSON object');
    const model = requireModel(body);
    const input = body.input;
    if (typeof input !== 'string' && !Array.isArray(input)) {
      throw new RequestError(`invalid input: expected a string or an array of items, got ${JSON.stringify(input)}`);
    }
    const tools = readTools(body);
    const structured = readTextFormat(body.text);
    const parts: string[] = tools.length > 0 ? [JSON.stringify(body.tools)] : [];
    if (structured) parts.push(JSON.stringify(body.text));
    if (typeof body.instructions === 'string') parts.push(body.instructions);
    if (typeof input === 'string') parts.push(input);
    else for (const item of input) parts.push(contentText(item));
    return {
      model,
      stream: body.stream === true,
      maxTokens: readMaxTokens(body, 'max_output_tokens'),
      promptParts: parts,
      lastRole: lastRoleOf(input),
      tools,
      toolChoice: readToolChoice(body.tool_choice, tools.length > 0),
      includeUsage: false,
      structured,
    };
  },

  streamContentType: () => 'text/event-stream; charset=utf-8',

  body(answer) {
    const output: unknown[] = [];
    if (answer.usage.reasoningTokens > 0) output.push(reasoningItem(answer, 'completed', reasoningText(answer)));
    // Reasoning can use up the whole cap; then there is no message, as with a real reasoning model.
    if (answer.pieces.length > answer.usage.reasoningTokens) output.push(visibleItem(answer, visibleText(answer)));
    return responseObject(answer, finalStatus(answer), output);
  },

  encoder(answer) {
    let sequence = 0;
    const event = (type: string, fields: Record<string, unknown>): string => sseEvent(type, { type, sequence_number: sequence++, ...fields });
    const reasoningId = `rs_${answer.idSuffix}`;
    const itemId = answer.tool ? `fc_${answer.idSuffix}` : `msg_${answer.idSuffix}`;
    // The reasoning item comes first; the visible item follows it.
    const outputIndex = answer.usage.reasoningTokens > 0 ? 1 : 0;
    const done: Record<string, unknown>[] = [];
    let thinking = '';
    let text = '';
    let reasoning: 'none' | 'open' | 'closed' = 'none';
    let started = false;
    const at = { item_id: itemId, output_index: outputIndex, content_index: 0 };
    const reasoningAt = { item_id: reasoningId, output_index: 0, content_index: 0 };
    // The per-token events, prepared once: the sequence number and the delta are spliced in.
    const template = (type: string, fields: Record<string, unknown>) => sseEventTemplate(type, { type, sequence_number: HOLE, ...fields });
    const reasoningDelta = template('response.reasoning_text.delta', { ...reasoningAt, delta: HOLE });
    let visibleDelta = template('response.output_text.delta', { ...at, delta: HOLE, logprobs: [] });
    if (answer.tool) visibleDelta = template('response.function_call_arguments.delta', { item_id: itemId, output_index: outputIndex, delta: HOLE });
    else if (answer.refusal) visibleDelta = template('response.refusal.delta', { ...at, delta: HOLE });
    const closeReasoning = (): string => {
      reasoning = 'closed';
      const item = reasoningItem(answer, 'completed', thinking);
      done.push(item);
      return (
        event('response.reasoning_text.done', { ...reasoningAt, text: thinking }) +
        event('response.content_part.done', { ...reasoningAt, part: { type: 'reasoning_text', text: thinking } }) +
        event('response.output_item.done', { output_index: 0, item })
      );
    };
    return {
      preamble() {
        const created = responseObject(answer, 'in_progress', []);
        return event('response.created', { response: created }) + event('response.in_progress', { response: created });
      },
      chunk(delta, _tokens, _last, isReasoning) {
        let out = '';
        if (isReasoning) {
          if (reasoning === 'none') {
            reasoning = 'open';
            out += event('response.output_item.added', { output_index: 0, item: reasoningItem(answer, 'in_progress', '') });
            out += event('response.content_part.added', { ...reasoningAt, part: { type: 'reasoning_text', text: '' } });
          }
          thinking += delta;
          return out + reasoningDelta(sequence++, delta);
        }
        if (reasoning === 'open') out += closeReasoning();
        text += delta;
        if (!started) {
          // The output item opens with its first generated token, so its arrival is not mistaken for output.
          started = true;
          if (answer.tool) {
            out += event('response.output_item.added', { output_index: outputIndex, item: callItem(answer, 'in_progress', '') });
          } else {
            out += event('response.output_item.added', { output_index: outputIndex, item: messageItem(answer, 'in_progress', '') });
            out += event('response.content_part.added', { ...at, part: contentPart(answer, '') });
          }
        }
        return out + visibleDelta(sequence++, delta);
      },
      finish() {
        let out = reasoning === 'open' ? closeReasoning() : '';
        if (started) {
          if (answer.tool) out += event('response.function_call_arguments.done', { item_id: itemId, output_index: outputIndex, arguments: text });
          else if (answer.refusal) out += event('response.refusal.done', { ...at, refusal: text });
          else out += event('response.output_text.done', { ...at, text, logprobs: [] });
          if (!answer.tool) out += event('response.content_part.done', { ...at, part: contentPart(answer, text) });
          const item = visibleItem(answer, text);
          done.push(item);
          out += event('response.output_item.done', { output_index: outputIndex, item });
        }
        const status = finalStatus(answer);
        return out + event(`response.${status}`, { response: responseObject(answer, status, done) });
      },
      error() {
        return (
          event('error', { code: 'server_error', message: 'The server had an error while processing your request.', param: null }) +
          event('response.failed', { response: responseObject(answer, 'failed', []) })
        );
      },
    };
  },

  errorBody: openAiErrorBody,
};
