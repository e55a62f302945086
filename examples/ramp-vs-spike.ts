// Ramps and spikes test different things: a ramp (organic growth) shows the latency curve as load
// rises; a spike (a marketing email, a launch) shows what happens when the load arrives at once
// (queues, rate limits, autoscalers that lag) and whether the service recovers. One script, both
// profiles: PROFILE=ramp (default) or PROFILE=spike. Prompts are synthetic, of a fixed size and
// unique per request, so a prefix cache cannot flatter TTFT.
//
// Against the built-in mock:   npm start -- dist/examples/ramp-vs-spike.js   (PROFILE=spike npm start -- ...)
// Against a real endpoint:     LLM_BASE_URL=... LLM_API_KEY=... LLM_MODEL=... PROFILE=spike \
//                              npx k6-llm run dist/examples/ramp-vs-spike.js
// Shorter or longer: PEAK (VUs), RAMP, HOLD, BEFORE, AFTER (durations), THINK_MEAN (seconds).
//
// The knee, against the mock: a server slows down once more generations run than it serves at full speed. The
// mock's default capacity (64) is more than this script's peak ever keeps in flight (about 9 of 20 VUs, each
// thinking 2 s between 1.5 s answers), so its TTFT would stay flat. Each request therefore asks the mock for a
// small server, MOCK_CAPACITY generations at full speed (default 4, header x-mock-capacity): TTFT stays flat up to
// about 10 VUs, then grows with the load (about 4x at 20 VUs). Nothing is sent to a real endpoint.
//
// Watch a long run (a ramp, a spike, a soak) live: add --dashboard to `k6-llm run` for k6's web dashboard with
// k6-llm's LLM tab at http://127.0.0.1:5665, and --dashboard-export dashboard.html to keep it (docs/reports.md).
import { check } from 'k6';
import { createClient } from '../lib/index';
import { relayTransport } from '../lib/transports/relay';
import { presets, syntheticPrompt, think, thinkTime } from '../lib/workload/index';

const real = Boolean(__ENV.LLM_BASE_URL);
const profile = __ENV.PROFILE || 'ramp';
const peak = Number(__ENV.PEAK || 20);
const mockCapacity = __ENV.MOCK_CAPACITY || '4';

const profiles = {
  ramp: {
    scenarios: presets.ramp({ to: peak, rampUp: __ENV.RAMP || '1m', hold: __ENV.HOLD || '1m', rampDown: __ENV.RAMP_DOWN || '10s' }),
    thresholds: { llm_ttft: ['p(95)<2000'] },
  },
  spike: {
    scenarios: presets.spike({ to: peak, before: __ENV.BEFORE || '30s', hold: __ENV.HOLD || '1m', after: __ENV.AFTER || '1m' }),
    // Per phase: the peak may be slower, but the service must recover afterwards.
    thresholds: {
      'llm_ttft{phase:before}': ['p(95)<2000'],
      'llm_ttft{phase:peak}': ['p(95)<5000'],
      'llm_ttft{phase:after}': ['p(95)<2000'],
      'llm_errors{phase:peak}': ['count<10'],
    },
  },
};
if (!(profile in profiles)) throw new Error(`invalid PROFILE: expected ramp or spike, got ${JSON.stringify(profile)}`);
const chosen = profiles[profile as keyof typeof profiles];

export const options = { scenarios: chosen.scenarios, thresholds: chosen.thresholds };

const client = createClient({
  provider: 'openai-chat',
  baseUrl: real ? __ENV.LLM_BASE_URL : `${__ENV.MOCK_URL || 'http://127.0.0.1:8787'}/v1`,
  apiKey: real ? __ENV.LLM_API_KEY : 'mock-key',
  model: __ENV.LLM_MODEL || 'gpt-4o-mini',
  transport: relayTransport(),
  price: real ? undefined : { input: 0.15, output: 0.6 },
  headers: real ? undefined : { 'x-mock-capacity': mockCapacity },
});

const pause = thinkTime.exponential(Number(__ENV.THINK_MEAN ?? 2), { max: 10 });

export default function () {
  const res = client.chat({ prompt: syntheticPrompt({ inputTokens: 800 }) + '\nSummarise the text above in one sentence.', maxTokens: 64 });
  check(res, { 'completed': (r) => r.ok });
  think(pause);
}
