import { isSuccessStatus } from '../internal/http-status';
import { headerLookup, type HeaderMap } from '../internal/headers';
import type { ResolvedRetryOptions } from './options';
import { parseJson } from './retry-after';

/** Statuses the OpenAI and Anthropic SDKs retry below 500 (every status >= 500 is retried too). */
const SDK_RETRYABLE_BELOW_500: readonly number[] = [408, 409, 429];

/**
 * In-stream error types that mean "overloaded, try again": Anthropic's `overloaded_error` (its 529
 * arriving as an `error` event under HTTP 200) and Google's `UNAVAILABLE` (503), plus those codes
 * when a provider reports a number rather than a name. Compared case-insensitively.
 */
export const IN_STREAM_OVERLOAD_TYPES: readonly string[] = ['overloaded_error', 'unavailable', '529', '503'];

/** An error event that arrived inside a stream the server had answered with a 2xx status. */
export interface InStreamError {
  /** The provider's error type or code (`overloaded_error`, `UNAVAILABLE`, `server_error`...). */
  type: string;
  message?: string;
  /**
   * True when the error came before any output content. Only then is a retry safe: after output,
   * a second attempt bills and measures a second response. Unset is treated as "output may have arrived".
   */
  beforeOutput?: boolean;
}

/** What one attempt produced, as the retry policy needs to see it. */
export interface AttemptOutcome {
  /** HTTP status; 0 when there was no response (network error, timeout, reset). */
  status: number;
  headers?: HeaderMap;
  /** The response body as text or parsed JSON, when the policy should read it (429 spend limits, Google RetryInfo). */
  body?: unknown;
  inStreamError?: InStreamError;
}

/**
 * Whether a failed response is worth retrying, by the SDKs' rule:
 * 1. a 2xx is a response, not a failure: never retried by status;
 * 2. `x-should-retry: true|false` decides next, before the status (both SDKs obey it first);
 * 3. status 0 (no response) is retried;
 * 4. an Anthropic 429 whose body says the monthly spend limit was reached is not: waiting will not help;
 * 5. otherwise 408, 409, 429 and every status >= 500 (529 included), or exactly `options.statuses` when given.
 */
export function isRetryable(
  status: number,
  headers?: HeaderMap,
  body?: unknown,
  options?: { statuses?: readonly number[] | undefined },
): boolean {
  if (isSuccessStatus(status)) return false;
  const shouldRetry = headerLookup(headers)('x-should-retry')?.toLowerCase();
  if (shouldRetry === 'true') return true;
  if (shouldRetry === 'false') return false;
  if (status === 0) return true;
  if (status === 429 && isSpendLimitReached(body)) return false;
  const statuses = options?.statuses;
  if (statuses) return statuses.includes(status);
  return status >= 500 || SDK_RETRYABLE_BELOW_500.includes(status);
}

/**
 * The statuses `isRetryable` retries under `options`, as a list for k6's expected-status callback: `statuses` when
 * given, else the SDKs' 408, 409, 429 and 500-599. (Internal: not part of `k6-llm/retry`.) Built when asked, not at
 * import: each k6 VU pays for what a module builds at import, and a client without retries needs none of it.
 */
export function retryableStatusList(options: { statuses?: readonly number[] | undefined }): number[] {
  if (options.statuses) return options.statuses.slice();
  const statuses = SDK_RETRYABLE_BELOW_500.slice();
  for (let status = 500; status < 600; status++) statuses.push(status);
  return statuses;
}

const SPEND_LIMIT_CODE = 'enforced_spend_limit_reached';

/**
 * True when an error body says the account's spend limit was reached: Anthropic's 429 with
 * `error.details.error_code: "enforced_spend_limit_reached"`, or an error message that says "spend limit".
 * Accepts text (a truncated body still matches on the code) or parsed JSON.
 */
export function isSpendLimitReached(body: unknown): boolean {
  if (body === undefined || body === null) return false;
  if (typeof body === 'string' && body.includes(SPEND_LIMIT_CODE)) return true;
  const parsed = typeof body === 'string' ? parseJson(body) : body;
  const error = (parsed as { error?: { message?: unknown; details?: { error_code?: unknown } } } | undefined)?.error;
  if (!error || typeof error !== 'object') return false;
  if (error.details?.error_code === SPEND_LIMIT_CODE) return true;
  return typeof error.message === 'string' && /spend limit/i.test(error.message);
}

/** True when an in-stream error type is one of `IN_STREAM_OVERLOAD_TYPES`. */
export function isOverloadType(type: string): boolean {
  return IN_STREAM_OVERLOAD_TYPES.includes(String(type).toLowerCase());
}

/**
 * Why an attempt should be retried under `options`, as a short label for logs and metric tags
 * (`status 429`, `network error`, `x-should-retry`, `in-stream overloaded_error`), or `undefined`
 * when it should not be: a success, a client error, a spend limit, or an in-stream error after output.
 */
export function retryReason(
  outcome: AttemptOutcome,
  options: Pick<ResolvedRetryOptions, 'statuses' | 'retryOnInStreamOverload'>,
): string | undefined {
  const { status, headers, body, inStreamError } = outcome;
  if (isSuccessStatus(status)) {
    if (!inStreamError || !options.retryOnInStreamOverload) return undefined;
    return inStreamError.beforeOutput === true && isOverloadType(inStreamError.type)
      ? `in-stream ${inStreamError.type}`
      : undefined;
  }
  if (!isRetryable(status, headers, body, options)) return undefined;
  if (headerLookup(headers)('x-should-retry')?.toLowerCase() === 'true') return 'x-should-retry';
  return status === 0 ? 'network error' : `status ${status}`;
}
