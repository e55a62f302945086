// The default transport: buffered k6/http. It sees the whole body at once, so it
// measures time to first byte (the response head) and end-to-end time, never TTFT.
import http from 'k6/http';
import { isSuccessStatus } from '../internal/http-status';
import type { AttemptResult, SendContext, Transport } from './types';
import type { HttpRequestSpec } from '../providers/types';
import { errorBodyOf, isWholeJson } from './shared';
import { responseCallback } from './status-callback';

function errorCodeOf(message: string): string {
  const m = message.toLowerCase();
  if (m.includes('timeout') || m.includes('deadline')) return 'timeout';
  if (m.includes('reset')) return 'reset';
  if (m.includes('refused')) return 'refused';
  if (m.includes('eof')) return 'truncated';
  if (m.includes('lookup') || m.includes('no such host')) return 'dns';
  return 'network';
}

export function httpTransport(): Transport {
  return {
    name: 'http',
    perEvent: false,
    send(spec: HttpRequestSpec, ctx: SendContext): AttemptResult {
      const startMs = Date.now();
      const res = http.request(spec.method, spec.url, spec.body, {
        headers: spec.headers,
        timeout: `${ctx.timeoutMs}ms`,
        tags: ctx.tags,
        responseCallback: responseCallback(ctx.lenientStatuses),
      });
      const endMs = Date.now();
      const t = res.timings;
      const body = typeof res.body === 'string' ? res.body : '';
      const headers = (res.headers ?? {}) as Record<string, string>;
      // k6's own clock for the request's lifetime: connect, TLS, send, wait and receive.
      const lifetime = t.blocked + t.connecting + t.tls_handshaking + t.sending + t.waiting + t.receiving;
      const times = {
        startMs,
        endMs: lifetime > 0 ? startMs + lifetime : endMs,
        ttfbMs: res.status > 0 ? t.waiting : undefined,
        contentTimes: [],
        perEvent: false,
      };
      if (res.status === 0) {
        const message = res.error || 'no response';
        const type = errorCodeOf(message);
        return { status: 0, headers, completion: ctx.decoder.noResponse({ type, message }), times, errorCode: type, errorMessage: message, bytes: 0 };
      }
      const stream = ctx.stream && isSuccessStatus(res.status) && !isWholeJson(headers);
      const completion = ctx.decoder.whole(body, stream);
      return { status: res.status, headers, completion, times, bytes: body.length, errorBody: errorBodyOf(res.status, body) };
    },
  };
}
