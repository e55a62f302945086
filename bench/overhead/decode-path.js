// Where a streamed request's CPU goes inside k6: each layer of k6-llm's streaming path run over a recorded mock
// stream (BODY_FILE, one SSE event a chunk as the mock sends it), N times in one VU, with no network. The overhead
// bench runs it once per FN under GNU time and divides the CPU seconds above FN=none by N × events.
//
//   FN=none | naive | sse | decoder | bare | client   N=2000   BODY_FILE=/abs/path/stream.txt
import { createClient } from '../../lib/index';
import { getProvider } from '../../lib/providers/index';
import { createStreamDecoder } from '../../lib/providers/stream-body';
import { extensionReaderOptions } from '../../lib/transports/extension-json';
import { createSSEParser } from '../../lib/sse/index';
import { computeTimings } from '../../lib/timing/index';
import { finish, isJSON } from '../../lib/validate/index';
import { MAX_TOKENS, PROMPT } from './workload.js';

export const options = {
  scenarios: { path: { executor: 'shared-iterations', vus: 1, iterations: 1, maxDuration: '120s' } },
};

const body = open(__ENV.BODY_FILE);
const chunks = body.split('\n\n').filter((e) => e !== '').map((e) => `${e}\n\n`);
const provider = getProvider('openai-chat');

// The minimal script's parsing (bench/overhead/minimal-sse.js): split on blank lines, JSON.parse every data event.
function naive() {
  let buffer = '';
  let content = 0;
  for (let i = 0; i < chunks.length; i++) {
    buffer += chunks[i];
    const events = buffer.split('\n\n');
    buffer = events.pop();
    for (const event of events) {
      if (!event.startsWith('data: ') || event === 'data: [DONE]') continue;
      const choice = JSON.parse(event.slice(6)).choices[0];
      if (choice && choice.delta.content) content++;
    }
  }
  return content;
}

// k6-llm's WHATWG SSE parser, with the same JSON.parse per data event and nothing else.
function sse() {
  let content = 0;
  const parser = createSSEParser({
    onEvent(event) {
      if (event.data === '[DONE]') return;
      const choice = JSON.parse(event.data).choices[0];
      if (choice && choice.delta.content) content++;
    },
  });
  for (let i = 0; i < chunks.length; i++) parser.feed(chunks[i]);
  return content;
}

// What sseTransport() does per chunk: the parser plus the openai-chat stream reader building the Completion, then
// the timings.
function decoder() {
  const contentTimes = [];
  let at = 0;
  const d = createStreamDecoder(
    provider,
    (effect) => {
      if (effect.content) contentTimes.push(at);
    },
    extensionReaderOptions,
  );
  for (let i = 0; i < chunks.length; i++) {
    at = i;
    d.feed(chunks[i]);
  }
  const completion = d.finish();
  return { completion, times: { startMs: -1, endMs: chunks.length, contentTimes, perEvent: true } };
}

// The whole client (metrics, cost, isJSON + finish) over a transport that replays the recording.
const replay = {
  name: 'sse',
  perEvent: true,
  send() {
    const { completion, times } = decoder();
    return { status: 200, headers: { 'Content-Type': 'text/event-stream' }, bytes: body.length, completion, times };
  },
};
const client = createClient({
  provider: 'openai-chat',
  baseUrl: 'http://127.0.0.1:9/v1',
  apiKey: 'bench-key',
  model: 'gpt-4o-mini',
  transport: replay,
  validate: [isJSON(), finish()],
});

const bareClient = createClient({
  provider: 'openai-chat',
  baseUrl: 'http://127.0.0.1:9/v1',
  apiKey: 'bench-key',
  model: 'gpt-4o-mini',
  transport: replay,
  metrics: false,
  price: false,
});

const FNS = {
  none: () => 0,
  naive,
  sse,
  decoder: () => computeTimings(decoder().times, 50),
  bare: () => bareClient.chat({ prompt: PROMPT, maxTokens: MAX_TOKENS }),
  client: () => client.chat({ prompt: PROMPT, maxTokens: MAX_TOKENS }),
};

export default function () {
  const fn = FNS[__ENV.FN];
  if (!fn) throw new Error(`invalid FN: expected one of ${Object.keys(FNS).join(', ')}, got ${__ENV.FN}`);
  const n = Number(__ENV.N || 2000);
  for (let i = 0; i < n; i++) fn();
  console.log(JSON.stringify({ events: chunks.length }));
}
