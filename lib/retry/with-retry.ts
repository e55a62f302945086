import { isSuccessStatus } from '../internal/http-status';
import { backoffMs } from './backoff';
import { RETRY_DEFAULTS, type ResolvedRetryOptions } from './options';
import { retryAfterMs, retryInfoDelayMs } from './retry-after';
import { retryReason, type AttemptOutcome } from './retryable';

/** What the retry loop needs from its edge. */
export interface RetryLoopOptions {
  /** The policy, from `normalizeRetryOptions` (normalized once at init, not per call). @default RETRY_DEFAULTS */
  retry?: ResolvedRetryOptions;
  /** Blocks for `ms` milliseconds. The k6 edge passes `(ms) => sleep(ms / 1000)`; tests pass a fake clock. */
  sleep: (ms: number) => void;
  /** Current time in milliseconds. @default Date.now */
  now?: () => number;
  /** Randomness in [0, 1) for jitter. @default Math.random */
  random?: () => number;
}

/** One retry the loop took. */
export interface RetryEvent {
  /** The attempt that failed (0 = the first call). */
  attempt: number;
  /** Why it was retried (`status 429`, `network error`, `x-should-retry`, `in-stream overloaded_error`). */
  reason: string;
  /** How long the loop slept before the next attempt. */
  delayMs: number;
  /** `server`: the server asked for the delay (`retry-after-ms`, `Retry-After`, Google RetryInfo); `backoff`: computed. */
  delaySource: 'server' | 'backoff';
}

/**
 * Why the loop stopped:
 * `ok` the last attempt succeeded; `not-retryable` it failed in a way retrying will not fix;
 * `max-retries` the retry count was used up; `max-elapsed` the next wait would have ended past `maxElapsedMs`.
 */
export type RetryStop = 'ok' | 'not-retryable' | 'max-retries' | 'max-elapsed';

export interface RetryResult<T> {
  /** The last attempt's outcome. */
  result: T;
  /** Calls made to `fn`. */
  attempts: number;
  /** Retries taken (`attempts - 1`). */
  retries: number;
  /** Total time slept between attempts. */
  waitedMs: number;
  /** True when the last outcome was still worth retrying but the policy stopped (`max-retries` or `max-elapsed`). */
  gaveUp: boolean;
  stop: RetryStop;
  /** One entry per retry taken, in order. */
  reasons: RetryEvent[];
}

/**
 * Calls `fn(attempt)` (attempt 0 first) until its outcome is not worth retrying or the policy's
 * budget is spent, sleeping between attempts through the injected `sleep`. Pure: no timer, no k6,
 * so a fake clock can drive it. It never starts a wait that would end after `maxElapsedMs` from
 * the first call; it cannot bound how long `fn` itself takes.
 */
export function withRetry<T extends AttemptOutcome>(fn: (attempt: number) => T, options: RetryLoopOptions): RetryResult<T> {
  const policy = options.retry ?? RETRY_DEFAULTS;
  const now = options.now ?? Date.now;
  const { sleep, random } = options;
  const start = now();
  const reasons: RetryEvent[] = [];
  let waitedMs = 0;
  for (let attempt = 0; ; attempt++) {
    const result = fn(attempt);
    const finish = (stop: RetryStop): RetryResult<T> => ({
      result,
      attempts: attempt + 1,
      retries: attempt,
      waitedMs,
      gaveUp: stop === 'max-retries' || stop === 'max-elapsed',
      stop,
      reasons,
    });
    const reason = retryReason(result, policy);
    if (reason === undefined) {
      const ok = isSuccessStatus(result.status) && !result.inStreamError;
      return finish(ok ? 'ok' : 'not-retryable');
    }
    if (attempt >= policy.maxRetries) return finish('max-retries');
    const serverDelay = retryAfterMs(result.headers, now()) ?? retryInfoDelayMs(result.body);
    const delayMs = backoffMs(attempt, { ...policy, retryAfterMs: serverDelay, random });
    if (now() - start + delayMs > policy.maxElapsedMs) return finish('max-elapsed');
    sleep(delayMs);
    waitedMs += delayMs;
    reasons.push({ attempt, reason, delayMs, delaySource: serverDelay === undefined ? 'backoff' : 'server' });
  }
}
