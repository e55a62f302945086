import type { Answer } from '../answer.js';
import { contentText, isRecord, readMaxTokens, requireModel, RequestError, type ToolChoice, type ToolDef } from '../prompt.js';
import { openAiErrorBody } from './openai-chat.js';
import { sseEvent, type MockProvider } from './types.js';

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

function usage(answer: Answer): Record<string, unknown> {
  const u = answer.usage;
  return {
    input_tokens: u.inputTokens,
    input_tokens_details: { cached_tokens: u.cachedTokens },
    output_tokens: u.outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: u.inputTokens + u.outputTokens,
  };
}

function messageItem(answer: Answer, status: string, text: string): Record<string, unknown> {
  return {
    id: `msg_${answer.idSuffix}`,
    type: 'message',
    status,
    role: 'assistant',
    content: status === 'in_progress' ? [] : [{ type: 'output_text', text, annotations: [] }],
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
    const parts: string[] = tools.length > 0 ? [JSON.stringify(body.tools)] : [];
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
    };
  },

  streamContentType: () => 'text/event-stream; charset=utf-8',

  body(answer) {
    const item = answer.tool ? callItem(answer, 'completed', answer.tool.json) : messageItem(answer, 'completed', answer.pieces.join(''));
    return responseObject(answer, finalStatus(answer), [item]);
  },

  encoder(answer) {
    let sequence = 0;
    const event = (type: string, fields: Record<string, unknown>): string => sseEvent(type, { type, sequence_number: sequence++, ...fields });
    let text = '';
    let started = false;
    const itemId = answer.tool ? `fc_${answer.idSuffix}` : `msg_${answer.idSuffix}`;
    return {
      preamble() {
        const created = responseObject(answer, 'in_progress', []);
        return event('response.created', { response: created }) + event('response.in_progress', { response: created });
      },
      chunk(pieces) {
        const delta = pieces.join('');
        text += delta;
        let out = '';
        if (!started) {
          // The output item opens with the first generated token, so its arrival is not mistaken for output.
          started = true;
          if (answer.tool) {
            out += event('response.output_item.added', { output_index: 0, item: callItem(answer, 'in_progress', '') });
          } else {
            out += event('response.output_item.added', { output_index: 0, item: messageItem(answer, 'in_progress', '') });
            out += event('response.content_part.added', {
              item_id: itemId, output_index: 0, content_index: 0, part: { type: 'output_text', text: '', annotations: [] },
            });
          }
        }
        if (answer.tool) return out + event('response.function_call_arguments.delta', { item_id: itemId, output_index: 0, delta });
        return out + event('response.output_text.delta', { item_id: itemId, output_index: 0, content_index: 0, delta, logprobs: [] });
      },
      finish() {
        let out = '';
        let item: Record<string, unknown>;
        if (answer.tool) {
          out += event('response.function_call_arguments.done', { item_id: itemId, output_index: 0, arguments: text });
          item = callItem(answer, 'completed', text);
        } else {
          const part = { type: 'output_text', text, annotations: [] };
          out += event('response.output_text.done', { item_id: itemId, output_index: 0, content_index: 0, text, logprobs: [] });
          out += event('response.content_part.done', { item_id: itemId, output_index: 0, content_index: 0, part });
          item = messageItem(answer, finalStatus(answer) === 'completed' ? 'completed' : 'incomplete', text);
        }
        out += event('response.output_item.done', { output_index: 0, item });
        const status = finalStatus(answer);
        return out + event(`response.${status}`, { response: responseObject(answer, status, [item]) });
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
