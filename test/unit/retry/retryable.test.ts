import { describe, expect, it } from 'vitest';
import { normalizeRetryOptions } from '../../../lib/retry/options';
import { isRetryable, isSpendLimitReached, retryableStatusList, retryReason, type AttemptOutcome } from '../../../lib/retry/retryable';

const SPEND_LIMIT_BODY = {
  type: 'error',
  error: {
    type: 'rate_limit_error',
    message: 'You have reached your monthly spend limit.',
    details: { error_code: 'enforced_spend_limit_reached' },
  },
};

describe('isRetryable', () => {
  it.each([
    [0, true],
    [200, false],
    [204, false],
    [304, false],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [408, true],
    [409, true],
    [413, false],
    [422, false],
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [529, true],
    [599, true],
  ])('treats status %d as retryable: %s', (status, retryable) => {
    expect(isRetryable(status, {})).toBe(retryable);
  });

  it.each([
    [400, { 'x-should-retry': 'true' }, true],
    [400, { 'X-Should-Retry': 'TRUE' }, true],
    [429, { 'x-should-retry': 'false' }, false],
    [503, { 'X-Should-Retry': 'false' }, false],
    [429, { 'x-should-retry': 'maybe' }, true],
    [400, { 'x-should-retry': 'maybe' }, false],
    [200, { 'x-should-retry': 'true' }, false],
  ])('lets x-should-retry decide before the status: %d with %j gives %s', (status, headers, retryable) => {
    expect(isRetryable(status, headers)).toBe(retryable);
  });

  it.each([
    [SPEND_LIMIT_BODY, false],
    [JSON.stringify(SPEND_LIMIT_BODY), false],
    ['{"type":"error","error":{"type":"rate_limit_error","details":{"error_code":"enforced_spend_limit_reached"', false],
    [{ error: { type: 'rate_limit_error', message: 'Workspace spend limit reached' } }, false],
    [{ error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' } }, true],
    ['not json', true],
    [undefined, true],
  ])('retries an Anthropic 429 only when its body does not say the spend limit was reached: %j gives %s', (body, retryable) => {
    expect(isRetryable(429, {}, body)).toBe(retryable);
  });

  it('reads the spend limit only on a 429', () => {
    expect(isRetryable(500, {}, SPEND_LIMIT_BODY)).toBe(true);
    expect(isSpendLimitReached(SPEND_LIMIT_BODY)).toBe(true);
    expect(isSpendLimitReached({ error: { message: 'overloaded' } })).toBe(false);
    expect(isSpendLimitReached(null)).toBe(false);
  });

  it.each([
    [429, true],
    [529, true],
    [503, false],
    [500, false],
    [408, false],
    [0, true],
  ])('uses exactly the given statuses when they replace the default set [429, 529]: %d gives %s', (status, retryable) => {
    expect(isRetryable(status, {}, undefined, { statuses: [429, 529] })).toBe(retryable);
  });
});

describe('retryReason', () => {
  const defaults = normalizeRetryOptions(undefined);
  const noInStream = normalizeRetryOptions({ retryOnInStreamOverload: false });

  it.each<[AttemptOutcome, string | undefined]>([
    [{ status: 200 }, undefined],
    [{ status: 0 }, 'network error'],
    [{ status: 429 }, 'status 429'],
    [{ status: 529 }, 'status 529'],
    [{ status: 400 }, undefined],
    [{ status: 400, headers: { 'x-should-retry': 'true' } }, 'x-should-retry'],
    [{ status: 429, body: SPEND_LIMIT_BODY }, undefined],
    [{ status: 200, inStreamError: { type: 'overloaded_error', beforeOutput: true } }, 'in-stream overloaded_error'],
    [{ status: 200, inStreamError: { type: 'UNAVAILABLE', beforeOutput: true } }, 'in-stream UNAVAILABLE'],
    [{ status: 200, inStreamError: { type: 'overloaded_error', beforeOutput: false } }, undefined],
    [{ status: 200, inStreamError: { type: 'overloaded_error' } }, undefined],
    [{ status: 200, inStreamError: { type: 'invalid_request_error', beforeOutput: true } }, undefined],
  ])('gives %j the reason %j under the defaults', (outcome, reason) => {
    expect(retryReason(outcome, defaults)).toBe(reason);
  });

  it('does not retry an in-stream overload when retryOnInStreamOverload is off', () => {
    expect(retryReason({ status: 200, inStreamError: { type: 'overloaded_error', beforeOutput: true } }, noInStream)).toBeUndefined();
  });
});

describe('retryableStatusList', () => {
  it('lists exactly the statuses isRetryable retries, or the statuses given', () => {
    const all = Array.from({ length: 500 }, (_, i) => i + 100);
    expect(retryableStatusList({})).toEqual(all.filter((status) => isRetryable(status)));
    expect(retryableStatusList({ statuses: [429, 503] })).toEqual([429, 503]);
  });
});
