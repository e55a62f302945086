// Load for the mock-capacity bench: STREAMS constant VUs, each streaming chat completions back to back through
// k6/x/llmstream with no per-chunk callback (the body is read in Go and dropped), so the driver spends as little
// CPU as it can and the mock gets the two cores' lion's share. Logs each request's mock id as one JSON line.
import llmstream from 'k6/x/llmstream';
import { sleep } from 'k6';

const streams = Number(__ENV.STREAMS || 100);
const maxTokens = Number(__ENV.MAX_TOKENS || 50);
const staggerS = Number(__ENV.STAGGER_MS || 0) / 1000;

export const options = {
  scenarios: {
    streams: { executor: 'constant-vus', vus: streams, duration: __ENV.DURATION || '10s', gracefulStop: '3s' },
  },
};

const request = {
  method: 'POST',
  url: `${__ENV.MOCK_URL}/v1/chat/completions`,
  body: JSON.stringify({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: `Stream ${maxTokens} tokens, please.` }],
    max_tokens: maxTokens,
    stream: true,
    stream_options: { include_usage: true },
  }),
  headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', Authorization: 'Bearer bench-key' },
};

export default function () {
  if (__ITER === 0 && staggerS > 0) sleep(Math.random() * staggerS);
  const res = llmstream.request(request);
  console.log(JSON.stringify({ id: res.headers['X-Mock-Request-Id'] || '', ok: res.status === 200 && !res.error }));
}
