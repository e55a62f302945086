/**
 * The mock writes streamed bodies straight onto the socket (mock/wire.ts), each write one HTTP/1.1 chunk. These
 * tests check that HTTP stays correct that way (keep-alive, pipelining, HTTP/1.0, a client that does not read) and
 * that the ground truth stays exact: each recorded write time is the time of the write that carried the tokens
 * (issue 22 §4).
 */
import { request as httpRequest, Agent } from 'node:http';
import { connect, Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { providers } from '../../../lib/providers/index';
import { nowMs } from '../../../node/mock/clock';
import type { MockServer } from '../../../node/mock/server';
import { groundTruth, sseJson, start, userChat } from './helpers';

let server: MockServer;
beforeAll(async () => {
  server = await start({ ttftMs: 5, itlMs: 2 });
});
afterAll(() => server.close());

/** One raw HTTP exchange over a socket: writes `text`, reads until the server closes. */
function rawExchange(text: string, { pauseMs = 0, target = server } = {}): Promise<string> {
  const { hostname, port } = new URL(target.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(text);
      if (pauseMs > 0) {
        socket.pause();
        setTimeout(() => socket.resume(), pauseMs);
      }
    });
    const parts: Buffer[] = [];
    socket.on('data', (d: Buffer) => parts.push(d));
    socket.on('error', reject);
    socket.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
  });
}

function requestText(body: unknown, { version = '1.1', close = false, headers = '' } = {}): string {
  const text = JSON.stringify(body);
  return `POST /v1/chat/completions HTTP/${version}\r\nHost: mock\r\nAuthorization: Bearer k\r\nContent-Type: application/json\r\n` +
    `${close ? 'Connection: close\r\n' : ''}${headers}Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`;
}

/** Splits concatenated HTTP/1.1 responses with chunked bodies into heads and decoded bodies. */
function parseResponses(raw: string): { head: string; body: string }[] {
  const out: { head: string; body: string }[] = [];
  let at = 0;
  while (at < raw.length) {
    const split = raw.indexOf('\r\n\r\n', at);
    if (split < 0) break;
    const head = raw.slice(at, split);
    let body = '';
    at = split + 4;
    for (;;) {
      const eol = raw.indexOf('\r\n', at);
      const size = parseInt(raw.slice(at, eol), 16);
      at = eol + 2;
      if (size === 0) {
        at += 2;
        break;
      }
      // Sizes count bytes; the pseudo-words are ASCII, so characters are bytes here.
      body += raw.slice(at, at + size);
      at += size + 2;
    }
    out.push({ head, body });
  }
  return out;
}

describe('HTTP on direct socket writes', () => {
  it('keeps the connection alive: two streams on one socket, each complete', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = (): Promise<{ text: string; reused: boolean; id: string }> =>
      new Promise((resolve, reject) => {
        const req = httpRequest(`${server.url}/v1/chat/completions`, { method: 'POST', agent, headers: { authorization: 'Bearer k' } }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => resolve({ text, reused: req.reusedSocket, id: String(res.headers['x-mock-request-id']) }));
        });
        req.on('error', reject);
        req.end(JSON.stringify(userChat('keep me', { stream: true })));
      });
    const first = await get();
    const second = await get();
    agent.destroy();
    expect(second.reused).toBe(true);
    for (const r of [first, second]) {
      expect(providers['openai-chat'].parseBody(r.text, { stream: true })).toMatchObject({ complete: true, contentEvents: 12 });
      expect((await groundTruth(server, r.id)).outcome).toBe('complete');
    }
  });

  it('answers pipelined requests in order, the second queued until the first has ended', async () => {
    const one = requestText(userChat('first', { stream: true }));
    const two = requestText(userChat('second', { stream: true }), { close: true });
    const responses = parseResponses(await rawExchange(one + two));
    expect(responses).toHaveLength(2);
    const ids = responses.map((r) => /x-mock-request-id: (\S+)/.exec(r.head)![1]!);
    expect(new Set(ids).size).toBe(2);
    for (const [i, r] of responses.entries()) {
      expect(r.head).toMatch(/^HTTP\/1\.1 200 OK/);
      expect(r.head).toMatch(/transfer-encoding: chunked/i);
      expect(providers['openai-chat'].parseBody(r.body, { stream: true })).toMatchObject({ complete: true, contentEvents: 12 });
      expect((await groundTruth(server, ids[i]!)).outcome).toBe('complete');
    }
  });

  it('sends an HTTP/1.0 client the stream unframed and closes the connection at its end', async () => {
    const raw = await rawExchange(requestText(userChat('old', { stream: true }), { version: '1.0' }));
    const [head, body] = [raw.slice(0, raw.indexOf('\r\n\r\n')), raw.slice(raw.indexOf('\r\n\r\n') + 4)];
    expect(head).not.toMatch(/transfer-encoding/i);
    expect(body.startsWith('data: {')).toBe(true);
    expect(providers['openai-chat'].parseBody(body, { stream: true })).toMatchObject({ complete: true, contentEvents: 12 });
  });
});

describe('the ground truth of each write', () => {
  interface SocketWrite {
    start: number;
    end: number;
    data: string;
    /** Nothing was left in the socket's queue when the call returned: the kernel had the bytes. */
    flushed: boolean;
  }
  const original = Socket.prototype.write;
  afterEach(() => {
    Socket.prototype.write = original;
  });

  /** Notes every socket write of this process (the mock's included) with the time it was called and returned. */
  function recordWrites(): SocketWrite[] {
    const writes: SocketWrite[] = [];
    Socket.prototype.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
      const start = nowMs();
      const result = original.apply(this, args);
      writes.push({ start, end: nowMs(), data: String(args[0]), flushed: this.writableLength === 0 && this.writableCorked === 0 });
      return result;
    } as Socket['write'];
    return writes;
  }

  it('stamps each chunk after the write that carried its tokens and before the next write', async () => {
    const writes = recordWrites();
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST', headers: { authorization: 'Bearer k' }, body: JSON.stringify(userChat('stamp me', { stream: true })),
    });
    const text = await res.text();
    Socket.prototype.write = original;
    const truth = await groundTruth(server, res.headers.get('x-mock-request-id')!);
    // The mock's writes that carry content, in order: one HTTP chunk each.
    const carrying = writes.filter((w) => w.data.includes('"delta":{"content":"') && w.data.includes('chat.completion.chunk'));
    expect(carrying).toHaveLength(12);
    expect(truth.chunks).toHaveLength(12);
    const contents = sseJson(text).map((c) => c.choices[0]?.delta?.content).filter(Boolean);
    for (const [k, chunk] of truth.chunks.entries()) {
      const write = carrying[k]!;
      expect(write.data).toContain(JSON.stringify(contents[k]));
      expect(write.data).toMatch(/^[0-9a-f]+\r\ndata: /);
      // Taken when the write had returned, before any later write of this response.
      expect(chunk.actual).toBeGreaterThanOrEqual(write.end);
      expect(chunk.actual).toBeLessThanOrEqual(carrying[k + 1]?.start ?? truth.end!);
      expect(chunk.actual).toBeGreaterThanOrEqual(chunk.planned);
      expect(chunk.queued).toBeUndefined();
      // The last chunk leaves corked with the end of the body, which `res.end` flushes before it is stamped.
      if (k < truth.chunks.length - 1) expect(write.flushed).toBe(true);
    }
  });

  it('marks writes that queued behind bytes a slow client had not read', async () => {
    // A 16 MiB event on token 1 fills the socket's buffers; the client reads nothing for 300 ms.
    const big = await start({ ttftMs: 5, itlMs: 2, oversizeBytes: 16 * 1024 * 1024 });
    const raw = await rawExchange(
      requestText(userChat('slow reader', { stream: true }), { close: true, headers: 'x-mock-fault: oversize\r\nx-mock-fault-at: 1\r\n' }),
      { pauseMs: 300, target: big },
    ).finally(() => undefined);
    const id = /x-mock-request-id: (\S+)/.exec(raw)![1]!;
    const truth = await groundTruth(big, id);
    await big.close();
    expect(truth.outcome).toBe('complete');
    expect(truth.chunks[0]!.queued).toBeUndefined();
    expect(truth.chunks[1]).toMatchObject({ oversize: true, queued: true });
    expect(truth.chunks.slice(2).every((c) => c.queued === true)).toBe(true);
  });
});
