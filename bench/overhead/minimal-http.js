// The hand-written baseline for client-http.js: the same request with k6/http, the JSON answer parsed and its
// content and usage read, and one Trend. What a careful user would write without k6-llm.
import http from 'k6/http';
import { Trend } from 'k6/metrics';
import { baseUrl, benchOptions, requestBody, requestHeaders } from './workload.js';

export const options = benchOptions();

const url = `${baseUrl()}/chat/completions`;
const body = requestBody(false);
const params = { headers: requestHeaders(false) };
const waiting = new Trend('bench_waiting', true);

export default function () {
  const res = http.post(url, body, params);
  const answer = JSON.parse(res.body);
  if (!answer.choices[0].message.content || !(answer.usage.completion_tokens > 0)) throw new Error('unexpected answer');
  waiting.add(res.timings.waiting);
}
