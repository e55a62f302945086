import { reasoningText, visibleText, type Answer } from '../answer';
import { contentText, isRecord, readMaxTokens, requireModel, RequestError, type ToolChoice, type ToolDef } from '../prompt';
import { HOLE, sseData, sseDataTemplate, type ErrorInfo, type ErrorKind, type MockProvider } from './types';

const OPENAI_ERROR_TYPES: Record<ErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'invalid_request_error',
  not_found: 'invalid_request_error',
  rate_limit: 'tokens',
  server: 'server_error',
  unavailable: 'server_error',
  overloaded: 'server_error',
};

/** OpenAI's error envelope, shared by Chat Completions and Responses. */
export function openAiErrorBody(error: ErrorInfo): unknown {
  let type = OPENAI_ERROR_TYPES[error.kind];
  let code: string | null = null;
  if (error.kind === 'authentication') code = 'invalid_api_key';
  if (error.kind === 'rate_limit') {
    type = error.limitedBy === 'requests' ? 'requests' : 'tokens';
    code = 'rate_limit_exceeded';
  }
  return { error: { message: error.message, type, param: null, code } };
}

/** OpenAI function tools, in the Chat shape (`{type, function: {name, parameters}}`), also used by Ollama. */
export function readChatTools(body: Record<string, unknown>): ToolDef[] {
  if (body.tools === undefined || body.tools === null) return [];
  if (!Array.isArray(body.tools)) throw new RequestError(`invalid tools: expected an array, got ${JSON.stringify(body.tools)}`);
  return body.tools.map((tool, i) => {
    const fn = isRecord(tool) ? tool.function : undefined;
    if (!isRecord(fn) || typeof fn.name !== 'string') {
      throw new RequestError(`invalid tools[${i}]: expected { type: "function", function: { name, parameters } }`);
    }
    return { name: fn.name, parameters: fn.parameters };
  });
}

function readToolChoice(value: unknown, hasTools: boolean): ToolChoice {
  if (value === undefined || value === null) return hasTools ? 'auto' : 'none';
  if (value === 'none' || value === 'auto' || value === 'required') return value;
  if (isRecord(value) && isRecord(value.function) && typeof value.function.name === 'string') {
    return { name: value.function.name };
  }
  throw new RequestError(`invalid tool_choice: expected "none", "auto", "required" or a named function, got ${JSON.stringify(value)}`);
}

/** `response_format`: JSON mode (`json_object`) or Structured Outputs (`json_schema`); `text` asks for nothing. */
function readResponseFormat(value: unknown): { schema: unknown } | undefined {
  if (value === undefined || value === null) return undefined;
  if (isRecord(value)) {
    if (value.type === 'text') return undefined;
    if (value.type === 'json_object') return { schema: undefined };
    if (value.type === 'json_schema' && isRecord(value.json_schema)) return { schema: value.json_schema.schema };
  }
  throw new RequestError(
    `invalid response_format: expected { type: "text" | "json_object" } or { type: "json_schema", json_schema: { name, schema } }, got ${JSON.stringify(value)}`,
  );
}

function finishReason(answer: Answer): string {
  return answer.finish === 'tool' ? 'tool_calls' : answer.finish;
}

function usage(answer: Answer): Record<string, unknown> {
  const u = answer.usage;
  return {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    prompt_tokens_details: { cached_tokens: u.cachedTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: u.reasoningTokens, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0,
    },
  };
}

export const openAiChat: MockProvider = {
  name: 'openai-chat',
  rateLimitHeaders: 'openai',
  // A real Chat chunk field (random padding against length side channels), so clients already ignore it.
  paddingField: 'obfuscation',
  wholeToolCall: false,

  parse(body, _route, options) {
    if (!isRecord(body)) throw new RequestError('invalid body: expected a JSON object');
    const model = requireModel(body);
    if (!Array.isArray(body.messages) || body.messages.length === 0) {
      throw new RequestError(`invalid messages: expected a non-empty array, got ${JSON.stringify(body.messages)}`);
    }
    const tools = readChatTools(body);
    const structured = readResponseFormat(body.response_format);
    const parts: string[] = tools.length > 0 ? [JSON.stringify(body.tools)] : [];
    if (structured) parts.push(JSON.stringify(body.response_format));
    for (const message of body.messages) parts.push(contentText(message));
    const last: unknown = body.messages[body.messages.length - 1];
    return {
      model,
      stream: body.stream === true,
      // Ollama's OpenAI-compatible endpoint knows only max_tokens; max_completion_tokens goes unread there.
      maxTokens: options.ignoreMaxCompletionTokens ? readMaxTokens(body, 'max_tokens') : readMaxTokens(body, 'max_completion_tokens', 'max_tokens'),
      promptParts: parts,
      lastRole: isRecord(last) && typeof last.role === 'string' ? last.role : undefined,
      tools,
      toolChoice: readToolChoice(body.tool_choice, tools.length > 0),
      includeUsage: isRecord(body.stream_options) && body.stream_options.include_usage === true,
      structured,
    };
  },

  streamContentType: () => 'text/event-stream; charset=utf-8',

  body(answer) {
    const text = visibleText(answer);
    const message: Record<string, unknown> = { role: 'assistant' };
    // Not an OpenAI field: llama.cpp and (older) vLLM carry reasoning this way on their OpenAI-compatible routes.
    if (answer.usage.reasoningTokens > 0) message.reasoning_content = reasoningText(answer);
    message.content = answer.tool || answer.refusal ? null : text;
    message.refusal = answer.refusal ? text : null;
    message.annotations = [];
    if (answer.tool) {
      message.tool_calls = [{ id: `call_${answer.idSuffix}`, type: 'function', function: { name: answer.tool.name, arguments: answer.tool.json } }];
    }
    return {
      id: `chatcmpl-${answer.idSuffix}`,
      object: 'chat.completion',
      created: answer.created,
      model: answer.model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason(answer) }],
      usage: usage(answer),
      service_tier: 'default',
      system_fingerprint: 'fp_k6llm_mock',
    };
  },

  encoder(answer, _route, options) {
    const base = { id: `chatcmpl-${answer.idSuffix}`, object: 'chat.completion.chunk', created: answer.created, model: answer.model };
    // "All other chunks will also include a usage field, but with a null value" (only with include_usage).
    const tail = answer.includeUsage ? { usage: null } : {};
    // Ollama's OpenAI-compatible endpoint sends no role-only chunk and repeats the role in every delta.
    const role = options.chatRole === 'every-delta' ? { role: 'assistant' } : {};
    const event = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) =>
      ({ ...base, ...extra, choices: [{ index: 0, delta: { ...role, ...delta }, logprobs: null, finish_reason: finish }], ...tail });
    const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}): string => sseData(event(delta, finish, extra));
    // Prepared once per answer, and only the kinds of event it has.
    const reasoningEvent = answer.usage.reasoningTokens > 0 ? sseDataTemplate(event({ reasoning_content: HOLE }, null)) : undefined;
    let contentEvent: ((text: string) => string) | undefined;
    let firstCallEvent: ((text: string) => string) | undefined;
    let callEvent: ((text: string) => string) | undefined;
    if (answer.tool) {
      const call = { index: 0, id: `call_${answer.idSuffix}`, type: 'function', function: { name: answer.tool.name, arguments: HOLE } };
      firstCallEvent = sseDataTemplate(event({ tool_calls: [call] }, null));
      callEvent = sseDataTemplate(event({ tool_calls: [{ index: 0, function: { arguments: HOLE } }] }, null));
    } else {
      contentEvent = sseDataTemplate(event(answer.refusal ? { refusal: HOLE } : { content: HOLE }, null));
    }
    let first = true;
    return {
      preamble() {
        if (options.chatRole === 'every-delta') return '';
        let delta: Record<string, unknown> = { role: 'assistant', content: '', refusal: null };
        if (answer.tool) delta = { role: 'assistant', content: null };
        if (answer.refusal) delta = { role: 'assistant', content: null, refusal: '' };
        return chunk(delta, null, { service_tier: 'default', system_fingerprint: 'fp_k6llm_mock' });
      },
      chunk(text, _tokens, _last, reasoning) {
        if (reasoning && reasoningEvent) return reasoningEvent(text);
        if (contentEvent) return contentEvent(text);
        // The first fragment of a call names it; later ones carry only index and an arguments piece.
        const out = first && firstCallEvent ? firstCallEvent(text) : (callEvent as (text: string) => string)(text);
        first = false;
        return out;
      },
      finish() {
        let out = chunk(options.chatRole === 'every-delta' ? { content: '' } : {}, finishReason(answer));
        if (answer.includeUsage) out += sseData({ ...base, choices: [], usage: usage(answer) });
        return `${out}data: [DONE]\n\n`;
      },
      error() {
        // As OpenAI sends it mid-stream (captured in go-openai PR #396): an error object, then [DONE].
        return `${sseData({ error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } })}data: [DONE]\n\n`;
      },
    };
  },

  errorBody: openAiErrorBody,
};
