import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatGoDuration, formatRfc3339, RateLimiter, retryAfterHeaders } from '../../../node/mock/rate-limit';
import type { MockServer } from '../../../node/mock/server';
import { post, start, userChat } from './helpers';

describe('rate limits on the wire', () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await start({ rpm: 3, tpm: 100_000 });
  });
  afterAll(() => server.close());

  it('sends OpenAI x-ratelimit headers on every response and a 429 with retry-after after the limit', async () => {
    const key = { authorization: 'Bearer openai-key' };
    const first = await post(server, '/v1/chat/completions', userChat('hi'), key);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit-requests')).toBe('3');
    expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('2');
    expect(first.headers.get('x-ratelimit-reset-requests')).toMatch(/^(19|20)(\.\d+)?s$/);
    expect(first.headers.get('x-ratelimit-limit-tokens')).toBe('100000');
    expect(first.headers.get('x-ratelimit-remaining-tokens')).toBe(String(100_000 - 1 - 12));
    expect(first.headers.get('x-ratelimit-reset-tokens')).toMatch(/^\d+ms$/);
    await post(server, '/v1/chat/completions', userChat('hi'), key);
    const third = await post(server, '/v1/chat/completions', userChat('hi', { stream: true }), key);
    expect(third.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    const refused = await post(server, '/v1/chat/completions', userChat('hi'), key);
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.text)).toEqual({
      error: { message: expect.stringContaining('Rate limit reached for requests'), type: 'requests', param: null, code: 'rate_limit_exceeded' },
    });
    const retryMs = Number(refused.headers.get('retry-after-ms'));
    expect(retryMs).toBeGreaterThan(19_000);
    expect(retryMs).toBeLessThanOrEqual(20_000);
    expect(refused.headers.get('retry-after')).toBe('20');
    expect(refused.headers.get('x-ratelimit-remaining-requests')).toBe('0');
  });

  it('keeps one bucket per API key', async () => {
    const res = await post(server, '/v1/chat/completions', userChat('hi'), { authorization: 'Bearer other-key' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-remaining-requests')).toBe('2');
  });

  it('sends Anthropic anthropic-ratelimit headers with RFC 3339 resets, and rate_limit_error on 429', async () => {
    const headers = { authorization: '', 'x-api-key': 'anthropic-key' };
    const body = { model: 'claude', max_tokens: 4, messages: [{ role: 'user', content: 'hi' }] };
    const first = await post(server, '/v1/messages', body, headers);
    expect(first.headers.get('anthropic-ratelimit-requests-limit')).toBe('3');
    expect(first.headers.get('anthropic-ratelimit-requests-remaining')).toBe('2');
    const reset = first.headers.get('anthropic-ratelimit-requests-reset')!;
    expect(reset).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(reset) - Date.now()).toBeGreaterThan(18_000);
    expect(Date.parse(reset) - Date.now()).toBeLessThan(22_000);
    expect(first.headers.get('anthropic-ratelimit-tokens-remaining')).toBe(String(100_000 - 1 - 4));
    expect(first.headers.get('x-ratelimit-limit-requests')).toBeNull();
    await post(server, '/v1/messages', body, headers);
    await post(server, '/v1/messages', body, headers);
    const refused = await post(server, '/v1/messages', body, headers);
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.text).error.type).toBe('rate_limit_error');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(19);
  });

  it('answers Gemini 429 RESOURCE_EXHAUSTED with a RetryInfo detail', async () => {
    const headers = { authorization: '', 'x-goog-api-key': 'gemini-key' };
    const body = { contents: [{ parts: [{ text: 'hi' }] }] };
    for (let i = 0; i < 3; i++) expect((await post(server, '/v1beta/models/g:generateContent', body, headers)).status).toBe(200);
    const refused = await post(server, '/v1beta/models/g:generateContent', body, headers);
    expect(refused.status).toBe(429);
    const error = JSON.parse(refused.text).error;
    expect(error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
    expect(error.details[0]['@type']).toBe('type.googleapis.com/google.rpc.RetryInfo');
    expect(error.details[0].retryDelay).toMatch(/^\d+(\.\d+)?s$/);
  });
});

describe('token limits', () => {
  it('refuses with type "tokens" once the tokens per minute are spent', async () => {
    const server = await start({ tpm: 50 });
    try {
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 4; i++) {
        last = await post(server, '/v1/chat/completions', userChat('hi'));
        statuses.push(last.status);
      }
      // Each request costs 1 input + 12 output tokens: three fit in 50, the fourth does not.
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(JSON.parse(last!.text).error.type).toBe('tokens');
      expect(last!.headers.get('x-ratelimit-remaining-tokens')).toBe('11');
      expect(last!.headers.get('x-ratelimit-limit-requests')).toBeNull();
    } finally {
      await server.close();
    }
  });

  it('sends no rate-limit headers when no limit is configured', async () => {
    const server = await start();
    try {
      const res = await post(server, '/v1/chat/completions', userChat('hi'));
      expect([...res.headers.keys()].filter((h) => h.includes('ratelimit'))).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('rate-limit helpers', () => {
  it.each([
    [0, '0s'], [20, '20ms'], [547, '547ms'], [999.6, '1s'], [1000, '1s'], [33_023, '33.023s'], [60_000, '1m0s'],
    [172_800, '2m52.8s'], [360_000, '6m0s'], [5_400_000, '1h30m0s'],
  ])('formats %f ms as the Go duration %s', (ms, text) => {
    expect(formatGoDuration(ms)).toBe(text);
  });

  it('formats RFC 3339 timestamps to the second, rounded up', () => {
    expect(formatRfc3339(Date.UTC(2025, 7, 21, 12, 40, 58, 1))).toBe('2025-08-21T12:40:59Z');
    expect(formatRfc3339(Date.UTC(2025, 7, 21, 12, 40, 59))).toBe('2025-08-21T12:40:59Z');
  });

  it('gives retry-after in whole seconds rounded up and retry-after-ms exactly', () => {
    expect(retryAfterHeaders(1200.2)).toEqual({ 'retry-after': '2', 'retry-after-ms': '1201' });
    expect(retryAfterHeaders(0)).toEqual({ 'retry-after': '0', 'retry-after-ms': '0' });
  });

  it('refills a bucket continuously at limit per minute', () => {
    const limiter = new RateLimiter({ rpm: 60, tpm: 0, itpm: 0, otpm: 0 });
    const cost = { inputTokens: 1, outputTokens: 1 };
    for (let i = 0; i < 60; i++) expect(limiter.check('k', cost, 0).allowed).toBe(true);
    const refused = limiter.check('k', cost, 0);
    expect(refused).toMatchObject({ allowed: false, limitedBy: 'requests', retryAfterMs: 1000 });
    expect(limiter.check('k', cost, 999).allowed).toBe(false);
    const later = limiter.check('k', cost, 1000);
    expect(later.allowed).toBe(true);
    expect(later.buckets.requests).toEqual({ limit: 60, remaining: 0, resetMs: 60_000 });
  });

  it('takes nothing from any bucket when one refuses', () => {
    const limiter = new RateLimiter({ rpm: 10, tpm: 0, itpm: 100, otpm: 5 });
    const refused = limiter.check('k', { inputTokens: 10, outputTokens: 50 }, 0);
    expect(refused.allowed).toBe(false);
    expect(refused.limitedBy).toBe('output-tokens');
    expect(refused.buckets.requests?.remaining).toBe(10);
    expect(refused.buckets['input-tokens']?.remaining).toBe(100);
  });
});
