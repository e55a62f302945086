// Pure retry policy: no k6 import. The edge that passes k6's `sleep` to `withRetry` lives apart.
export { backoffMs, type BackoffOptions } from './backoff';
export { parseDuration } from '../internal/durations';
export { headerLookup, headerValue, type HeaderMap } from '../internal/headers';
export {
  normalizeRetryOptions,
  RETRY_DEFAULTS,
  type ResolvedRetryOptions,
  type RetryInput,
  type RetryOptions,
} from './options';
export { parseRateLimitHeaders, type RateLimitState, type RateLimitWindow } from './rate-limit-headers';
export { retryAfterMs, retryInfoDelayMs } from './retry-after';
export {
  IN_STREAM_OVERLOAD_TYPES,
  isOverloadType,
  isRetryable,
  isSpendLimitReached,
  retryReason,
  type AttemptOutcome,
  type InStreamError,
} from './retryable';
export { parseHttpDate, parseRfc3339 } from './timestamps';
export { withRetry, type RetryEvent, type RetryLoopOptions, type RetryResult, type RetryStop } from './with-retry';
