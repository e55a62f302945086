import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../../../node/mock/server';
import { groundTruth, post, splitNDJSON, splitSSE, sseJson, start } from './helpers';

let server: MockServer;
beforeAll(async () => {
  server = await start();
});
afterAll(() => server.close());

const ask = { message: 'Say hello', user_id: 'u-42' };

describe('POST /api/ask', () => {
  it('answers one JSON object with the text and OpenAI-style usage', async () => {
    const res = await post(server, '/api/ask', ask);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = JSON.parse(res.text);
    expect(Object.keys(body)).toEqual(['answer', 'finish_reason', 'usage']);
    expect(body.answer.split(/\s+/).length).toBeGreaterThanOrEqual(8);
    expect(body.finish_reason).toBe('stop');
    expect(body.usage).toEqual({ prompt_tokens: 3, completion_tokens: 12, total_tokens: 15 });
  });

  it('waits the full latency-model time (TTFT plus every gap) before answering', async () => {
    const res = await post(server, '/api/ask', ask, { 'x-mock-ttft-ms': '30', 'x-mock-itl-ms': '2' });
    const truth = await groundTruth(server, res.id);
    expect(truth).toMatchObject({ provider: 'custom', model: 'custom', stream: false, outcome: 'complete', outputTokens: 12 });
    expect(truth.head.planned! - truth.received).toBeCloseTo(30 + 11 * 2, 6);
    expect(truth.head.actual!).toBeGreaterThanOrEqual(truth.head.planned!);
    expect(truth.chunks).toEqual([expect.objectContaining({ tokens: 12 })]);
  });

  it('answers exactly max_tokens tokens with finish_reason length', async () => {
    const body = JSON.parse((await post(server, '/api/ask', { ...ask, max_tokens: 5 })).text);
    expect(body.usage.completion_tokens).toBe(5);
    expect(body.finish_reason).toBe('length');
  });

  it('counts the messages k6-llm sends beside message once, not twice', async () => {
    const messages = [{ role: 'system', content: 'x'.repeat(40) }, { role: 'user', content: 'Say hello' }];
    const body = JSON.parse((await post(server, '/api/ask', { message: 'Say hello', messages })).text);
    expect(body.usage.prompt_tokens).toBe(10 + 3);
  });

  it('answers 401 with {error:{message,type}} when no key is sent', async () => {
    const res = await post(server, '/api/ask', ask, { authorization: '' });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text)).toEqual({ error: { message: expect.stringContaining('API key'), type: 'authentication_error' } });
  });

  it('answers 400 to a body without a message, and to a non-integer max_tokens', async () => {
    const none = await post(server, '/api/ask', { user_id: 'u' });
    expect(none.status).toBe(400);
    expect(JSON.parse(none.text).error).toEqual({ message: 'invalid message: expected a non-empty string, got undefined', type: 'invalid_request_error' });
    const cap = await post(server, '/api/ask', { ...ask, max_tokens: 'lots' });
    expect(JSON.parse(cap.text).error.message).toBe('invalid max_tokens: expected an integer ≥ 1, got "lots"');
  });
});

describe('POST /api/stream', () => {
  it('streams {"delta"} SSE events, then {"done":true,"usage"}, then [DONE]', async () => {
    const res = await post(server, '/api/stream', ask);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = splitSSE(res.text);
    expect(events[events.length - 1]!.data).toBe('[DONE]');
    const payloads = sseJson(res.text);
    const deltas = payloads.slice(0, -1);
    expect(deltas).toHaveLength(12);
    expect(deltas.every((p) => Object.keys(p).join() === 'delta' && p.delta.length > 0)).toBe(true);
    expect(payloads[payloads.length - 1]).toEqual({
      done: true, finish_reason: 'stop', usage: { prompt_tokens: 3, completion_tokens: 12, total_tokens: 15 },
    });
    const whole = JSON.parse((await post(server, '/api/ask', ask)).text).answer;
    expect(deltas.map((p) => p.delta).join('')).toBe(whole);
  });

  it.each([
    ['an Accept: application/x-ndjson header', '/api/stream', { accept: 'application/x-ndjson' }],
    ['?format=ndjson', '/api/stream?format=ndjson', {}],
  ])('streams NDJSON lines when asked with %s', async (_how, path, headers) => {
    const res = await post(server, path, ask, headers);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    expect(res.text).not.toContain('data:');
    const lines = splitNDJSON(res.text);
    expect(lines).toHaveLength(13);
    expect(lines.slice(0, 12).every((l) => typeof l.delta === 'string')).toBe(true);
    expect(lines[12]).toMatchObject({ done: true, usage: { completion_tokens: 12, total_tokens: 15 } });
  });

  it('records the stream with provider custom, one chunk per delta event', async () => {
    const res = await post(server, '/api/stream', ask, { 'x-mock-tokens-per-chunk': '5' });
    expect(sseJson(res.text).filter((p) => 'delta' in p)).toHaveLength(3);
    const truth = await groundTruth(server, res.id);
    expect(truth).toMatchObject({ provider: 'custom', stream: true, outcome: 'complete', outputTokens: 12, finishReason: 'stop' });
    expect(truth.chunks.map((c) => c.tokens)).toEqual([5, 5, 2]);
  });

  it('sends an {"error"} event under 200 on error-event, and ends without done on truncate', async () => {
    const failed = await post(server, '/api/stream', ask, { 'x-mock-fault': 'error-event' });
    expect(failed.status).toBe(200);
    const last = sseJson(failed.text).pop();
    expect(last).toEqual({ error: { message: expect.any(String), type: 'server_error' } });
    expect(failed.text).not.toContain('[DONE]');
    const cut = await post(server, '/api/stream', ask, { 'x-mock-fault': 'truncate', 'x-mock-fault-at': '4' });
    expect(sseJson(cut.text)).toHaveLength(4);
    expect(cut.text).not.toContain('"done"');
  });

  it('answers injected status faults in its own envelope with retry-after', async () => {
    const res = await post(server, '/api/stream', ask, { 'x-mock-fault': '503' });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(JSON.parse(res.text)).toEqual({ error: { message: expect.any(String), type: 'unavailable_error' } });
  });
});

describe('own-service rate limits', () => {
  it('sends OpenAI-style x-ratelimit headers and refuses past the limit with 429 rate_limit_error', async () => {
    const limited = await start({ rpm: 2 });
    try {
      const first = await post(limited, '/api/ask', ask);
      expect(first.headers.get('x-ratelimit-limit-requests')).toBe('2');
      expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('1');
      await post(limited, '/api/stream', ask);
      const refused = await post(limited, '/api/ask', ask);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(refused.text).error.type).toBe('rate_limit_error');
    } finally {
      await limited.close();
    }
  });
});
