// Fake of k6/http: tests queue responses; requests are recorded.
export interface FakeResponse {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  error?: string;
  timings?: Partial<Record<'blocked' | 'connecting' | 'tls_handshaking' | 'sending' | 'waiting' | 'receiving' | 'duration', number>>;
}

export const requests: Array<{ method: string; url: string; body: unknown; params: Record<string, unknown> }> = [];
/** Responses in order; a function entry answers from the request (the relay fake plays a relay this way). */
export const queue: Array<FakeResponse | ((method: string, url: string, body: unknown, params: Record<string, unknown>) => FakeResponse)> = [];

export function expectedStatuses(...statuses: unknown[]) {
  return { statuses };
}

export function request(method: string, url: string, body: unknown, params: Record<string, unknown> = {}) {
  requests.push({ method, url, body, params });
  const entry = queue.shift() ?? { status: 200, body: '' };
  const next = typeof entry === 'function' ? entry(method, url, body, params) : entry;
  const t = { blocked: 0, connecting: 0, tls_handshaking: 0, sending: 1, waiting: 10, receiving: 5, duration: 16, ...next.timings };
  return { status: next.status, body: next.body ?? '', headers: next.headers ?? {}, error: next.error ?? '', timings: t };
}

export default { request, expectedStatuses };
