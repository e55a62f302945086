// The race bench's metrics floor: the exchange of k6-relay-minimal.js plus k6-llm's metrics written by hand (the same
// metric objects, tags and samples per request as the client records, bench/overhead/reference-metrics.js), with no
// k6-llm import. A library that keeps the metrics the issues ask for (one llm_itl sample per token gap) cannot cost
// k6 less than this.
import http from 'k6/http';
import { recordRequest } from '../overhead/reference-metrics.js';
import { raceOptions, relayExchange, staggerFirstRequest } from './workload.js';

export const options = raceOptions();
const exchange = relayExchange();

export default function () {
  staggerFirstRequest();
  const e = JSON.parse(http.post(exchange.url, exchange.body, exchange.params).body);
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
