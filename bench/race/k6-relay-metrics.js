// The race bench's metrics floor: the exchange of k6-relay-minimal.js plus k6-llm's metrics written by hand (the same
// metric objects, tags and samples per request as the client records, bench/overhead/reference-metrics.js), with no
// k6-llm import. A library that keeps the metrics the issues ask for (one llm_itl sample per token gap) cannot cost
// k6 less than this.
import http from 'k6/http';
import { sleep } from 'k6';
import { recordRequest } from '../overhead/reference-metrics.js';

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
  const gapsMs = [];
  for (let i = 1; i < c.length; i++) gapsMs.push(c[i] - c[i - 1]);
  const u = e.completion.usage;
  recordRequest({
    transport: 'relay',
    durationMs: e.t.end,
    ttfbMs: e.t.head - e.t.sent,
    inputTokens: u.inputTokens,
    outputTokens: u.outputTokens,
    streamed: { ttftMs: c[0], gapsMs, contentEvents: e.completion.contentEvents },
    loopDelayMs: e.loopDelay.max,
  });
  console.log(JSON.stringify({ id: e.headers['x-truth-id'], iter: __ITER, ok: e.completion.complete, ttft: c[0], itl: gapsMs }));
}
