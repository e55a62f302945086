// The race bench, k6-llm's side: STREAMS constant VUs stream chat completions through k6-llm's client and
// relayTransport(), run by `k6-llm run` as users run it. After each request it logs one JSON line: the server's
// request id, the iteration, and the client's TTFT and inter-token gaps. The bench matches them to the server's
// record afterwards.
//
// The client does not return response headers, so a thin wrapper around relayTransport() keeps the last
// x-truth-id it saw; the timing path (relay, transport, computeTimings) is untouched.
import { createClient } from '../../lib/index';
import { relayTransport } from '../../lib/transports/relay';
import { MAX_TOKENS, raceOptions, staggerFirstRequest } from './workload.js';

export const options = raceOptions({ summaryTrendStats: ['med', 'p(99)', 'max', 'count'] });

const inner = relayTransport();
let requestId = '';
const transport = {
  name: inner.name,
  perEvent: inner.perEvent,
  send(spec, ctx) {
    const result = inner.send(spec, ctx);
    requestId = result.headers['x-truth-id'] || '';
    return result;
  },
};

const client = createClient({
  provider: 'openai-chat',
  baseUrl: `${__ENV.TRUTH_URL}/v1`,
  apiKey: 'bench-key',
  model: 'gpt-4o-mini',
  transport,
  // One attempt per iteration, so each logged line is the attempt the server recorded under that id.
  retry: false,
  price: { input: 0.15, output: 0.6 },
});

const round = (ms) => Math.round(ms * 1000) / 1000;

export default function () {
  staggerFirstRequest();
  const res = client.chat({ prompt: `Stream ${MAX_TOKENS} tokens, please.`, maxTokens: MAX_TOKENS });
  const t = res.timings;
  console.log(JSON.stringify({ id: requestId, iter: __ITER, ok: res.ok, ttft: t.ttftMs === undefined ? null : round(t.ttftMs), itl: t.itlMs.map(round) }));
}
