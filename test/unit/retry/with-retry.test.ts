import { describe, expect, it } from 'vitest';
import { normalizeRetryOptions, type RetryInput } from '../../../lib/retry/options';
import type { AttemptOutcome } from '../../../lib/retry/retryable';
import { withRetry } from '../../../lib/retry/with-retry';

/** A fake clock: `sleep` advances it, each attempt costs `attemptMs`, and every call is recorded. */
function fakeClock(attemptMs = 0) {
  let now = 1_000_000;
  const sleeps: number[] = [];
  const calls: Array<{ attempt: number; at: number }> = [];
  return {
    sleeps,
    calls,
    now: () => now,
    sleep: (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    /** Replays `outcomes` one per attempt; the last repeats. */
    script(outcomes: AttemptOutcome[]) {
      return (attempt: number) => {
        calls.push({ attempt, at: now });
        now += attemptMs;
        return outcomes[Math.min(attempt, outcomes.length - 1)]!;
      };
    },
  };
}

const run = (outcomes: AttemptOutcome[], retry: RetryInput = undefined, attemptMs = 0) => {
  const clock = fakeClock(attemptMs);
  const result = withRetry(clock.script(outcomes), {
    retry: normalizeRetryOptions(retry),
    sleep: clock.sleep,
    now: clock.now,
    random: () => 0,
  });
  return { ...result, clock };
};

describe('withRetry', () => {
  it('returns a first-time success without sleeping', () => {
    const { result, attempts, retries, waitedMs, gaveUp, stop, reasons, clock } = run([{ status: 200 }]);
    expect(result).toEqual({ status: 200 });
    expect({ attempts, retries, waitedMs, gaveUp, stop, reasons }).toEqual({
      attempts: 1,
      retries: 0,
      waitedMs: 0,
      gaveUp: false,
      stop: 'ok',
      reasons: [],
    });
    expect(clock.sleeps).toEqual([]);
  });

  it('retries 429 then 529 with exponential backoff and returns the success, counting attempts and waits', () => {
    const { result, attempts, retries, waitedMs, gaveUp, stop, reasons, clock } = run([{ status: 429 }, { status: 529 }, { status: 200 }]);
    expect(result.status).toBe(200);
    expect({ attempts, retries, waitedMs, gaveUp, stop }).toEqual({ attempts: 3, retries: 2, waitedMs: 1500, gaveUp: false, stop: 'ok' });
    expect(clock.sleeps).toEqual([500, 1000]);
    expect(clock.calls.map((c) => c.attempt)).toEqual([0, 1, 2]);
    expect(reasons).toEqual([
      { attempt: 0, reason: 'status 429', delayMs: 500, delaySource: 'backoff' },
      { attempt: 1, reason: 'status 529', delayMs: 1000, delaySource: 'backoff' },
    ]);
  });

  it('gives up after maxRetries and returns the last failure', () => {
    const { result, attempts, retries, waitedMs, gaveUp, stop, clock } = run([{ status: 503 }]);
    expect(result.status).toBe(503);
    expect({ attempts, retries, waitedMs, gaveUp, stop }).toEqual({ attempts: 3, retries: 2, waitedMs: 1500, gaveUp: true, stop: 'max-retries' });
    expect(clock.sleeps).toEqual([500, 1000]);
  });

  it('makes exactly one attempt when retries are disabled', () => {
    const { attempts, gaveUp, stop, clock } = run([{ status: 429 }], false);
    expect({ attempts, gaveUp, stop }).toEqual({ attempts: 1, gaveUp: true, stop: 'max-retries' });
    expect(clock.sleeps).toEqual([]);
  });

  it('stops at once on a client error, without giving up', () => {
    const { attempts, gaveUp, stop, clock } = run([{ status: 400 }, { status: 200 }]);
    expect({ attempts, gaveUp, stop }).toEqual({ attempts: 1, gaveUp: false, stop: 'not-retryable' });
    expect(clock.sleeps).toEqual([]);
  });

  it('waits what the server asked for, unjittered, and records it as a server delay', () => {
    const clock = fakeClock();
    const outcome = withRetry(
      clock.script([{ status: 429, headers: { 'Retry-After': '2' } }, { status: 429, headers: { 'retry-after-ms': '0' } }, { status: 200 }]),
      { sleep: clock.sleep, now: clock.now, random: () => 0.9 },
    );
    expect(clock.sleeps).toEqual([2000, 0]);
    expect(outcome.waitedMs).toBe(2000);
    expect(outcome.reasons.map((r) => [r.delayMs, r.delaySource])).toEqual([
      [2000, 'server'],
      [0, 'server'],
    ]);
  });

  it('waits the Google RetryInfo delay from a Gemini 429 body', () => {
    const body = { error: { code: 429, status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '3.5s' }] } };
    const { clock, waitedMs } = run([{ status: 429, body }, { status: 200 }]);
    expect(clock.sleeps).toEqual([3500]);
    expect(waitedMs).toBe(3500);
  });

  it('caps a long Retry-After at maxRetryAfterMs', () => {
    const { clock } = run([{ status: 429, headers: { 'retry-after': '600' } }, { status: 200 }]);
    expect(clock.sleeps).toEqual([60_000]);
  });

  it('never starts a wait that would end past maxElapsedMs, counting the time attempts take', () => {
    // Each attempt takes 1 s. After attempt 0 (ends at 1000) a 500 ms wait ends at 1500: within 3000.
    // After attempt 1 (ends at 2500) a 1000 ms wait would end at 3500: past the budget, so it stops.
    const { attempts, waitedMs, gaveUp, stop, clock } = run([{ status: 500 }], { maxRetries: 10, maxElapsedMs: 3000 }, 1000);
    expect(clock.sleeps).toEqual([500]);
    expect({ attempts, waitedMs, gaveUp, stop }).toEqual({ attempts: 2, waitedMs: 500, gaveUp: true, stop: 'max-elapsed' });
    expect(clock.calls.map((c) => c.at - 1_000_000)).toEqual([0, 1500]);
  });

  it('gives up rather than honour a server delay longer than the remaining budget', () => {
    const { attempts, waitedMs, stop, clock } = run([{ status: 429, headers: { 'retry-after': '30' } }], { maxElapsedMs: 10_000 });
    expect(clock.sleeps).toEqual([]);
    expect({ attempts, waitedMs, stop }).toEqual({ attempts: 1, waitedMs: 0, stop: 'max-elapsed' });
  });

  it('retries an in-stream overload that came before any output, and not one that came after', () => {
    const before = run([{ status: 200, inStreamError: { type: 'overloaded_error', beforeOutput: true } }, { status: 200 }]);
    expect({ attempts: before.attempts, stop: before.stop, reason: before.reasons[0]?.reason }).toEqual({
      attempts: 2,
      stop: 'ok',
      reason: 'in-stream overloaded_error',
    });
    const after = run([{ status: 200, inStreamError: { type: 'overloaded_error', beforeOutput: false } }, { status: 200 }]);
    expect({ attempts: after.attempts, stop: after.stop, gaveUp: after.gaveUp }).toEqual({ attempts: 1, stop: 'not-retryable', gaveUp: false });
  });

  it('retries network errors (status 0)', () => {
    const { attempts, reasons, stop } = run([{ status: 0 }, { status: 0 }, { status: 200 }]);
    expect({ attempts, stop }).toEqual({ attempts: 3, stop: 'ok' });
    expect(reasons.map((r) => r.reason)).toEqual(['network error', 'network error']);
  });

  it('uses the SDK defaults when given no policy', () => {
    const clock = fakeClock();
    const outcome = withRetry(clock.script([{ status: 429 }]), { sleep: clock.sleep, now: clock.now, random: () => 0 });
    expect(outcome.attempts).toBe(3);
    expect(clock.sleeps).toEqual([500, 1000]);
  });

  it('applies jitter to computed waits through the injected random source', () => {
    const clock = fakeClock();
    withRetry(clock.script([{ status: 500 }, { status: 500 }, { status: 200 }]), { sleep: clock.sleep, now: clock.now, random: () => 0.5 });
    expect(clock.sleeps).toEqual([437.5, 875]);
  });
});
