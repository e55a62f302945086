// A fixed amount of work, split by k6's execution segments in the distributed test.
import { createClient } from '../../../lib/index';
import { relayTransport } from '../../../lib/transports/relay';

export const options = {
  scenarios: {
    fixed: { executor: 'shared-iterations', vus: 4, iterations: 40, maxDuration: '60s' },
    // Fixed counts only: an arrival-rate scenario's last arrival may or may not fit before its end on a
    // loaded machine, which would make the halves differ from the whole for reasons that are not the library's.
    perVu: { executor: 'per-vu-iterations', vus: 6, iterations: 5, maxDuration: '60s' },
  },
};

const client = createClient({
  provider: 'openai-chat',
  baseUrl: `${__ENV.MOCK_URL}/v1`,
  apiKey: 'segments-key',
  model: 'gpt-4o-mini',
  transport: relayTransport(),
  price: { input: 0.15, output: 0.6 },
});

const prompts = ['Short question?', 'A somewhat longer question about distributed load tests?', 'Third prompt, medium length.'];

export default function () {
  client.chat({
    prompt: prompts[__ITER % prompts.length],
    maxTokens: 16,
    headers: { 'x-mock-ttft-ms': '30', 'x-mock-itl-ms': '2' },
  });
}
