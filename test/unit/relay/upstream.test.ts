// The relay's own HTTP/1.1 client, against raw TCP servers that send exact bytes, split where a test says.
import net from 'node:net';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createUpstream, type TransferError, type UpstreamRequest } from '../../../node/relay/upstream';

interface Seen {
  status?: number;
  headers?: Record<string, string>;
  text: string;
  reads: number;
  sent: boolean;
  error?: TransferError;
}

const servers: net.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

/** A server that answers each request with `pieces`, written `gapMs` apart; `requests` logs what it received. */
async function raw(pieces: (string | Buffer)[], gapMs = 5, opts: { keepOpen?: boolean } = {}) {
  const requests: string[] = [];
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    let got = '';
    socket.on('data', async (d) => {
      got += d.toString('latin1');
      const end = got.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/content-length: (\d+)/i.exec(got.slice(0, end))?.[1] ?? 0);
      if (got.length < end + 4 + length) return;
      requests.push(got.slice(0, end + 4 + length));
      got = '';
      for (const p of pieces) {
        socket.write(p);
        await new Promise((r) => setTimeout(r, gapMs));
      }
      if (!opts.keepOpen) socket.end();
    });
    socket.on('error', () => {});
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return { url: new URL(`http://127.0.0.1:${port}/v1/x?y=1`), requests, connections: () => connections };
}

function request(url: URL, extra: Partial<UpstreamRequest> = {}): UpstreamRequest {
  return { method: 'POST', url, headers: { 'Content-Type': 'application/json', Authorization: 'Bearer k' }, body: Buffer.from('{"a":1}'), timeoutMs: 5_000, stallTimeoutMs: 0, ...extra };
}

function exchange(upstream: ReturnType<typeof createUpstream>, req: UpstreamRequest): Promise<Seen> {
  return new Promise((resolve) => {
    const seen: Seen = { text: '', reads: 0, sent: false };
    upstream.send(req, {
      sent: () => (seen.sent = true),
      head: (status, headers) => {
        seen.status = status;
        seen.headers = headers;
      },
      data: (text) => {
        seen.text += text;
        seen.reads++;
      },
      end: (_at, error) => {
        seen.error = error;
        resolve(seen);
      },
    });
  });
}

const upstream = () => createUpstream({ maxResponseBytes: 1 << 20 });

describe('the relay HTTP/1.1 client', () => {
  it('sends the request line, the headers, Host and the body length, and reads a Content-Length body', async () => {
    const s = await raw(['HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\nX-A: 1\r\nX-A: 2\r\n\r\n', '{"ok":true}']);
    const seen = await exchange(upstream(), request(s.url));
    expect(seen).toMatchObject({ status: 200, text: '{"ok":true}', sent: true, error: undefined });
    expect(seen.headers).toMatchObject({ 'content-type': 'application/json', 'x-a': '1, 2' });
    const sent = s.requests[0] as string;
    expect(sent.startsWith('POST /v1/x?y=1 HTTP/1.1\r\n')).toBe(true);
    expect(sent).toContain(`Host: ${s.url.host}\r\n`);
    expect(sent).toContain('Content-Length: 7\r\n');
    expect(sent).toContain('Accept-Encoding: identity\r\n');
    expect(sent.endsWith('\r\n\r\n{"a":1}')).toBe(true);
  });

  it('frames a chunked body whose size lines, data and UTF-8 characters are split across reads, with trailers', async () => {
    const body = 'data: héllo ✓\n\n';
    const bytes = Buffer.from(body);
    const size = bytes.length.toString(16);
    const s = await raw([
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n',
      size.slice(0, 1),
      `${size.slice(1)}\r\n`,
      bytes.subarray(0, 8),
      bytes.subarray(8, 9),
      Buffer.concat([bytes.subarray(9), Buffer.from('\r\n')]),
      '0\r\nX-Trailer: t\r\n',
      '\r\n',
    ]);
    const seen = await exchange(upstream(), request(s.url));
    expect(seen.error).toBeUndefined();
    expect(seen.text).toBe(body);
    expect(seen.reads).toBeGreaterThan(2);
  });

  it('skips a 100 Continue head, and reads a body that lasts until the connection closes', async () => {
    const s = await raw(['HTTP/1.1 100 Continue\r\n\r\n', 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n', 'part one, ', 'part two']);
    const seen = await exchange(upstream(), request(s.url));
    expect(seen).toMatchObject({ status: 200, text: 'part one, part two', error: undefined });
  });

  it('keeps a connection alive for the next request to the same origin', async () => {
    const s = await raw(['HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'], 1, { keepOpen: true });
    const u = upstream();
    for (let i = 0; i < 3; i++) expect((await exchange(u, request(s.url))).text).toBe('ok');
    expect(s.connections()).toBe(1);
    expect(s.requests).toHaveLength(3);
    u.close();
  });

  it('decompresses a gzip body it did not ask for', async () => {
    const gz = zlib.gzipSync(Buffer.from('data: zipped\n\n'));
    const s = await raw([`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${gz.length}\r\n\r\n`, gz]);
    const seen = await exchange(upstream(), request(s.url));
    expect(seen).toMatchObject({ status: 200, text: 'data: zipped\n\n', error: undefined });
  });

  it('ends a body over the limit as too_large, and a head that is not HTTP as network', async () => {
    const big = await raw([`HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n${'x'.repeat(5000)}`]);
    const small = createUpstream({ maxResponseBytes: 1000 });
    expect((await exchange(small, request(big.url))).error?.type).toBe('too_large');
    const junk = await raw(['SSH-2.0-OpenSSH\r\n\r\n']);
    expect((await exchange(upstream(), request(junk.url))).error).toMatchObject({ type: 'network', message: expect.stringContaining('not an HTTP/1.x response') });
  });

  it('ends a connection closed before any answer as reset, and one cut mid-body as truncated', async () => {
    const silent = await raw([]);
    expect((await exchange(upstream(), request(silent.url))).error?.type).toBe('reset');
    const cut = await raw(['HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort']);
    const seen = await exchange(upstream(), request(cut.url));
    expect(seen.error?.type).toBe('truncated');
    expect(seen.text).toBe('short');
  });

  it('refuses a header value with a line break before sending anything', () => {
    expect(() => upstream().send(request(new URL('http://127.0.0.1:9/'), { headers: { 'X-Evil': 'a\r\nInjected: 1' } }), { sent() {}, head() {}, data() {}, end() {} })).toThrow(/line break/);
  });
});
