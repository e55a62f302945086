import { describe } from '../internal/values';
import { RETRY_DEFAULTS, type ResolvedRetryOptions } from './options';

/** What `backoffMs` reads; anything unset comes from `RETRY_DEFAULTS`. */
export interface BackoffOptions extends Partial<Pick<ResolvedRetryOptions, 'initialDelayMs' | 'maxDelayMs' | 'maxRetryAfterMs' | 'jitter'>> {
  /** A delay the server asked for (see `retryAfterMs`); when given it wins over the computed delay. */
  retryAfterMs?: number | undefined;
  /** Source of randomness in [0, 1) for jitter. @default Math.random */
  random?: () => number;
}

/**
 * Milliseconds to wait before retry number `attempt` (0 = the first retry).
 *
 * A server-given delay (`retryAfterMs`, finite and >= 0) wins, capped at `maxRetryAfterMs` and
 * never jittered: the server knows when its bucket refills, and a shortened wait would only earn
 * another 429. Otherwise the SDKs' exponential backoff: `min(initialDelayMs * 2^attempt, maxDelayMs)`
 * shortened by up to `jitter` (25 %) so VUs throttled together do not retry together.
 */
export function backoffMs(attempt: number, options: BackoffOptions = {}): number {
  if (!Number.isInteger(attempt) || attempt < 0) {
    throw new Error(`invalid attempt: expected a non-negative integer (0 = first retry), got ${describe(attempt)}`);
  }
  const server = options.retryAfterMs;
  if (typeof server === 'number' && Number.isFinite(server) && server >= 0) {
    return Math.min(server, options.maxRetryAfterMs ?? RETRY_DEFAULTS.maxRetryAfterMs);
  }
  const initial = options.initialDelayMs ?? RETRY_DEFAULTS.initialDelayMs;
  const cap = options.maxDelayMs ?? RETRY_DEFAULTS.maxDelayMs;
  // The exponent is bounded so initialDelayMs 0 gives 0, not 0 * Infinity = NaN.
  const computed = Math.min(initial * Math.pow(2, Math.min(attempt, 1000)), cap);
  const jitter = options.jitter ?? RETRY_DEFAULTS.jitter;
  const random = options.random ?? Math.random;
  return computed * (1 - random() * jitter);
}
