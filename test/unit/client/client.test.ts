import { beforeEach, describe, expect, it } from 'vitest';
import { createClient, errorTypeOf } from '../../../lib/client/index';
import { httpTransport } from '../../../lib/transports/http';
import { isJSON, notRefused } from '../../../lib/validate/index';
import * as stream from '../../fakes/relay';
import { fakeRelayTransport } from '../../fakes/relay';
import * as http from '../../fakes/k6-http';
import { checks, slept } from '../../fakes/k6';
import { resetSamples, samples, samplesOf } from '../../fakes/k6-metrics';

const KEY = 'sk-test-0123456789abcdef';

function sse(...events: unknown[]): string {
  return events.map((e) => `data: ${typeof e === 'string' ? e : JSON.stringify(e)}\n\n`).join('');
}
const role = { choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] };
const tok = (t: string) => ({ choices: [{ index: 0, delta: { content: t }, finish_reason: null }] });
const fin = { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] };
const usage = (p: number, c: number, cached = 0) => ({ choices: [], usage: { prompt_tokens: p, completion_tokens: c, prompt_tokens_details: { cached_tokens: cached } } });

function okStream(times: number[] = [300, 340, 380]): stream.ScriptedStream {
  return {
    status: 200,
    headAt: 5,
    chunks: [
      [sse(role), 5],
      [sse(tok('Hel')), times[0] as number],
      [sse(tok('lo')), times[1] as number],
      [sse(tok('!'), fin, usage(100, 3, 40), '[DONE]'), times[2] as number],
    ],
    endAt: (times[2] as number) + 1,
  };
}

function client(extra: Record<string, unknown> = {}) {
  return createClient({
    provider: 'openai-chat',
    baseUrl: 'http://127.0.0.1:9/v1',
    apiKey: KEY,
    model: 'gpt-4o-mini',
    transport: fakeRelayTransport(),
    price: { input: 1, cachedInput: 0.5, output: 2 },
    ...extra,
  } as never);
}

beforeEach(() => {
  resetSamples();
  stream.reset();
  http.queue.length = 0;
  http.requests.length = 0;
  slept.length = 0;
});

describe('createClient option checks', () => {
  it('throws a clear error for an unknown provider, a missing model and a bad baseUrl', () => {
    expect(() => createClient({ provider: 'nope' as never, model: 'm' })).toThrow(/invalid provider/);
    expect(() => createClient({ provider: 'openai-chat', model: '' })).toThrow(/invalid model: expected a non-empty string/);
    expect(() => createClient({ provider: 'openai-chat', model: 'm', baseUrl: 'ftp://x' })).toThrow(/invalid baseUrl/);
    expect(() => createClient({ provider: 'openai-chat', model: 'm', retry: -1 })).toThrow(/invalid retry/);
    expect(() => createClient({ provider: 'openai-chat', model: 'm', tags: { model: 'x' } })).toThrow(/reserved tag/);
    expect(() => createClient({ provider: 'openai-chat', model: 'm', outputBuckets: [10, 5] })).toThrow(/invalid outputBuckets/);
    expect(() => createClient({ provider: 'openai-chat', model: 'm', nonsense: 1 } as never)).toThrow(/invalid client option/);
  });

  it('defaults the base URL to the provider endpoint and never exposes the key in its config', () => {
    const c = createClient({ provider: 'anthropic', model: 'claude-haiku-4-5', apiKey: KEY });
    expect(c.config.baseUrl).toBe('https://api.anthropic.com/v1');
    expect(JSON.stringify(c.config)).not.toContain(KEY);
    expect(c.config.apiKey).toBe('[redacted]');
  });

  it('refuses a tag value that contains the API key', () => {
    expect(() => createClient({ provider: 'openai-chat', model: 'm', apiKey: KEY, tags: { who: `x${KEY}` } })).toThrow(/contains the API key/);
  });
});

describe('chat over the streaming transport', () => {
  it('times TTFT from the first content event, not the role-only chunk, and ITL between content events', () => {
    stream.push(okStream([300, 340, 385]));
    const r = client().chat({ prompt: 'hi', maxTokens: 3 });
    expect(r.ok).toBe(true);
    expect(r.text).toBe('Hello!');
    expect(r.timings.ttftMs).toBe(300);
    expect(r.timings.ttfoMs).toBe(300);
    expect(r.timings.itlMs).toEqual([40, 45]);
    expect(r.timings.e2eMs).toBe(386);
    // (386 - 300) / (3 - 1)
    expect(r.timings.tpotMs).toBe(43);
    expect(r.timings.ttfbMs).toBe(4.5);
  });

  it('records every llm_* metric once per request with provider, model, transport, bucket and status tags', () => {
    stream.push(okStream());
    client({ tags: { team: 'search' } }).chat({ prompt: 'hi' });
    const tags = { provider: 'openai-chat', model: 'gpt-4o-mini', transport: 'relay', output_bucket: '0-64', status: '200', team: 'search' };
    expect(samplesOf('llm_ttft', tags).map((s) => s.value)).toEqual([300]);
    expect(samplesOf('llm_itl', tags).map((s) => s.value)).toEqual([40, 40]);
    expect(samplesOf('llm_requests', tags).map((s) => s.value)).toEqual([1]);
    expect(samplesOf('llm_input_tokens').map((s) => s.value)).toEqual([100]);
    expect(samplesOf('llm_cached_input_tokens').map((s) => s.value)).toEqual([40]);
    expect(samplesOf('llm_output_tokens').map((s) => s.value)).toEqual([3]);
    // 60 uncached at $1, 40 cached at $0.5, 3 output at $2, per million.
    expect(samplesOf('llm_cost_usd')[0]?.value).toBeCloseTo((60 * 1 + 40 * 0.5 + 3 * 2) / 1e6, 12);
    expect(samplesOf('llm_cache_hit_ratio').map((s) => s.value)).toEqual([0.4]);
    expect(samplesOf('llm_goodput').map((s) => s.value)).toEqual([1]);
    expect(samplesOf('llm_errors')).toHaveLength(0);
    for (const s of samples) expect(JSON.stringify(s.tags)).not.toContain(KEY);
  });

  it('sends the key only in the Authorization header', () => {
    stream.push(okStream());
    client().chat({ prompt: 'hi' });
    const req = stream.requests[0] as { headers: Record<string, string>; body: string; url: string; tags: Record<string, string> };
    expect(req.headers.Authorization).toBe(`Bearer ${KEY}`);
    expect(req.body).not.toContain(KEY);
    expect(req.url).not.toContain(KEY);
    expect(JSON.stringify(req.tags)).not.toContain(KEY);
  });

  it('marks a stream cut off before [DONE] as incomplete and an error, without TTFT samples', () => {
    stream.push({ status: 200, chunks: [[sse(role), 5], [sse(tok('Hel')), 100]] });
    const r = client().chat({ prompt: 'hi' });
    expect(r.ok).toBe(false);
    expect(r.complete).toBe(false);
    expect(r.errorType).toBe('truncated');
    expect(samplesOf('llm_errors', { error_type: 'truncated' })).toHaveLength(1);
    expect(samplesOf('llm_incomplete').map((s) => s.value)).toEqual([1]);
    expect(samplesOf('llm_ttft')).toHaveLength(0);
    expect(samplesOf('llm_goodput').map((s) => s.value)).toEqual([0]);
  });

  it('estimates and labels output tokens when the server reports no usage', () => {
    stream.push({ status: 200, chunks: [[sse(role, tok('abcdefgh'), fin, '[DONE]'), 50]] });
    const r = client().chat({ prompt: 'hello there' });
    expect(r.usage.source).toBe('estimated');
    expect(r.usage.outputTokens).toBe(2);
    expect(r.tags.usage_source).toBe('estimated');
    expect(samplesOf('llm_estimated_usage').map((s) => s.value)).toEqual([1]);
  });

  it('reports a transport failure as an error of its type and never throws', () => {
    stream.push({ status: 0, error: 'dial tcp: connection refused', errorCode: 'refused' });
    const r = client({ retry: 0 }).chat({ prompt: 'hi' });
    expect(r.ok).toBe(false);
    expect(r.status).toBe(0);
    expect(r.errorType).toBe('refused');
    expect(samplesOf('llm_errors', { error_type: 'refused' })).toHaveLength(1);
  });

  it('keeps TTFT unmeasured when a stream request is answered with one JSON body', () => {
    const body = JSON.stringify({ id: 'x', choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 1 } });
    stream.push({ status: 200, headers: { 'Content-Type': 'application/json' }, chunks: [[body, 80]] });
    const r = client().chat({ prompt: 'hi' });
    expect(r.ok).toBe(true);
    expect(r.text).toBe('Hi');
    expect(r.timings.ttftMs).toBeUndefined();
  });
});

describe('retries', () => {
  it('retries a 429 after the server-given delay and counts attempts, retries and waits', () => {
    const limited = JSON.stringify({ error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } });
    stream.push({ status: 429, headers: { 'Retry-After': '2', 'Content-Type': 'application/json' }, chunks: [[limited, 3]] });
    stream.push(okStream());
    const r = client().chat({ prompt: 'hi' });
    expect(r.ok).toBe(true);
    expect(r.attempts).toBe(2);
    expect(r.retries).toBe(1);
    expect(slept).toEqual([2]);
    expect(r.retryWaitMs).toBe(2000);
    expect(samplesOf('llm_rate_limited').map((s) => s.value)).toEqual([1, 0]);
    expect(samplesOf('llm_retries').map((s) => s.value)).toEqual([1]);
    // The first attempt may be retried, so a 429 there is an expected status; the last one is strict.
    expect((stream.requests[0] as { expectedStatuses: number[] }).expectedStatuses).toContain(429);
  });

  it('gives up after maxRetries and records the request as rate limited', () => {
    for (let i = 0; i < 3; i++) stream.push({ status: 429, headers: { 'retry-after-ms': '10' }, chunks: [['{}', 1]] });
    const r = client({ retry: 2 }).chat({ prompt: 'hi' });
    expect(r.ok).toBe(false);
    expect(r.attempts).toBe(3);
    expect(r.errorType).toBe('rate_limited');
    expect(slept).toEqual([0.01, 0.01]);
    expect((stream.requests[2] as { expectedStatuses: number[] }).expectedStatuses).toEqual([]);
    expect(samplesOf('llm_errors', { error_type: 'rate_limited' })).toHaveLength(1);
  });

  it('expects the SDK rule’s statuses (408, 409, 429, every 5xx) on a retryable attempt, or the ones retry.statuses names', () => {
    const sdk = [408, 409, 429, ...Array.from({ length: 100 }, (_, i) => 500 + i)];
    stream.push(okStream(), okStream(), okStream());
    client().chat({ prompt: 'hi' });
    client({ retry: { statuses: [503] } }).chat({ prompt: 'hi' });
    client({ retry: false }).chat({ prompt: 'hi' });
    expect(stream.requests.map((r) => (r as { expectedStatuses: number[] }).expectedStatuses)).toEqual([sdk, [503], []]);
  });
});

describe('validation and goodput', () => {
  it('runs validators on every response and excludes invalid ones from goodput', () => {
    stream.push(okStream());
    const r = client({ validate: [isJSON()] }).chat({ prompt: 'hi' });
    expect(r.ok).toBe(true);
    expect(r.validation?.valid).toBe(false);
    expect(r.goodput).toBe(false);
    expect(samplesOf('llm_validation_failed').map((s) => [s.tags.validator, s.value])).toEqual([['isJSON', 1]]);
  });

  it('counts a request toward goodput only when it meets every SLO', () => {
    stream.push(okStream([300, 340, 380]));
    stream.push(okStream([100, 140, 180]));
    const c = client({ slo: { ttftMs: 200 } });
    expect(c.chat({ prompt: 'a' }).goodput).toBe(false);
    expect(c.chat({ prompt: 'b' }).goodput).toBe(true);
  });
});

describe('the buffered http transport', () => {
  it('records TTFB from k6 timings and never a TTFT', () => {
    const body = JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: 'Hi there' }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 2 } });
    http.queue.push({ status: 200, body, headers: { 'Content-Type': 'application/json' }, timings: { waiting: 120, receiving: 30, sending: 1 } });
    const r = createClient({ provider: 'openai-chat', baseUrl: 'http://127.0.0.1:9/v1', apiKey: KEY, model: 'gpt-4o-mini', transport: httpTransport(), price: false }).chat({ prompt: 'hi' });
    expect(r.ok).toBe(true);
    expect(r.timings.ttfbMs).toBe(120);
    expect(r.timings.ttftMs).toBeUndefined();
    expect(r.timings.e2eMs).toBe(151);
    expect(samplesOf('llm_ttft')).toHaveLength(0);
    expect(samplesOf('llm_ttfb').map((s) => s.value)).toEqual([120]);
    expect(r.costUsd).toBeUndefined();
  });
});

describe('refusals', () => {
  const chat = (message: Record<string, unknown>, finish = 'stop') =>
    JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finish }], usage: { prompt_tokens: 5, completion_tokens: 9 } });
  const httpClient = (extra: Record<string, unknown> = {}) =>
    createClient({ provider: 'openai-chat', baseUrl: 'http://127.0.0.1:9/v1', apiKey: KEY, model: 'gpt-4o-mini', transport: httpTransport(), price: false, ...extra } as never);
  const answer = (body: string, status = 200) => http.queue.push({ status, body, headers: { 'Content-Type': 'application/json' } });

  it('records every answer in llm_refused, tagging a refusal with what signalled it', () => {
    answer(chat({ content: 'Paris.', refusal: null }));
    answer(chat({ content: null, refusal: "I'm sorry, but I can't help with that." }));
    answer(chat({ content: null }, 'content_filter'));
    const c = httpClient();
    const results = [c.chat({ prompt: 'a' }), c.chat({ prompt: 'b' }), c.chat({ prompt: 'c' })];
    expect(results.map((r) => r.refusal)).toEqual([
      undefined,
      { source: 'provider', signal: 'openai.refusal', reason: 'refusal' },
      { source: 'provider', signal: 'openai.content_filter', reason: 'content_filter' },
    ]);
    expect(samplesOf('llm_refused').map((s) => [s.value, s.tags.refused_by])).toEqual([[0, undefined], [1, 'provider'], [1, 'provider']]);
    // A refusal is a successful request: the rate of refusals is not an error rate.
    expect(results.every((r) => r.ok)).toBe(true);
  });

  it('reads the text for a refusal only where a notRefused() validator asks, and tags what it finds heuristic', () => {
    const refusal = chat({ content: "I can't assist with that request." });
    answer(refusal);
    answer(refusal);
    const plain = httpClient().chat({ prompt: 'a' });
    const checked = httpClient({ validate: [notRefused()] }).chat({ prompt: 'a' });
    expect(plain.refusal).toBeUndefined();
    expect(checked.refusal).toEqual({ source: 'heuristic', signal: 'text', reason: "I can't assist" });
    expect(checked.validation?.failed).toEqual(['notRefused']);
    expect(checked.goodput).toBe(false);
    expect(samplesOf('llm_refused').map((s) => [s.value, s.tags.refused_by])).toEqual([[0, undefined], [1, 'heuristic']]);
  });

  it('records no llm_refused sample for a request that got no answer', () => {
    http.queue.push({ status: 500, body: '{"error":{"message":"boom","type":"server_error"}}' });
    const r = httpClient({ retry: false }).chat({ prompt: 'a' });
    expect(r.ok).toBe(false);
    expect(samplesOf('llm_refused')).toHaveLength(0);
  });

  it('reserves the refused_by tag', () => {
    expect(() => httpClient({ tags: { refused_by: 'me' } })).toThrow(/reserved tag/);
  });
});

describe('errorTypeOf', () => {
  const base = { text: '', reasoningText: '', toolCalls: [], usage: { source: 'none' as const }, complete: true, contentEvents: 0 };
  it('names transport errors, rate limits, HTTP statuses, in-stream errors and incompleteness', () => {
    expect(errorTypeOf({ status: 0, errorCode: 'timeout', completion: base })).toBe('timeout');
    expect(errorTypeOf({ status: 429, completion: base })).toBe('rate_limited');
    expect(errorTypeOf({ status: 503, completion: base })).toBe('http_503');
    expect(errorTypeOf({ status: 200, completion: { ...base, error: { type: 'overloaded_error', message: '' } } })).toBe('overloaded_error');
    expect(errorTypeOf({ status: 200, completion: { ...base, complete: false } })).toBe('incomplete');
    expect(errorTypeOf({ status: 200, completion: base })).toBeUndefined();
  });
});

describe('client-side pacing in chat', () => {
  it('sleeps before a request when the VU has used its requests-per-minute share, and records the wait', () => {
    stream.push(okStream(), okStream());
    const c = client({ rateLimit: { rpm: 6, vus: 1 } });
    c.chat({ prompt: 'a' });
    const second = c.chat({ prompt: 'b' });
    // 6 rpm for one VU: one request every 10 s; the fake stream clock advanced ~0.4 s.
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeGreaterThan(9);
    expect(second.pacingWaitMs).toBeGreaterThan(9_000);
    expect(samplesOf('llm_pacing_wait')).toHaveLength(1);
  });
});


describe('checkValidation', () => {
  it('records one k6 check per validator that ran, passing or failing, plus request ok', async () => {
    const { checkValidation } = await import('../../../lib/client/checks');
    const { matches } = await import('../../../lib/validate/index');
    stream.push(okStream());
    const r = client({ validate: [isJSON(), matches(/Hello/)] }).chat({ prompt: 'hi' });
    expect(r.validation?.checked).toEqual(['isJSON', 'matches']);
    checks.length = 0;
    expect(checkValidation(r)).toBe(false);
    expect(checks.map((c) => [c.name, c.pass])).toEqual([['request ok', true], ['valid isJSON', false], ['valid matches', true]]);
    expect(checks[0]?.tags.model).toBe('gpt-4o-mini');
  });
});

describe('review fixes', () => {
  it('prices a request that names another model at that model\'s table price', () => {
    stream.push(okStream());
    const c = createClient({ provider: 'openai-chat', baseUrl: 'http://127.0.0.1:9/v1', apiKey: KEY, model: 'gpt-4o-mini', transport: fakeRelayTransport() });
    const r = c.chat({ prompt: 'hi', model: 'gpt-4o' });
    // gpt-4o: 2.50 input, 1.25 cached, 10 output per million; usage 100 in (40 cached), 3 out.
    expect(r.costUsd).toBeCloseTo((60 * 2.5 + 40 * 1.25 + 3 * 10) / 1e6, 12);
    expect(r.tags.model).toBe('gpt-4o');
  });

  it('hands the error body to the retry policy, so Google RetryInfo sets the delay', () => {
    const body = JSON.stringify({ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'quota', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '3.5s' }] } });
    stream.push({ status: 429, headers: { 'Content-Type': 'application/json' }, chunks: [[body, 2]] });
    stream.push({ status: 200, chunks: [[`data: ${JSON.stringify({ candidates: [{ content: { parts: [{ text: 'ok' }], role: 'model' }, finishReason: 'STOP' }] })}\n\n`, 50]] });
    const c = createClient({ provider: 'gemini', baseUrl: 'http://127.0.0.1:9/v1beta', apiKey: KEY, model: 'gemini-2.5-flash', transport: fakeRelayTransport() });
    const r = c.chat({ prompt: 'hi' });
    expect(r.ok).toBe(true);
    expect(slept).toEqual([3.5]);
  });

  it('passes auth and query through to the provider for Azure-style deployments', () => {
    stream.push(okStream());
    const c = createClient({ provider: 'openai-chat', baseUrl: 'http://127.0.0.1:9/openai/deployments/gpt4o', apiKey: KEY, model: 'gpt-4o', transport: fakeRelayTransport(), auth: 'api-key', query: { 'api-version': '2024-10-21' } });
    c.chat({ prompt: 'hi' });
    const req = stream.requests[0] as { url: string; headers: Record<string, string> };
    expect(req.url).toBe('http://127.0.0.1:9/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21');
    expect(req.headers['api-key']).toBe(KEY);
    expect(req.headers.Authorization).toBeUndefined();
  });
});

describe('recording through VU tags', () => {
  it('tags every sample with the request tags and leaves the VU\'s own tags as they were', async () => {
    const { state } = await import('../../fakes/k6-execution');
    state.vu.metrics.tags.team = 'user-set';
    state.vu.metrics.tags.model = 'user-model';
    try {
      stream.push(okStream());
      client({ tags: { team: 'search' } }).chat({ prompt: 'hi' });
      expect(samplesOf('llm_requests')[0]?.tags).toMatchObject({ team: 'search', model: 'gpt-4o-mini', transport: 'relay', status: '200' });
      expect(state.vu.metrics.tags).toEqual({ team: 'user-set', model: 'user-model' });
    } finally {
      delete state.vu.metrics.tags.team;
      delete state.vu.metrics.tags.model;
    }
  });
});

describe('the API key in error messages', () => {
  const echo = JSON.stringify({ error: { message: `Incorrect API key provided: ${KEY}`, type: 'invalid_request_error', code: 'invalid_api_key' } });
  const buffered = () =>
    createClient({ provider: 'openai-chat', baseUrl: 'http://127.0.0.1:9/v1', apiKey: KEY, model: 'gpt-4o-mini', transport: httpTransport(), price: false, retry: false });

  it("is redacted over the buffered transport, by the client's decoder", () => {
    http.queue.push({ status: 401, body: echo, headers: { 'Content-Type': 'application/json' } });
    expect(buffered().chat({ prompt: 'hi' }).error).toEqual({ type: 'invalid_api_key', message: 'Incorrect API key provided: [redacted]' });
  });

  it('is redacted in the error of an attempt that got no response', () => {
    http.queue.push({ status: 0, error: `Post "http://127.0.0.1:9/v1/chat/completions?key=${KEY}": dial tcp: connection refused` });
    const r = buffered().chat({ prompt: 'hi' });
    expect(r).toMatchObject({ status: 0, errorType: 'refused', complete: false });
    expect(r.error?.message).toBe('Post "http://127.0.0.1:9/v1/chat/completions?key=[redacted]": dial tcp: connection refused');
  });

  it("is redacted over the relay transport, by the relay, from the request's own Authorization header", () => {
    stream.push({ status: 401, headers: { 'Content-Type': 'application/json' }, chunks: [[echo, 3]] });
    const r = client({ retry: false }).chat({ prompt: 'hi' });
    expect(r.error).toEqual({ type: 'invalid_api_key', message: 'Incorrect API key provided: [redacted]' });
  });
});
