import type { Answer } from '../answer';
import type { ResolvedOptions } from '../options';
import type { MockRequest } from '../prompt';

export type ProviderName = 'openai-chat' | 'openai-responses' | 'anthropic' | 'gemini' | 'ollama' | 'custom';

/** Error classes every provider can spell in its own envelope. */
export type ErrorKind = 'invalid_request' | 'authentication' | 'not_found' | 'rate_limit' | 'server' | 'unavailable' | 'overloaded';

export interface ErrorInfo {
  status: number;
  kind: ErrorKind;
  message: string;
  requestId: string;
  retryAfterMs?: number;
  /** For 429s: `requests` or `tokens`, as OpenAI's error `type` says which limit hit. */
  limitedBy?: string;
}

/** What the route said beyond the body: Gemini puts the model and the streaming choice in the URL. */
export interface RouteParams {
  model?: string;
  stream?: boolean;
  /** Gemini `alt=sse`; without it a streamed answer is one JSON array. */
  sse?: boolean;
  /** The own-service stream as NDJSON lines rather than SSE (`Accept: application/x-ndjson` or `?format=ndjson`). */
  ndjson?: boolean;
}

/** Server-side durations, as Ollama reports them in its final line. */
export interface FinishTiming {
  totalMs: number;
  promptEvalMs: number;
  evalMs: number;
}

/** Renders one streamed answer. Every method returns the exact bytes to write (possibly several events). */
export interface StreamEncoder {
  /** Written with the response head: events that carry no output (role chunk, message_start, response.created). */
  preamble(): string;
  /**
   * One write holding exactly one content event for `tokens` tokens whose text is `text`, plus any structural event
   * it needs first. `reasoning` says the tokens are reasoning; a chunk never mixes reasoning and visible output.
   * Called once per token write, so it splices the text into JSON prepared once per answer (`jsonTemplate`).
   */
  chunk(text: string, tokens: number, last: boolean, reasoning: boolean): string;
  /** Written right after the last chunk: finish reason, usage and the protocol's end marker. */
  finish(timing: FinishTiming): string;
  /** The provider's in-stream error, ending the stream. */
  error(): string;
}

/** One wire protocol: how to read its requests and how to write answers and errors. */
export interface MockProvider {
  readonly name: ProviderName;
  /** Which rate-limit headers its responses carry. */
  readonly rateLimitHeaders: 'openai' | 'anthropic' | 'none';
  /** A field its clients ignore, where an `oversize` fault puts padding. */
  readonly paddingField: string;
  /** A tool call goes out as one whole event (Gemini, Ollama) rather than in argument fragments. */
  readonly wholeToolCall: boolean;
  /** Reads the request body; throws `RequestError` on a body the real API would refuse. */
  parse(body: unknown, route: RouteParams, options: ResolvedOptions): MockRequest;
  streamContentType(route: RouteParams): string;
  /** The non-streamed answer. */
  body(answer: Answer, timing: FinishTiming, options: ResolvedOptions): unknown;
  encoder(answer: Answer, route: RouteParams, options: ResolvedOptions): StreamEncoder;
  errorBody(error: ErrorInfo): unknown;
}

/** A string value that marks a hole in a JSON template (see `jsonTemplate`). */
export const HOLE = '\u0000k6-llm-mock-hole\u0000';
const HOLE_JSON = JSON.stringify(HOLE);

/**
 * The JSON of `value`, between `before` and `after`, with a hole wherever `value` holds `HOLE`: the result fills
 * the holes, in the order they appear in the JSON, with the JSON of its arguments. A stream event is prepared once
 * per answer and filled per token, so a token write costs one string concatenation and the JSON of its text, not a
 * `JSON.stringify` of the whole event (the mock's CPU is taken from the load generator beside it).
 */
export function jsonTemplate(value: unknown, before = '', after = ''): (...fills: unknown[]) => string {
  const parts = JSON.stringify(value).split(HOLE_JSON);
  parts[0] = before + (parts[0] as string);
  parts[parts.length - 1] += after;
  if (parts.length === 2) {
    const [head, tail] = parts as [string, string];
    return (fill) => head + JSON.stringify(fill) + tail;
  }
  return (...fills) => {
    let out = parts[0] as string;
    for (let i = 1; i < parts.length; i++) out += JSON.stringify(fills[i - 1]) + (parts[i] as string);
    return out;
  };
}

/** An SSE `data:` event template (see `jsonTemplate`). */
export function sseDataTemplate(value: unknown): (...fills: unknown[]) => string {
  return jsonTemplate(value, 'data: ', '\n\n');
}

/** An SSE event template with an `event:` name (see `jsonTemplate`). */
export function sseEventTemplate(event: string, value: unknown): (...fills: unknown[]) => string {
  return jsonTemplate(value, `event: ${event}\ndata: `, '\n\n');
}

export function sseData(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

export function sseEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
