import { reasoningText, visibleText, type Answer } from '../answer';
import { contentText, isRecord, readMaxTokens, RequestError } from '../prompt';
import { HOLE, jsonTemplate, sseData, type ErrorKind, type MockProvider, type RouteParams } from './types';

const ERROR_TYPES: Record<ErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  not_found: 'not_found_error',
  rate_limit: 'rate_limit_error',
  server: 'server_error',
  unavailable: 'unavailable_error',
  overloaded: 'overloaded_error',
};

function usage(answer: Answer): Record<string, unknown> {
  const u = answer.usage;
  const out: Record<string, unknown> = {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
  };
  if (u.reasoningTokens > 0) out.completion_tokens_details = { reasoning_tokens: u.reasoningTokens };
  return out;
}

function finishReason(answer: Answer): string {
  return answer.finish === 'length' ? 'length' : 'stop';
}

function frame(route: RouteParams, value: unknown): string {
  return route.ndjson ? `${JSON.stringify(value)}\n` : sseData(value);
}

/**
 * A team's own service wrapping a model, as the load-testing article this project grew from tests it:
 * `POST /api/ask` answers one JSON object, `POST /api/stream` streams `{"delta"}` events (SSE or NDJSON).
 */
export const custom: MockProvider = {
  name: 'custom',
  rateLimitHeaders: 'openai',
  paddingField: 'padding',
  wholeToolCall: false,

  parse(body, route) {
    if (!isRecord(body)) throw new RequestError('invalid body: expected a JSON object');
    const parts: string[] = [];
    // k6-llm's custom provider sends the conversation as `messages` beside the last `message`; count it once.
    if (Array.isArray(body.messages) && body.messages.length > 0) {
      for (const message of body.messages) parts.push(contentText(message));
    } else if (typeof body.message === 'string' && body.message !== '') {
      parts.push(body.message);
    } else {
      throw new RequestError(`invalid message: expected a non-empty string, got ${JSON.stringify(body.message)}`);
    }
    const user = body.user_id;
    if (user !== undefined && user !== null && typeof user !== 'string' && typeof user !== 'number') {
      throw new RequestError(`invalid user_id: expected a string, got ${JSON.stringify(user)}`);
    }
    return {
      model: typeof body.model === 'string' && body.model !== '' ? body.model : 'custom',
      stream: route.stream === true,
      maxTokens: readMaxTokens(body, 'max_tokens'),
      promptParts: parts,
      lastRole: 'user',
      tools: [],
      toolChoice: 'none',
      includeUsage: false,
      structured: undefined,
    };
  },

  streamContentType: (route) => (route.ndjson ? 'application/x-ndjson' : 'text/event-stream; charset=utf-8'),

  body(answer) {
    const body: Record<string, unknown> = { answer: visibleText(answer) };
    if (answer.usage.reasoningTokens > 0) body.reasoning = reasoningText(answer);
    body.finish_reason = finishReason(answer);
    body.usage = usage(answer);
    return body;
  },

  encoder(answer, route) {
    const [before, after] = route.ndjson ? ['', '\n'] : ['data: ', '\n\n'];
    const reasoningEvent = jsonTemplate({ reasoning: HOLE }, before, after);
    const deltaEvent = jsonTemplate({ delta: HOLE }, before, after);
    return {
      preamble: () => '',
      chunk: (text, _tokens, _last, reasoning) => (reasoning ? reasoningEvent(text) : deltaEvent(text)),
      finish() {
        const done = frame(route, { done: true, finish_reason: finishReason(answer), usage: usage(answer) });
        return route.ndjson ? done : `${done}data: [DONE]\n\n`;
      },
      error: () => frame(route, { error: { message: 'The server had an error while processing your request.', type: 'server_error' } }),
    };
  },

  errorBody: (error) => ({ error: { message: error.message, type: ERROR_TYPES[error.kind] } }),
};
