// What every k6 script of the race asks for, in one place: STREAMS constant VUs for DURATION, each first waiting a
// random part of one request's length (Locust's users and the Go client get the same stagger), and the same
// streamed chat completion. Bundled into each script.
import http from 'k6/http';
import { sleep } from 'k6';

export const STREAMS = Number(__ENV.STREAMS || 10);
export const MAX_TOKENS = Number(__ENV.MAX_TOKENS || 200);
const staggerS = Number(__ENV.STAGGER_MS || 0) / 1000;

/** The scenario of every race script; `extra` adds options such as summaryTrendStats. */
export function raceOptions(extra = {}) {
  return {
    scenarios: {
      streams: { executor: 'constant-vus', vus: STREAMS, duration: __ENV.DURATION || '25s', gracefulStop: '10s' },
    },
    ...extra,
  };
}

/** A VU's first iteration waits its part of the stagger, so the streams do not all start in one millisecond. */
export function staggerFirstRequest() {
  if (__ITER === 0 && staggerS > 0) sleep(Math.random() * staggerS);
}

/** The upstream request body, as k6-llm's openai-chat provider builds it for the same request. */
export const UPSTREAM_BODY = JSON.stringify({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: `Stream ${MAX_TOKENS} tokens, please.` }],
  max_tokens: MAX_TOKENS,
  stream: true,
  stream_options: { include_usage: true },
});

/** The relay exchange of the floors that call the relay without k6-llm: URL, body (meta line + upstream body), params. */
function relayExchange() {
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
  return {
    url: `${__ENV.K6_LLM_RELAY}/v1/exchange`,
    body: `${meta}\n${UPSTREAM_BODY}`,
    params: { headers: { 'k6-llm-relay-token': __ENV.K6_LLM_RELAY_TOKEN, 'Content-Type': 'application/x-k6-llm-exchange' }, timeout: '130s' },
  };
}

const exchange = relayExchange();

/** One exchange with the relay, no k6-llm: the envelope, and the gaps between its content stamps. */
export function exchangeWithRelay() {
  const envelope = JSON.parse(http.post(exchange.url, exchange.body, exchange.params).body);
  const c = envelope.t.content;
  const gapsMs = [];
  for (let i = 1; i < c.length; i++) gapsMs.push(c[i] - c[i - 1]);
  return { envelope, gapsMs };
}

/** The line the bench matches to the server's record. */
export function logOutcome(id, ok, ttft, itl) {
  console.log(JSON.stringify({ id, iter: __ITER, ok, ttft, itl }));
}
