// minimal-sse.js plus the metrics floor (reference-metrics.js): the same stream and naive parsing, each content
// event's arrival kept for the ITL samples, with k6-llm's metric objects, tags and per-request samples written by
// hand. No k6-llm import.
import llmstream from 'k6/x/llmstream';
import { HTTP_TAGS, recordRequest } from './reference-metrics.js';
import { baseUrl, benchOptions, requestBody, requestHeaders } from './workload.js';

export const options = benchOptions();

const request = { method: 'POST', url: `${baseUrl()}/chat/completions`, body: requestBody(true), headers: requestHeaders(true), tags: { ...HTTP_TAGS, transport: 'sse' } };

export default function () {
  let buffer = '';
  const arrivals = [];
  let usage;
  const res = llmstream.request(request, (chunk, atMs) => {
    buffer += chunk;
    const events = buffer.split('\n\n');
    buffer = events.pop();
    for (const event of events) {
      if (!event.startsWith('data: ') || event === 'data: [DONE]') continue;
      const value = JSON.parse(event.slice(6));
      const delta = value.choices[0];
      if (delta && delta.delta.content) arrivals.push(atMs);
      if (value.usage) usage = value.usage;
    }
  });
  if (arrivals.length === 0 || !usage) throw new Error('unexpected stream');
  const gapsMs = [];
  for (let i = 1; i < arrivals.length; i++) gapsMs.push(arrivals[i] - arrivals[i - 1]);
  recordRequest({
    transport: 'sse',
    durationMs: res.endMs - res.startMs,
    ttfbMs: res.headMs - res.startMs,
    inputTokens: usage.prompt_tokens,
    outputTokens: usage.completion_tokens,
    streamed: { ttftMs: arrivals[0] - res.startMs, gapsMs, contentEvents: arrivals.length },
  });
}
