// The race bench's k6-side floor: the same relay exchange per request as k6-llm's client sends, with no k6-llm in
// the script: a prebuilt request, one k6/http call to the relay, JSON.parse of its envelope, one log line. What is
// left above it in k6-llm's row is the library's own work per request (metrics, timings, result).
import http from 'k6/http';
import { sleep } from 'k6';

const streams = Number(__ENV.STREAMS || 10);
const maxTokens = Number(__ENV.MAX_TOKENS || 200);
const staggerS = Number(__ENV.STAGGER_MS || 0) / 1000;

export const options = {
  scenarios: {
    streams: { executor: 'constant-vus', vus: streams, duration: __ENV.DURATION || '25s', gracefulStop: '10s' },
  },
};

const upstreamBody = JSON.stringify({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: `Stream ${maxTokens} tokens, please.` }],
  max_tokens: maxTokens,
  stream: true,
  stream_options: { include_usage: true },
});
const meta = JSON.stringify({
  v: 1,
  method: 'POST',
  url: `${__ENV.TRUTH_URL}/v1/chat/completions`,
  headers: { 'Content-Type': 'application/json', Authorization: 'Bearer bench-key', Accept: 'text/event-stream' },
  stream: true,
  format: 'sse',
  decode: { provider: 'openai-chat' },
  timeoutMs: 120000,
  stallTimeoutMs: 30000,
});
const body = `${meta}\n${upstreamBody}`;
const params = { headers: { 'k6-llm-relay-token': __ENV.K6_LLM_RELAY_TOKEN, 'Content-Type': 'application/x-k6-llm-exchange' }, timeout: '130s' };
const url = `${__ENV.K6_LLM_RELAY}/v1/exchange`;

export default function () {
  if (__ITER === 0 && staggerS > 0) sleep(Math.random() * staggerS);
  const res = http.post(url, body, params);
  const e = JSON.parse(res.body);
  const c = e.t.content;
  const itl = [];
  for (let i = 1; i < c.length; i++) itl.push(c[i] - c[i - 1]);
  console.log(JSON.stringify({ id: e.headers['x-truth-id'], iter: __ITER, ok: e.completion.complete, ttft: c[0], itl }));
}
