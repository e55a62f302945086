// Upstream TLS and proxies are the relay's to set (k6's own settings no longer reach the upstream): a custom CA,
// insecure mode, an HTTP proxy for http upstreams and a CONNECT tunnel for https ones.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RELAY_ERROR_HEADER } from '../../../lib/transports/relay-protocol';
import { startRelay } from '../../../node/relay/server';
import { chatBody, chatMeta, exchange, tinyServer } from './helpers';

const dir = fileURLToPath(new URL('../../fixtures/tls/', import.meta.url));
const cert = readFileSync(`${dir}localhost.crt`, 'utf8');
const key = readFileSync(`${dir}localhost.key`, 'utf8');

const STREAM =
  'data: {"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}\n\n' +
  'data: {"choices":[{"index":0,"delta":{"content":"secure"}}]}\n\n' +
  'data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n' +
  'data: [DONE]\n\n';

function answer(_req: http.IncomingMessage, res: http.ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.end(STREAM);
}

let secure: https.Server;
let secureUrl: string;
let proxy: http.Server;
let proxyUrl: string;
const proxied: string[] = [];

beforeAll(async () => {
  secure = https.createServer({ cert, key }, answer);
  await new Promise<void>((r) => secure.listen(0, '127.0.0.1', r));
  secureUrl = `https://localhost:${(secure.address() as net.AddressInfo).port}`;
  // A forward proxy: absolute-form requests for http, CONNECT tunnels for https.
  proxy = http.createServer((req, res) => {
    proxied.push(`${req.method} ${req.url}`);
    const target = new URL(req.url as string);
    const out = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(out);
  });
  proxy.on('connect', (req, socket: net.Socket, head) => {
    proxied.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url as string).split(':');
    const up = net.connect(Number(port), host === 'localhost' ? '127.0.0.1' : host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
});
afterAll(async () => {
  secure.closeAllConnections();
  proxy.closeAllConnections();
  await new Promise((r) => secure.close(r));
  await new Promise((r) => proxy.close(r));
});

describe('upstream TLS', () => {
  it('refuses a certificate it does not trust as error `tls`, and accepts it with --ca or --insecure', async () => {
    const plain = await startRelay();
    const withCa = await startRelay({ ca: [cert] });
    const insecure = await startRelay({ insecure: true });
    try {
      const refused = await exchange(plain, chatMeta(secureUrl), chatBody());
      expect(refused.status).toBe(502);
      expect(refused.headers[RELAY_ERROR_HEADER]).toBe('tls');
      for (const relay of [withCa, insecure]) {
        const ok = await exchange(relay, chatMeta(secureUrl), chatBody());
        expect(ok.status).toBe(200);
        expect(ok.envelope.completion).toMatchObject({ text: 'secure', complete: true });
        expect(ok.envelope.t.content).toHaveLength(1);
      }
    } finally {
      await Promise.all([plain.close(), withCa.close(), insecure.close()]);
    }
  });
});

describe('upstream proxies', () => {
  it('sends http upstream requests through the proxy in absolute form, and tunnels https ones with CONNECT', async () => {
    const upstream = await tinyServer(answer);
    const relay = await startRelay({ proxy: proxyUrl, ca: [cert] });
    try {
      proxied.length = 0;
      const viaProxy = await exchange(relay, chatMeta(upstream.url), chatBody());
      expect(viaProxy.envelope.completion?.text).toBe('secure');
      expect(proxied).toEqual([`POST ${upstream.url}/v1/chat/completions`]);
      proxied.length = 0;
      const tunnelled = await exchange(relay, chatMeta(secureUrl), chatBody());
      expect(tunnelled.envelope.completion?.text).toBe('secure');
      expect(proxied).toEqual([`CONNECT ${new URL(secureUrl).host}`]);
    } finally {
      await relay.close();
      await upstream.close();
    }
  });

  it('reports a proxy that refuses the tunnel as error `proxy`', async () => {
    const server = await new Promise<http.Server>((resolve) => {
      const s = http.createServer();
      s.on('connect', (_req, socket: net.Socket) => socket.end('HTTP/1.1 403 Forbidden\r\n\r\n'));
      s.listen(0, '127.0.0.1', () => resolve(s));
    });
    const relay = await startRelay({ proxy: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}` });
    try {
      const { status, headers, envelope } = await exchange(relay, chatMeta(secureUrl), chatBody());
      expect(status).toBe(502);
      expect(headers[RELAY_ERROR_HEADER]).toBe('proxy');
      expect(envelope.error?.message).toContain('403');
    } finally {
      await relay.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
