// The k6-llm relay's HTTP server: takes exchange requests from k6 scripts on loopback, checks the per-run token,
// the body limit and the host allowlist, runs each exchange and answers with its envelope. It logs no key, prompt or
// answer: only counts, types and hosts.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  RELAY_ENVELOPE_TYPE,
  RELAY_ERROR_HEADER,
  RELAY_EXCHANGE_PATH,
  RELAY_HEALTH_PATH,
  RELAY_PROTOCOL_VERSION,
  RELAY_TOKEN_HEADER,
  type RelayEnvelope,
} from '../../lib/transports/relay-protocol';
import { nowMs, roundMs } from './clock';
import { DecoderCache, ExchangeError, hostAllowed, parseMeta, runExchange } from './exchange';
import { LoopDelayMonitor } from './loop-delay';
import { createUpstream, type Cancel, type UpstreamOptions } from './upstream';

export interface RelayOptions {
  /** Interface to bind. @default '127.0.0.1' */
  host?: string;
  /** Port; 0 picks a free one. @default 0 */
  port?: number;
  /** The per-run token every request must carry. @default a random one */
  token?: string;
  /** Upstream hosts the relay may call (`api.openai.com`, `*.openai.azure.com`). @default any */
  allowHosts?: string[];
  /** Largest request body (meta line and upstream body). @default 33554432 (32 MiB) */
  maxRequestBytes?: number;
  /** Largest upstream response body. @default 67108864 (64 MiB) */
  maxResponseBytes?: number;
  ca?: string[];
  insecure?: boolean;
  proxy?: string;
  /** One line per exchange (method, host, status, duration; never the path's query, headers or bodies). */
  log?: (line: string) => void;
}

export const RELAY_DEFAULTS = {
  host: '127.0.0.1',
  maxRequestBytes: 32 * 1024 * 1024,
  maxResponseBytes: 64 * 1024 * 1024,
} as const;

/** Counts for the closing line and the health endpoint. */
export interface RelayStats {
  exchanges: number;
  inFlight: number;
  /** Exchanges that ended in an error, by type. */
  errors: Record<string, number>;
  /** Requests refused before any upstream call, by type. */
  refused: Record<string, number>;
  /** Worst event-loop delay any exchange saw, ms. */
  maxLoopDelayMs: number;
}

export interface Relay {
  url: string;
  token: string;
  stats(): RelayStats;
  /** Stops accepting, cancels exchanges in flight (each answered with error `aborted` if its client is still there). */
  close(): Promise<void>;
}

/**
 * The HTTP status and extra headers an envelope is answered with: the upstream's status; with no upstream response,
 * the relay's own (504 for a timeout, else 502, never one the upstream could have sent) and the error header.
 */
export function envelopeAnswer(envelope: RelayEnvelope): { status: number; headers: Record<string, string> } {
  if (envelope.status !== 0) return { status: envelope.status, headers: {} };
  const type = envelope.error?.type ?? 'network';
  return { status: type === 'timeout' ? 504 : 502, headers: { [RELAY_ERROR_HEADER]: type } };
}

/** A random per-run token: 32 hex characters. */
export function newToken(): string {
  return randomBytes(16).toString('hex');
}

function sameToken(given: string | string[] | undefined, expected: Buffer): boolean {
  if (typeof given !== 'string') return false;
  const buf = Buffer.from(given);
  return buf.length === expected.length && timingSafeEqual(buf, expected);
}

export function startRelay(options: RelayOptions = {}): Promise<Relay> {
  const token = options.token ?? newToken();
  const expected = Buffer.from(token);
  const maxRequestBytes = options.maxRequestBytes ?? RELAY_DEFAULTS.maxRequestBytes;
  const upstream = createUpstream({
    ca: options.ca,
    insecure: options.insecure,
    proxy: options.proxy,
    maxResponseBytes: options.maxResponseBytes ?? RELAY_DEFAULTS.maxResponseBytes,
  } satisfies UpstreamOptions);
  const ctx = { upstream, loop: new LoopDelayMonitor(), decoders: new DecoderCache() };
  // Exchanges in flight, each with its cancel once the upstream request exists.
  const inFlight = new Set<{ cancel?: Cancel }>();
  const stats: RelayStats = { exchanges: 0, inFlight: 0, errors: {}, refused: {}, maxLoopDelayMs: 0 };
  const log = options.log;

  function refuse(res: http.ServerResponse, err: ExchangeError): void {
    stats.refused[err.type] = (stats.refused[err.type] ?? 0) + 1;
    const t = nowMs();
    const envelope: RelayEnvelope = {
      v: RELAY_PROTOCOL_VERSION,
      status: 0,
      headers: {},
      perEvent: false,
      t: { start: t, content: [], end: 0 },
      bytes: 0,
      reads: 0,
      events: 0,
      error: { type: err.type, message: err.message },
    };
    // The script's retry policy obeys x-should-retry: a refused request would be refused again.
    send(res, err.status, envelope, { [RELAY_ERROR_HEADER]: err.type, 'x-should-retry': 'false' });
  }

  function send(res: http.ServerResponse, status: number, envelope: RelayEnvelope, extra: Record<string, string> = {}): void {
    if (res.destroyed || res.writableEnded) return;
    const body = JSON.stringify(envelope);
    res.writeHead(status, { 'content-type': RELAY_ENVELOPE_TYPE, 'content-length': Buffer.byteLength(body), ...extra });
    res.end(body);
  }

  function handleExchange(req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): void {
    const newline = raw.indexOf(10);
    if (newline < 0) throw new ExchangeError('relay_bad_request', 400, 'invalid exchange request: expected a JSON line, a newline and the body');
    const meta = parseMeta(raw.toString('utf8', 0, newline));
    if (!hostAllowed(meta.target.hostname, options.allowHosts)) {
      throw new ExchangeError('relay_forbidden_host', 403, `upstream host ${meta.target.hostname} is not on the relay's allowlist (--allow-host)`);
    }
    const start = nowMs();
    stats.exchanges++;
    stats.inFlight++;
    const entry: { cancel?: Cancel } = {};
    inFlight.add(entry);
    const finished = (envelope: RelayEnvelope): void => {
      stats.inFlight--;
      inFlight.delete(entry);
      if (envelope.error) stats.errors[envelope.error.type] = (stats.errors[envelope.error.type] ?? 0) + 1;
      if (envelope.loopDelay && envelope.loopDelay.max > stats.maxLoopDelayMs) stats.maxLoopDelayMs = envelope.loopDelay.max;
      log?.(`${meta.method} ${meta.target.host} ${envelope.status || envelope.error?.type} ${roundMs(envelope.t.end).toFixed(1)} ms ${envelope.bytes} B`);
      const answer = envelopeAnswer(envelope);
      send(res, answer.status, envelope, answer.headers);
    };
    entry.cancel = runExchange(meta, raw.subarray(newline + 1), ctx, start, finished);
    // k6 gave up (its timeout, or the run ended): the upstream request goes too.
    res.on('close', () => {
      if (!res.writableFinished) entry.cancel?.('the script closed the exchange');
    });
  }

  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === RELAY_HEALTH_PATH) {
      const m = process.memoryUsage();
      const body = JSON.stringify({ v: RELAY_PROTOCOL_VERSION, inFlight: stats.inFlight, memory: { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external } });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    if (req.method !== 'POST' || req.url !== RELAY_EXCHANGE_PATH) {
      req.resume();
      refuse(res, new ExchangeError('relay_bad_request', 404, `no such relay endpoint: ${req.method} ${req.url?.split('?')[0]} (POST ${RELAY_EXCHANGE_PATH})`));
      return;
    }
    if (!sameToken(req.headers[RELAY_TOKEN_HEADER], expected)) {
      req.resume();
      refuse(res, new ExchangeError('relay_auth', 401, `missing or wrong ${RELAY_TOKEN_HEADER}: the relay takes requests only from the run that started it (K6_LLM_RELAY_TOKEN)`));
      return;
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxRequestBytes) {
      req.resume();
      refuse(res, new ExchangeError('relay_too_large', 413, `request body of ${declared} bytes is over the relay's ${maxRequestBytes} (--max-request-bytes)`));
      return;
    }
    const parts: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (buf: Buffer) => {
      size += buf.length;
      if (size > maxRequestBytes) over = true;
      else parts.push(buf);
    });
    req.on('end', () => {
      if (over) {
        refuse(res, new ExchangeError('relay_too_large', 413, `request body over the relay's ${maxRequestBytes} bytes (--max-request-bytes)`));
        return;
      }
      try {
        handleExchange(req, res, parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts));
      } catch (err) {
        if (err instanceof ExchangeError) refuse(res, err);
        else refuse(res, new ExchangeError('relay_bad_request', 400, `exchange failed in the relay: ${(err as Error).message}`));
      }
    });
  });
  // Streams last minutes: nothing of Node's own request timing may cut one. The idle keep-alive outlasts k6's reuse of
  // a connection (Go's transport idles 90 s at most), so k6 never sends on a socket the relay is closing.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  server.timeout = 0;
  server.keepAliveTimeout = 120_000;

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? RELAY_DEFAULTS.host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        url: `http://${host}:${address.port}`,
        token,
        stats: () => ({ ...stats, errors: { ...stats.errors }, refused: { ...stats.refused } }),
        close: () =>
          new Promise<void>((done) => {
            for (const entry of inFlight) entry.cancel?.('the relay is stopping');
            server.close(() => done());
            server.closeIdleConnections();
            upstream.close();
            // Connections still busy get a moment to receive their aborted envelopes.
            setTimeout(() => server.closeAllConnections(), 1_000).unref();
          }),
      });
    });
  });
}
