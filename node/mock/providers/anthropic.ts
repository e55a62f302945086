import { reasoningText, visibleText, type Answer } from '../answer';
import { contentText, isRecord, readMaxTokens, requireModel, RequestError, type ToolChoice, type ToolDef } from '../prompt';
import { HOLE, sseEvent, sseEventTemplate, type ErrorKind, type MockProvider } from './types';

const ERROR_TYPES: Record<ErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  not_found: 'not_found_error',
  rate_limit: 'rate_limit_error',
  server: 'api_error',
  unavailable: 'api_error',
  overloaded: 'overloaded_error',
};

function readTools(body: Record<string, unknown>): ToolDef[] {
  if (body.tools === undefined || body.tools === null) return [];
  if (!Array.isArray(body.tools)) throw new RequestError(`invalid tools: expected an array, got ${JSON.stringify(body.tools)}`);
  // Server tools (web_search_20250305, ...) carry a `type` and no input_schema; the mock only calls client tools.
  return body.tools
    .filter((tool): tool is Record<string, unknown> => isRecord(tool) && (tool.type === undefined || tool.type === 'custom'))
    .map((tool, i) => {
      if (typeof tool.name !== 'string') throw new RequestError(`invalid tools[${i}]: expected { name, input_schema }`);
      return { name: tool.name, parameters: tool.input_schema };
    });
}

function readToolChoice(value: unknown, hasTools: boolean): ToolChoice {
  if (value === undefined || value === null) return hasTools ? 'auto' : 'none';
  if (isRecord(value)) {
    if (value.type === 'auto') return 'auto';
    if (value.type === 'none') return 'none';
    if (value.type === 'any') return 'required';
    if (value.type === 'tool' && typeof value.name === 'string') return { name: value.name };
  }
  throw new RequestError(`invalid tool_choice: expected { type: "auto" | "any" | "none" } or { type: "tool", name }, got ${JSON.stringify(value)}`);
}

function stopReason(answer: Answer): string {
  if (answer.finish === 'tool') return 'tool_use';
  if (answer.finish === 'length') return 'max_tokens';
  return answer.refusal ? 'refusal' : 'end_turn';
}

/** An opaque stand-in for the signature that lets a thinking block be sent back; clients only pass it on. */
function signature(answer: Answer): string {
  return Buffer.from(`k6-llm-mock thinking ${answer.idSuffix}`).toString('base64');
}

/** Anthropic's `input_tokens` excludes cache reads and writes; the three add up to the prompt. */
function usage(answer: Answer, outputTokens: number): Record<string, unknown> {
  const u = answer.usage;
  return {
    input_tokens: u.inputTokens - u.cachedTokens - u.cacheWriteTokens,
    cache_creation_input_tokens: u.cacheWriteTokens,
    cache_read_input_tokens: u.cachedTokens,
    cache_creation: { ephemeral_5m_input_tokens: u.cacheWriteTokens, ephemeral_1h_input_tokens: 0 },
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

function toolUseId(answer: Answer): string {
  return `toolu_${answer.idSuffix}`;
}

export const anthropic: MockProvider = {
  name: 'anthropic',
  rateLimitHeaders: 'anthropic',
  paddingField: 'padding',
  wholeToolCall: false,

  parse(body) {
    if (!isRecord(body)) throw new RequestError('invalid body: expected a JSON object');
    const model = requireModel(body);
    if (!Array.isArray(body.messages) || body.messages.length === 0) {
      throw new RequestError(`invalid messages: expected a non-empty array, got ${JSON.stringify(body.messages)}`);
    }
    const tools = readTools(body);
    const parts: string[] = tools.length > 0 ? [JSON.stringify(body.tools)] : [];
    const system = contentText(body.system);
    if (system) parts.push(system);
    for (const message of body.messages) parts.push(contentText(isRecord(message) ? message.content : message));
    const last: unknown = body.messages[body.messages.length - 1];
    let lastRole = isRecord(last) && typeof last.role === 'string' ? last.role : undefined;
    // A user turn that only returns tool results is the tool's turn, in OpenAI's words.
    if (lastRole === 'user' && isRecord(last) && Array.isArray(last.content) && last.content.length > 0 &&
      last.content.every((block) => isRecord(block) && block.type === 'tool_result')) lastRole = 'tool';
    return {
      model,
      stream: body.stream === true,
      maxTokens: readMaxTokens(body, 'max_tokens'),
      promptParts: parts,
      lastRole,
      tools,
      toolChoice: readToolChoice(body.tool_choice, tools.length > 0),
      includeUsage: false,
      structured: undefined,
    };
  },

  streamContentType: () => 'text/event-stream; charset=utf-8',

  body(answer) {
    const content: unknown[] = [];
    if (answer.usage.reasoningTokens > 0) content.push({ type: 'thinking', thinking: reasoningText(answer), signature: signature(answer) });
    if (answer.tool) content.push({ type: 'tool_use', id: toolUseId(answer), name: answer.tool.name, input: answer.tool.args });
    else if (answer.pieces.length > answer.usage.reasoningTokens) content.push({ type: 'text', text: visibleText(answer) });
    return {
      id: `msg_${answer.idSuffix}`,
      type: 'message',
      role: 'assistant',
      model: answer.model,
      content,
      stop_reason: stopReason(answer),
      stop_sequence: null,
      usage: usage(answer, answer.usage.outputTokens),
    };
  },

  encoder(answer) {
    const thinks = answer.usage.reasoningTokens > 0;
    // The thinking block is block 0; the text or tool_use block follows it.
    const index = thinks ? 1 : 0;
    let thinking: 'open' | 'closed' = thinks ? 'open' : 'closed';
    let started = false;
    const block = (i: number, contentBlock: unknown): string =>
      sseEvent('content_block_start', { type: 'content_block_start', index: i, content_block: contentBlock });
    const delta = (i: number, value: unknown): string => sseEvent('content_block_delta', { type: 'content_block_delta', index: i, delta: value });
    const stop = (i: number): string => sseEvent('content_block_stop', { type: 'content_block_stop', index: i });
    const deltaEvent = (i: number, value: Record<string, unknown>) =>
      sseEventTemplate('content_block_delta', { type: 'content_block_delta', index: i, delta: value });
    const thinkingDelta = deltaEvent(0, { type: 'thinking_delta', thinking: HOLE });
    const visibleDelta = deltaEvent(index, answer.tool ? { type: 'input_json_delta', partial_json: HOLE } : { type: 'text_delta', text: HOLE });
    const closeThinking = (): string => {
      thinking = 'closed';
      // The signature arrives just before the thinking block stops.
      return delta(0, { type: 'signature_delta', signature: signature(answer) }) + stop(0);
    };
    return {
      preamble() {
        const message = {
          id: `msg_${answer.idSuffix}`, type: 'message', role: 'assistant', model: answer.model, content: [],
          stop_reason: null, stop_sequence: null, usage: usage(answer, 1),
        };
        let out = sseEvent('message_start', { type: 'message_start', message });
        if (thinks) {
          out += block(0, { type: 'thinking', thinking: '', signature: '' });
        } else if (!answer.tool) {
          out += block(0, { type: 'text', text: '' });
          started = true;
        }
        return out + sseEvent('ping', { type: 'ping' });
      },
      chunk(text, _tokens, _last, reasoning) {
        if (reasoning) return thinkingDelta(text);
        if (started && thinking === 'closed') return visibleDelta(text);
        let out = thinking === 'open' ? closeThinking() : '';
        if (!started) {
          // A block after thinking, and a tool_use block, opens when the model emits it, with its first delta.
          started = true;
          out += answer.tool
            ? block(index, { type: 'tool_use', id: toolUseId(answer), name: answer.tool.name, input: {} })
            : block(index, { type: 'text', text: '' });
        }
        return out + visibleDelta(text);
      },
      finish() {
        const u = answer.usage;
        // message_delta usage is cumulative: the final figures, not an increment.
        const messageDelta = {
          type: 'message_delta',
          delta: { stop_reason: stopReason(answer), stop_sequence: null },
          usage: {
            input_tokens: u.inputTokens - u.cachedTokens - u.cacheWriteTokens,
            cache_creation_input_tokens: u.cacheWriteTokens,
            cache_read_input_tokens: u.cachedTokens,
            output_tokens: u.outputTokens,
          },
        };
        let out = thinking === 'open' ? closeThinking() : '';
        if (started) out += stop(index);
        return out + sseEvent('message_delta', messageDelta) + sseEvent('message_stop', { type: 'message_stop' });
      },
      error() {
        return sseEvent('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
      },
    };
  },

  errorBody(error) {
    return { type: 'error', error: { type: ERROR_TYPES[error.kind], message: error.message }, request_id: error.requestId };
  },
};
