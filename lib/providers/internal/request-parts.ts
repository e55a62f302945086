import { isRecord } from '../../internal/values';
import type { ChatMessage, ChatRequest, ProviderConfig } from '../types';

/** Where an API key goes: `Authorization: Bearer`, or a header that carries the key as it is. */
export type AuthScheme = NonNullable<ProviderConfig['auth']>;

/** The conversation of a request: `messages`, then `prompt` as a last user message. Only misuse throws. */
export function conversation(request: ChatRequest): ChatMessage[] {
  const messages = request.messages ? request.messages.slice() : [];
  if (request.prompt !== undefined) messages.push({ role: 'user', content: request.prompt });
  if (messages.length === 0) {
    throw new Error('invalid request: expected messages or prompt, got neither');
  }
  return messages;
}

export function modelOf(request: ChatRequest, config: ProviderConfig): string {
  const model = request.model ?? config.model;
  if (typeof model !== 'string' || model === '') {
    throw new Error(`invalid model: expected a model name in the request or the provider config, got ${JSON.stringify(model)}`);
  }
  return model;
}

// A client builds every request from the same base URL: the last one checked is remembered, so
// the regular expressions (costly in k6's runtime) run once per base URL, not once per request.
let checkedBaseUrl: string | undefined;
let trimmedBaseUrl = '';
let hostBaseUrl: string | undefined;
let hostOfBaseUrl = '';

function baseUrlOf(config: ProviderConfig): string {
  if (config.baseUrl === checkedBaseUrl) return trimmedBaseUrl;
  if (typeof config.baseUrl !== 'string' || !/^https?:\/\//i.test(config.baseUrl)) {
    throw new Error(`invalid baseUrl: expected an http(s) URL, got ${JSON.stringify(config.baseUrl)}`);
  }
  trimmedBaseUrl = config.baseUrl.replace(/\/+$/, '');
  checkedBaseUrl = config.baseUrl;
  return trimmedBaseUrl;
}

/** `${baseUrl}${path}` plus `config.query`, appended after any query the path already has. */
export function buildUrl(config: ProviderConfig, path: string): string {
  const url = baseUrlOf(config) + path;
  const query = config.query ? Object.keys(config.query) : [];
  if (query.length === 0) return url;
  const pairs = query.map((key) => `${encodeURIComponent(key)}=${encodeURIComponent(String(config.query?.[key]))}`);
  return url + (url.includes('?') ? '&' : '?') + pairs.join('&');
}

function hostOf(url: string): string {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/?#:]+)/i.exec(url);
  return match?.[1]?.toLowerCase() ?? '';
}

/** Azure OpenAI takes the key in `api-key`; recognized by its hosts so a plain config just works. */
export function openAiAuth(config: ProviderConfig): AuthScheme {
  if (config.auth) return config.auth;
  const baseUrl = config.baseUrl ?? '';
  if (baseUrl !== hostBaseUrl) {
    hostOfBaseUrl = hostOf(baseUrl);
    hostBaseUrl = baseUrl;
  }
  const host = hostOfBaseUrl;
  return host.endsWith('.openai.azure.com') || host.endsWith('.cognitiveservices.azure.com') ? 'api-key' : 'bearer';
}


/** Sets a header, replacing any existing one whose name differs only in case. */
export function setHeader(headers: Record<string, string>, name: string, value: string): void {
  const lower = name.toLowerCase();
  for (const existing in headers) {
    if (existing.toLowerCase() === lower) delete headers[existing];
  }
  headers[name] = value;
}

/**
 * Where an API key goes: `bearer` (`Authorization: Bearer <key>`), the name of a header that carries it as it is
 * (`x-api-key`), or a function that makes the headers of it (a custom provider's `authHeader`).
 */
export type KeyPlacement = string | ((apiKey: string) => Record<string, string>);

/**
 * Request headers in precedence order: JSON content type and `Accept`, the provider's fixed headers,
 * the key in its header, then `config.headers`, then the request's own headers (last wins, case-insensitively).
 */
export function buildHeaders(
  request: ChatRequest,
  config: ProviderConfig,
  options: { auth: KeyPlacement; accept?: string; fixed?: Record<string, string> },
): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (options.accept) headers.Accept = options.accept;
  setHeaders(headers, options.fixed);
  const key = config.apiKey;
  if (key) {
    const auth = options.auth;
    if (typeof auth === 'function') setHeaders(headers, auth(key));
    else if (auth === 'bearer') setHeader(headers, 'Authorization', `Bearer ${key}`);
    else setHeader(headers, auth, key);
  }
  setHeaders(headers, config.headers);
  setHeaders(headers, request.headers);
  return headers;
}

// for-in rather than for-of over Object.entries: this runs on every request, and iterators and array
// destructuring cost about ten times a plain loop in k6's runtime.
function setHeaders(headers: Record<string, string>, from: Record<string, string> | undefined): void {
  if (!from) return;
  for (const name in from) {
    if (Object.prototype.hasOwnProperty.call(from, name)) setHeader(headers, name, from[name] as string);
  }
}

/**
 * The body as it is sent: a string as it is; an object with the request's `extra` fields over it (shallow; an
 * `undefined` value removes a field); anything else as JSON.
 */
export function bodyText(body: unknown, extra: ChatRequest['extra']): string {
  if (typeof body === 'string') return body;
  return JSON.stringify(extra && isRecord(body) ? { ...body, ...extra } : body);
}

/** Tool-call arguments as an object, for formats that take objects (Anthropic, Gemini, Ollama). */
export function argumentsObject(args: string): unknown {
  try {
    const value: unknown = JSON.parse(args);
    return typeof value === 'object' && value !== null ? value : {};
  } catch {
    return {};
  }
}

/** Drops keys whose value is undefined, so bodies stay minimal. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const key in value) {
    if (Object.prototype.hasOwnProperty.call(value, key) && value[key] !== undefined) out[key] = value[key];
  }
  return out as T;
}

/** Finds the tool name for a tool result by the id of the assistant call it answers (Gemini and Ollama key by name). */
export function toolNameFor(message: ChatMessage, messages: ChatMessage[]): string {
  if (message.name) return message.name;
  for (const other of messages) {
    const call = other.toolCalls?.find((c) => c.id === message.toolCallId);
    if (call) return call.name;
  }
  return '';
}
