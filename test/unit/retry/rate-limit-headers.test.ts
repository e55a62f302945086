import { describe, expect, it } from 'vitest';
import { parseRateLimitHeaders } from '../../../lib/retry/rate-limit-headers';

const NOW = Date.UTC(2025, 7, 21, 12, 40, 0);

describe('parseRateLimitHeaders', () => {
  it('reads OpenAI request and token buckets with Go-duration resets, in k6 canonical case', () => {
    const headers = {
      'X-Ratelimit-Limit-Requests': '60',
      'X-Ratelimit-Limit-Tokens': '150000',
      'X-Ratelimit-Remaining-Requests': '59',
      'X-Ratelimit-Remaining-Tokens': '149984',
      'X-Ratelimit-Reset-Requests': '1s',
      'X-Ratelimit-Reset-Tokens': '6m0s',
    };
    expect(parseRateLimitHeaders(headers, NOW)).toEqual({
      requests: { limit: 60, remaining: 59, resetMs: 1000 },
      tokens: { limit: 150000, remaining: 149984, resetMs: 360_000 },
    });
  });

  it('reads all four Anthropic buckets with RFC 3339 resets as milliseconds from now', () => {
    const headers = {
      'anthropic-ratelimit-requests-limit': '50',
      'anthropic-ratelimit-requests-remaining': '49',
      'anthropic-ratelimit-requests-reset': '2025-08-21T12:40:59Z',
      'anthropic-ratelimit-tokens-limit': '90000',
      'anthropic-ratelimit-tokens-remaining': '89000',
      'anthropic-ratelimit-tokens-reset': '2025-08-21T12:40:01.5Z',
      'anthropic-ratelimit-input-tokens-limit': '80000',
      'anthropic-ratelimit-input-tokens-remaining': '80000',
      'anthropic-ratelimit-input-tokens-reset': '2025-08-21T12:41:00Z',
      'anthropic-ratelimit-output-tokens-limit': '16000',
      'anthropic-ratelimit-output-tokens-remaining': '15000',
      'anthropic-ratelimit-output-tokens-reset': '2025-08-21T12:40:00Z',
    };
    expect(parseRateLimitHeaders(headers, NOW)).toEqual({
      requests: { limit: 50, remaining: 49, resetMs: 59_000 },
      tokens: { limit: 90000, remaining: 89000, resetMs: 1500 },
      inputTokens: { limit: 80000, remaining: 80000, resetMs: 60_000 },
      outputTokens: { limit: 16000, remaining: 15000, resetMs: 0 },
    });
  });

  it('clamps an Anthropic reset already in the past to 0', () => {
    expect(parseRateLimitHeaders({ 'anthropic-ratelimit-requests-reset': '2025-08-21T12:00:00Z' }, NOW)).toEqual({
      requests: { resetMs: 0 },
    });
  });

  it.each([
    [{ 'x-ratelimit-remaining-tokens': '-1' }, { tokens: { remaining: -1 } }],
    [{ 'x-ratelimit-remaining-tokens': '-2400', 'x-ratelimit-limit-tokens': '-1' }, { tokens: { limit: -1, remaining: -2400 } }],
    [{ 'x-ratelimit-remaining-tokens': '0' }, { tokens: { remaining: 0 } }],
  ])('keeps negative and zero remaining values as reported (Azure): %j', (headers, state) => {
    expect(parseRateLimitHeaders(headers, NOW)).toEqual(state);
  });

  it.each([
    [{}, {}],
    [undefined, {}],
    [{ 'content-type': 'application/json' }, {}],
    [{ 'x-ratelimit-remaining-requests': 'lots' }, {}],
    [{ 'x-ratelimit-reset-requests': 'soon' }, {}],
    [{ 'anthropic-ratelimit-tokens-reset': 'tomorrow' }, {}],
    [{ 'x-ratelimit-limit-requests': '60', 'x-ratelimit-reset-requests': '1x' }, { requests: { limit: 60 } }],
  ])('leaves absent and unparseable buckets undefined: %j', (headers, state) => {
    expect(parseRateLimitHeaders(headers, NOW)).toEqual(state);
  });

  it('prefers OpenAI headers field by field when both vendors report a bucket', () => {
    const headers = {
      'x-ratelimit-remaining-requests': '10',
      'anthropic-ratelimit-requests-remaining': '20',
      'anthropic-ratelimit-requests-limit': '50',
    };
    expect(parseRateLimitHeaders(headers, NOW)).toEqual({ requests: { limit: 50, remaining: 10 } });
  });
});
