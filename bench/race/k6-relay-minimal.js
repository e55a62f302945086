// The race bench's k6-side floor: the same relay exchange per request as k6-llm's client sends, with no k6-llm in
// the script: a prebuilt request, one k6/http call to the relay, JSON.parse of its envelope, one log line. What is
// left above it in k6-llm's row is the library's own work per request (metrics, timings, result).
import { exchangeWithRelay, logOutcome, raceOptions, staggerFirstRequest } from './workload.js';

export const options = raceOptions();

export default function () {
  staggerFirstRequest();
  const { envelope: e, gapsMs } = exchangeWithRelay();
  logOutcome(e.headers['x-truth-id'], e.completion.complete, e.t.content[0], gapsMs);
}
