/** Faults the mock can inject, by name (config keys, `--fault` values and the `x-mock-fault` header). */
export const FAULT_NAMES = [
  '429', '500', '503', '529',
  'truncate', 'malformed', 'error-event', 'stall', 'reset', 'slow-head', 'oversize',
] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

export function isFaultName(value: string): value is FaultName {
  return (FAULT_NAMES as readonly string[]).includes(value);
}

/** Output length when the request gives no cap: a fixed count, a uniform range, or a normal distribution. */
export type OutputTokens = number | { min: number; max: number } | { mean: number; sd: number };

/**
 * How the mock server behaves. Every field is optional; `normalizeOptions` fills the defaults once.
 * The same keys are read from a `--config` JSON file.
 */
export interface MockOptions {
  /** Interface to bind. @default "127.0.0.1" */
  host?: string;
  /** TCP port; 0 picks a free one. @default 0 (the CLI defaults to 8787) */
  port?: number;
  /** Seed of every pseudo-random choice (words, jitter, tool arguments, fault draws). @default 1 */
  seed?: number;
  /** Time to first token for a short prompt, ms after the request arrived. @default 200 */
  ttftMs?: number;
  /** Gap between two generated tokens, ms. @default 20 */
  itlMs?: number;
  /** Prefill cost added to TTFT per uncached input token, ms. @default 0.02 */
  prefillMsPerToken?: number;
  /** Relative jitter on TTFT and every gap: 0 is none, 0.2 is ±20 % (uniform) or sigma 0.2 (lognormal). @default 0 */
  jitter?: number;
  /** Shape of the jitter. Both keep the mean gap. @default "uniform" */
  jitterDistribution?: 'uniform' | 'lognormal';
  /** Tokens sent together in one stream event (≥ 1). @default 1 */
  tokensPerChunk?: number;
  /** Output length when the request gives no `max_tokens`. @default 64 */
  outputTokens?: OutputTokens;
  /**
   * What a request's `max_tokens` does. `cap`: the natural length (`outputTokens`) is cut to `max_tokens`, and a cut
   * answer ends with the provider's "length" reason, as a real model's does. `exact`: the answer is exactly
   * `max_tokens` long and ends naturally (`stop`), so counts are predictable and nothing is truncated. `fill`:
   * exactly `max_tokens` long, ending with the "length" reason.
   * @default "cap"
   */
  maxTokensMode?: 'exact' | 'fill' | 'cap';
  /**
   * Streams served at full speed at once; above it TTFT and gaps grow by active/capacity, so latency rises with
   * load as on a real inference server. 0 turns the model off. @default 64
   */
  capacity?: number;
  /**
   * A set of the options below at once, for a real server's quirks; options given explicitly win over it.
   * `ollama-openai`: Ollama's OpenAI-compatible `/v1/chat/completions` (`chatRole: "every-delta"`,
   * `finishWrite: "apart"`, `ignoreMaxCompletionTokens: true`, `streamUsage: "requested"`). @default "default"
   */
  profile?: 'default' | 'ollama-openai';
  /**
   * Where a streamed OpenAI Chat answer names its role. `first-chunk`: a first chunk holding only
   * `role: "assistant"`, as OpenAI sends it. `every-delta`: no role-only chunk; every delta, the finish chunk's
   * included, carries `role: "assistant"` beside its content, as Ollama's OpenAI-compatible endpoint does.
   * @default "first-chunk"
   */
  chatRole?: 'first-chunk' | 'every-delta';
  /**
   * When a streamed OpenAI Chat answer ends with a usage chunk. `requested`: only when the request sets
   * `stream_options.include_usage`, as OpenAI and Ollama do. `always`: whether or not it asks, as vLLM with
   * `--enable-force-include-usage` does. @default "requested"
   */
  streamUsage?: 'requested' | 'always';
  /**
   * How a stream's closing events (finish reason, usage, end marker) are written. `with-last-token`: in the same
   * write as the last tokens. `apart`: in one write of their own after it, one inter-token gap later when the model
   * ended by itself (its end-of-sequence token) and at once when the cap cut it, as Ollama sends them.
   * @default "with-last-token"
   */
  finishWrite?: 'with-last-token' | 'apart';
  /**
   * OpenAI Chat: read only `max_tokens` and ignore `max_completion_tokens`, as Ollama's OpenAI-compatible endpoint
   * does, so a cap sent only as `max_completion_tokens` does not cut the answer. @default false
   */
  ignoreMaxCompletionTokens?: boolean;
  /** Requests per minute per API key; 0 is unlimited and sends no rate-limit headers. @default 0 */
  rpm?: number;
  /** Tokens (input + output) per minute per API key; 0 is unlimited. @default 0 */
  tpm?: number;
  /** Input tokens per minute per API key (Anthropic's ITPM); 0 is unlimited. @default 0 */
  itpm?: number;
  /** Output tokens per minute per API key (Anthropic's OTPM); 0 is unlimited. @default 0 */
  otpm?: number;
  /** Probability (0..1) of each fault per request, drawn from the seeded source. @default {} */
  faults?: Partial<Record<FaultName, number>>;
  /** Duration of a `stall` and delay of a `slow-head`, ms. @default 2000 */
  faultMs?: number;
  /** Output token index at which a mid-stream fault strikes; -1 is the middle of the answer. @default -1 */
  faultAt?: number;
  /** Size of the padded line an `oversize` fault sends, bytes. @default 1048576 */
  oversizeBytes?: number;
  /** `retry-after` given with 429/503/529 faults, ms. @default 1000 */
  retryAfterMs?: number;
  /** Prompt-cache emulation (1,024-token aligned prefixes). @default true */
  cache?: boolean;
  /** How long a cached prefix lives after its last use, ms. @default 300000 */
  cacheTtlMs?: number;
  /** Answer 401 when a request carries no API key. @default true */
  requireApiKey?: boolean;
  /** Require a key on Ollama's routes too (real Ollama takes none). @default false */
  ollamaRequiresApiKey?: boolean;
  /** With tools and `tool_choice` auto, call a tool when the last message is the user's (as Ollama does). @default false */
  autoToolCalls?: boolean;
  /** Ground-truth records kept (a ring; the oldest go first). @default 10000 */
  historySize?: number;
  /** Model ids listed by `GET /v1/models`. Any model name is accepted in requests. */
  models?: string[];
  /** Probability (0..1) that an answer is a refusal sentence instead of text, JSON or a tool call. @default 0 */
  refusal?: number;
  /**
   * Reasoning tokens every answer starts with, streamed before the visible output in each provider's own way and
   * counted in its usage. @default 0
   */
  reasoningTokens?: number;
}

export type ResolvedOptions = Required<MockOptions>;

export const DEFAULT_MODELS = [
  'gpt-4o-mini', 'gpt-4.1-mini', 'gpt-5-mini', 'claude-haiku-4-5', 'claude-sonnet-4-5', 'gemini-2.5-flash', 'llama3.2',
];

export const DEFAULT_OPTIONS: ResolvedOptions = {
  host: '127.0.0.1',
  port: 0,
  seed: 1,
  ttftMs: 200,
  itlMs: 20,
  prefillMsPerToken: 0.02,
  jitter: 0,
  jitterDistribution: 'uniform',
  tokensPerChunk: 1,
  outputTokens: 64,
  maxTokensMode: 'cap',
  capacity: 64,
  profile: 'default',
  chatRole: 'first-chunk',
  streamUsage: 'requested',
  finishWrite: 'with-last-token',
  ignoreMaxCompletionTokens: false,
  rpm: 0,
  tpm: 0,
  itpm: 0,
  otpm: 0,
  faults: {},
  faultMs: 2000,
  faultAt: -1,
  oversizeBytes: 1_048_576,
  retryAfterMs: 1000,
  cache: true,
  cacheTtlMs: 300_000,
  requireApiKey: true,
  ollamaRequiresApiKey: false,
  autoToolCalls: false,
  historySize: 10_000,
  models: DEFAULT_MODELS,
  refusal: 0,
  reasoningTokens: 0,
};

/** What each profile sets; an option given explicitly wins. */
export const PROFILES: Record<ResolvedOptions['profile'], MockOptions> = {
  default: {},
  'ollama-openai': { chatRole: 'every-delta', streamUsage: 'requested', finishWrite: 'apart', ignoreMaxCompletionTokens: true },
};

/** Misuse of the options (a wrong type or range): thrown, because the server cannot start with it. */
export class MockOptionsError extends Error {
  readonly type = 'invalid-option';
  constructor(message: string) {
    super(message);
    this.name = 'MockOptionsError';
  }
}

const NON_NEGATIVE_NUMBERS = [
  'seed', 'ttftMs', 'itlMs', 'prefillMsPerToken', 'jitter', 'capacity', 'rpm', 'tpm', 'itpm', 'otpm',
  'faultMs', 'oversizeBytes', 'retryAfterMs', 'cacheTtlMs',
] as const;

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function checkOutputTokens(value: unknown): OutputTokens {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value;
  if (typeof value === 'object' && value !== null) {
    const v = value as Record<string, unknown>;
    if (typeof v.min === 'number' && typeof v.max === 'number' && v.min >= 1 && v.max >= v.min) {
      return { min: Math.floor(v.min), max: Math.floor(v.max) };
    }
    if (typeof v.mean === 'number' && typeof v.sd === 'number' && v.mean >= 1 && v.sd >= 0) {
      return { mean: v.mean, sd: v.sd };
    }
  }
  throw new MockOptionsError(
    `invalid outputTokens: expected an integer ≥ 1, { min, max } or { mean, sd }, got ${JSON.stringify(value)}`,
  );
}

/** Checks the options and fills every default. Throws `MockOptionsError` on a wrong value. */
export function normalizeOptions(options: MockOptions = {}): ResolvedOptions {
  const profile = options.profile ?? DEFAULT_OPTIONS.profile;
  if (!Object.prototype.hasOwnProperty.call(PROFILES, profile)) {
    throw new MockOptionsError(`invalid profile: expected one of ${Object.keys(PROFILES).join(', ')}, got ${describe(profile)}`);
  }
  const merged: ResolvedOptions = { ...DEFAULT_OPTIONS, ...PROFILES[profile] };
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (!(key in DEFAULT_OPTIONS)) throw new MockOptionsError(`invalid option: unknown key ${JSON.stringify(key)}`);
    (merged as Record<string, unknown>)[key] = value;
  }
  for (const key of NON_NEGATIVE_NUMBERS) {
    const value = merged[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new MockOptionsError(`invalid ${key}: expected a number ≥ 0, got ${describe(value)}`);
    }
  }
  if (!Number.isInteger(merged.port) || merged.port < 0 || merged.port > 65535) {
    throw new MockOptionsError(`invalid port: expected an integer 0..65535, got ${describe(merged.port)}`);
  }
  if (!Number.isInteger(merged.tokensPerChunk) || merged.tokensPerChunk < 1) {
    throw new MockOptionsError(`invalid tokensPerChunk: expected an integer ≥ 1, got ${describe(merged.tokensPerChunk)}`);
  }
  if (!Number.isInteger(merged.historySize) || merged.historySize < 1) {
    throw new MockOptionsError(`invalid historySize: expected an integer ≥ 1, got ${describe(merged.historySize)}`);
  }
  if (!Number.isInteger(merged.reasoningTokens) || merged.reasoningTokens < 0) {
    throw new MockOptionsError(`invalid reasoningTokens: expected an integer ≥ 0, got ${describe(merged.reasoningTokens)}`);
  }
  if (typeof merged.refusal !== 'number' || !(merged.refusal >= 0 && merged.refusal <= 1)) {
    throw new MockOptionsError(`invalid refusal: expected a probability 0..1, got ${describe(merged.refusal)}`);
  }
  if (!Number.isInteger(merged.faultAt) || merged.faultAt < -1) {
    throw new MockOptionsError(`invalid faultAt: expected an integer ≥ -1, got ${describe(merged.faultAt)}`);
  }
  if (merged.jitterDistribution !== 'uniform' && merged.jitterDistribution !== 'lognormal') {
    throw new MockOptionsError(
      `invalid jitterDistribution: expected "uniform" or "lognormal", got ${describe(merged.jitterDistribution)}`,
    );
  }
  if (merged.maxTokensMode !== 'exact' && merged.maxTokensMode !== 'fill' && merged.maxTokensMode !== 'cap') {
    throw new MockOptionsError(`invalid maxTokensMode: expected "exact", "fill" or "cap", got ${describe(merged.maxTokensMode)}`);
  }
  const choices = [
    ['chatRole', ['first-chunk', 'every-delta']],
    ['streamUsage', ['requested', 'always']],
    ['finishWrite', ['with-last-token', 'apart']],
  ] as const;
  for (const [key, allowed] of choices) {
    if (!(allowed as readonly unknown[]).includes(merged[key])) {
      throw new MockOptionsError(`invalid ${key}: expected ${allowed.map((a) => `"${a}"`).join(' or ')}, got ${describe(merged[key])}`);
    }
  }
  merged.outputTokens = checkOutputTokens(merged.outputTokens);
  if (typeof merged.faults !== 'object' || merged.faults === null) {
    throw new MockOptionsError(`invalid faults: expected an object of probabilities, got ${describe(merged.faults)}`);
  }
  for (const [name, p] of Object.entries(merged.faults)) {
    if (!isFaultName(name)) {
      throw new MockOptionsError(`invalid fault: expected one of ${FAULT_NAMES.join(', ')}, got ${JSON.stringify(name)}`);
    }
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
      throw new MockOptionsError(`invalid fault probability for ${name}: expected 0..1, got ${describe(p)}`);
    }
  }
  if (!Array.isArray(merged.models) || merged.models.some((m) => typeof m !== 'string')) {
    throw new MockOptionsError(`invalid models: expected a list of strings, got ${JSON.stringify(merged.models)}`);
  }
  for (const key of ['cache', 'requireApiKey', 'ollamaRequiresApiKey', 'autoToolCalls', 'ignoreMaxCompletionTokens'] as const) {
    if (typeof merged[key] !== 'boolean') {
      throw new MockOptionsError(`invalid ${key}: expected true or false, got ${describe(merged[key])}`);
    }
  }
  if (typeof merged.host !== 'string' || merged.host === '') {
    throw new MockOptionsError(`invalid host: expected a host name or address, got ${describe(merged.host)}`);
  }
  return merged;
}

/** The per-request view of the latency model and faults, after `x-mock-*` headers are applied. */
export interface RequestSettings {
  seed: string;
  ttftMs: number;
  itlMs: number;
  prefillMsPerToken: number;
  jitter: number;
  tokensPerChunk: number;
  /** Capacity this request's load factor is computed against (`x-mock-capacity`); 0 is unlimited. */
  capacity: number;
  /** Natural output length forced by `x-mock-output-tokens`; undefined when the config decides. */
  outputTokensOverride: number | undefined;
  /** Faults named by `x-mock-fault` (comma-separated); undefined when none was named. */
  faults: FaultName[] | undefined;
  faultMs: number;
  faultAt: number;
  cache: boolean;
  /** Forced by `x-mock-refusal`; undefined when the configured probability decides. */
  refusal: boolean | undefined;
  reasoningTokens: number;
}

/** A bad `x-mock-*` header: answered with 400 in the provider's envelope. */
export class OverrideHeaderError extends Error {
  readonly type = 'invalid-override';
}

type HeaderBag = Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text.trim() === '' ? undefined : text.trim();
}

function numberHeader(headers: HeaderBag, name: string, fallback: number, integerMin?: number): number {
  const text = header(headers, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  const ok = Number.isFinite(value) && value >= 0 && (integerMin === undefined || (Number.isInteger(value) && value >= integerMin));
  if (!ok) throw new OverrideHeaderError(`invalid ${name}: expected a number ≥ ${integerMin ?? 0}, got ${JSON.stringify(text)}`);
  return value;
}

/** Applies the per-request override headers (`x-mock-*`) over the server options. Throws `OverrideHeaderError`. */
export function requestSettings(options: ResolvedOptions, headers: HeaderBag): RequestSettings {
  const faultText = header(headers, 'x-mock-fault');
  let faults: FaultName[] | undefined;
  if (faultText !== undefined && faultText !== 'none') {
    faults = [];
    for (const name of faultText.split(',').map((s) => s.trim()).filter(Boolean)) {
      if (!isFaultName(name)) {
        throw new OverrideHeaderError(`invalid x-mock-fault: expected one of ${FAULT_NAMES.join(', ')}, got ${JSON.stringify(name)}`);
      }
      faults.push(name);
    }
  } else if (faultText === 'none') {
    faults = [];
  }
  const faultAtText = header(headers, 'x-mock-fault-at');
  const faultAt = faultAtText === undefined ? options.faultAt : numberHeader(headers, 'x-mock-fault-at', 0, 0);
  const cacheText = header(headers, 'x-mock-cache');
  if (cacheText !== undefined && cacheText !== 'on' && cacheText !== 'off') {
    throw new OverrideHeaderError(`invalid x-mock-cache: expected "on" or "off", got ${JSON.stringify(cacheText)}`);
  }
  const outputText = header(headers, 'x-mock-output-tokens');
  const refusalText = header(headers, 'x-mock-refusal')?.toLowerCase();
  let refusal: boolean | undefined;
  if (refusalText !== undefined) {
    if (['1', 'true', 'on'].includes(refusalText)) refusal = true;
    else if (['0', 'false', 'off'].includes(refusalText)) refusal = false;
    else throw new OverrideHeaderError(`invalid x-mock-refusal: expected 1 or 0, got ${JSON.stringify(refusalText)}`);
  }
  return {
    seed: header(headers, 'x-mock-seed') ?? String(options.seed),
    ttftMs: numberHeader(headers, 'x-mock-ttft-ms', options.ttftMs),
    itlMs: numberHeader(headers, 'x-mock-itl-ms', options.itlMs),
    prefillMsPerToken: numberHeader(headers, 'x-mock-prefill-ms-per-token', options.prefillMsPerToken),
    jitter: numberHeader(headers, 'x-mock-jitter', options.jitter),
    tokensPerChunk: numberHeader(headers, 'x-mock-tokens-per-chunk', options.tokensPerChunk, 1),
    capacity: numberHeader(headers, 'x-mock-capacity', options.capacity, 0),
    outputTokensOverride: outputText === undefined ? undefined : numberHeader(headers, 'x-mock-output-tokens', 0, 1),
    faults,
    faultMs: numberHeader(headers, 'x-mock-fault-ms', options.faultMs),
    faultAt,
    cache: cacheText === undefined ? options.cache : cacheText === 'on',
    refusal,
    reasoningTokens: numberHeader(headers, 'x-mock-reasoning-tokens', options.reasoningTokens, 0),
  };
}
