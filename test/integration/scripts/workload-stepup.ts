// A short step-up run against a mock with capacity for one stream, so TTFT grows with the
// number of VUs: handleSummary finds the first step whose TTFT p95 breaks the limit and writes
// it to RESULT_FILE.
import { createClient } from '../../../lib/index';
import { relayTransport } from '../../../lib/transports/relay';
import { findBreakingStep, presets, stepUpThresholds } from '../../../lib/workload/index';

const steps = presets.stepUp({ start: 1, step: 2, stepDuration: __ENV.STEP_DURATION || '3s', steps: 3 });
const limit = Number(__ENV.LIMIT || 900);

export const options = {
  scenarios: steps,
  thresholds: stepUpThresholds(steps, { metric: 'llm_ttft', stat: 'p(95)', limit }),
};

const client = createClient({
  provider: 'openai-chat',
  baseUrl: `${__ENV.MOCK_URL}/v1`,
  apiKey: 'test-key',
  model: 'gpt-4o-mini',
  transport: relayTransport(),
  price: false,
});

export default function () {
  client.chat({ prompt: 'How does latency grow with load?', maxTokens: 10, headers: { 'x-mock-jitter': '0' } });
}

export function handleSummary(data: Parameters<typeof findBreakingStep>[0]) {
  const found = findBreakingStep(data, { metric: 'llm_ttft', stat: 'p(95)', limit });
  return { [__ENV.RESULT_FILE as string]: JSON.stringify(found ?? null) };
}
