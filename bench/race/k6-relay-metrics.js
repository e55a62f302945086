// The race bench's metrics floor: the exchange of k6-relay-minimal.js plus k6-llm's metrics written by hand (the same
// metric objects, tags and samples per request as the client records, bench/overhead/reference-metrics.js), with no
// k6-llm import. A library that keeps the metrics the issues ask for (one llm_itl sample per token gap) cannot cost
// k6 less than this.
import { recordRequest } from '../overhead/reference-metrics.js';
import { exchangeWithRelay, logOutcome, raceOptions, staggerFirstRequest } from './workload.js';

export const options = raceOptions();

export default function () {
  staggerFirstRequest();
  const { envelope: e, gapsMs } = exchangeWithRelay();
  const u = e.completion.usage;
  recordRequest({
    transport: 'relay',
    durationMs: e.t.end,
    ttfbMs: e.t.head - e.t.sent,
    inputTokens: u.inputTokens,
    outputTokens: u.outputTokens,
    streamed: { ttftMs: e.t.content[0], gapsMs, contentEvents: e.completion.contentEvents },
    loopDelayMs: e.loopDelay.max,
  });
  logOutcome(e.headers['x-truth-id'], e.completion.complete, e.t.content[0], gapsMs);
}
