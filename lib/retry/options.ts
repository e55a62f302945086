import { describe } from '../internal/values';

/**
 * How a client retries a failed call. Every field is optional; `normalizeRetryOptions` fills the
 * rest from `RETRY_DEFAULTS`, once, at init. The defaults copy the official OpenAI and Anthropic
 * SDKs where those have one, so a load test meets the API the way production code does.
 */
export interface RetryOptions {
  /**
   * Retries after the first attempt; 0 disables retrying.
   * @default 2
   */
  maxRetries?: number;
  /**
   * Budget for one logical call, attempts and waits included, from the start of the first attempt.
   * The policy never starts a wait that would end past it; a load-test iteration should not hang
   * for minutes behind a throttled API.
   * @default 120000
   */
  maxElapsedMs?: number;
  /**
   * Replaces the retryable status set. Left unset, the SDKs' rule applies: 408, 409, 429 and every
   * status >= 500 (529 included). Status 0 (no response: a network error or timeout) and the
   * `x-should-retry` header apply either way.
   * @default undefined
   */
  statuses?: readonly number[];
  /**
   * The first computed delay; attempt n waits `initialDelayMs * 2^n`, capped at `maxDelayMs`.
   * @default 500
   */
  initialDelayMs?: number;
  /**
   * Cap on a computed (not server-given) delay.
   * @default 8000
   */
  maxDelayMs?: number;
  /**
   * Cap on a delay the server asked for (`retry-after-ms`, `Retry-After`, Google `RetryInfo`).
   * @default 60000
   */
  maxRetryAfterMs?: number;
  /**
   * Fraction in [0, 1] by which a computed delay may be shortened at random, as the SDKs do
   * (`delay * (1 - random * jitter)`); 0 turns jitter off. Server-given delays are never jittered.
   * @default 0.25
   */
  jitter?: number;
  /**
   * Retry when a stream answered 200 and then sent an overload error (Anthropic `overloaded_error`,
   * Google `UNAVAILABLE`) before any output. Once output has arrived, a retry would bill and
   * measure a second response, so it is never retried. The SDKs do not retry in-stream errors.
   * @default true
   */
  retryOnInStreamOverload?: boolean;
}

/** `RetryOptions` with every default applied. */
export type ResolvedRetryOptions = Readonly<Required<Omit<RetryOptions, 'statuses'>>> & {
  readonly statuses: readonly number[] | undefined;
};

/** The one place every retry default is written (each is documented as `@default` on `RetryOptions`). */
export const RETRY_DEFAULTS: ResolvedRetryOptions = Object.freeze({
  maxRetries: 2,
  maxElapsedMs: 120_000,
  statuses: undefined,
  initialDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  jitter: 0.25,
  retryOnInStreamOverload: true,
});

/** What a user may pass as `retry`: a retry count, `false` for none, or options. */
export type RetryInput = number | false | RetryOptions | undefined;

const KEYS = Object.keys(RETRY_DEFAULTS) as Array<keyof RetryOptions>;

/**
 * Turns the `retry` shorthand into full options: `undefined` gives the defaults, a number sets
 * `maxRetries`, `false` disables retries, an object is merged over the defaults.
 * Throws `invalid retry: expected ..., got ...` on misuse, including unknown option names.
 */
export function normalizeRetryOptions(retry: RetryInput): ResolvedRetryOptions {
  if (retry === undefined) return RETRY_DEFAULTS;
  if (retry === false) return Object.freeze({ ...RETRY_DEFAULTS, maxRetries: 0 });
  if (typeof retry === 'number') {
    return Object.freeze({ ...RETRY_DEFAULTS, maxRetries: count('a non-negative integer retry count', retry) });
  }
  if (typeof retry !== 'object' || retry === null || Array.isArray(retry)) {
    throw new Error(`invalid retry: expected a number, false or an options object, got ${describe(retry)}`);
  }
  for (const key of Object.keys(retry)) {
    if (!(KEYS as string[]).includes(key)) {
      throw new Error(`invalid retry: expected options among ${KEYS.join(', ')}, got ${JSON.stringify(key)}`);
    }
  }
  const resolved: { -readonly [K in keyof ResolvedRetryOptions]: ResolvedRetryOptions[K] } = { ...RETRY_DEFAULTS };
  if (retry.maxRetries !== undefined) resolved.maxRetries = count('maxRetries to be a non-negative integer', retry.maxRetries);
  if (retry.maxElapsedMs !== undefined) resolved.maxElapsedMs = milliseconds('maxElapsedMs', retry.maxElapsedMs);
  if (retry.initialDelayMs !== undefined) resolved.initialDelayMs = milliseconds('initialDelayMs', retry.initialDelayMs);
  if (retry.maxDelayMs !== undefined) resolved.maxDelayMs = milliseconds('maxDelayMs', retry.maxDelayMs);
  if (retry.maxRetryAfterMs !== undefined) resolved.maxRetryAfterMs = milliseconds('maxRetryAfterMs', retry.maxRetryAfterMs);
  if (retry.jitter !== undefined) {
    if (typeof retry.jitter !== 'number' || !(retry.jitter >= 0 && retry.jitter <= 1)) {
      throw new Error(`invalid retry: expected jitter to be a number from 0 to 1, got ${describe(retry.jitter)}`);
    }
    resolved.jitter = retry.jitter;
  }
  if (retry.retryOnInStreamOverload !== undefined) {
    if (typeof retry.retryOnInStreamOverload !== 'boolean') {
      throw new Error(`invalid retry: expected retryOnInStreamOverload to be a boolean, got ${describe(retry.retryOnInStreamOverload)}`);
    }
    resolved.retryOnInStreamOverload = retry.retryOnInStreamOverload;
  }
  if (retry.statuses !== undefined) {
    const statuses = retry.statuses as unknown;
    if (!Array.isArray(statuses) || !statuses.every((s) => Number.isInteger(s) && s >= 100 && s <= 599)) {
      throw new Error(`invalid retry: expected statuses to be an array of HTTP status codes (100-599), got ${describe(statuses)}`);
    }
    resolved.statuses = Object.freeze(statuses.slice() as number[]);
  }
  return Object.freeze(resolved);
}

function count(expected: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new Error(`invalid retry: expected ${expected}, got ${describe(value)}`);
  }
  return value;
}

function milliseconds(name: string, value: unknown): number {
  // Infinity is allowed: "no budget" is a legitimate choice for a soak test.
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new Error(`invalid retry: expected ${name} to be a non-negative number of milliseconds, got ${describe(value)}`);
  }
  return value;
}
