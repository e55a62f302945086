import http from 'node:http';
import type { RelayEnvelope, RelayRequestMeta } from '../../../lib/transports/relay-protocol';
import { RELAY_EXCHANGE_PATH, RELAY_PROTOCOL_VERSION, RELAY_TOKEN_HEADER } from '../../../lib/transports/relay-protocol';
import type { Relay } from '../../../node/relay/server';

export interface ExchangeReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  envelope: RelayEnvelope;
}

/** A meta line for an OpenAI chat request to `baseUrl`, with overrides. */
export function chatMeta(baseUrl: string, extra: Partial<RelayRequestMeta> = {}): RelayRequestMeta {
  return {
    v: RELAY_PROTOCOL_VERSION,
    method: 'POST',
    url: `${baseUrl}/v1/chat/completions`,
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-relay-test-secret-0123' },
    stream: true,
    format: 'sse',
    decode: { provider: 'openai-chat' },
    timeoutMs: 10_000,
    stallTimeoutMs: 5_000,
    ...extra,
  };
}

export function chatBody(prompt = 'Tell me about relays.', maxTokens = 5, stream = true): string {
  return JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }], max_tokens: maxTokens, stream, stream_options: stream ? { include_usage: true } : undefined });
}

/** One exchange as the relay transport sends it; resolves with the relay's answer. */
export function exchange(
  relay: Pick<Relay, 'url' | 'token'>,
  meta: RelayRequestMeta | string,
  body: string,
  options: { token?: string; signal?: AbortSignal; rawBody?: string } = {},
): Promise<ExchangeReply> {
  const payload = options.rawBody ?? `${typeof meta === 'string' ? meta : JSON.stringify(meta)}\n${body}`;
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${relay.url}${RELAY_EXCHANGE_PATH}`,
      { method: 'POST', headers: { [RELAY_TOKEN_HEADER]: options.token ?? relay.token, 'content-length': Buffer.byteLength(payload) }, signal: options.signal },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, headers: res.headers, envelope: JSON.parse(text) as RelayEnvelope });
          } catch (err) {
            reject(new Error(`not an envelope (${res.statusCode}): ${text.slice(0, 200)} ${(err as Error).message}`));
          }
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Gaps between consecutive stamps. */
export function gaps(times: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < times.length; i++) out.push((times[i] as number) - (times[i - 1] as number));
  return out;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** A server that answers every request with `handler`, on a free loopback port. */
export async function tinyServer(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
