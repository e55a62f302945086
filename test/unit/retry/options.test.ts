import { describe, expect, it } from 'vitest';
import { normalizeRetryOptions, RETRY_DEFAULTS, type RetryInput } from '../../../lib/retry/options';

describe('normalizeRetryOptions', () => {
  it('fills every option from one defaults constant, matching the official SDKs where they have one', () => {
    expect(normalizeRetryOptions(undefined)).toEqual({
      maxRetries: 2,
      maxElapsedMs: 120_000,
      statuses: undefined,
      initialDelayMs: 500,
      maxDelayMs: 8000,
      maxRetryAfterMs: 60_000,
      jitter: 0.25,
      retryOnInStreamOverload: true,
    });
    expect(normalizeRetryOptions(undefined)).toBe(RETRY_DEFAULTS);
    expect(Object.isFrozen(RETRY_DEFAULTS)).toBe(true);
  });

  it.each<[RetryInput, Partial<typeof RETRY_DEFAULTS>]>([
    [3, { maxRetries: 3 }],
    [0, { maxRetries: 0 }],
    [false, { maxRetries: 0 }],
    [{}, {}],
    [{ maxRetries: 5, initialDelayMs: 100 }, { maxRetries: 5, initialDelayMs: 100 }],
    [{ maxElapsedMs: Infinity }, { maxElapsedMs: Infinity }],
    [{ statuses: [429, 529] }, { statuses: [429, 529] }],
    [{ jitter: 0, retryOnInStreamOverload: false }, { jitter: 0, retryOnInStreamOverload: false }],
    [{ maxDelayMs: 30_000, maxRetryAfterMs: 5000 }, { maxDelayMs: 30_000, maxRetryAfterMs: 5000 }],
  ])('expands the shorthand %j over the defaults', (input, changed) => {
    expect(normalizeRetryOptions(input)).toEqual({ ...RETRY_DEFAULTS, ...changed });
  });

  it('copies the statuses so later changes to the caller array do not leak in', () => {
    const statuses = [429];
    const options = normalizeRetryOptions({ statuses });
    statuses.push(500);
    expect(options.statuses).toEqual([429]);
  });

  it.each<[unknown, string]>([
    [-1, 'invalid retry: expected a non-negative integer retry count, got -1'],
    [1.5, 'invalid retry: expected a non-negative integer retry count, got 1.5'],
    [NaN, 'invalid retry: expected a non-negative integer retry count, got NaN'],
    [true, 'invalid retry: expected a number, false or an options object, got true'],
    ['3', 'invalid retry: expected a number, false or an options object, got "3"'],
    [null, 'invalid retry: expected a number, false or an options object, got null'],
    [[1], 'invalid retry: expected a number, false or an options object, got [1]'],
    [{ maxRetry: 3 }, 'invalid retry: expected options among maxRetries, maxElapsedMs, statuses, initialDelayMs, maxDelayMs, maxRetryAfterMs, jitter, retryOnInStreamOverload, got "maxRetry"'],
    [{ maxRetries: -2 }, 'invalid retry: expected maxRetries to be a non-negative integer, got -2'],
    [{ maxElapsedMs: -1 }, 'invalid retry: expected maxElapsedMs to be a non-negative number of milliseconds, got -1'],
    [{ initialDelayMs: '500' }, 'invalid retry: expected initialDelayMs to be a non-negative number of milliseconds, got "500"'],
    [{ maxDelayMs: NaN }, 'invalid retry: expected maxDelayMs to be a non-negative number of milliseconds, got NaN'],
    [{ jitter: 1.5 }, 'invalid retry: expected jitter to be a number from 0 to 1, got 1.5'],
    [{ retryOnInStreamOverload: 'yes' }, 'invalid retry: expected retryOnInStreamOverload to be a boolean, got "yes"'],
    [{ statuses: [429, 'x'] }, 'invalid retry: expected statuses to be an array of HTTP status codes (100-599), got [429,"x"]'],
    [{ statuses: 429 }, 'invalid retry: expected statuses to be an array of HTTP status codes (100-599), got 429'],
  ])('refuses the misuse %j with a message that says what was expected', (input, message) => {
    expect(() => normalizeRetryOptions(input as RetryInput)).toThrow(message);
  });
});
