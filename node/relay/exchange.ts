// One exchange: the upstream request of one LLM call, stamped and decoded as it streams, ending in one envelope.
// The decoding is the library's own (lib/providers, lib/sse): the relay and a buffered k6 script read a body the
// same way.
import { customProvider, getProvider, responseDecoder } from '../../lib/providers/index';
import type { CustomProviderConfig, EventEffect, PortableDecoder, Provider, ResponseDecoder } from '../../lib/providers/index';
import { redactionOf, requestSecrets, type Redact } from '../../lib/internal/redact';
import { isSuccessStatus } from '../../lib/internal/http-status';
import type { RelayEnvelope, RelayRequestMeta, RelayStamps } from '../../lib/transports/relay-protocol';
import { errorBodyOf, isWholeJson } from '../../lib/transports/shared';
import { RELAY_PROTOCOL_VERSION } from '../../lib/transports/relay-protocol';
import { roundMs } from './clock';
import type { LoopDelayMonitor } from './loop-delay';
import type { Cancel, TransferError, Upstream } from './upstream';

/** A request the relay refuses before sending anything upstream. */
export class ExchangeError extends Error {
  readonly type: string;
  readonly status: number;

  constructor(type: string, status: number, message: string) {
    super(message);
    this.type = type;
    this.status = status;
  }
}

const FORMATS = ['sse', 'ndjson', 'json'];
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function isStringRecord(value: unknown): value is Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const key in value) if (typeof (value as Record<string, unknown>)[key] !== 'string') return false;
  return true;
}

function bad(message: string): ExchangeError {
  return new ExchangeError('relay_bad_request', 400, message);
}

/** Reads and checks the first line of an exchange request. Throws ExchangeError for anything else. */
export function parseMeta(line: string): RelayRequestMeta & { target: URL } {
  let meta: RelayRequestMeta;
  try {
    meta = JSON.parse(line) as RelayRequestMeta;
  } catch {
    throw bad('invalid exchange request: expected a JSON line, got text that does not parse');
  }
  if (typeof meta !== 'object' || meta === null) throw bad('invalid exchange request: expected an object');
  if (meta.v !== RELAY_PROTOCOL_VERSION) {
    throw bad(`invalid protocol version: expected ${RELAY_PROTOCOL_VERSION}, got ${JSON.stringify(meta.v)} (the script's k6-llm and the relay's differ)`);
  }
  if (typeof meta.method !== 'string' || !/^[A-Z]+$/.test(meta.method)) throw bad(`invalid method: expected an HTTP method, got ${JSON.stringify(meta.method)}`);
  let target: URL;
  try {
    target = new URL(meta.url);
  } catch {
    throw bad('invalid url: expected an absolute http(s) URL');
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw bad(`invalid url: expected http or https, got ${target.protocol}`);
  if (!isStringRecord(meta.headers)) throw bad('invalid headers: expected an object of strings');
  for (const name in meta.headers) {
    if (!HEADER_NAME.test(name)) throw bad(`invalid header name: expected an HTTP token, got ${JSON.stringify(name)}`);
    if (/[\r\n\0]/.test(meta.headers[name] as string)) throw bad(`invalid header ${name}: expected a value without line breaks`);
  }
  if (typeof meta.stream !== 'boolean') throw bad('invalid stream: expected a boolean');
  if (!FORMATS.includes(meta.format)) throw bad(`invalid format: expected one of ${FORMATS.join(', ')}, got ${JSON.stringify(meta.format)}`);
  for (const key of ['timeoutMs', 'stallTimeoutMs'] as const) {
    if (typeof meta[key] !== 'number' || !(meta[key] >= 0)) throw bad(`invalid ${key}: expected a non-negative number`);
  }
  return { ...meta, target };
}

/** Whether `host` (a URL's hostname, lower case) matches an allowlist entry: `api.openai.com`, `*.openai.azure.com`. */
export function hostAllowed(host: string, allow: readonly string[] | undefined): boolean {
  if (!allow || allow.length === 0) return true;
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  for (const entry of allow) {
    const rule = entry.toLowerCase();
    if (rule === h || (rule.startsWith('*.') && h.endsWith(rule.slice(1)))) return true;
  }
  return false;
}

/**
 * Decoders rebuilt from portable specs: the provider once per distinct spec, the decoder per exchange, with the
 * redaction of that request's own credentials (a server may echo a key back in an error message).
 */
export class DecoderCache {
  private readonly cache = new Map<string, Provider>();

  get(spec: PortableDecoder, redact?: Redact): ResponseDecoder {
    return responseDecoder(this.provider(spec), { redact });
  }

  private provider(spec: PortableDecoder): Provider {
    const key = 'provider' in spec ? `provider:${spec.provider}` : `custom:${JSON.stringify(spec.custom)}`;
    let provider = this.cache.get(key);
    if (provider) return provider;
    try {
      provider = 'provider' in spec ? getProvider(spec.provider) : customProvider(spec.custom as unknown as CustomProviderConfig);
    } catch (err) {
      throw bad((err as Error).message);
    }
    // A script makes few providers; a bound keeps a misbehaving one from growing the relay without end.
    if (this.cache.size >= 256) this.cache.clear();
    this.cache.set(key, provider);
    return provider;
  }
}

export interface ExchangeContext {
  upstream: Upstream;
  loop: LoopDelayMonitor;
  decoders: DecoderCache;
}

/**
 * Runs one exchange. `done` receives the envelope when the body ended or failed; the returned function cancels it
 * (the envelope is then still built, with error `aborted`).
 */
export function runExchange(
  meta: RelayRequestMeta & { target: URL },
  body: Buffer,
  ctx: ExchangeContext,
  start: number,
  done: (envelope: RelayEnvelope) => void,
): Cancel {
  const redact = redactionOf(requestSecrets(meta.headers, meta.target));
  const decoder = meta.decode !== undefined ? ctx.decoders.get(meta.decode, redact) : undefined;
  const mark = ctx.loop.begin();
  const t: RelayStamps = { start, content: [], end: 0 };
  let status = 0;
  let headers: Record<string, string> = {};
  let streamed = false;
  let bytes = 0;
  let reads = 0;
  let events = 0;
  let arrival = start;
  let stream: ReturnType<ResponseDecoder['open']> | undefined;
  const parts: string[] = [];
  const chunks: Array<[number, string]> = [];
  const content = t.content;

  const onEffect = (effect: EventEffect): void => {
    const offset = roundMs(arrival - start);
    if (events++ === 0) t.firstEvent = offset;
    if (effect.content) content.push(offset);
    if (effect.visible && t.firstVisible === undefined) t.firstVisible = offset;
  };

  return ctx.upstream.send(
    { method: meta.method, url: meta.target, headers: meta.headers, body, timeoutMs: meta.timeoutMs, stallTimeoutMs: meta.stallTimeoutMs },
    {
      sent(at) {
        t.sent = roundMs(at - start);
      },
      head(code, raw, at) {
        status = code;
        headers = raw;
        t.head = roundMs(at - start);
        streamed = meta.stream && meta.format !== 'json' && isSuccessStatus(code) && !isWholeJson(headers);
        if (streamed && decoder) stream = decoder.open(onEffect);
      },
      data(text, at, n) {
        bytes += n;
        reads++;
        if (!decoder) chunks.push([roundMs(at - start), text]);
        else if (stream) {
          arrival = at;
          stream.feed(text);
        } else parts.push(text);
      },
      end(at, error?: TransferError) {
        t.end = roundMs(at - start);
        const envelope: RelayEnvelope = { v: RELAY_PROTOCOL_VERSION, status, headers, perEvent: streamed, t, bytes, reads, events };
        const cut = error && status !== 0 ? { type: error.type, message: error.message } : undefined;
        if (decoder && status !== 0) {
          envelope.completion = stream ? stream.finish(cut) : decoder.whole(parts.join(''), false, cut);
        } else if (!decoder) {
          envelope.chunks = chunks;
        }
        if (status !== 0 && !isSuccessStatus(status)) {
          const text = decoder ? parts.join('') : chunks.map((c) => c[1]).join('');
          envelope.errorBody = errorBodyOf(status, text);
        }
        if (error) envelope.error = { type: error.type, message: redact ? redact(error.message) : error.message };
        const delay = ctx.loop.end(mark);
        envelope.loopDelay = { max: roundMs(delay.max), mean: roundMs(delay.mean) };
        done(envelope);
      },
    },
  );
}
