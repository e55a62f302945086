import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChunkLog, CHUNK_QUEUED, CHUNK_REASONING, GroundTruth, type RequestRecord, type TruthRecord } from '../../../node/mock/ground-truth';
import type { MockServer } from '../../../node/mock/server';
import { getJson, groundTruth, post, splitNDJSON, splitSSE, sseJson, start, userChat } from './helpers';

let server: MockServer;
beforeAll(async () => {
  server = await start({ ttftMs: 20, itlMs: 3 });
});
afterAll(() => server.close());

/** Content-carrying events per provider, counted the way a client counts them. */
const cases: [string, string, Record<string, unknown>, (text: string) => number, (text: string) => number][] = [
  ['openai-chat', '/v1/chat/completions', userChat('count me', { stream: true, stream_options: { include_usage: true } }),
    (t) => sseJson(t).filter((c) => c.choices?.[0]?.delta?.content).length, (t) => sseJson(t).pop().usage.completion_tokens],
  ['openai-responses', '/v1/responses', { model: 'm', input: 'count me', stream: true },
    (t) => splitSSE(t).filter((e) => e.event === 'response.output_text.delta').length, (t) => JSON.parse(splitSSE(t).pop()!.data).response.usage.output_tokens],
  ['anthropic', '/v1/messages', { model: 'c', max_tokens: 9, stream: true, messages: [{ role: 'user', content: 'count me' }] },
    (t) => splitSSE(t).filter((e) => e.event === 'content_block_delta').length, (t) => JSON.parse(splitSSE(t).find((e) => e.event === 'message_delta')!.data).usage.output_tokens],
  ['gemini', '/v1beta/models/g:streamGenerateContent?alt=sse', { contents: [{ parts: [{ text: 'count me' }] }] },
    (t) => splitSSE(t).length, (t) => JSON.parse(splitSSE(t).pop()!.data).usageMetadata.candidatesTokenCount],
  ['ollama', '/api/chat', { model: 'l', messages: [{ role: 'user', content: 'count me' }] },
    (t) => splitNDJSON(t).filter((l) => !l.done).length, (t) => splitNDJSON(t).pop().eval_count],
  ['custom', '/api/stream', { message: 'count me' },
    (t) => sseJson(t).filter((e) => 'delta' in e).length, (t) => sseJson(t).pop().usage.completion_tokens],
];

describe('the ground-truth record', () => {
  it.each(cases)('matches what a %s client saw: one chunk per content event, the usage token count', async (provider, path, body, events, usage) => {
    const res = await post(server, path, body, { 'x-mock-tokens-per-chunk': '2' });
    const truth = await groundTruth(server, res.id);
    expect(truth.provider).toBe(provider);
    expect(truth.status).toBe(200);
    expect(truth.outcome).toBe('complete');
    expect(truth.chunks).toHaveLength(events(res.text));
    expect(truth.chunks.reduce((n, c) => n + c.tokens, 0)).toBe(usage(res.text));
    expect(truth.outputTokens).toBe(usage(res.text));
    expect(truth.head.actual!).toBeLessThanOrEqual(truth.chunks[0]!.actual);
    expect(truth.end!).toBeGreaterThanOrEqual(truth.chunks[truth.chunks.length - 1]!.actual);
  });

  it('has the documented fields', async () => {
    const res = await post(server, '/v1/chat/completions', userChat('shape', { stream: true }));
    const truth = await groundTruth(server, res.id);
    expect(Object.keys(truth).sort()).toEqual([
      'cacheWriteTokens', 'cachedTokens', 'chunks', 'end', 'fault', 'faults', 'finishReason', 'head', 'id', 'inputTokens',
      'model', 'outcome', 'outputTokens', 'plan', 'provider', 'reasoningTokens', 'received', 'refusal', 'status', 'stream',
    ]);
    expect(truth).toMatchObject({
      id: res.id, model: 'gpt-4o-mini', stream: true, inputTokens: 2, outputTokens: 12, reasoningTokens: 0, refusal: false, cachedTokens: 0, fault: null,
      finishReason: 'stop',
    });
  });

  it('uses epoch milliseconds comparable with the client clock', async () => {
    const before = Date.now();
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST', headers: { authorization: 'Bearer k' }, body: JSON.stringify(userChat('clock', { stream: true })),
    });
    const reader = res.body!.getReader();
    let seenContent = 0;
    let text = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
      if (seenContent === 0 && /"delta":\{"content":"[^"]+"/.test(text)) seenContent = Date.now();
    }
    const truth = await groundTruth(server, res.headers.get('x-mock-request-id')!);
    expect(truth.received).toBeGreaterThanOrEqual(before - 2);
    // The client saw the first token after the server wrote it (Date.now() has 1 ms steps).
    expect(seenContent).toBeGreaterThanOrEqual(Math.floor(truth.chunks[0]!.actual) - 1);
    expect(seenContent - truth.chunks[0]!.actual).toBeLessThan(500);
  });

  it('records refused requests with their status and no chunks', async () => {
    const res = await post(server, '/v1/chat/completions', userChat('x'), { authorization: '' });
    const truth = await groundTruth(server, res.id);
    expect(truth).toMatchObject({ status: 401, outcome: 'error', chunks: [] });
    expect(truth.head.actual).toBe(truth.head.planned);
  });

  it('records a client that goes away mid-stream as client-closed and frees its slot', async () => {
    const controller = new AbortController();
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST', headers: { authorization: 'Bearer k', 'x-mock-itl-ms': '20' }, signal: controller.signal,
      body: JSON.stringify(userChat('bye', { stream: true })),
    });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    const id = res.headers.get('x-mock-request-id')!;
    let truth: RequestRecord = await groundTruth(server, id);
    for (let i = 0; i < 50 && truth.outcome === 'in-progress'; i++) {
      await new Promise((r) => setTimeout(r, 10));
      truth = await groundTruth(server, id);
    }
    expect(truth.outcome).toBe('client-closed');
    expect(truth.chunks.length).toBeLessThan(12);
    const stats = await getJson(`${server.url}/_mock/stats`);
    expect(stats.active).toBe(0);
    expect(stats.activeStreams).toBe(0);
  });

  it('answers 404 for an unknown id', async () => {
    const res = await fetch(`${server.url}/_mock/requests/req_nope`);
    expect(res.status).toBe(404);
  });
});

describe('bounded history and stats', () => {
  it('keeps only the last historySize records, lists them newest first, and resets on POST /_mock/reset', async () => {
    const small = await start({ historySize: 3 });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await post(small, '/v1/chat/completions', userChat(`r${i}`))).id);
      expect((await fetch(`${small.url}/_mock/requests/${ids[0]}`)).status).toBe(404);
      expect((await fetch(`${small.url}/_mock/requests/${ids[4]}`)).status).toBe(200);
      const list = await getJson(`${small.url}/_mock/requests?limit=10`);
      expect(list.data.map((r: RequestRecord) => r.id)).toEqual([ids[4], ids[3], ids[2]]);
      const stats = await getJson(`${small.url}/_mock/stats`);
      expect(stats).toMatchObject({ requests: 5, byStatus: { '200': 5 }, byProvider: { 'openai-chat': 5 }, byOutcome: { complete: 5 }, active: 0 });
      expect(stats.peakConcurrency).toBe(1);
      expect((await fetch(`${small.url}/_mock/reset`, { method: 'POST' })).status).toBe(200);
      const after = await getJson(`${small.url}/_mock/stats`);
      expect(after.requests).toBe(0);
      expect((await getJson(`${small.url}/_mock/requests`)).data).toEqual([]);
    } finally {
      await small.close();
    }
  });

  const record = (id: string): TruthRecord => ({
    id, provider: 'p', model: null, stream: false, received: 0, head: { planned: null, actual: null }, chunks: new ChunkLog(), end: null,
    inputTokens: 0, outputTokens: 0, reasoningTokens: 0, refusal: false, cachedTokens: 0, cacheWriteTokens: 0, status: 200, fault: null, faults: [], finishReason: null,
    outcome: 'complete', plan: null,
  });

  it('drops the oldest records past the size so memory does not grow', () => {
    const truth = new GroundTruth(2, 0);
    for (let i = 0; i < 1000; i++) truth.add(record(`r${i}`));
    expect(truth.recent(10).map((r) => r.id)).toEqual(['r999', 'r998']);
    expect(truth.get('r997')).toBeUndefined();
  });

  it('drops the oldest records when the kept chunks pass the budget', () => {
    const truth = new GroundTruth(100, 0, 10);
    for (let i = 0; i < 4; i++) {
      const r = record(`r${i}`);
      truth.add(r);
      for (let c = 0; c < 4; c++) truth.addChunk(r, c, c, 1);
    }
    // 16 chunks against a budget of 10: the two oldest records went, the newest two (8 chunks) stay.
    expect(truth.recent(10).map((r) => r.id)).toEqual(['r3', 'r2']);
    expect(truth.get('r3')?.chunks).toHaveLength(4);
  });

  it('packs the writes of a record and serializes them as the documented chunk list', () => {
    const log = new ChunkLog(1);
    log.push(10, 10.5, 1, CHUNK_REASONING);
    log.push(20, 21.25, 2, 0, 300);
    log.push(30, 30.75, 1, CHUNK_QUEUED);
    expect(log).toHaveLength(3);
    expect(log.actual(1)).toBe(21.25);
    expect(log.actual(3)).toBeUndefined();
    expect(JSON.parse(JSON.stringify({ chunks: log })).chunks).toEqual([
      { planned: 10, actual: 10.5, tokens: 1, reasoning: true },
      { planned: 20, actual: 21.25, tokens: 2, stalledMs: 300 },
      { planned: 30, actual: 30.75, tokens: 1, queued: true },
    ]);
  });
});
