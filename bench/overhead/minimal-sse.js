// The hand-written baseline for client-sse.js: the same streamed request with k6/x/llmstream, the body split
// naively on blank lines, every data event's JSON parsed, and one Trend for the time to the first content event.
import llmstream from 'k6/x/llmstream';
import { Trend } from 'k6/metrics';
import { baseUrl, benchOptions, requestBody, requestHeaders } from './workload.js';

export const options = benchOptions();

const request = { method: 'POST', url: `${baseUrl()}/chat/completions`, body: requestBody(true), headers: requestHeaders(true) };
const ttft = new Trend('bench_ttft', true);

export default function () {
  let buffer = '';
  let first = 0;
  const res = llmstream.request(request, (chunk, atMs) => {
    buffer += chunk;
    const events = buffer.split('\n\n');
    buffer = events.pop();
    for (const event of events) {
      if (!event.startsWith('data: ') || event === 'data: [DONE]') continue;
      const delta = JSON.parse(event.slice(6)).choices[0];
      const content = delta && delta.delta.content;
      if (content && first === 0) first = atMs;
    }
  });
  if (first > 0) ttft.add(first - res.startMs);
}
