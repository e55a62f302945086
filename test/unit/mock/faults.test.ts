import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import type { Socket } from 'node:net';
import { corruptFrame, padFrame, resetSocket } from '../../../node/mock/exchange';
import type { MockServer } from '../../../node/mock/server';
import { getJson, groundTruth, post, splitNDJSON, splitSSE, sseJson, start, userChat } from './helpers';

let server: MockServer;
beforeAll(async () => {
  server = await start({ oversizeBytes: 200_000 });
});
afterAll(() => server.close());

const chat = (fault: string, extra: Record<string, string> = {}, body: Record<string, unknown> = {}) =>
  post(server, '/v1/chat/completions', userChat('fault please', { stream: true, ...body }), { 'x-mock-fault': fault, ...extra });
const contentChunks = (text: string): number => sseJson(text).filter((c) => c.choices?.[0]?.delta?.content).length;

describe('status faults', () => {
  it('answers an injected 429 with retry-after and retry-after-ms in the OpenAI envelope', async () => {
    const res = await chat('429');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.headers.get('retry-after-ms')).toBe('1000');
    expect(JSON.parse(res.text).error.code).toBe('rate_limit_exceeded');
    expect((await groundTruth(server, res.id)).fault).toBe('429');
  });

  it('answers an injected 500 with server_error and no retry-after', async () => {
    const res = await chat('500');
    expect(res.status).toBe(500);
    expect(res.headers.get('retry-after')).toBeNull();
    expect(JSON.parse(res.text).error.type).toBe('server_error');
  });

  it('answers an injected 503 to Gemini as UNAVAILABLE', async () => {
    const res = await post(server, '/v1beta/models/g:generateContent', { contents: [{ parts: [{ text: 'x' }] }] }, { 'x-mock-fault': '503' });
    expect(res.status).toBe(503);
    expect(JSON.parse(res.text).error).toMatchObject({ code: 503, status: 'UNAVAILABLE' });
    expect(res.headers.get('retry-after')).toBe('1');
  });

  it('answers an injected 529 to Anthropic as overloaded_error', async () => {
    const res = await post(server, '/v1/messages', { model: 'c', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }, { 'x-mock-fault': '529' });
    expect(res.status).toBe(529);
    expect(JSON.parse(res.text)).toMatchObject({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
  });

  it('answers 400 to an unknown fault name', async () => {
    const res = await chat('meteor');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).error.message).toMatch(/^invalid x-mock-fault: expected one of 429, 500/);
  });
});

describe('mid-stream faults', () => {
  it('truncates the stream in the middle: no finish chunk, no [DONE], the record says truncated', async () => {
    const res = await chat('truncate');
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('[DONE]');
    expect(res.text).not.toContain('finish_reason":"stop');
    expect(contentChunks(res.text)).toBe(6);
    const truth = await groundTruth(server, res.id);
    expect(truth.outcome).toBe('truncated');
    expect(truth.chunks).toHaveLength(6);
    expect(truth.outputTokens).toBe(12);
  });

  it('strikes at the token x-mock-fault-at names', async () => {
    const res = await chat('truncate', { 'x-mock-fault-at': '2' });
    expect(contentChunks(res.text)).toBe(2);
  });

  it('sends one malformed JSON chunk and carries on to [DONE]', async () => {
    const res = await chat('malformed');
    const events = splitSSE(res.text);
    const broken = events.filter((e) => {
      try {
        JSON.parse(e.data === '[DONE]' ? '0' : e.data);
        return false;
      } catch {
        return true;
      }
    });
    expect(broken).toHaveLength(1);
    expect(events[events.length - 1]?.data).toBe('[DONE]');
    const truth = await groundTruth(server, res.id);
    expect(truth.outcome).toBe('complete');
    expect(truth.chunks.filter((c) => c.malformed)).toHaveLength(1);
    expect(truth.chunks[6]?.malformed).toBe(true);
  });

  it('sends an OpenAI in-stream error object then [DONE] under status 200', async () => {
    const res = await chat('error-event');
    expect(res.status).toBe(200);
    const events = splitSSE(res.text);
    expect(JSON.parse(events[events.length - 2]!.data).error.type).toBe('server_error');
    expect(events[events.length - 1]!.data).toBe('[DONE]');
    expect((await groundTruth(server, res.id)).outcome).toBe('error-event');
  });

  it('sends Anthropic event: error overloaded_error under 200 and no message_stop', async () => {
    const res = await post(server, '/v1/messages', { model: 'c', max_tokens: 8, stream: true, messages: [{ role: 'user', content: 'x' }] }, { 'x-mock-fault': 'error-event' });
    expect(res.status).toBe(200);
    const events = splitSSE(res.text);
    const last = events[events.length - 1]!;
    expect(last.event).toBe('error');
    expect(JSON.parse(last.data)).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    expect(events.some((e) => e.event === 'message_stop')).toBe(false);
  });

  it('sends a Responses error event followed by response.failed', async () => {
    const res = await post(server, '/v1/responses', { model: 'm', input: 'x', stream: true }, { 'x-mock-fault': 'error-event' });
    const events = splitSSE(res.text);
    expect(events.slice(-2).map((e) => e.event)).toEqual(['error', 'response.failed']);
    expect(JSON.parse(events[events.length - 2]!.data)).toMatchObject({ type: 'error', code: 'server_error', param: null });
    expect(JSON.parse(events[events.length - 1]!.data).response.status).toBe('failed');
  });

  it('sends a Google error object in the Gemini stream and an {"error"} line in the Ollama stream', async () => {
    const g = await post(server, '/v1beta/models/g:streamGenerateContent?alt=sse', { contents: [{ parts: [{ text: 'x' }] }] }, { 'x-mock-fault': 'error-event' });
    expect(JSON.parse(splitSSE(g.text).pop()!.data).error).toMatchObject({ code: 503, status: 'UNAVAILABLE' });
    const o = await post(server, '/api/chat', { model: 'l', messages: [{ role: 'user', content: 'x' }] }, { 'x-mock-fault': 'error-event' });
    const lines = splitNDJSON(o.text);
    expect(typeof lines[lines.length - 1].error).toBe('string');
    expect(lines.some((l) => l.done === true)).toBe(false);
  });

  it('stalls for x-mock-fault-ms before the fault chunk and shifts the rest of the schedule', async () => {
    const res = await chat('stall', { 'x-mock-fault-ms': '60', 'x-mock-fault-at': '3', 'x-mock-itl-ms': '1' });
    expect(contentChunks(res.text)).toBe(12);
    const truth = await groundTruth(server, res.id);
    const c = truth.chunks;
    expect(c[3]!.stalledMs).toBe(60);
    expect(c[3]!.planned - c[2]!.planned).toBeCloseTo(61, 6);
    expect(c[3]!.actual).toBeGreaterThanOrEqual(c[3]!.planned);
    expect(c[3]!.actual - c[2]!.planned).toBeGreaterThanOrEqual(61);
    expect(c[4]!.planned - c[3]!.planned).toBeCloseTo(1, 6);
    expect(truth.outcome).toBe('complete');
  });

  it('resets the connection mid-stream with a TCP RST, so fetch fails with ECONNRESET rather than a clean end', async () => {
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST', headers: { authorization: 'Bearer k', 'x-mock-fault': 'reset' }, body: JSON.stringify(userChat('x', { stream: true })),
    });
    expect(res.status).toBe(200);
    const error = await res.text().then(() => undefined, (e: Error & { cause?: { code?: string } }) => e);
    // A FIN (socket.destroy) would surface as UND_ERR_SOCKET "other side closed".
    expect(error?.cause?.code).toBe('ECONNRESET');
    const truth = await groundTruth(server, res.headers.get('x-mock-request-id')!);
    expect(truth.outcome).toBe('reset');
    expect(truth.chunks).toHaveLength(6);
  });

  it('resets a non-streamed request so a node:http client gets ECONNRESET from a socket read', async () => {
    const error = await new Promise<NodeJS.ErrnoException>((resolve, reject) => {
      const req = request(`${server.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer k', 'x-mock-fault': 'reset' } }, () => {
        reject(new Error('expected no response'));
      });
      req.on('error', resolve);
      req.end(JSON.stringify(userChat('x')));
    });
    expect(error.code).toBe('ECONNRESET');
    // "socket hang up" (a FIN before the response) also carries ECONNRESET; only a real RST fails the read.
    expect(error.syscall).toBe('read');
  });

  it('holds the response head back by x-mock-fault-ms on slow-head and starts TTFT after it', async () => {
    const res = await chat('slow-head', { 'x-mock-fault-ms': '40', 'x-mock-ttft-ms': '5' });
    const truth = await groundTruth(server, res.id);
    expect(truth.head.planned! - truth.received).toBe(40);
    expect(truth.head.actual!).toBeGreaterThanOrEqual(truth.head.planned!);
    expect(truth.chunks[0]!.planned - truth.received).toBeCloseTo(45, 6);
    expect(truth.outcome).toBe('complete');
  });

  it('pads one event to oversizeBytes with a field clients ignore and still completes', async () => {
    const res = await chat('oversize');
    const lines = res.text.split('\n');
    const big = lines.filter((l) => l.length > 100_000);
    expect(big).toHaveLength(1);
    expect(big[0]!.length).toBeGreaterThanOrEqual(200_000);
    expect(big[0]!.length).toBeLessThan(200_100);
    const chunk = JSON.parse(big[0]!.slice(6));
    expect(chunk.obfuscation.length).toBeGreaterThan(199_000);
    expect(chunk.choices[0].delta.content.length).toBeGreaterThan(0);
    expect(res.text.endsWith('data: [DONE]\n\n')).toBe(true);
  });
});

describe('faults on non-streamed answers', () => {
  it('cuts a non-streamed body in half on truncate, and breaks its JSON on malformed', async () => {
    for (const fault of ['truncate', 'malformed']) {
      const res = await post(server, '/v1/chat/completions', userChat('x'), { 'x-mock-fault': fault });
      expect(res.status, fault).toBe(200);
      expect(() => JSON.parse(res.text), fault).toThrow();
      expect(res.text.startsWith('{"id":"chatcmpl-'), fault).toBe(true);
    }
  });

  it('answers error-event on a non-streamed request with a 500 in the provider envelope', async () => {
    const res = await post(server, '/v1/messages', { model: 'c', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }, { 'x-mock-fault': 'error-event' });
    expect(res.status).toBe(500);
    expect(JSON.parse(res.text).error.type).toBe('api_error');
  });
});

describe('faults by probability', () => {
  it('injects configured faults at their seeded rate and counts them in /_mock/stats', async () => {
    const noisy = await start({ faults: { '500': 0.5 }, seed: 7 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) statuses.push((await post(noisy, '/v1/chat/completions', userChat(`n${i}`))).status);
      const failures = statuses.filter((s) => s === 500).length;
      expect(failures).toBeGreaterThan(10);
      expect(failures).toBeLessThan(30);
      expect(statuses.filter((s) => s !== 500).every((s) => s === 200)).toBe(true);
      const stats = await getJson(`${noisy.url}/_mock/stats`);
      expect(stats.byFault).toEqual({ '500': failures });
      expect(stats.byStatus).toEqual({ '200': 40 - failures, '500': failures });
    } finally {
      await noisy.close();
    }
  });

  it('lets x-mock-fault: none switch configured faults off for one request', async () => {
    const always = await start({ faults: { truncate: 1 } });
    try {
      const cut = await post(always, '/v1/chat/completions', userChat('x', { stream: true }));
      expect(cut.text).not.toContain('[DONE]');
      const whole = await post(always, '/v1/chat/completions', userChat('x', { stream: true }), { 'x-mock-fault': 'none' });
      expect(whole.text).toContain('[DONE]');
    } finally {
      await always.close();
    }
  });
});

describe('resetSocket', () => {
  const fakeSocket = (resetAndDestroy?: () => void): { calls: string[]; socket: Socket } => {
    const calls: string[] = [];
    const socket = { destroy: () => calls.push('destroy'), ...(resetAndDestroy ? { resetAndDestroy: () => { calls.push('reset'); resetAndDestroy(); } } : {}) };
    return { calls, socket: socket as unknown as Socket };
  };

  it('sends a reset when the socket can, and only falls back to destroy without resetAndDestroy or on a non-TCP handle', () => {
    const tcp = fakeSocket(() => undefined);
    resetSocket(tcp.socket);
    expect(tcp.calls).toEqual(['reset']);
    const old = fakeSocket();
    resetSocket(old.socket);
    expect(old.calls).toEqual(['destroy']);
    const pipe = fakeSocket(() => {
      throw new Error('ERR_INVALID_HANDLE_TYPE');
    });
    resetSocket(pipe.socket);
    expect(pipe.calls).toEqual(['reset', 'destroy']);
  });
});

describe('frame helpers', () => {
  it('corrupts only the last JSON line of a frame', () => {
    const frame = 'event: a\ndata: {"x":1}\n\nevent: b\ndata: {"y":"long value"}\n\n';
    const out = corruptFrame(frame);
    expect(out.startsWith('event: a\ndata: {"x":1}\n\nevent: b\ndata: {"y"')).toBe(true);
    expect(() => JSON.parse(splitSSE(out)[1]!.data)).toThrow();
  });

  it('pads the last JSON line to the requested size with the given field', () => {
    const out = padFrame('{"a":1}\n', 'padding', 1000);
    const line = out.split('\n')[0]!;
    expect(line.length).toBeGreaterThanOrEqual(1000);
    expect(JSON.parse(line).a).toBe(1);
  });
});
