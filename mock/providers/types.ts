import type { Answer } from '../answer.js';
import type { MockRequest } from '../prompt.js';

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
   * One write holding exactly one content event for these tokens, plus any structural event it needs first.
   * `reasoning` says the tokens are reasoning; a chunk never mixes reasoning and visible output.
   */
  chunk(pieces: readonly string[], last: boolean, reasoning: boolean): string;
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
  parse(body: unknown, route: RouteParams): MockRequest;
  streamContentType(route: RouteParams): string;
  /** The non-streamed answer. */
  body(answer: Answer, timing: FinishTiming): unknown;
  encoder(answer: Answer, route: RouteParams): StreamEncoder;
  errorBody(error: ErrorInfo): unknown;
}

export function sseData(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

export function sseEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
