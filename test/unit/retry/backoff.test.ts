import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffMs } from '../../../lib/retry/backoff';

const noJitter = () => 0;
const fullJitter = () => 0.999999;

describe('backoffMs', () => {
  it.each([
    [0, 500],
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [4, 8000],
    [5, 8000],
    [60, 8000],
    [5000, 8000],
  ])('waits initialDelayMs * 2^attempt, capped at 8 s by default: attempt %d waits %d ms before jitter', (attempt, ms) => {
    expect(backoffMs(attempt, { random: noJitter })).toBe(ms);
  });

  it.each([
    [0, 0.5, 437.5],
    [1, 0.5, 875],
    [0, 0.999999, 375.000125],
    [4, 1 - 1e-9, 6000.000002],
  ])('shortens a computed delay by up to a quarter: attempt %s with random %s waits %s ms', (attempt, random, ms) => {
    expect(backoffMs(attempt, { random: () => random })).toBeCloseTo(ms, 6);
  });

  it.each([
    [{ initialDelayMs: 100, maxDelayMs: 1000 }, 3, 800],
    [{ initialDelayMs: 100, maxDelayMs: 1000 }, 4, 1000],
    [{ initialDelayMs: 0 }, 2000, 0],
    [{ jitter: 0 }, 1, 1000],
  ])('honours the options %j: attempt %d waits %d ms', (options, attempt, ms) => {
    expect(backoffMs(attempt, { random: fullJitter, jitter: 0, ...options })).toBe(ms);
  });

  it.each([
    [0, 0],
    [1500, 1500],
    [59_999.5, 59_999.5],
    [120_000, 60_000],
  ])('lets a server delay of %s ms win unjittered, capped at 60 s by default: waits %s ms', (retryAfterMs, ms) => {
    expect(backoffMs(0, { retryAfterMs, random: noJitter })).toBe(ms);
    expect(backoffMs(0, { retryAfterMs, random: fullJitter })).toBe(ms);
  });

  it.each([[Infinity], [-1], [NaN], [undefined]])('falls back to the computed delay when the server delay is %s', (retryAfterMs) => {
    expect(backoffMs(1, { retryAfterMs, random: noJitter })).toBe(1000);
  });

  it('caps a server delay at maxRetryAfterMs when given', () => {
    expect(backoffMs(3, { retryAfterMs: 10_000, maxRetryAfterMs: 2000 })).toBe(2000);
    expect(backoffMs(3, { retryAfterMs: 10_000, maxRetryAfterMs: Infinity })).toBe(10_000);
  });

  it.each([[-1], [1.5], [NaN]])('refuses the attempt %d', (attempt) => {
    expect(() => backoffMs(attempt)).toThrow(`invalid attempt: expected a non-negative integer (0 = first retry), got ${attempt}`);
  });

  it('always stays within [75 %, 100 %] of the capped exponential delay', () => {
    fc.assert(
      fc.property(fc.nat(40), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
        const ceiling = Math.min(500 * 2 ** attempt, 8000);
        const ms = backoffMs(attempt, { random: () => r });
        expect(ms).toBeLessThanOrEqual(ceiling);
        expect(ms).toBeGreaterThan(ceiling * 0.75 - 1e-9);
      }),
    );
  });
});
