// The same streams as k6-llm.js timed without k6-llm: k6/x/llmstream with the naive parsing of
// bench/overhead/minimal-sse.js (split on blank lines, JSON.parse every data event), each content event stamped with
// its chunk's arrival. It separates what k6 and the extension cost from what the library adds; same log line.
import llmstream from 'k6/x/llmstream';
import { sleep } from 'k6';

const streams = Number(__ENV.STREAMS || 10);
const maxTokens = Number(__ENV.MAX_TOKENS || 50);
const staggerS = Number(__ENV.STAGGER_MS || 0) / 1000;

export const options = {
  scenarios: {
    streams: { executor: 'constant-vus', vus: streams, duration: __ENV.DURATION || '10s', gracefulStop: '3s' },
  },
  summaryTrendStats: ['med', 'p(99)', 'max', 'count'],
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

const round = (ms) => Math.round(ms * 1000) / 1000;

export default function () {
  if (__ITER === 0 && staggerS > 0) sleep(Math.random() * staggerS);
  let buffer = '';
  const times = [];
  const res = llmstream.request(request, (chunk, atMs) => {
    buffer += chunk;
    const events = buffer.split('\n\n');
    buffer = events.pop();
    for (const event of events) {
      if (!event.startsWith('data: ') || event === 'data: [DONE]') continue;
      const choice = JSON.parse(event.slice(6)).choices[0];
      if (choice && choice.delta.content) times.push(atMs);
    }
  });
  const itl = [];
  for (let i = 1; i < times.length; i++) itl.push(round(times[i] - times[i - 1]));
  const ok = res.status === 200 && !res.error && times.length > 0;
  console.log(JSON.stringify({ id: res.headers['X-Mock-Request-Id'] || '', ok, ttft: ok ? round(times[0] - res.startMs) : null, itl }));
}
