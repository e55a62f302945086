// The relay's HTTP/1.1 client for upstream requests. It is its own rather than node:http's because the relay's work
// is one small read per token on hundreds of sockets: node:http hands each read through its parser binding, an
// IncomingMessage, the Readable machinery and a StringDecoder before a listener sees it, and that was most of the
// relay's CPU per token. Here a plain TCP socket reads into one reused buffer (`onread`), each read is stamped first
// thing, and the response is framed (status, headers, Content-Length / chunked / until close) by the small parser
// below. TLS sockets read through 'data' events, decryption costing more than the framing anyway. Connections are
// kept alive per origin, LIFO, and closed after 15 s idle. The relay's TLS and proxy settings live here, since k6's
// own no longer reach the upstream. Failures are named the way k6-llm tags errors.
import net from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import tls from 'node:tls';
import zlib from 'node:zlib';
import { nowMs } from './clock';

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
  /** The response head; header names lower case, repeated ones joined with `, `. */
  head(status: number, headers: Record<string, string>, at: number): void;
  data(text: string, at: number, bytes: number): void;
  /** The exchange is over: the body ended, or it failed (`error`). Called exactly once. */
  end(at: number, error?: TransferError): void;
}

/** Cancels an upstream request; the listener's `end` then reports `aborted`. */
export type Cancel = (reason: string) => void;

/** A request that cannot be sent as given (a header with a line break): the relay refuses it. */
export class InvalidRequestError extends Error {}

const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_OSSL_|HOSTNAME_MISMATCH)/;

/** Names a socket error the way k6-llm tags errors. */
export function classifyError(err: NodeJS.ErrnoException, midBody: boolean): TransferError['type'] {
  const code = err.code ?? '';
  if (code === 'EPROXY') return 'proxy';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL') return 'dns';
  if (code === 'ETIMEDOUT') return 'timeout';
  if (TLS_CODES.test(code) || /certificate|ssl|tls/i.test(err.message)) return 'tls';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'reset';
  return midBody ? 'truncated' : 'network';
}

function describeError(err: NodeJS.ErrnoException): string {
  return err.code && !err.message.includes(err.code) ? `${err.code}: ${err.message}` : err.message;
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

const LF = 10;
const HEAD_LIMIT = 64 * 1024;
const IDLE_MS = 15_000;
/** One read buffer for every plain socket: a read is framed and decoded before the next one can land in it. */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/** One exchange's response, framed as it arrives. */
interface Reading {
  listener: UpstreamListener;
  head: boolean;
  headBuf: Buffer | undefined;
  /** `length`: `remaining` bytes; `chunked`: chunk by chunk; `close`: until the connection closes; `none`. */
  framing: 'length' | 'chunked' | 'close' | 'none';
  remaining: number;
  /** Chunked: reading a size line (`size`), chunk data (`data`), the CRLF after it (`crlf`), or trailers. */
  chunkState: 'size' | 'data' | 'crlf' | 'trailers';
  sizeLine: string;
  keepAlive: boolean;
  bytes: number;
  decoder: StringDecoder;
  inflate: zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined;
  /** The stamp of the read being framed. */
  at: number;
  lastReadAt: number;
  /** A compressed body: called once the decompressor has handed over the last of it. */
  inflated?: () => void;
}

/** A kept-alive connection to one origin. */
interface Conn {
  socket: net.Socket;
  key: string;
  reading: Reading | undefined;
  /** Called with every read of this socket (set per exchange). */
  onRead: (buf: Buffer, start: number, end: number, at: number) => void;
  onClose: (err: NodeJS.ErrnoException | undefined) => void;
  idleTimer: NodeJS.Timeout | undefined;
}

export interface Upstream {
  send(request: UpstreamRequest, listener: UpstreamListener): Cancel;
  /** Closes idle connections. In-flight requests are cancelled by their owners. */
  close(): void;
}

export function createUpstream(options: UpstreamOptions): Upstream {
  const tlsOptions: tls.ConnectionOptions = {};
  if (options.ca?.length) tlsOptions.ca = [...tls.rootCertificates, ...options.ca];
  if (options.insecure) tlsOptions.rejectUnauthorized = false;
  const idle = new Map<string, Conn[]>();

  function takeIdle(key: string): Conn | undefined {
    const list = idle.get(key);
    while (list && list.length > 0) {
      const conn = list.pop() as Conn;
      clearTimeout(conn.idleTimer);
      conn.idleTimer = undefined;
      if (!conn.socket.destroyed && conn.socket.readyState === 'open') return conn;
    }
    return undefined;
  }

  function release(conn: Conn): void {
    conn.reading = undefined;
    conn.onRead = ignoreRead;
    conn.onClose = () => dropIdle(conn);
    let list = idle.get(conn.key);
    if (!list) idle.set(conn.key, (list = []));
    list.push(conn);
    conn.idleTimer = setTimeout(() => conn.socket.destroy(), IDLE_MS);
    conn.idleTimer.unref();
  }

  function dropIdle(conn: Conn): void {
    clearTimeout(conn.idleTimer);
    const list = idle.get(conn.key);
    const at = list ? list.indexOf(conn) : -1;
    if (list && at >= 0) list.splice(at, 1);
  }

  /** Opens a connection: TCP (reading into the shared buffer), TLS, or TLS through a proxy's CONNECT tunnel. */
  function connect(url: URL, viaProxy: URL | undefined, key: string, ready: (err: NodeJS.ErrnoException | undefined, conn?: Conn) => void): () => void {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    let settled = false;
    let raw: net.Socket | undefined;
    const conn: Conn = { socket: undefined as unknown as net.Socket, key, reading: undefined, onRead: ignoreRead, onClose: () => {}, idleTimer: undefined };
    const fail = (err: NodeJS.ErrnoException): void => {
      if (settled) return;
      settled = true;
      raw?.destroy();
      conn.socket?.destroy();
      ready(err);
    };
    const attach = (socket: net.Socket, readsThroughEvents: boolean): void => {
      conn.socket = socket;
      socket.setNoDelay(true);
      if (readsThroughEvents) socket.on('data', (buf: Buffer) => conn.onRead(buf, 0, buf.length, nowMs()));
      socket.on('error', (err: NodeJS.ErrnoException) => {
        if (!settled) fail(err);
        else conn.onClose(err);
      });
      socket.on('close', () => {
        if (settled) conn.onClose(undefined);
      });
    };
    const startTls = (socket: net.Socket | undefined): void => {
      const secure = tls.connect({ ...tlsOptions, host, port, servername: net.isIP(host) ? undefined : host, socket });
      attach(secure, true);
      secure.once('secureConnect', () => {
        if (settled) return;
        settled = true;
        ready(undefined, conn);
      });
    };
    const onread = {
      buffer: READ_BUFFER,
      callback: (n: number, buf: Buffer): boolean => {
        conn.onRead(buf, 0, n, nowMs());
        return true;
      },
    };
    if (url.protocol === 'https:' && viaProxy) {
      raw = net.connect({ host: viaProxy.hostname, port: Number(viaProxy.port || 80) });
      raw.once('error', fail);
      raw.once('connect', () => tunnel(raw as net.Socket, viaProxy, `${host}:${port}`, (err) => (err ? fail(err) : startTls(raw))));
    } else if (url.protocol === 'https:') {
      startTls(undefined);
    } else {
      const target = viaProxy ? { host: viaProxy.hostname, port: Number(viaProxy.port || 80) } : { host, port };
      const socket = net.connect({ ...target, onread });
      attach(socket, false);
      socket.once('connect', () => {
        if (settled) return;
        settled = true;
        ready(undefined, conn);
      });
    }
    return () => fail(Object.assign(new Error('cancelled while connecting'), { code: 'ECANCELED' }));
  }

  function send(request: UpstreamRequest, listener: UpstreamListener): Cancel {
    const { url } = request;
    const viaProxy = proxyFor(url, options.proxy);
    // A proxied http request is sent in absolute form to the proxy; https goes through a tunnel to the origin.
    const absolute = viaProxy !== undefined && url.protocol === 'http:';
    const key = `${url.protocol}//${url.host}${viaProxy ? ` via ${viaProxy.host}` : ''}`;
    const head = requestHead(request, absolute);
    let done = false;
    let conn: Conn | undefined;
    let cancelConnect: (() => void) | undefined;
    let stallTimer: NodeJS.Timeout | undefined;
    let reused = false;

    const finish = (error?: TransferError, at = nowMs()): void => {
      if (done) return;
      done = true;
      clearTimeout(overall);
      clearTimeout(stallTimer);
      const reading = conn?.reading;
      if (reading?.inflate) reading.inflate.removeAllListeners('data');
      listener.end(at, error);
      if (!conn) {
        cancelConnect?.();
        return;
      }
      if (!error && reading?.keepAlive && reading.framing !== 'close') release(conn);
      else conn.socket.destroy();
    };
    const overall = setTimeout(
      () => finish({ type: 'timeout', message: `no complete response within ${request.timeoutMs} ms` }),
      request.timeoutMs > 0 ? request.timeoutMs : 2_147_483_647,
    );
    // One stall timer per exchange, re-armed lazily: a read only notes its time, and the timer, when it fires,
    // waits out whatever is left of the silence since the last read.
    const checkStall = (): void => {
      const reading = conn?.reading;
      const since = reading ? nowMs() - reading.lastReadAt : 0;
      if (since >= request.stallTimeoutMs) finish({ type: 'stall', message: `no byte for ${request.stallTimeoutMs} ms` });
      else stallTimer = setTimeout(checkStall, request.stallTimeoutMs - since);
    };

    const start = (c: Conn): void => {
      conn = c;
      const reading: Reading = {
        listener,
        head: false,
        headBuf: undefined,
        framing: 'none',
        remaining: 0,
        chunkState: 'size',
        sizeLine: '',
        keepAlive: true,
        bytes: 0,
        decoder: new StringDecoder('utf8'),
        inflate: undefined,
        at: 0,
        lastReadAt: 0,
      };
      c.reading = reading;
      c.onRead = (buf, from, to, at) => {
        if (done) return;
        reading.at = at;
        reading.lastReadAt = at;
        reading.inflated = () => finish(undefined, nowMs());
        try {
          const end = frame(reading, buf, from, to, request.method, options.maxResponseBytes);
          if (end === 'done') finish(undefined, at);
          else if (end === 'head' && request.stallTimeoutMs > 0 && stallTimer === undefined) {
            stallTimer = setTimeout(checkStall, request.stallTimeoutMs);
          }
        } catch (err) {
          finish((err as FramingError).transfer ?? { type: 'network', message: (err as Error).message }, at);
        }
      };
      c.onClose = (err) => {
        if (done) return;
        const at = nowMs();
        if (err) {
          const type = classifyError(err, reading.head);
          // A kept-alive socket the upstream closed just as this request went out: a reset before any answer.
          finish({ type, message: reused && !reading.head ? `${describeError(err)} (on a reused connection)` : describeError(err) }, at);
        } else if (reading.head && reading.framing === 'close') {
          if (finishBody(reading)) finish(undefined, at);
        } else {
          finish({ type: reading.head ? 'truncated' : 'reset', message: reading.head ? 'connection closed before the body ended' : 'connection closed before a response' }, at);
        }
      };
      c.socket.cork();
      c.socket.write(head);
      c.socket.write(request.body, () => {
        if (!done) listener.sent(nowMs());
      });
      c.socket.uncork();
    };

    const idleConn = takeIdle(key);
    if (idleConn) {
      reused = true;
      start(idleConn);
    } else {
      cancelConnect = connect(url, viaProxy, key, (err, c) => {
        cancelConnect = undefined;
        if (done) {
          c?.socket.destroy();
          return;
        }
        if (err || !c) finish({ type: classifyError(err ?? new Error('no connection'), false), message: describeError(err ?? new Error('no connection')) });
        else start(c);
      });
    }
    return (reason: string) => finish({ type: 'aborted', message: reason });
  }

  return {
    send,
    close() {
      for (const list of idle.values()) for (const conn of list) conn.socket.destroy();
      idle.clear();
    },
  };
}

function ignoreRead(): void {}

/** A proxy's CONNECT: `cb()` once it answered 200, with the socket then a tunnel to `target`. */
function tunnel(socket: net.Socket, proxy: URL, target: string, cb: (err?: NodeJS.ErrnoException) => void): void {
  let auth = '';
  if (proxy.username) {
    auth = `Proxy-Authorization: Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}\r\n`;
  }
  socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${auth}\r\n`);
  let buffered = Buffer.alloc(0);
  const onData = (buf: Buffer): void => {
    buffered = Buffer.concat([buffered, buf]);
    const end = buffered.indexOf('\r\n\r\n');
    if (end < 0) {
      if (buffered.length > HEAD_LIMIT) done(Object.assign(new Error('proxy answered CONNECT with an oversized head'), { code: 'EPROXY' }));
      return;
    }
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(buffered.toString('latin1', 0, end))?.[1] ?? 0);
    done(status === 200 ? undefined : Object.assign(new Error(`proxy answered CONNECT ${target} with ${status}`), { code: 'EPROXY' }));
  };
  const done = (err?: NodeJS.ErrnoException): void => {
    socket.off('data', onData);
    cb(err);
  };
  socket.on('data', onData);
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** The request line and headers, checked: a name that is not a token or a value with a line break is refused. */
function requestHead(request: UpstreamRequest, absolute: boolean): string {
  const { url } = request;
  let head = `${request.method} ${absolute ? url.href : `${url.pathname}${url.search}`} HTTP/1.1\r\n`;
  let hasHost = false;
  let hasAccept = false;
  for (const name in request.headers) {
    const value = request.headers[name] as string;
    const lower = name.toLowerCase();
    if (!TOKEN.test(name)) throw new InvalidRequestError(`invalid header name: ${JSON.stringify(name)}`);
    if (/[\r\n\0]/.test(value)) throw new InvalidRequestError(`invalid value of header ${name}: it holds a line break`);
    // The relay frames the body itself.
    if (lower === 'content-length' || lower === 'transfer-encoding' || lower === 'connection') continue;
    if (lower === 'host') hasHost = true;
    if (lower === 'accept-encoding') hasAccept = true;
    head += `${name}: ${value}\r\n`;
  }
  if (!hasHost) head += `Host: ${url.host}\r\n`;
  // An identity body streams event by event; a compressed one would arrive in whatever blocks the compressor makes.
  if (!hasAccept) head += 'Accept-Encoding: identity\r\n';
  return `${head}Connection: keep-alive\r\nContent-Length: ${request.body.length}\r\n\r\n`;
}

class FramingError extends Error {
  readonly transfer: TransferError;
  constructor(transfer: TransferError) {
    super(transfer.message);
    this.transfer = transfer;
  }
}

/**
 * Frames one read of a response: the head (skipping 1xx heads), then the body by its framing, handing body text to
 * the listener. Returns `head` on the read that completed the head, `done` once the body is complete.
 */
function frame(r: Reading, buf: Buffer, from: number, to: number, method: string, maxBytes: number): 'head' | 'done' | undefined {
  let pos = from;
  let headDone = false;
  while (!r.head) {
    const chunk = r.headBuf ? Buffer.concat([r.headBuf, buf.subarray(pos, to)]) : buf.subarray(pos, to);
    const end = chunk.indexOf('\r\n\r\n');
    if (end < 0) {
      if (chunk.length > HEAD_LIMIT) throw new FramingError({ type: 'network', message: `response head over ${HEAD_LIMIT} bytes` });
      // The shared read buffer is reused: keep a copy.
      r.headBuf = Buffer.from(chunk);
      return undefined;
    }
    const consumed = end + 4 - (r.headBuf ? r.headBuf.length : 0);
    r.headBuf = undefined;
    const text = chunk.toString('latin1', 0, end);
    pos += consumed;
    const status = parseHead(r, text, method);
    if (status >= 100 && status < 200) continue;
    headDone = true;
  }
  if (pos < to) {
    if (bodyBytes(r, buf, pos, to, maxBytes)) return 'done';
  } else if (headDone && (r.framing === 'none' || (r.framing === 'length' && r.remaining === 0))) {
    if (finishBody(r)) return 'done';
  }
  return headDone ? 'head' : undefined;
}

/** Reads the status line and headers; sets the body's framing. Returns the status. */
function parseHead(r: Reading, text: string, method: string): number {
  const lines = text.split('\r\n');
  const m = /^HTTP\/1\.([01]) (\d{3})/.exec(lines[0] ?? '');
  if (!m) throw new FramingError({ type: 'network', message: `not an HTTP/1.x response: ${JSON.stringify((lines[0] ?? '').slice(0, 60))}` });
  const status = Number(m[2]);
  if (status >= 100 && status < 200) return status;
  const headers: Record<string, string> = {};
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  const connection = (headers.connection ?? '').toLowerCase();
  r.keepAlive = m[1] === '1' ? !connection.includes('close') : connection.includes('keep-alive');
  const te = (headers['transfer-encoding'] ?? '').toLowerCase();
  if (method === 'HEAD' || status === 204 || status === 304) r.framing = 'none';
  else if (te.includes('chunked')) r.framing = 'chunked';
  else if (headers['content-length'] !== undefined) {
    r.framing = 'length';
    r.remaining = Number(headers['content-length']);
    if (!Number.isInteger(r.remaining) || r.remaining < 0) throw new FramingError({ type: 'network', message: `invalid Content-Length: ${headers['content-length']}` });
  } else r.framing = 'close';
  const encoding = (headers['content-encoding'] ?? '').toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip') r.inflate = zlib.createGunzip();
  else if (encoding === 'deflate') r.inflate = zlib.createInflate();
  else if (encoding === 'br') r.inflate = zlib.createBrotliDecompress();
  if (r.inflate) {
    r.inflate.on('data', (out: Buffer) => emitText(r, r.decoder.write(out), out.length));
    r.inflate.on('error', () => {
      // An undecodable body: what arrived stays, and the framing decides how the exchange ends.
    });
  }
  r.head = true;
  r.listener.head(status, headers, r.at);
  return status;
}

function emitText(r: Reading, text: string, bytes: number): void {
  if (text !== '') r.listener.data(text, r.at, bytes);
}

/**
 * Body bytes of one read, by the framing. Returns true once the body is complete and handed over (a compressed body
 * completes later, through `inflated`).
 */
function bodyBytes(r: Reading, buf: Buffer, from: number, to: number, maxBytes: number): boolean {
  let pos = from;
  if (r.framing === 'length' || r.framing === 'close' || r.framing === 'none') {
    let end = to;
    if (r.framing === 'length') end = Math.min(to, pos + r.remaining);
    if (r.framing !== 'none') {
      payload(r, buf, pos, end, maxBytes);
      if (r.framing === 'length') r.remaining -= end - pos;
    }
    if (r.framing === 'length' && r.remaining === 0) return finishBody(r);
    return r.framing === 'none' && finishBody(r);
  }
  // Chunked: size line, data, CRLF, ... a zero size, trailers, an empty line.
  while (pos < to) {
    if (r.chunkState === 'data') {
      const end = Math.min(to, pos + r.remaining);
      payload(r, buf, pos, end, maxBytes);
      r.remaining -= end - pos;
      pos = end;
      if (r.remaining === 0) r.chunkState = 'crlf';
      continue;
    }
    const lf = buf.indexOf(LF, pos);
    const lineEnd = lf < 0 || lf >= to ? to : lf;
    const piece = buf.toString('latin1', pos, lineEnd);
    pos = lineEnd < to ? lineEnd + 1 : to;
    if (lineEnd === to) {
      r.sizeLine += piece;
      return false;
    }
    const line = (r.sizeLine + piece).replace(/\r$/, '');
    r.sizeLine = '';
    if (r.chunkState === 'crlf') {
      if (line !== '') throw new FramingError({ type: 'truncated', message: 'malformed chunked body: data longer than its size' });
      r.chunkState = 'size';
    } else if (r.chunkState === 'size') {
      const size = parseInt(line.split(';')[0] as string, 16);
      if (!Number.isFinite(size) || size < 0) throw new FramingError({ type: 'truncated', message: `malformed chunk size: ${JSON.stringify(line.slice(0, 20))}` });
      if (size === 0) r.chunkState = 'trailers';
      else {
        r.remaining = size;
        r.chunkState = 'data';
      }
    } else if (line === '') {
      // The empty line after the last chunk's trailers: the body is complete.
      return finishBody(r);
    }
  }
  return false;
}

function payload(r: Reading, buf: Buffer, from: number, to: number, maxBytes: number): void {
  if (to <= from) return;
  r.bytes += to - from;
  if (r.bytes > maxBytes) throw new FramingError({ type: 'too_large', message: `response body over ${maxBytes} bytes` });
  if (r.inflate) r.inflate.write(Buffer.from(buf.subarray(from, to)));
  else emitText(r, r.decoder.write(buf.subarray(from, to)), to - from);
}

/**
 * The body ended: what the UTF-8 decoder holds is handed over. Returns true when that is all; a compressed body is
 * still in the decompressor, which calls `inflated` once it has handed over the rest.
 */
function finishBody(r: Reading): boolean {
  const inflate = r.inflate;
  if (inflate) {
    inflate.once('end', () => {
      emitText(r, r.decoder.end(), 0);
      r.inflated?.();
    });
    inflate.end();
    return false;
  }
  emitText(r, r.decoder.end(), 0);
  return true;
}
