// Fake of k6/x/llmstream: tests queue scripted responses whose chunks arrive at given times.
export interface ScriptedStream {
  status: number;
  headers?: Record<string, string>;
  /** [text, arrival ms relative to start]. */
  chunks?: Array<[string, number]>;
  headAt?: number;
  endAt?: number;
  error?: string;
  errorCode?: string;
}

export const requests: Array<Record<string, unknown>> = [];
export const queue: ScriptedStream[] = [];
let clock = 1_000_000;

export function now(): number {
  return clock;
}

export function request(options: Record<string, unknown>, onChunk?: (chunk: string, atMs: number, status: number, contentType: string) => boolean | void) {
  requests.push(options);
  const s = queue.shift() ?? { status: 200 };
  const start = clock;
  const headers = s.headers ?? { 'Content-Type': 'text/event-stream' };
  const contentType = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
  for (const [text, at] of s.chunks ?? []) {
    if (onChunk && onChunk(text, start + at, s.status, contentType)) break;
  }
  const last = s.chunks?.length ? (s.chunks[s.chunks.length - 1] as [string, number])[1] : 0;
  const endAt = s.endAt ?? last + 1;
  clock += endAt + 1;
  return {
    status: s.status,
    proto: 'HTTP/1.1',
    headers,
    error: s.error ?? '',
    errorCode: s.errorCode ?? '',
    startMs: start,
    sentMs: start + 0.5,
    headMs: s.status > 0 ? start + (s.headAt ?? 2) : 0,
    endMs: start + endAt,
    bytes: (s.chunks ?? []).reduce((n, [t]) => n + t.length, 0),
    chunks: s.chunks?.length ?? 0,
    stopped: false,
  };
}

/** Texts given to parseJSON, so tests can see the transport parse through it. */
export const parsed: string[] = [];

/** Like the extension's: the value, or undefined for what it leaves to JSON.parse (here: anything invalid). */
export function parseJSON(text: string): unknown {
  parsed.push(text);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export const version = '1';
export default { request, now, parseJSON, version };
