// A relay for unit tests: a scripted upstream stream is run through the relay's real exchange code (stamping,
// framing, decoding, the envelope) and the envelope is what the k6/http fake answers the relay transport with.
// Only the network and the clock are fake.
import { RELAY_ENVELOPE_TYPE, type RelayEnvelope } from '../../lib/transports/relay-protocol';
import { relayTransport } from '../../lib/transports/relay';
import { DecoderCache, parseMeta, runExchange } from '../../node/relay/exchange';
import { LoopDelayMonitor } from '../../node/relay/loop-delay';
import { envelopeAnswer } from '../../node/relay/server';
import type { TransferError, Upstream } from '../../node/relay/upstream';
import * as http from './k6-http';

export interface ScriptedStream {
  /** Upstream status; 0 for a connection that never answered (with `errorCode`). */
  status: number;
  headers?: Record<string, string>;
  /** [text, arrival ms after the request started]. */
  chunks?: Array<[string, number]>;
  headAt?: number;
  endAt?: number;
  /** A transfer failure at `endAt`: `stall`, `reset`, `refused`, ... */
  errorCode?: TransferError['type'];
  error?: string;
  /** The relay's event-loop delay to report for this exchange. */
  loopDelayMs?: number;
}

/** The upstream requests the relay was asked to send, with the k6-side request params. */
export const requests: Array<{ method: string; url: string; headers: Record<string, string>; body: string; expectedStatuses: number[]; tags: Record<string, string>; timeout: string }> = [];
export const queue: ScriptedStream[] = [];
let clock = 1_000_000;

export const RELAY_URL = 'http://127.0.0.1:7333';
export const RELAY_TOKEN = 'test-relay-token';

/** The transport under test, pointed at the fake relay. */
export function fakeRelayTransport(options: { stallTimeoutMs?: number } = {}) {
  return relayTransport({ url: RELAY_URL, token: RELAY_TOKEN, ...options });
}

const decoders = new DecoderCache();

function scriptedUpstream(s: ScriptedStream, start: number): Upstream {
  return {
    send(_request, listener) {
      listener.sent(start + 0.5);
      if (s.status > 0) {
        listener.head(s.status, lowerCase(s.headers ?? { 'Content-Type': 'text/event-stream' }), start + (s.headAt ?? 2));
        for (const [text, at] of s.chunks ?? []) listener.data(text, start + at, text.length);
      }
      const last = s.chunks?.length ? (s.chunks[s.chunks.length - 1] as [string, number])[1] : 0;
      const error = s.errorCode ? { type: s.errorCode, message: s.error ?? s.errorCode } : undefined;
      listener.end(start + (s.endAt ?? last + 1), error);
      return () => {};
    },
    close() {},
  };
}

function lowerCase(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

/** One scripted exchange, answered as the relay's server answers it. */
function answer(_method: string, _url: string, body: unknown, params: Record<string, unknown>): http.FakeResponse {
  const text = String(body);
  const newline = text.indexOf('\n');
  const meta = parseMeta(text.slice(0, newline));
  const cb = params.responseCallback as { statuses?: unknown[] } | undefined;
  const lenient = (cb?.statuses ?? []).filter((s): s is number => typeof s === 'number');
  requests.push({
    method: meta.method,
    url: meta.url,
    headers: meta.headers,
    body: text.slice(newline + 1),
    expectedStatuses: lenient,
    tags: params.tags as Record<string, string>,
    timeout: String(params.timeout),
  });
  const s = queue.shift() ?? { status: 200 };
  const start = clock;
  let envelope: RelayEnvelope | undefined;
  runExchange(meta, Buffer.from(text.slice(newline + 1)), { upstream: scriptedUpstream(s, start), loop: new LoopDelayMonitor(), decoders }, start, (e) => {
    envelope = e;
  });
  const e = envelope as RelayEnvelope;
  if (s.loopDelayMs !== undefined) e.loopDelay = { max: s.loopDelayMs, mean: s.loopDelayMs / 2 };
  clock += e.t.end + 1;
  const reply = envelopeAnswer(e);
  return { status: reply.status, body: JSON.stringify(e), headers: { 'Content-Type': RELAY_ENVELOPE_TYPE, ...reply.headers } };
}

/** Queues scripted exchanges: each becomes one k6/http answer from the relay. */
export function push(...streams: ScriptedStream[]): void {
  for (const s of streams) {
    queue.push(s);
    http.queue.push(answer);
  }
}

export function reset(): void {
  queue.length = 0;
  requests.length = 0;
}

