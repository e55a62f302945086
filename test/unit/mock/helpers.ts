import { connect } from 'node:net';
import type { RequestRecord } from '../../../node/mock/ground-truth';
import { startMockServer, type MockServer } from '../../../node/mock/server';
import type { MockOptions } from '../../../node/mock/options';

export interface SseEvent {
  event: string | undefined;
  data: string;
}

/** A tiny SSE splitter for the mock's own output (LF line ends, one `data:` line per event). */
export function splitSSE(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      let event: string | undefined;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      return { event, data: data.join('\n') };
    });
}

/** The JSON payloads of an SSE body, `[DONE]` left out. */
export function sseJson(text: string): any[] {
  return splitSSE(text)
    .filter((e) => e.data !== '[DONE]')
    .map((e) => JSON.parse(e.data));
}

export function splitNDJSON(text: string): any[] {
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

export interface PostResult {
  status: number;
  headers: Headers;
  text: string;
  id: string;
}

export function post(server: MockServer, path: string, body: unknown, headers: Record<string, string> = {}): Promise<PostResult> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer test-key', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  }).then(async (res) => ({ status: res.status, headers: res.headers, text: await res.text(), id: res.headers.get('x-mock-request-id') ?? '' }));
}

export async function getJson(url: string, headers: Record<string, string> = {}): Promise<any> {
  return (await fetch(url, { headers })).json();
}

export async function groundTruth(server: MockServer, id: string): Promise<RequestRecord> {
  const res = await fetch(`${server.url}/_mock/requests/${id}`);
  if (res.status !== 200) throw new Error(`no ground truth for ${id}: ${res.status}`);
  return (await res.json()) as RequestRecord;
}

/**
 * Fast defaults so tests spend milliseconds, not seconds, on simulated generation. `fill` makes a request's
 * max_tokens cut the answer (finish `length`), which most tests check; the server's own default is `exact`.
 */
export const FAST: MockOptions = { ttftMs: 2, itlMs: 0.5, prefillMsPerToken: 0, outputTokens: 12, maxTokensMode: 'fill' };

export function start(options: MockOptions = {}): Promise<MockServer> {
  return startMockServer({ ...FAST, ...options });
}

export function userChat(content: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: 'gpt-4o-mini', messages: [{ role: 'user', content }], ...extra };
}

/**
 * POSTs over a raw socket and returns the response head and the body's HTTP/1.1 chunks in order. The mock writes
 * each stream write as one chunk, so the chunks are its writes, however TCP happened to deliver them.
 */
export function postChunks(server: MockServer, path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ head: string; chunks: string[] }> {
  const { hostname, port } = new URL(server.url);
  const text = JSON.stringify(body);
  const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer test-key\r\nContent-Type: application/json\r\n` +
          `Connection: close\r\nContent-Length: ${Buffer.byteLength(text)}\r\n${extra}\r\n${text}`,
      );
    });
    const parts: Buffer[] = [];
    socket.on('data', (d: Buffer) => parts.push(d));
    socket.on('error', reject);
    socket.on('end', () => {
      const raw = Buffer.concat(parts).toString('latin1');
      const split = raw.indexOf('\r\n\r\n');
      const head = raw.slice(0, split);
      const chunks: string[] = [];
      for (let at = split + 4; at < raw.length; ) {
        const eol = raw.indexOf('\r\n', at);
        const size = parseInt(raw.slice(at, eol), 16);
        if (!(size > 0)) break;
        chunks.push(Buffer.from(raw.slice(eol + 2, eol + 2 + size), 'latin1').toString('utf8'));
        at = eol + 2 + size + 2;
      }
      resolve({ head, chunks });
    });
  });
}
