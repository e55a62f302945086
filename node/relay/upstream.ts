// The relay's HTTP client for upstream requests: node:http/https with keep-alive agents, the relay's own TLS and
// proxy settings (k6's no longer reach the upstream), and every failure named the way k6-llm tags errors.
// It reads the body as text and reports each read with the clock stamp taken as the read is handed over.
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import zlib from 'node:zlib';
import { StringDecoder } from 'node:string_decoder';
import { nowMs } from './clock.js';

export interface UpstreamOptions {
  /** PEM certificates trusted besides Node's own roots (a company CA, a self-signed test server). */
  ca?: string[];
  /** Accept any upstream certificate. For test servers only. */
  insecure?: boolean;
  /**
   * Proxy for every upstream request (`http://host:port`). Without it, `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY`
   * from the environment are honoured, as k6 honours them.
   */
  proxy?: string;
  /** Bytes of a response body beyond which the exchange ends as error `too_large`. */
  maxResponseBytes: number;
}

export interface UpstreamRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: Buffer;
  timeoutMs: number;
  stallTimeoutMs: number;
}

/** A failure of the transfer, typed as k6-llm's `error_type` tag types it. */
export interface TransferError {
  type: 'timeout' | 'stall' | 'reset' | 'refused' | 'dns' | 'tls' | 'truncated' | 'too_large' | 'network' | 'aborted' | 'proxy';
  message: string;
}

export interface UpstreamListener {
  /** The request was handed to the socket. */
  sent(at: number): void;
  head(status: number, headers: http.IncomingHttpHeaders, at: number): void;
  data(text: string, at: number, bytes: number): void;
  /** The exchange is over: the body ended, or it failed (`error`). Called exactly once. */
  end(at: number, error?: TransferError): void;
}

/** Cancels an upstream request; the listener's `end` then reports `aborted`. */
export type Cancel = (reason: string) => void;

const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_OSSL_|HOSTNAME_MISMATCH)/;

/** Names a socket or request error the way k6-llm tags errors. */
export function classifyError(err: NodeJS.ErrnoException, midBody: boolean): TransferError['type'] {
  const code = err.code ?? '';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL') return 'dns';
  if (code === 'ETIMEDOUT') return 'timeout';
  if (TLS_CODES.test(code) || /certificate|ssl|tls/i.test(err.message)) return 'tls';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'reset';
  return midBody ? 'truncated' : 'network';
}

function proxyFor(url: URL, explicit: string | undefined): URL | undefined {
  const env = process.env;
  const configured = explicit ?? (url.protocol === 'https:' ? env.HTTPS_PROXY ?? env.https_proxy : env.HTTP_PROXY ?? env.http_proxy);
  if (!configured) return undefined;
  if (explicit === undefined) {
    const noProxy = env.NO_PROXY ?? env.no_proxy ?? '';
    const host = url.hostname.toLowerCase();
    for (const entry of noProxy.split(',')) {
      const rule = entry.trim().toLowerCase().replace(/^\*?\./, '');
      if (rule === '*' || (rule !== '' && (host === rule || host.endsWith(`.${rule}`)))) return undefined;
    }
  }
  return new URL(configured.includes('://') ? configured : `http://${configured}`);
}

/** An https agent whose sockets are TLS over a CONNECT tunnel through an HTTP proxy. */
class TunnelAgent extends https.Agent {
  private readonly proxy: URL;

  constructor(proxy: URL, options: https.AgentOptions) {
    super(options);
    this.proxy = proxy;
  }

  override createConnection(options: tls.ConnectionOptions & { host?: string; port?: number }, callback: (err: Error | null, socket?: Duplex) => void): undefined {
    const target = `${options.host}:${options.port ?? 443}`;
    const headers: Record<string, string> = { host: target };
    if (this.proxy.username) {
      headers['proxy-authorization'] = `Basic ${Buffer.from(`${decodeURIComponent(this.proxy.username)}:${decodeURIComponent(this.proxy.password)}`).toString('base64')}`;
    }
    const connect = http.request({ host: this.proxy.hostname, port: Number(this.proxy.port || 80), method: 'CONNECT', path: target, headers });
    connect.once('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        const err: NodeJS.ErrnoException = new Error(`proxy answered CONNECT ${target} with ${res.statusCode}`);
        err.code = 'EPROXY';
        callback(err);
        return;
      }
      const secure = tls.connect({ ...options, socket, servername: options.servername ?? options.host });
      secure.once('secureConnect', () => callback(null, secure));
      secure.once('error', (err) => callback(err));
    });
    connect.once('error', (err: NodeJS.ErrnoException) => {
      err.code ??= 'EPROXY';
      callback(err);
    });
    connect.end();
    return undefined;
  }
}

export interface Upstream {
  send(request: UpstreamRequest, listener: UpstreamListener): Cancel;
  /** Closes idle sockets. In-flight requests are cancelled by their owners. */
  close(): void;
}

export function createUpstream(options: UpstreamOptions): Upstream {
  // Idle sockets are closed after 15 s: a server that dropped one first would otherwise make the next POST on it
  // fail, and a POST is never re-sent blindly.
  const agentOptions = { keepAlive: true, maxSockets: Infinity, scheduling: 'lifo' as const, timeout: 15_000 };
  const tlsOptions: tls.ConnectionOptions = {};
  if (options.ca?.length) tlsOptions.ca = [...tls.rootCertificates, ...options.ca];
  if (options.insecure) tlsOptions.rejectUnauthorized = false;
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent({ ...agentOptions, ...tlsOptions });
  const tunnels = new Map<string, TunnelAgent>();

  function agentFor(url: URL): { agent: http.Agent; viaProxy?: URL } {
    const proxy = proxyFor(url, options.proxy);
    if (!proxy) return { agent: url.protocol === 'https:' ? httpsAgent : httpAgent };
    if (url.protocol === 'http:') return { agent: httpAgent, viaProxy: proxy };
    let tunnel = tunnels.get(proxy.href);
    if (!tunnel) {
      tunnel = new TunnelAgent(proxy, { ...agentOptions, ...tlsOptions });
      tunnels.set(proxy.href, tunnel);
    }
    return { agent: tunnel };
  }

  function send(request: UpstreamRequest, listener: UpstreamListener): Cancel {
    const { url } = request;
    const { agent, viaProxy } = agentFor(url);
    const target = viaProxy
      ? { host: viaProxy.hostname, port: Number(viaProxy.port || 80), path: url.href }
      : { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port ? Number(url.port) : undefined, path: `${url.pathname}${url.search}` };
    const headers: Record<string, string> = { ...request.headers };
    if (viaProxy) headers.host = url.host;
    headers['content-length'] = String(request.body.length);
    const client = url.protocol === 'https:' ? https : http;
    let done = false;
    let head = false;
    let bytes = 0;
    let stallTimer: NodeJS.Timeout | undefined;
    const req = client.request({ ...target, method: request.method, headers, agent, servername: viaProxy ? undefined : url.hostname });

    const finish = (error?: TransferError, at = nowMs()): void => {
      if (done) return;
      done = true;
      clearTimeout(overall);
      clearTimeout(stallTimer);
      listener.end(at, error);
      if (error) req.destroy();
    };
    // A body that broke off without an error of its own (a reset reaches the request's error handler first).
    const brokeOff = (): void => finish({ type: 'truncated', message: 'connection closed before the body ended' });
    const overall = setTimeout(
      () => finish({ type: 'timeout', message: `no complete response within ${request.timeoutMs} ms` }),
      request.timeoutMs > 0 ? request.timeoutMs : 2_147_483_647,
    );
    const armStall = (): void => {
      if (request.stallTimeoutMs <= 0) return;
      clearTimeout(stallTimer);
      stallTimer = setTimeout(
        () => finish({ type: 'stall', message: `no byte for ${request.stallTimeoutMs} ms` }),
        request.stallTimeoutMs,
      );
    };

    req.on('socket', (socket) => socket.setNoDelay(true));
    req.on('finish', () => {
      if (!done) listener.sent(nowMs());
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      finish({ type: err.code === 'EPROXY' ? 'proxy' : classifyError(err, head), message: describeError(err) });
    });
    req.on('response', (res) => {
      if (done) {
        res.destroy();
        return;
      }
      const at = nowMs();
      head = true;
      listener.head(res.statusCode ?? 0, res.headers, at);
      armStall();
      const decoder = new StringDecoder('utf8');
      const encoding = String(res.headers['content-encoding'] ?? '').toLowerCase();
      const inflate = encoding === 'gzip' || encoding === 'x-gzip' ? zlib.createGunzip() : encoding === 'deflate' ? zlib.createInflate() : encoding === 'br' ? zlib.createBrotliDecompress() : undefined;
      const onBytes = (buf: Buffer): void => {
        if (done) return;
        const t = nowMs();
        bytes += buf.length;
        if (bytes > options.maxResponseBytes) {
          finish({ type: 'too_large', message: `response body over ${options.maxResponseBytes} bytes` });
          return;
        }
        const text = decoder.write(buf);
        if (text !== '') listener.data(text, t, buf.length);
      };
      res.on('data', (buf: Buffer) => {
        armStall();
        if (inflate) inflate.write(buf);
        else onBytes(buf);
      });
      inflate?.on('data', onBytes);
      inflate?.on('error', (err) => finish({ type: 'truncated', message: `undecodable ${encoding} body: ${err.message}` }));
      const ended = (): void => {
        const rest = decoder.end();
        if (rest !== '' && !done) listener.data(rest, nowMs(), 0);
        finish();
      };
      res.on('end', () => {
        if (!res.complete) return;
        if (inflate) {
          inflate.once('end', ended);
          inflate.end();
        } else ended();
      });
      res.on('aborted', () => brokeOff());
      res.on('error', () => brokeOff());
      res.on('close', () => {
        if (!res.complete) brokeOff();
      });
    });
    req.end(request.body);

    return (reason: string) => finish({ type: 'aborted', message: reason });
  }

  return {
    send,
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
      for (const tunnel of tunnels.values()) tunnel.destroy();
    },
  };
}

/** An error's text without anything a URL or header could carry: Node's messages name hosts and codes only. */
function describeError(err: NodeJS.ErrnoException): string {
  return err.code && !err.message.includes(err.code) ? `${err.code}: ${err.message}` : err.message;
}
