// Pure retry policy: no k6 import. The edge that passes k6's `sleep` to `withRetry` lives apart.
export { backoffMs, type BackoffOptions } from './backoff.js';
export { parseDuration } from './duration.js';
export { headerLookup, headerValue, type HeaderMap } from './headers.js';
export {
  normalizeRetryOptions,
  RETRY_DEFAULTS,
  type ResolvedRetryOptions,
  type RetryInput,
  type RetryOptions,
} from './options.js';
export { parseRateLimitHeaders, type RateLimitState, type RateLimitWindow } from './rate-limit-headers.js';
export { retryAfterMs, retryInfoDelayMs } from './retry-after.js';
export {
  IN_STREAM_OVERLOAD_TYPES,
  isOverloadType,
  isRetryable,
  isSpendLimitReached,
  retryReason,
  type AttemptOutcome,
  type InStreamError,
} from './retryable.js';
export { parseHttpDate, parseRfc3339 } from './timestamps.js';
export { withRetry, type RetryEvent, type RetryLoopOptions, type RetryResult, type RetryStop } from './with-retry.js';
