// The relay against the real mock (its ground truth says when each token was written) and small servers of the
// tests' own: stamps, decoding, faults, refusals and what it logs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../../node/mock/ground-truth';
import { startMockServer, type MockServer } from '../../../node/mock/server';
import { RELAY_ERROR_HEADER, RELAY_EXCHANGE_PATH } from '../../../lib/transports/relay-protocol';
import { startRelay, type Relay } from '../../../node/relay/server';
import { chatBody, chatMeta, exchange, gaps, median, tinyServer } from './helpers';

const KEY = 'sk-relay-test-secret-0123';
let mock: MockServer;
let relay: Relay;
const logged: string[] = [];

beforeAll(async () => {
  mock = await startMockServer({ port: 0, seed: 7 });
  relay = await startRelay({ log: (line) => logged.push(line) });
});
afterAll(async () => {
  await relay?.close();
  await mock?.close();
});

async function truth(id: string): Promise<RequestRecord> {
  return (await (await fetch(`${mock.url}/_mock/requests/${id}`)).json()) as RequestRecord;
}

const timed = (ttft: number, itl: number, tokens: number, extra: Record<string, string> = {}) => ({
  'x-mock-ttft-ms': String(ttft),
  'x-mock-itl-ms': String(itl),
  'x-mock-jitter': '0',
  'x-mock-output-tokens': String(tokens),
  ...extra,
});

describe('stamps and decoding', () => {
  it('stamps TTFT at the first content event, not at the head or the role-only chunk, each stamp at the write that carried it', async () => {
    const meta = chatMeta(mock.url, { headers: { ...chatMeta(mock.url).headers, ...timed(150, 30, 6) } });
    const { status, envelope } = await exchange(relay, meta, chatBody('stamps', 6));
    expect(status).toBe(200);
    expect(envelope.status).toBe(200);
    expect(envelope.perEvent).toBe(true);
    const t = envelope.t;
    expect(t.content).toHaveLength(6);
    // The head and the role chunk come at once; the first token 150 ms later.
    expect(t.head as number).toBeLessThan(60);
    expect(t.firstEvent as number).toBeLessThan(t.content[0] as number);
    expect(t.content[0]).toBeGreaterThanOrEqual(145);
    expect(t.firstVisible).toBe(t.content[0]);
    expect(median(gaps(t.content))).toBeGreaterThan(25);
    expect(median(gaps(t.content))).toBeLessThan(40);
    // Against the mock's record of when it wrote each token: never before, and close after.
    const record = await truth(envelope.headers['x-mock-request-id'] as string);
    const written = record.chunks.map((c) => c.actual);
    expect(written).toHaveLength(6);
    for (let i = 0; i < written.length; i++) {
      const stampedAt = t.start + (t.content[i] as number);
      expect(stampedAt - (written[i] as number)).toBeGreaterThanOrEqual(-0.5);
      expect(stampedAt - (written[i] as number)).toBeLessThan(25);
    }
    const c = envelope.completion;
    expect(c?.complete).toBe(true);
    expect(c?.usage).toMatchObject({ outputTokens: 6, source: 'server' });
    expect(c?.contentEvents).toBe(6);
    expect(envelope.events).toBeGreaterThan(6);
    expect(envelope.bytes).toBeGreaterThan(0);
    expect(envelope.loopDelay?.max).toBeGreaterThanOrEqual(0);
  });

  it('claims no per-event timing for a request that did not stream', async () => {
    const meta = chatMeta(mock.url, { stream: false, headers: { ...chatMeta(mock.url).headers, ...timed(50, 5, 4) } });
    const { envelope } = await exchange(relay, meta, chatBody('whole', 4, false));
    expect(envelope.status).toBe(200);
    expect(envelope.perEvent).toBe(false);
    expect(envelope.t.content).toEqual([]);
    expect(envelope.completion?.complete).toBe(true);
    expect(envelope.completion?.usage.outputTokens).toBe(4);
  });

  it('reads an NDJSON stream (Ollama) with the same stamps', async () => {
    const meta = chatMeta(mock.url, {
      url: `${mock.url}/api/chat`,
      format: 'ndjson',
      decode: { provider: 'ollama' },
      headers: { 'content-type': 'application/json', ...timed(80, 20, 4) },
    });
    const body = JSON.stringify({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }], stream: true, options: { num_predict: 4 } });
    const { envelope } = await exchange(relay, meta, body);
    expect(envelope.perEvent).toBe(true);
    expect(envelope.t.content).toHaveLength(4);
    expect(envelope.t.content[0]).toBeGreaterThanOrEqual(75);
    expect(envelope.completion?.complete).toBe(true);
  });

  it('hands back the stamped reads for a provider it cannot rebuild, and decodes a portable custom one itself', async () => {
    const meta = chatMeta(mock.url, { decode: undefined, headers: { ...chatMeta(mock.url).headers, ...timed(40, 10, 3) } });
    const raw = await exchange(relay, meta, chatBody('raw', 3));
    expect(raw.envelope.completion).toBeUndefined();
    expect(raw.envelope.perEvent).toBe(true);
    const text = (raw.envelope.chunks ?? []).map((c) => c[1]).join('');
    expect(text).toContain('data: [DONE]');
    const offsets = (raw.envelope.chunks ?? []).map((c) => c[0]);
    expect([...offsets].sort((a, b) => a - b)).toEqual(offsets);

    const custom = chatMeta(mock.url, {
      decode: { custom: { format: 'sse', text: 'choices.0.delta.content', usage: { output: 'usage.completion_tokens' } } },
      headers: { ...chatMeta(mock.url).headers, ...timed(40, 10, 3) },
    });
    const decoded = await exchange(relay, custom, chatBody('custom', 3));
    expect(decoded.envelope.completion?.usage.outputTokens).toBe(3);
    expect(decoded.envelope.t.content).toHaveLength(3);
  });

  it('passes an upstream error status and body through, for the retry policy', async () => {
    const meta = chatMeta(mock.url, { headers: { ...chatMeta(mock.url).headers, 'x-mock-fault': '429' } });
    const { status, headers, envelope } = await exchange(relay, meta, chatBody());
    expect(status).toBe(429);
    expect(headers[RELAY_ERROR_HEADER]).toBeUndefined();
    expect(envelope.status).toBe(429);
    expect(envelope.perEvent).toBe(false);
    expect(envelope.headers['retry-after']).toBeDefined();
    expect(envelope.errorBody).toContain('rate_limit');
    expect(envelope.completion?.error?.type).toBeDefined();
  });

  it("measures its own event-loop delay while an exchange is in flight", async () => {
    const meta = chatMeta(mock.url, { headers: { ...chatMeta(mock.url).headers, ...timed(120, 10, 3) } });
    const pending = exchange(relay, meta, chatBody('busy', 3));
    await new Promise((r) => setTimeout(r, 30));
    const until = performance.now() + 40;
    while (performance.now() < until) {
      // Hold the event loop, as a busy relay would.
    }
    const { envelope } = await pending;
    expect(envelope.loopDelay?.max).toBeGreaterThanOrEqual(30);
    expect(envelope.loopDelay?.mean).toBeLessThanOrEqual(envelope.loopDelay?.max as number);
  });
});

describe('faults are typed and nothing is lost', () => {
  it('a connection refused upstream is the relay error `refused` with a status of its own', async () => {
    const dead = await tinyServer(() => {});
    const url = dead.url;
    await dead.close();
    const { status, headers, envelope } = await exchange(relay, chatMeta(url), chatBody());
    expect(status).toBe(502);
    expect(headers[RELAY_ERROR_HEADER]).toBe('refused');
    expect(envelope.status).toBe(0);
    expect(envelope.error?.type).toBe('refused');
  });

  it.each([
    ['reset', 'reset'],
    ['truncate', undefined],
  ])('a %s fault mid-stream keeps the upstream status and what arrived', async (fault, transportError) => {
    const meta = chatMeta(mock.url, { headers: { ...chatMeta(mock.url).headers, ...timed(20, 10, 8), 'x-mock-fault': fault, 'x-mock-fault-at': '3' } });
    const { status, envelope } = await exchange(relay, meta, chatBody('fault', 8));
    expect(status).toBe(200);
    expect(envelope.error?.type).toBe(transportError);
    expect(envelope.completion?.complete).toBe(false);
    expect(envelope.completion?.error?.type).toBe(transportError ?? 'truncated');
    expect(envelope.completion?.text.length).toBeGreaterThan(0);
  });

  it.each([
    ['closed (FIN)', 'truncated', (s: import('node:net').Socket) => s.destroy()],
    ['reset (RST)', 'reset', (s: import('node:net').Socket) => s.resetAndDestroy()],
  ])('a connection %s in the middle of a chunked body is `%s`', async (_how, type, cut) => {
    const server = await tinyServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"choices":[{"index":0,"delta":{"content":"Hel"}}]}\n\n');
      setTimeout(() => cut(req.socket), 30);
    });
    const { status, envelope } = await exchange(relay, chatMeta(server.url), chatBody());
    await server.close();
    expect(status).toBe(200);
    expect(envelope.error?.type).toBe(type);
    expect(envelope.completion).toMatchObject({ text: 'Hel', complete: false, error: { type } });
    expect(envelope.t.content).toHaveLength(1);
  });

  it('a stream that stalls ends as `stall` after the stall timeout', async () => {
    const meta = chatMeta(mock.url, {
      stallTimeoutMs: 300,
      headers: { ...chatMeta(mock.url).headers, ...timed(20, 10, 8), 'x-mock-fault': 'stall', 'x-mock-fault-ms': '3000', 'x-mock-fault-at': '2' },
    });
    const { status, envelope } = await exchange(relay, meta, chatBody('stall', 8));
    expect(status).toBe(200);
    expect(envelope.error?.type).toBe('stall');
    expect(envelope.completion?.error?.type).toBe('stall');
    expect(envelope.t.end).toBeLessThan(2_000);
  });

  it('no head within the timeout is `timeout`, answered 504 by the relay', async () => {
    const slow = await tinyServer(() => {});
    const { status, headers, envelope } = await exchange(relay, chatMeta(slow.url, { timeoutMs: 200 }), chatBody());
    await slow.close();
    expect(status).toBe(504);
    expect(headers[RELAY_ERROR_HEADER]).toBe('timeout');
    expect(envelope.error?.type).toBe('timeout');
    expect(envelope.t.end).toBeGreaterThanOrEqual(195);
  });

  it('cancels the upstream request when the script gives up on the exchange', async () => {
    let closed: () => void = () => {};
    const upstreamClosed = new Promise<void>((resolve) => (closed = resolve));
    const hold = await tinyServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"choices":[{"index":0,"delta":{"role":"assistant"}}]}\n\n');
      req.socket.on('close', () => closed());
    });
    const controller = new AbortController();
    const pending = exchange(relay, chatMeta(hold.url), chatBody(), { signal: controller.signal }).catch((err: Error) => err);
    await new Promise((r) => setTimeout(r, 100));
    controller.abort();
    await upstreamClosed;
    expect(await pending).toBeInstanceOf(Error);
    await hold.close();
  });
});

describe('what the relay refuses', () => {
  it('a wrong or missing token is 401 relay_auth, never retried', async () => {
    const { status, headers, envelope } = await exchange(relay, chatMeta(mock.url), chatBody(), { token: 'nope' });
    expect(status).toBe(401);
    expect(headers[RELAY_ERROR_HEADER]).toBe('relay_auth');
    expect(headers['x-should-retry']).toBe('false');
    expect(envelope.error?.message).toContain('K6_LLM_RELAY_TOKEN');
  });

  it('a request that is not an exchange, or of another protocol version, is 400 relay_bad_request', async () => {
    const garbage = await exchange(relay, 'not json', 'x');
    expect(garbage.status).toBe(400);
    expect(garbage.headers[RELAY_ERROR_HEADER]).toBe('relay_bad_request');
    const other = await exchange(relay, { ...chatMeta(mock.url), v: 99 }, 'x');
    expect(other.envelope.error?.message).toMatch(/invalid protocol version: expected 1, got 99/);
    const noUrl = await exchange(relay, { ...chatMeta(mock.url), url: 'ftp://x' }, 'x');
    expect(noUrl.envelope.error?.message).toMatch(/invalid url/);
  });

  it('a host off the allowlist is 403 relay_forbidden_host, and the allowlist takes subdomain patterns', async () => {
    const strict = await startRelay({ allowHosts: ['*.example.com', 'localhost'] });
    try {
      const { status, headers, envelope } = await exchange(strict, chatMeta(mock.url), chatBody());
      expect(status).toBe(403);
      expect(headers[RELAY_ERROR_HEADER]).toBe('relay_forbidden_host');
      expect(envelope.error?.message).toContain('127.0.0.1');
      const local = await exchange(strict, chatMeta(mock.url.replace('127.0.0.1', 'localhost'), { headers: { ...chatMeta(mock.url).headers, ...timed(5, 5, 2) } }), chatBody('ok', 2));
      expect(local.status).toBe(200);
    } finally {
      await strict.close();
    }
  });

  it('a body over the limit is 413 relay_too_large', async () => {
    const small = await startRelay({ maxRequestBytes: 1024 });
    try {
      const { status, headers } = await exchange(small, chatMeta(mock.url), 'x'.repeat(4096));
      expect(status).toBe(413);
      expect(headers[RELAY_ERROR_HEADER]).toBe('relay_too_large');
    } finally {
      await small.close();
    }
  });

  it('answers only its exchange path', async () => {
    const res = await fetch(`${relay.url}/v1/other`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(404);
    expect(res.headers.get(RELAY_ERROR_HEADER)).toBe('relay_bad_request');
    const ok = await fetch(`${relay.url}/v1/health`);
    expect(await ok.json()).toMatchObject({ v: 1 });
    expect(RELAY_EXCHANGE_PATH).toBe('/v1/exchange');
  });
});

describe('what the relay logs', () => {
  it('logs method, host, status and size per exchange: never the key, the prompt, the answer or a query string', async () => {
    const meta = chatMeta(mock.url, { url: `${mock.url}/v1/chat/completions?key=${KEY}`, headers: { ...chatMeta(mock.url).headers, ...timed(5, 5, 3) } });
    await exchange(relay, meta, chatBody('a very private prompt', 3));
    const text = logged.join('\n');
    expect(logged.length).toBeGreaterThan(0);
    expect(text).toMatch(/POST 127\.0\.0\.1:\d+ 200 [\d.]+ ms \d+ B/);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('private prompt');
    expect(text).not.toContain('?key');
    expect(relay.stats().exchanges).toBeGreaterThan(0);
  });
});
