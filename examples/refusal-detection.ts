// Refusals are answers with status 200 that HTTP error rates never show. notMatches() with
// the built-in refusal pattern turns them into a rate you can put a threshold on.
// Against the mock, REFUSAL_EVERY makes every Nth request a refusal (x-mock-refusal).
import { createClient, checkValidation } from '../lib/index';
import { relayTransport } from '../lib/transports/relay';
import { notMatches, REFUSAL_PATTERN } from '../lib/validate/index';

const real = Boolean(__ENV.LLM_BASE_URL);
const every = Number(__ENV.REFUSAL_EVERY || 5);

export const options = {
  scenarios: { refusals: { executor: 'shared-iterations', vus: 2, iterations: Number(__ENV.ITERATIONS || 20), maxDuration: '60s' } },
  thresholds: {
    // At most a quarter of answers may be refusals.
    'llm_validation_failed{validator:notMatches}': ['rate<0.25'],
  },
};

const client = createClient({
  provider: 'anthropic',
  baseUrl: real ? __ENV.LLM_BASE_URL : `${__ENV.MOCK_URL || 'http://127.0.0.1:8787'}/v1`,
  apiKey: real ? __ENV.LLM_API_KEY : 'refusal-example-key',
  model: __ENV.LLM_MODEL || 'claude-haiku-4-5',
  transport: relayTransport(),
  price: real ? undefined : { input: 1, cachedInput: 0.1, cacheWrite: 1.25, output: 5 },
  validate: [notMatches(REFUSAL_PATTERN)],
});

export default function () {
  const scripted = !real && (__ITER + 1) % every === 0;
  const res = client.chat({
    prompt: 'Summarise our refund policy for a customer in two sentences.',
    maxTokens: 80,
    headers: scripted ? { 'x-mock-refusal': '1' } : {},
  });
  checkValidation(res);
}
