import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputLength } from '../../../node/mock/answer';
import { chunkSizes, jittered, loadFactor } from '../../../node/mock/latency';
import { createRandom } from '../../../node/mock/random';
import type { MockServer } from '../../../node/mock/server';
import { groundTruth, post, sseJson, start, userChat } from './helpers';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

const content = (text: string): number => sseJson(text).filter((c) => c.choices?.[0]?.delta?.content).length;

describe('the latency model as written on the wire', () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await start({ ttftMs: 50, itlMs: 10, outputTokens: 8, prefillMsPerToken: 0 });
  });
  afterAll(() => server.close());

  // The planned times are exact; how close the actual ones come depends on the host's load, hence the retries.
  it('writes the head at once and each chunk at start + ttft + i·gap, never before its planned time', { retry: 2 }, async () => {
    const res = await post(server, '/v1/chat/completions', userChat('hello', { stream: true }));
    const truth = await groundTruth(server, res.id);
    expect(truth.chunks).toHaveLength(8);
    expect(truth.head.planned).toBe(truth.received);
    expect(truth.head.actual!).toBeGreaterThanOrEqual(truth.head.planned!);
    truth.chunks.forEach((chunk, i) => {
      expect(chunk.planned - truth.received).toBeCloseTo(50 + i * 10, 6);
      expect(chunk.actual).toBeGreaterThanOrEqual(chunk.planned);
      expect(chunk.tokens).toBe(1);
    });
    // Timer lateness is bounded per write, not summed: compare medians, which a busy CI host's outliers do not move.
    const lateness = truth.chunks.map((c) => c.actual - c.planned);
    const gapErrors = truth.chunks.slice(1).map((c, i) => Math.abs(c.actual - truth.chunks[i]!.actual - 10));
    expect(median(lateness)).toBeLessThan(15);
    expect(median(gapErrors)).toBeLessThan(8);
    expect(truth.plan).toEqual({ ttftMs: 50, itlMs: 10, loadFactor: 1, tokensPerChunk: 1 });
    expect(truth.end!).toBeGreaterThanOrEqual(truth.chunks[7]!.actual);
  });

  it('sends several tokens per event when tokens-per-chunk is set, each event when its last token is made', async () => {
    const res = await post(server, '/v1/chat/completions', userChat('hello', { stream: true, max_tokens: 10 }), { 'x-mock-tokens-per-chunk': '3' });
    const truth = await groundTruth(server, res.id);
    expect(content(res.text)).toBe(4);
    expect(truth.chunks.map((c) => c.tokens)).toEqual([3, 3, 3, 1]);
    expect(truth.chunks.map((c) => Math.round(c.planned - truth.received))).toEqual([70, 100, 130, 140]);
    const words = sseJson(res.text).map((c) => c.choices[0]?.delta?.content ?? '').filter(Boolean);
    expect(words[0]!.trim().split(/\s+/).length).toBeGreaterThanOrEqual(2);
  });

  it('delivers a non-streamed answer at start + ttft + (n−1)·gap as one chunk of all tokens', async () => {
    const res = await post(server, '/v1/chat/completions', userChat('hello', { max_tokens: 6 }));
    const truth = await groundTruth(server, res.id);
    expect(truth.stream).toBe(false);
    expect(truth.head.planned! - truth.received).toBeCloseTo(50 + 5 * 10, 6);
    expect(truth.head.actual).toBeGreaterThanOrEqual(truth.head.planned!);
    expect(truth.chunks).toEqual([{ planned: truth.head.planned, actual: truth.head.actual, tokens: 6 }]);
  });

  it('applies x-mock-ttft-ms, x-mock-itl-ms and x-mock-output-tokens per request', async () => {
    const res = await post(server, '/v1/chat/completions', userChat('hi', { stream: true }), {
      'x-mock-ttft-ms': '5', 'x-mock-itl-ms': '2', 'x-mock-output-tokens': '4',
    });
    const truth = await groundTruth(server, res.id);
    expect(truth.plan?.ttftMs).toBe(5);
    expect(truth.chunks.map((c) => Math.round((c.planned - truth.received) * 1000) / 1000)).toEqual([5, 7, 9, 11]);
    expect(truth.finishReason).toBe('stop');
  });

  it('answers 400 to an override header that is not a number', async () => {
    const res = await post(server, '/v1/chat/completions', userChat('hi'), { 'x-mock-itl-ms': 'soon' });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).error.message).toBe('invalid x-mock-itl-ms: expected a number ≥ 0, got "soon"');
  });
});

describe('prefill, jitter and load', () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await start({ ttftMs: 5, itlMs: 1, prefillMsPerToken: 0.01, capacity: 2, outputTokens: 20, cache: false });
  });
  afterAll(() => server.close());

  it('adds the prefill cost of every input token to TTFT', async () => {
    const res = await post(server, '/v1/chat/completions', userChat('x'.repeat(4000)));
    const truth = await groundTruth(server, res.id);
    expect(truth.inputTokens).toBe(1000);
    expect(truth.plan?.ttftMs).toBeCloseTo(5 + 10, 6);
  });

  const gapsOf = async (server: MockServer, headers: Record<string, string>): Promise<number[]> => {
    const res = await post(server, '/v1/chat/completions', userChat('jitter me', { stream: true }), { 'x-mock-jitter': '0.5', 'x-mock-itl-ms': '2', ...headers });
    const t = await groundTruth(server, res.id);
    return t.chunks.slice(1).map((c, i) => c.planned - t.chunks[i]!.planned);
  };

  it('jitters the gaps within ±jitter of the mean, differently for each of two identical requests', async () => {
    const a = await gapsOf(server, {});
    const b = await gapsOf(server, {});
    expect(a).toHaveLength(19);
    for (const gap of [...a, ...b]) {
      expect(gap).toBeGreaterThanOrEqual(1);
      expect(gap).toBeLessThanOrEqual(3);
    }
    expect(new Set(a.map((g) => g.toFixed(6))).size).toBeGreaterThan(10);
    expect(a).not.toEqual(b);
  });

  it('repeats the same jitter for the same request when x-mock-seed pins it', async () => {
    const a = await gapsOf(server, { 'x-mock-seed': 'pinned' });
    const b = await gapsOf(server, { 'x-mock-seed': 'pinned' });
    a.forEach((gap, i) => expect(gap).toBeCloseTo(b[i]!, 9));
  });

  it('replays the same sequence of jitter on a fresh server with the same seed', async () => {
    const again = await start({ ttftMs: 5, itlMs: 1, prefillMsPerToken: 0.01, capacity: 2, outputTokens: 20, cache: false });
    const fresh = await start({ ttftMs: 5, itlMs: 1, prefillMsPerToken: 0.01, capacity: 2, outputTokens: 20, cache: false });
    try {
      expect(await gapsOf(again, {})).toEqual(await gapsOf(fresh, {}));
    } finally {
      await again.close();
      await fresh.close();
    }
  });

  it('slows TTFT and gaps by active/capacity when more streams run than the capacity', async () => {
    const results = await Promise.all(
      // 20 tokens at 10 ms keep every stream open long enough for the eight to overlap.
      Array.from({ length: 8 }, (_, i) => post(server, '/v1/chat/completions', userChat(`load ${i}`, { stream: true }), { 'x-mock-itl-ms': '10' })),
    );
    const plans = await Promise.all(results.map(async (r) => (await groundTruth(server, r.id)).plan!));
    const factors = plans.map((p) => p.loadFactor).sort((x, y) => x - y);
    expect(factors[0]).toBe(1);
    expect(factors[factors.length - 1]).toBeGreaterThanOrEqual(3);
    for (const plan of plans) {
      expect(plan.ttftMs).toBeCloseTo((5 + 0.01 * 2) * plan.loadFactor, 6);
      expect(plan.itlMs).toBeCloseTo(10 * plan.loadFactor, 6);
    }
    const stats = (await (await fetch(`${server.url}/_mock/stats`)).json()) as { peakConcurrency: number; active: number };
    expect(stats.peakConcurrency).toBeGreaterThanOrEqual(6);
    expect(stats.active).toBe(0);
  });
});

describe('x-mock-capacity', () => {
  it('computes a request’s load factor against the capacity it names, counting every generation in flight', async () => {
    const server = await start({ ttftMs: 5, itlMs: 10, outputTokens: 20, prefillMsPerToken: 0 });
    try {
      const send = (i: number, headers: Record<string, string>) => post(server, '/v1/chat/completions', userChat(`cap ${i}`, { stream: true }), headers);
      const small = await Promise.all(Array.from({ length: 8 }, (_, i) => send(i, { 'x-mock-capacity': '2' })));
      const factors = await Promise.all(small.map(async (r) => (await groundTruth(server, r.id)).plan!.loadFactor));
      expect(Math.min(...factors)).toBe(1);
      expect(Math.max(...factors)).toBeGreaterThanOrEqual(3);
      // The server's own capacity (64) leaves the same load unslowed.
      const large = await Promise.all(Array.from({ length: 8 }, (_, i) => send(i, {})));
      const plain = await Promise.all(large.map(async (r) => (await groundTruth(server, r.id)).plan!.loadFactor));
      expect(plain.every((f) => f === 1)).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe('latency helpers', () => {
  it('keeps the mean of jittered durations for both distributions', () => {
    for (const distribution of ['uniform', 'lognormal'] as const) {
      const random = createRandom('mean', distribution);
      let sum = 0;
      let min = Infinity;
      for (let i = 0; i < 20_000; i++) {
        const value = jittered(20, 0.3, distribution, random);
        sum += value;
        min = Math.min(min, value);
      }
      expect(sum / 20_000, distribution).toBeGreaterThan(19.6);
      expect(sum / 20_000, distribution).toBeLessThan(20.4);
      expect(min, distribution).toBeGreaterThan(0);
    }
    expect(jittered(20, 0, 'uniform', createRandom('x'))).toBe(20);
  });

  it.each([
    [1, 64, 1], [64, 64, 1], [128, 64, 2], [96, 64, 1.5], [500, 0, 1],
  ])('loadFactor(%i active, capacity %i) is %f', (active, capacity, factor) => {
    expect(loadFactor(active, capacity)).toBe(factor);
  });

  it.each([
    [10, 1, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]], [10, 4, [4, 4, 2]], [3, 5, [3]], [0, 2, []],
  ])('chunkSizes(%i, %i) splits into %j', (total, per, sizes) => {
    expect(chunkSizes(total, per)).toEqual(sizes);
  });

  it('fills max_tokens in fill mode, caps the natural length in cap mode, and lets the override cap', () => {
    const random = createRandom('len');
    expect(outputLength(50, undefined, { outputTokens: 64, maxTokensMode: 'fill' }, random)).toEqual({ tokens: 50, capped: true });
    expect(outputLength(500, undefined, { outputTokens: 64, maxTokensMode: 'cap' }, random)).toEqual({ tokens: 64, capped: false });
    expect(outputLength(10, undefined, { outputTokens: 64, maxTokensMode: 'cap' }, random)).toEqual({ tokens: 10, capped: true });
    expect(outputLength(500, 30, { outputTokens: 64, maxTokensMode: 'fill' }, random)).toEqual({ tokens: 30, capped: false });
    expect(outputLength(undefined, undefined, { outputTokens: 64, maxTokensMode: 'fill' }, random)).toEqual({ tokens: 64, capped: false });
    for (let i = 0; i < 100; i++) {
      const { tokens } = outputLength(undefined, undefined, { outputTokens: { min: 10, max: 20 }, maxTokensMode: 'fill' }, random);
      expect(tokens).toBeGreaterThanOrEqual(10);
      expect(tokens).toBeLessThanOrEqual(20);
    }
  });
});
