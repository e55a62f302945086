// minimal-http.js plus the metrics floor (reference-metrics.js): the same request and parsing, with k6-llm's
// metric objects, tags and per-request samples written by hand. No k6-llm import.
import http from 'k6/http';
import { HTTP_TAGS, recordRequest } from './reference-metrics.js';
import { baseUrl, benchOptions, requestBody, requestHeaders } from './workload.js';

export const options = benchOptions();

const url = `${baseUrl()}/chat/completions`;
const body = requestBody(false);
const params = { headers: requestHeaders(false), tags: HTTP_TAGS };

export default function () {
  const res = http.post(url, body, params);
  const answer = JSON.parse(res.body);
  if (!answer.choices[0].message.content || !(answer.usage.completion_tokens > 0)) throw new Error('unexpected answer');
  recordRequest({
    transport: 'http',
    durationMs: res.timings.duration,
    ttfbMs: res.timings.waiting,
    inputTokens: answer.usage.prompt_tokens,
    outputTokens: answer.usage.completion_tokens,
  });
}
