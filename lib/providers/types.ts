import type { SSEMessage, StreamParseError } from '../sse/types';

/** A chat message in the library's neutral shape; providers map it to their own wire shape. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  /** Plain text content. */
  content: string;
  /** Tool calls an assistant message asked for (to replay a conversation). */
  toolCalls?: ToolCall[];
  /** For `role: 'tool'`: the id of the call this message answers. */
  toolCallId?: string;
  /** For `role: 'tool'`: the tool's name (Gemini and Ollama key results by name). */
  name?: string;
}

/** A tool the model may call, its parameters described by JSON Schema. */
export interface ToolSpec {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

/** One neutral chat request; every provider maps it to its own body. */
export interface ChatRequest {
  /** The conversation. `prompt` is a shorthand for one user message. */
  messages?: ChatMessage[];
  prompt?: string;
  /** System prompt (Anthropic and Gemini carry it outside the messages). */
  system?: string;
  /** Output token cap. */
  maxTokens?: number;
  temperature?: number;
  tools?: ToolSpec[];
  /** `auto`, `none`, `required` (some tool must be called) or one named tool. */
  toolChoice?: 'auto' | 'none' | 'required' | { name: string };
  /** Stream the response. Transports set this. */
  stream?: boolean;
  /** Overrides the configured model for this request. */
  model?: string;
  /** Provider fields merged into the JSON body as they are (shallow). */
  extra?: Record<string, unknown>;
  /** Extra HTTP headers for this request. */
  headers?: Record<string, string>;
}

/** What a provider needs to address a server. */
export interface ProviderConfig {
  /** Base URL without a trailing slash, e.g. `https://api.openai.com/v1`. */
  baseUrl: string;
  model: string;
  /** Sent in the provider's own header; never logged. */
  apiKey?: string;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /**
   * The header the key goes in, overriding the provider's own: `bearer` (`Authorization: Bearer <key>`),
   * `api-key` (Azure OpenAI), `x-api-key` (Anthropic), `x-goog-api-key` (Gemini).
   * @default the provider's own; `api-key` for OpenAI formats when the baseUrl host ends in `.openai.azure.com` or `.cognitiveservices.azure.com`
   */
  auth?: 'bearer' | 'api-key' | 'x-api-key' | 'x-goog-api-key';
  /** Query parameters appended to every URL, e.g. `{ 'api-version': '2024-10-21' }` for Azure deployment URLs. */
  query?: Record<string, string>;
}

/** A fully built HTTP request. */
export interface HttpRequestSpec {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface ToolCall {
  id: string;
  name: string;
  /** The assembled arguments as a JSON string. */
  arguments: string;
}

/**
 * Token usage. A count the server did not report is `undefined`, never 0.
 * `inputTokens` counts every prompt token, cached and cache-written ones included;
 * `outputTokens` counts every generated token, reasoning included.
 */
export interface Usage {
  inputTokens?: number;
  outputTokens?: number;
  cachedInputTokens?: number;
  cacheWriteInputTokens?: number;
  reasoningTokens?: number;
  /** The server's total when it reported one, else `inputTokens + outputTokens` when both are known. */
  totalTokens?: number;
  /**
   * `server`: counts come from the response. `estimated`: the client estimated them because the server reported none.
   * `none`: nothing was reported and nothing estimated (the provider layer never estimates).
   */
  source: 'server' | 'estimated' | 'none';
}

export interface CompletionError {
  /** The provider's own error type or code (`overloaded_error`, `server_error`, `RESOURCE_EXHAUSTED`, ...), or one of the library's: `truncated`, `malformed`, `http`. */
  type: string;
  message: string;
}

/**
 * Where a refusal was seen. A provider's own wire signal:
 * - `openai.refusal`: Chat Completions `message.refusal` / `delta.refusal`, or a Responses `refusal` content part
 *   (`response.refusal.delta` / `.done`); `reason` is `refusal`.
 * - `openai.content_filter`: Chat `finish_reason: "content_filter"` (Azure OpenAI's filter too), or Responses
 *   `incomplete_details.reason: "content_filter"`; `reason` is `content_filter`.
 * - `anthropic.stop_reason`: `stop_reason: "refusal"`; `reason` is `refusal`.
 * - `gemini.finish_reason`: a candidate's `finishReason` of `SAFETY`, `RECITATION`, `BLOCKLIST`,
 *   `PROHIBITED_CONTENT`, `SPII`, `IMAGE_SAFETY`, `IMAGE_PROHIBITED_CONTENT` or `IMAGE_RECITATION`; `reason` is it.
 * - `gemini.block_reason`: `promptFeedback.blockReason` (the prompt was blocked, no candidate); `reason` is it.
 * - `custom`: the `refusal` reader of a `customProvider` config; `reason` is the value it read, or `refusal`.
 *
 * Or, on an `LlmResult` only (never from a provider): `text`, the text heuristic of a `notRefused()` validator;
 * `reason` is the phrase it read as a refusal.
 */
export type RefusalSignal =
  | 'openai.refusal'
  | 'openai.content_filter'
  | 'anthropic.stop_reason'
  | 'gemini.finish_reason'
  | 'gemini.block_reason'
  | 'custom'
  | 'text';

/** A refusal, and what said so. */
export interface Refusal {
  /** `provider`: the response's own wire signal. `heuristic`: the text read as a refusal (`signal: 'text'`). */
  source: 'provider' | 'heuristic';
  signal: RefusalSignal;
  /** The provider's own value (`refusal`, `content_filter`, `SAFETY`, `PROHIBITED_CONTENT`, ...), or the phrase the heuristic matched. */
  reason: string;
}

/** The normalized result of one response, whatever the provider or transport. */
export interface Completion {
  /** Visible output text. */
  text: string;
  /** Reasoning/thinking output. */
  reasoningText: string;
  toolCalls: ToolCall[];
  usage: Usage;
  /** The provider's own finish value (`stop`, `length`, `end_turn`, `STOP`, ...). */
  finishReason?: string;
  /**
   * Set when the provider signalled that the model refused (`source: 'provider'`; the first signal wins); absent
   * otherwise. `text` is unchanged by it: a refusal's words (OpenAI's `refusal` field) are part of the text.
   */
  refusal?: Refusal;
  /** True only when the response ended the way its protocol says a finished response ends, and no error arrived. */
  complete: boolean;
  error?: CompletionError;
  /** Response id and model as the server reported them, when it did. */
  id?: string;
  model?: string;
  /** How many stream events carried output content (text, reasoning or a tool-call fragment); 1 for a whole body with content. */
  contentEvents: number;
}

/** What one stream event carried, so a transport can timestamp it. */
export interface EventEffect {
  /** Output content: text, reasoning or a tool-call fragment (non-empty). */
  content: boolean;
  /** Visible output: text or a tool-call fragment (not reasoning). */
  visible: boolean;
  /** The protocol's end marker (`[DONE]`, `message_stop`, `response.completed`, `done: true`, ...). */
  terminal: boolean;
  /** An error arrived in the stream. */
  error: boolean;
}

/**
 * A framed stream event: an SSE message, one parsed JSON value of an NDJSON stream,
 * or an NDJSON line that was not JSON (so the reader can record it in order).
 */
export type StreamEvent = SSEMessage | JsonValueEvent | InvalidJsonEvent;

export interface JsonValueEvent {
  type: 'json';
  value: unknown;
}

/** An NDJSON line that did not parse, as `createNDJSONParser`'s `onError` reports it; readers record a `malformed` error and read on. */
export interface InvalidJsonEvent {
  type: 'invalid-json';
  error: StreamParseError;
}

/** Incremental reader: takes framed events one at a time and ends in the same Completion `parseBody` gives. */
export interface StreamReader {
  push(event: StreamEvent): EventEffect;
  /**
   * The body ended; returns the normalized completion. `cut` is the transport's reason when the body broke off
   * (`stall`, `reset`, `timeout`...): the completion is then not complete and carries that error. Call once.
   */
  finish(cut?: CompletionError): Completion;
}

export interface Provider {
  readonly name: string;
  /** How a streamed body is framed. */
  readonly streamFormat: 'sse' | 'ndjson' | 'json';
  /** The public endpoint a client uses when it is given no `baseUrl`; absent when there is none (a custom provider). */
  readonly defaultBaseUrl?: string;
  buildRequest(request: ChatRequest, config: ProviderConfig): HttpRequestSpec;
  /** Parses a whole body: a JSON document, or when `stream` is true a whole SSE/NDJSON stream. Never throws. */
  parseBody(text: string, options: { stream: boolean }): Completion;
  createReader(options?: ReaderOptions): StreamReader;
  /**
   * The provider's response reading as plain data, so another process (the k6-llm relay) can rebuild it; absent
   * when only this process can read its responses (a custom provider with reading functions).
   */
  readonly portable?: PortableDecoder;
}

/** A provider's response reading as plain data: a built-in provider by name, or a custom configuration without functions. */
export type PortableDecoder = { provider: string } | { custom: Record<string, unknown> };

/** Decodes one provider's responses, whole or chunk by chunk; what a transport is handed instead of the provider. */
export interface ResponseDecoder {
  /** How a streamed body is framed. */
  readonly format: 'sse' | 'ndjson' | 'json';
  /** The same decoding as plain data, for the relay; undefined when it cannot be sent. */
  readonly portable?: PortableDecoder;
  /** A whole body: the stream the request asked for (`streamed`), or one JSON document; `cut` as in `finish`. */
  whole(body: string, streamed: boolean, cut?: CompletionError): Completion;
  /** A streamed body read chunk by chunk: `onEffect` is called once per framed event, in order. */
  open(onEffect?: (effect: EventEffect) => void): { feed(chunk: string): void; finish(cut?: CompletionError): Completion };
  /** An attempt that got no response to read (a connection failure, a relay fault): empty, not complete, with `error`. */
  noResponse(error: CompletionError): Completion;
}

/** How a reader is run; a transport passes what it has that is better than the defaults. */
export interface ReaderOptions {
  /**
   * Parses one event's JSON text, throwing on invalid JSON exactly as `JSON.parse` does (which is the default).
   * Only a faster equivalent is worth passing.
   */
  parseJson?: (text: string) => unknown;
}

/**
 * Reads one value out of a parsed JSON value: a dot-path such as `choices.0.delta.content` (numeric segments index
 * arrays; `''` is the value itself), or a function.
 */
export type ValueReader<T = unknown> = string | ((value: unknown) => T | undefined);

/**
 * A team's own endpoint, e.g. `POST /api/ask` answering `{ "answer": "...", "usage": { "total_tokens": 42 } }`
 * (`{ format: 'json', path: '/api/ask', text: 'answer', usage: { total: 'usage.total_tokens' } }`), or
 * `POST /api/stream` streaming SSE or NDJSON (`{ format: 'sse', path: '/api/stream', text: 'delta' }`).
 * One provider addresses one endpoint; make two for two endpoints.
 */
export interface CustomProviderConfig {
  /** @default 'custom' */
  name?: string;
  /** Appended to `ProviderConfig.baseUrl`. @default '' */
  path?: string;
  /** @default 'POST' */
  method?: string;
  /**
   * How a streamed body is framed. A non-streamed body (`parseBody(text, { stream: false })`) is always one JSON
   * document; with `json`, a streamed body is one too.
   */
  format: 'json' | 'sse' | 'ndjson';
  /**
   * The request body; a string is sent as it is, anything else as JSON (with `request.extra` merged in when it is an
   * object). @default `{ message: <last user message>, messages: [{ role, content }], max_tokens, temperature, stream }`
   * (system prompt first in `messages`; undefined fields left out).
   */
  buildBody?: (request: ChatRequest, config: ProviderConfig) => unknown;
  /** Headers on every request of this endpoint (before `ProviderConfig.headers` and the request's own). */
  headers?: Record<string, string>;
  /**
   * Where the key goes: a header name (the key is sent in it as it is), or a function returning headers.
   * @default `Authorization: Bearer <key>`
   */
  authHeader?: string | ((apiKey: string) => Record<string, string>);
  /** The whole answer of a JSON body, or the text delta of one stream event. An event whose value is a string is itself the delta. */
  text: ValueReader;
  reasoning?: ValueReader;
  /** Whole tool calls carried by a body or event (`arguments` may be an object; it is JSON-encoded). */
  toolCalls?: (value: unknown) => { id?: string; name: string; arguments: unknown }[] | undefined;
  /**
   * Token counts. In a stream, each field keeps the last value reported (running totals, never summed).
   * With `total` and `input` but no `output`, `outputTokens` is `total - input`; with `total` alone only
   * `totalTokens` is set.
   */
  usage?: {
    input?: ValueReader;
    output?: ValueReader;
    total?: ValueReader;
    cached?: ValueReader;
    cacheWrite?: ValueReader;
    reasoning?: ValueReader;
  };
  finish?: ValueReader;
  /**
   * Whether a body or event says the model refused: `true` or a non-empty string (other than `"false"`) sets
   * `Completion.refusal` to `{ source: 'provider', signal: 'custom', reason }`, `reason` being the string read, or
   * `refusal` for `true`. E.g. `'blocked'` for `{ "blocked": true }`, or `(v) => v.finish === 'content_filter'`.
   */
  refusal?: ValueReader;
  /**
   * An error carried by a body or event: a string becomes `{ type: 'error', message }`, an object's
   * `type`/`code`/`status` and `message` are used. @default 'error'
   */
  error?: ValueReader;
  id?: ValueReader;
  model?: ValueReader;
  /**
   * The stream's end marker. SSE data `[DONE]` always ends a stream (and is never text).
   * @default a value whose `done` is `true`
   */
  done?: (value: unknown, event: StreamEvent) => boolean;
  /** How to read an SSE event. @default `JSON.parse(data)`; data that is not JSON is a raw text delta */
  eventData?: (event: SSEMessage) => unknown;
  /**
   * Whether a stream that ends cleanly without an end marker and without an error counts as complete. Many own
   * endpoints have no end marker, so this is on by default; a cut-off stream then cannot be told apart.
   * @default true
   */
  completeOnEnd?: boolean;
}
