// Public entry `k6-llm/retry`: the retry policy, pure (no k6 import). When a failed call is worth retrying, how long
// to wait, the rate-limit state a response reports, and the loop that retries with an injected sleep (the client's
// edge passes k6's). The modules here hold more, for the client; this entry exports the contract.
export { backoffMs, type BackoffOptions } from './backoff';
export { parseDuration } from '../internal/durations';
export type { HeaderMap } from '../internal/headers';
export {
  normalizeRetryOptions,
  RETRY_DEFAULTS,
  type ResolvedRetryOptions,
  type RetryInput,
  type RetryOptions,
} from './options';
export { parseRateLimitHeaders, type RateLimitState, type RateLimitWindow } from './rate-limit-headers';
export { retryAfterMs, retryInfoDelayMs } from './retry-after';
export { isRetryable, type AttemptOutcome, type InStreamError } from './retryable';
export { withRetry, type RetryEvent, type RetryLoopOptions, type RetryResult, type RetryStop } from './with-retry';
