import { describe, expect, it } from 'vitest';
import { headerLookup, headerValue } from '../../../lib/internal/headers';

describe('headerValue', () => {
  it.each([
    [{ 'Retry-After': '2' }, 'retry-after', '2'],
    [{ 'retry-after': '2' }, 'Retry-After', '2'],
    [{ 'X-Ratelimit-Remaining-Requests': '59' }, 'x-ratelimit-remaining-requests', '59'],
    [{ 'RETRY-AFTER': ' 7 ' }, 'retry-after', '7'],
    [{ 'Retry-After': ['3', '9'] }, 'retry-after', '3'],
    [{ 'Retry-After': [] }, 'retry-after', undefined],
    [{ 'Retry-After': undefined }, 'retry-after', undefined],
    [{}, 'retry-after', undefined],
    [undefined, 'retry-after', undefined],
  ])('finds %j under the name %j as %j', (headers, name, value) => {
    expect(headerValue(headers, name)).toBe(value);
  });

  it('does not mistake inherited object keys for headers', () => {
    expect(headerValue({}, 'constructor')).toBeUndefined();
    expect(headerValue({}, 'toString')).toBeUndefined();
  });
});

describe('headerLookup', () => {
  it('reads several headers of one response by name, whatever their case, first value of a list, trimmed', () => {
    const header = headerLookup({ 'Retry-After': [' 3 ', '9'], 'x-should-retry': 'true', constructor: 'x' });
    expect(header('retry-after')).toBe('3');
    expect(header('X-Should-Retry')).toBe('true');
    expect(header('missing')).toBeUndefined();
  });
});
