import { describe, expect, it } from 'vitest';
import { retryAfterMs, retryInfoDelayMs } from '../../../lib/retry/retry-after';
import { parseHttpDate, parseRfc3339 } from '../../../lib/retry/timestamps';

const NOW = Date.UTC(1999, 11, 31, 23, 59, 0); // Fri, 31 Dec 1999 23:59:00 GMT

describe('retryAfterMs', () => {
  it.each([
    // retry-after-ms first, a float, 0 honoured.
    [{ 'retry-after-ms': '1500' }, 1500],
    [{ 'retry-after-ms': '250.5' }, 250.5],
    [{ 'retry-after-ms': '0', 'retry-after': '30' }, 0],
    [{ 'Retry-After-Ms': '100', 'Retry-After': '30' }, 100],
    // A malformed retry-after-ms falls through to Retry-After.
    [{ 'retry-after-ms': 'soon', 'retry-after': '2' }, 2000],
    [{ 'retry-after-ms': '-5', 'retry-after': '2' }, 2000],
    // Retry-After as seconds, fractions allowed.
    [{ 'Retry-After': '2' }, 2000],
    [{ 'retry-after': '1.5' }, 1500],
    [{ 'retry-after': '0' }, 0],
    [{ 'retry-after': '.25' }, 250],
    [{ 'retry-after': ' 3 ' }, 3000],
    // Retry-After as an HTTP-date: date - now, never below 0.
    [{ 'Retry-After': 'Fri, 31 Dec 1999 23:59:59 GMT' }, 59_000],
    [{ 'Retry-After': 'Friday, 31-Dec-99 23:59:30 GMT' }, 30_000],
    [{ 'Retry-After': 'Fri Dec 31 23:59:10 1999' }, 10_000],
    [{ 'Retry-After': 'Fri, 31 Dec 1999 23:00:00 GMT' }, 0],
    // Garbage: no delay, rather than 0.
    [{ 'retry-after': '1.5s' }, undefined],
    [{ 'retry-after': 'abc' }, undefined],
    [{ 'retry-after': '-1' }, undefined],
    [{ 'retry-after': '1e3' }, undefined],
    [{ 'retry-after': '' }, undefined],
    [{ 'retry-after': 'Fri, 32 Dec 1999 23:59:59 GMT' }, undefined],
    [{ 'retry-after': '31 Dec 1999 23:59:59 GMT' }, undefined],
    [{ 'retry-after-ms': 'x' }, undefined],
    [{}, undefined],
    [undefined, undefined],
  ])('reads %j as %j ms', (headers, ms) => {
    expect(retryAfterMs(headers, NOW)).toBe(ms);
  });
});

describe('parseHttpDate', () => {
  it.each([
    ['Sun, 06 Nov 1994 08:49:37 GMT', Date.UTC(1994, 10, 6, 8, 49, 37)],
    ['Sunday, 06-Nov-94 08:49:37 GMT', Date.UTC(1994, 10, 6, 8, 49, 37)],
    ['Sun Nov  6 08:49:37 1994', Date.UTC(1994, 10, 6, 8, 49, 37)],
    ['Thu, 29 Feb 2024 00:00:00 GMT', Date.UTC(2024, 1, 29)],
  ])('reads %j', (text, ms) => {
    expect(parseHttpDate(text, NOW)).toBe(ms);
  });

  it.each([
    ['Wed, 29 Feb 2023 00:00:00 GMT'],
    ['Sun, 06 Nov 1994 24:00:00 GMT'],
    ['Sun, 06 Nov 1994 08:49:60 GMT'],
    ['Sun, 06 Nov 1994 08:49:37 UTC'],
    ['Sun, 6 Nov 1994 08:49:37 GMT'],
    ['2025-08-21T12:40:59Z'],
  ])('refuses %j', (text) => {
    expect(parseHttpDate(text, NOW)).toBeUndefined();
  });

  it('places a two-digit RFC 850 year within 50 years of now', () => {
    const in2026 = Date.UTC(2026, 0, 1);
    expect(new Date(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', in2026)!).getUTCFullYear()).toBe(1994);
    expect(new Date(parseHttpDate('Monday, 06-Nov-28 08:49:37 GMT', in2026)!).getUTCFullYear()).toBe(2028);
  });
});

describe('parseRfc3339', () => {
  it.each([
    ['2025-08-21T12:40:59Z', Date.UTC(2025, 7, 21, 12, 40, 59)],
    ['2025-08-21t12:40:59z', Date.UTC(2025, 7, 21, 12, 40, 59)],
    ['2025-08-21T12:40:59.250Z', Date.UTC(2025, 7, 21, 12, 40, 59, 250)],
    ['2025-08-21T14:40:59+02:00', Date.UTC(2025, 7, 21, 12, 40, 59)],
    ['2025-08-21T08:10:59-04:30', Date.UTC(2025, 7, 21, 12, 40, 59)],
  ])('reads %j', (text, ms) => {
    expect(parseRfc3339(text)).toBe(ms);
  });

  it.each([['2025-08-21'], ['2025-08-21T12:40:59'], ['2025-02-30T00:00:00Z'], ['2025-08-21T12:40:59+25:00'], ['yesterday']])(
    'refuses %j',
    (text) => {
      expect(parseRfc3339(text)).toBeUndefined();
    },
  );
});

describe('retryInfoDelayMs', () => {
  const body = (retryDelay: unknown) => ({
    error: {
      code: 429,
      status: 'RESOURCE_EXHAUSTED',
      details: [
        { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [] },
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay },
      ],
    },
  });

  it.each([
    [body('27s'), 27_000],
    [body('3.700s'), 3700],
    [JSON.stringify(body('52758s')), 52_758_000],
    [body(27), undefined],
    [body('soon'), undefined],
    [{ error: { code: 429 } }, undefined],
    ['not json', undefined],
    [undefined, undefined],
    [null, undefined],
  ])('reads the Google RetryInfo delay of %j as %j ms', (input, ms) => {
    expect(retryInfoDelayMs(input)).toBe(ms);
  });
});
