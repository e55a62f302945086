// The race bench's memory reference: a minimal stock-k6 script holding STREAMS buffered requests open at once, with
// no k6-llm at all: each VU posts the same streamed request with k6/http and waits for the whole body.
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

const body = JSON.stringify({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: `Stream ${maxTokens} tokens, please.` }],
  max_tokens: maxTokens,
  stream: true,
  stream_options: { include_usage: true },
});
const params = { headers: { 'Content-Type': 'application/json', Authorization: 'Bearer bench-key' }, timeout: '60s' };

export default function () {
  if (__ITER === 0 && staggerS > 0) sleep(Math.random() * staggerS);
  http.post(`${__ENV.TRUTH_URL}/v1/chat/completions`, body, params);
}
