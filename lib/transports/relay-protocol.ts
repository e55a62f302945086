// The wire between a k6 script and the k6-llm relay: one plain HTTP exchange per LLM call. Pure (no k6, no Node),
// imported by the relay transport in k6 and by the relay in Node, so both sides read one definition.
//
// Request: `POST <relay>/v1/exchange`, header `k6-llm-relay-token`, body = one line of JSON (RelayRequestMeta), a
// newline, then the upstream request body as it is (JSON.stringify never writes a raw newline, so the first one
// ends the meta). The upstream body is never encoded twice.
// Response: status = the upstream's status; body = one RelayEnvelope (JSON). A failure of the relay itself, or of the
// connection to the upstream, carries the `k6-llm-relay-error` header with its type and a status of the relay's own
// (never one the upstream sent); the envelope's `status` is then 0.
import type { Completion } from '../providers/types';

export const RELAY_PROTOCOL_VERSION = 1;
export const RELAY_EXCHANGE_PATH = '/v1/exchange';
export const RELAY_HEALTH_PATH = '/v1/health';
export const RELAY_TOKEN_HEADER = 'k6-llm-relay-token';
export const RELAY_ERROR_HEADER = 'k6-llm-relay-error';
export const RELAY_ENVELOPE_TYPE = 'application/vnd.k6-llm.envelope+json';

/**
 * How the relay decodes an upstream body itself: a built-in provider by name, or a custom provider's configuration
 * when it holds no functions for reading responses. Without one, the relay returns the stamped chunks and the
 * script decodes them.
 */
export type RelayDecodeSpec = { provider: string } | { custom: Record<string, unknown> };

/** The first line of an exchange request. */
export interface RelayRequestMeta {
  v: number;
  method: string;
  url: string;
  /** Upstream request headers, the API key among them: the relay never logs them. */
  headers: Record<string, string>;
  /** The request asked the upstream to stream. */
  stream: boolean;
  /** How a streamed body is framed. */
  format: 'sse' | 'ndjson' | 'json';
  decode?: RelayDecodeSpec;
  /** Whole-exchange timeout, from sending the request to the end of the body. */
  timeoutMs: number;
  /** Abort a body that sends nothing for this long. 0 = never. */
  stallTimeoutMs: number;
}

/**
 * Stamps of one exchange. `start` is epoch milliseconds (a monotonic clock anchored to wall time, with microsecond
 * fractions); every other stamp is milliseconds after `start`.
 */
export interface RelayStamps {
  /** The relay began the upstream request (before connecting). */
  start: number;
  /** The request head and body were handed to the socket. */
  sent?: number;
  /** The response head arrived. */
  head?: number;
  /** The first framed event arrived. */
  firstEvent?: number;
  /** The first event with visible (non-reasoning) output arrived. */
  firstVisible?: number;
  /** Arrival of every event that carried output content, in order; the first is TTFT. */
  content: number[];
  /** The body ended, or the exchange failed. */
  end: number;
}

/** The relay's answer to one exchange. */
export interface RelayEnvelope {
  v: number;
  /** The upstream's HTTP status; 0 when no response arrived. */
  status: number;
  /** The upstream's response headers (lower-case names; repeated ones joined with `, `). */
  headers: Record<string, string>;
  /** The response as the relay decoded it (present when the request carried `decode`). */
  completion?: Completion;
  /** Without `decode`: the body's reads in order, each `[ms after start, text]`, for the script to decode. */
  chunks?: Array<[number, string]>;
  /** Whether the body was read event by event as the stream the request asked for (so TTFT and ITL are real). */
  perEvent: boolean;
  /** A non-2xx body, cut to 64 KiB, for the retry policy (Google's RetryInfo, Anthropic's spend-limit code). */
  errorBody?: string;
  t: RelayStamps;
  bytes: number;
  reads: number;
  events: number;
  /** A failure of the transfer: `timeout`, `stall`, `reset`, `refused`, `dns`, `tls`, `truncated`, `too_large`, `network`, or the relay's own `relay_*`. */
  error?: { type: string; message: string };
  /**
   * The relay's event-loop delay while this exchange was in flight, in ms: how late a stamp could have been taken
   * after its read was ready. `max` is the worst sample, `mean` the average.
   */
  loopDelay?: { max: number; mean: number };
}

/** Relay-side failure types (the `k6-llm-relay-error` header); upstream connection failures use the transport's own. */
export const RELAY_ERROR_TYPES = {
  /** Missing or wrong `k6-llm-relay-token`. */
  auth: 'relay_auth',
  /** The upstream host is not on the relay's allowlist. */
  forbiddenHost: 'relay_forbidden_host',
  /** The exchange request was not one the relay understands (bad meta, other protocol version). */
  badRequest: 'relay_bad_request',
  /** The request body was over the relay's limit. */
  tooLarge: 'relay_too_large',
  /** The relay could not be reached or stopped answering. */
  unavailable: 'relay_unavailable',
  /** The relay answered something that is not an envelope. */
  protocol: 'relay_protocol',
} as const;
