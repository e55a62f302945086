// The streaming transport: one plain k6/http request per LLM call to the k6-llm relay, a Node process on the same
// host (`npx k6-llm run script.js` starts it). The relay sends the upstream request, stamps every read, frames and
// decodes the stream, and answers at the end with one envelope (relay-protocol.ts): the Completion, the stamps, the
// upstream's status and headers. So k6 runs no per-event JavaScript, and needs nothing but stock k6.
import http from 'k6/http';
import exec from 'k6/execution';
import type { Completion, HttpRequestSpec } from '../providers/types';
import type { ObservedTimes } from '../timing/index';
import {
  RELAY_ERROR_HEADER,
  RELAY_ERROR_TYPES,
  RELAY_EXCHANGE_PATH,
  RELAY_PROTOCOL_VERSION,
  RELAY_TOKEN_HEADER,
  type RelayEnvelope,
  type RelayRequestMeta,
} from './relay-protocol';
import { headerValue } from '../internal/headers';
import { responseCallback } from './status-callback';
import type { AttemptResult, SendContext, Transport } from './types';

export interface RelayTransportOptions {
  /** The relay's base URL. @default `__ENV.K6_LLM_RELAY` (set by `k6-llm run`) */
  url?: string;
  /** The relay's per-run token. @default `__ENV.K6_LLM_RELAY_TOKEN` (set by `k6-llm run`) */
  token?: string;
  /**
   * Abort a stream when no byte arrives for this long; the attempt ends as error `stall`.
   * Overrides the client's `stallTimeoutMs`.
   */
  stallTimeoutMs?: number;
}

/**
 * How much longer k6 waits for the relay than the relay waits for the upstream: the relay ends a timed-out exchange
 * itself (error `timeout`, with what arrived), and k6 must be there to hear it.
 */
const RELAY_GRACE_MS = 10_000;

const HOW_TO_START =
  'run the script with `npx k6-llm run script.js` (it starts a relay and sets K6_LLM_RELAY and K6_LLM_RELAY_TOKEN), ' +
  'or start one with `npx k6-llm relay` and pass the two variables it prints to k6 with -e';

function env(name: string): string | undefined {
  return typeof __ENV !== 'undefined' && __ENV[name] !== '' ? __ENV[name] : undefined;
}

/** A k6/http request to the k6-llm relay per LLM call; TTFT and ITL come from the relay's stamps. */
export function relayTransport(options: RelayTransportOptions = {}): Transport {
  const base = options.url ?? env('K6_LLM_RELAY');
  // No relay at all is not misuse of the script: `k6 inspect`, `k6 archive` and handleSummary-only runs load it too.
  // The first request stops the run instead, saying how to start one.
  if (base !== undefined && (typeof base !== 'string' || !/^https?:\/\/[^/]/.test(base))) {
    throw new Error(`invalid relay URL: expected an http(s) URL, got ${JSON.stringify(base)}`);
  }
  const endpoint = base === undefined ? undefined : base.replace(/\/+$/, '') + RELAY_EXCHANGE_PATH;
  const token = options.token ?? env('K6_LLM_RELAY_TOKEN') ?? '';
  const requestHeaders = { [RELAY_TOKEN_HEADER]: token, 'Content-Type': 'application/x-k6-llm-exchange' };
  // Whether this VU has ever heard from the relay: a relay that cannot be reached at the very start of a run is a
  // setup mistake, and the run stops with what to do; one that stops answering later is a fault, recorded.
  let reached = false;

  return {
    name: 'relay',
    perEvent: true,
    send(spec: HttpRequestSpec, ctx: SendContext): AttemptResult {
      const meta: RelayRequestMeta = {
        v: RELAY_PROTOCOL_VERSION,
        method: spec.method,
        url: spec.url,
        headers: spec.headers,
        stream: ctx.stream,
        format: ctx.decoder.format,
        timeoutMs: ctx.timeoutMs,
        stallTimeoutMs: options.stallTimeoutMs ?? ctx.stallTimeoutMs,
      };
      if (ctx.decoder.portable !== undefined) meta.decode = ctx.decoder.portable;
      const startedMs = Date.now();
      if (endpoint === undefined) {
        exec.test.abort(`k6-llm: relayTransport() has no relay: K6_LLM_RELAY is not set; ${HOW_TO_START}`);
        return failed(ctx, RELAY_ERROR_TYPES.unavailable, 'no relay URL (K6_LLM_RELAY)', startedMs, {});
      }
      const res = http.request('POST', endpoint, `${JSON.stringify(meta)}\n${spec.body}`, {
        headers: requestHeaders,
        timeout: `${ctx.timeoutMs + RELAY_GRACE_MS}ms`,
        tags: ctx.tags,
        responseCallback: responseCallback(ctx.lenientStatuses),
      });
      if (res.status === 0) {
        if (!reached && exec.instance.iterationsCompleted === 0 && exec.instance.iterationsInterrupted === 0) {
          exec.test.abort(`k6-llm: no relay answered at ${base} (${res.error}); ${HOW_TO_START}`);
        }
        return failed(
          ctx,
          RELAY_ERROR_TYPES.unavailable,
          `the k6-llm relay at ${base} did not answer: ${res.error || 'no response'}`,
          startedMs,
          {},
        );
      }
      reached = true;
      const headers = (res.headers ?? {}) as Record<string, string>;
      let envelope: RelayEnvelope;
      try {
        envelope = JSON.parse(typeof res.body === 'string' ? res.body : '') as RelayEnvelope;
        if (typeof envelope !== 'object' || envelope === null || typeof envelope.t !== 'object') throw new Error('no stamps');
      } catch {
        return failed(ctx, RELAY_ERROR_TYPES.protocol, `the relay at ${base} answered ${res.status} without an envelope`, startedMs, headers);
      }
      const relayError = headerValue(headers, RELAY_ERROR_HEADER);
      if (relayError !== undefined) {
        // No upstream response: the relay's own status (and its `x-should-retry: false` on a setup mistake) stays
        // out of the attempt's status, which is the upstream's, 0 here.
        return failed(ctx, relayError, envelope.error?.message ?? relayError, startedMs, headers, envelope);
      }
      return fromEnvelope(envelope, ctx);
    },
  };
}

function timesOf(envelope: RelayEnvelope, perEvent: boolean): ObservedTimes {
  const t = envelope.t;
  const start = t.start;
  const times: ObservedTimes = { startMs: start, endMs: start + t.end, contentTimes: [], perEvent };
  if (envelope.loopDelay) times.stampDelayMs = envelope.loopDelay.max;
  if (t.head !== undefined) {
    times.headMs = start + t.head;
    times.ttfbMs = t.head - (t.sent ?? 0);
  }
  if (perEvent) {
    const offsets = t.content;
    const absolute = times.contentTimes;
    for (let i = 0; i < offsets.length; i++) absolute[i] = start + (offsets[i] as number);
    if (t.firstVisible !== undefined) times.firstVisibleMs = start + t.firstVisible;
  }
  return times;
}

function fromEnvelope(envelope: RelayEnvelope, ctx: SendContext): AttemptResult {
  const cut = envelope.error;
  let completion: Completion;
  let times: ObservedTimes;
  if (envelope.completion !== undefined) {
    completion = envelope.completion;
    times = timesOf(envelope, envelope.perEvent);
  } else {
    // A provider the relay cannot rebuild (reading functions): it sent the stamped reads, decoded here with each
    // event stamped by the read that completed it.
    const chunks = envelope.chunks ?? [];
    times = timesOf(envelope, envelope.perEvent);
    if (envelope.perEvent) {
      const start = envelope.t.start;
      const contentTimes: number[] = [];
      let arrival = start;
      let firstVisible: number | undefined;
      const decoder = ctx.decoder.open((effect) => {
        if (effect.content) contentTimes.push(arrival);
        if (effect.visible && firstVisible === undefined) firstVisible = arrival;
      });
      for (let i = 0; i < chunks.length; i++) {
        const chunk = chunks[i] as [number, string];
        arrival = start + chunk[0];
        decoder.feed(chunk[1]);
      }
      completion = decoder.finish(cut);
      times.contentTimes = contentTimes;
      times.firstVisibleMs = firstVisible;
    } else {
      let body = '';
      for (let i = 0; i < chunks.length; i++) body += (chunks[i] as [number, string])[1];
      completion = ctx.decoder.whole(body, false, cut);
    }
  }
  const result: AttemptResult = { status: envelope.status, headers: envelope.headers ?? {}, completion, times, bytes: envelope.bytes };
  if (cut) {
    result.errorCode = cut.type;
    result.errorMessage = cut.message;
  }
  if (envelope.errorBody !== undefined) result.errorBody = envelope.errorBody;
  return result;
}

function failed(
  ctx: SendContext,
  type: string,
  message: string,
  startedMs: number,
  headers: Record<string, string>,
  envelope?: RelayEnvelope,
): AttemptResult {
  const times: ObservedTimes = envelope?.t
    ? { startMs: envelope.t.start, endMs: envelope.t.start + envelope.t.end, contentTimes: [], perEvent: false }
    : { startMs: startedMs, endMs: Date.now(), contentTimes: [], perEvent: false };
  return {
    status: 0,
    headers,
    completion: ctx.decoder.noResponse({ type, message }),
    times,
    errorCode: type,
    errorMessage: message,
    bytes: envelope?.bytes ?? 0,
  };
}
