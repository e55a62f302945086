// Timing fidelity and generator capacity, k6 side: STREAMS constant VUs stream chat completions through k6-llm's
// client and sseTransport(), exactly as users measure TTFT and ITL. After each request it logs one JSON line:
// the mock's request id and the client's TTFT and inter-token gaps. The bench matches the lines to the mock's
// ground truth after the run.
//
// The client does not return response headers, so a thin wrapper around sseTransport() keeps the last
// x-mock-request-id it saw; the timing path (transport, parser, computeTimings) is untouched.
import { sleep } from 'k6';
import { createClient } from '../../lib/index';
import { sseTransport } from '../../lib/transports/sse';

const streams = Number(__ENV.STREAMS || 10);
const maxTokens = Number(__ENV.MAX_TOKENS || 50);
// Each VU waits a random part of one request's length before its first request, so the streams are spread over
// time instead of all hitting the mock in the same millisecond (Locust's users get the same stagger).
const staggerS = Number(__ENV.STAGGER_MS || 0) / 1000;

export const options = {
  scenarios: {
    streams: { executor: 'constant-vus', vus: streams, duration: __ENV.DURATION || '10s', gracefulStop: '3s' },
  },
  summaryTrendStats: ['med', 'p(99)', 'max', 'count'],
};

const inner = sseTransport();
let requestId = '';
let startMs = 0;
const transport = {
  name: inner.name,
  perEvent: inner.perEvent,
  send(spec, ctx) {
    const result = inner.send(spec, ctx);
    requestId = result.headers['X-Mock-Request-Id'] || '';
    startMs = result.times.startMs;
    return result;
  },
};

const client = createClient({
  provider: 'openai-chat',
  baseUrl: `${__ENV.MOCK_URL}/v1`,
  apiKey: 'bench-key',
  model: 'gpt-4o-mini',
  transport,
  // One attempt per iteration, so each logged line is the attempt the mock recorded under that id.
  retry: false,
});

const round = (ms) => Math.round(ms * 1000) / 1000;

export default function () {
  if (__ITER === 0 && staggerS > 0) sleep(Math.random() * staggerS);
  const res = client.chat({ prompt: `Stream ${maxTokens} tokens, please.`, maxTokens });
  const t = res.timings;
  // `start` (epoch ms, k6's clock) only splits the error into its inbound and outbound parts, indicatively: the
  // error figures themselves never compare clocks across processes.
  console.log(JSON.stringify({ id: requestId, ok: res.ok, start: round(startMs), ttft: t.ttftMs === undefined ? null : round(t.ttftMs), itl: t.itlMs.map(round) }));
}
