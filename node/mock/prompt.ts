/** A tool the request offers, with the JSON Schema of its arguments. */
export interface ToolDef {
  name: string;
  parameters: unknown;
}

/** `none`, `auto`, `required` (some tool must be called) or one named tool. */
export type ToolChoice = 'none' | 'auto' | 'required' | { name: string };

/** One generation request, after a provider adapter read its wire body. */
export interface MockRequest {
  model: string;
  stream: boolean;
  /** The request's output cap (`max_tokens`, `max_output_tokens`, `maxOutputTokens`, `num_predict`). */
  maxTokens: number | undefined;
  /** Prompt texts in order (tool definitions, system, messages); each is one token-estimation unit. */
  promptParts: string[];
  /** Role of the last message, in OpenAI's words (`user`, `assistant`, `tool`, `system`). */
  lastRole: string | undefined;
  tools: ToolDef[];
  toolChoice: ToolChoice;
  /** OpenAI Chat `stream_options.include_usage`. */
  includeUsage: boolean;
  /**
   * Structured output the request asks for (`response_format`, `text.format`, `responseJsonSchema`, Ollama's
   * `format`): the answer is a JSON document valid against `schema`, or any small object when `schema` is undefined.
   */
  structured: { schema: unknown } | undefined;
}

/** A request body the provider would refuse: answered with 400 in that provider's envelope. */
export class RequestError extends Error {
  readonly type = 'invalid-request';
}

/**
 * About four characters per token and at least one per part: the usual rule of thumb for English with BPE
 * tokenizers. The mock needs a stable, cheap count, not a faithful one.
 */
export const CHARS_PER_TOKEN = 4;

export function estimateTokens(parts: readonly string[]): number {
  let total = 0;
  for (const part of parts) total += Math.max(1, Math.ceil(part.length / CHARS_PER_TOKEN));
  return total;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The text a message content carries, whatever the provider's shape: a string, or parts with `text`, nested
 * `content`, tool inputs and outputs. Images and other binary parts count nothing.
 */
export function contentText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(contentText).filter(Boolean).join('\n');
  if (!isRecord(value)) return '';
  const pieces: string[] = [];
  for (const key of ['text', 'thinking', 'content', 'output', 'parts', 'result', 'response']) {
    const text = contentText(value[key]);
    if (text) pieces.push(text);
  }
  for (const key of ['input', 'args', 'arguments']) {
    const v = value[key];
    if (typeof v === 'string') pieces.push(v);
    else if (v !== undefined) pieces.push(JSON.stringify(v));
  }
  if (isRecord(value.function)) pieces.push(contentText(value.function));
  if (isRecord(value.functionCall)) pieces.push(contentText(value.functionCall));
  if (isRecord(value.functionResponse)) pieces.push(contentText(value.functionResponse));
  if (Array.isArray(value.tool_calls)) pieces.push(contentText(value.tool_calls));
  return pieces.join('\n');
}

/** A positive integer cap, or undefined when absent; anything else is a 400. */
export function readMaxTokens(body: Record<string, unknown>, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const value = body[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new RequestError(`invalid ${key}: expected an integer ≥ 1, got ${JSON.stringify(value)}`);
    }
    return value;
  }
  return undefined;
}

export function requireModel(body: Record<string, unknown>): string {
  const model = body.model;
  if (typeof model !== 'string' || model === '') {
    throw new RequestError(`invalid model: expected a model name, got ${JSON.stringify(model)}`);
  }
  return model;
}
