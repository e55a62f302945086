// The race bench's k6-side floor: the same relay exchange per request as k6-llm's client sends, with no k6-llm in
// the script: a prebuilt request, one k6/http call to the relay, JSON.parse of its envelope, one log line. What is
// left above it in k6-llm's row is the library's own work per request (metrics, timings, result).
import http from 'k6/http';
import { raceOptions, relayExchange, staggerFirstRequest } from './workload.js';

export const options = raceOptions();
const exchange = relayExchange();

export default function () {
  staggerFirstRequest();
  const e = JSON.parse(http.post(exchange.url, exchange.body, exchange.params).body);
  const c = e.t.content;
  const itl = [];
  for (let i = 1; i < c.length; i++) itl.push(c[i] - c[i - 1]);
  console.log(JSON.stringify({ id: e.headers['x-truth-id'], iter: __ITER, ok: e.completion.complete, ttft: c[0], itl }));
}
