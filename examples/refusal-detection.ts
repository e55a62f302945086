// Refusals are answers with status 200 that HTTP error rates never show, and safety layers refuse more under
// pressure. notRefused() reads the provider's own refusal signal (Anthropic's stop_reason "refusal", OpenAI's refusal
// field, Gemini's SAFETY finish, ...) and, where there is none, the text; the client records every answer in
// llm_refused, tagged refused_by: provider | heuristic, so a threshold caps the refusal rate.
// Against the mock, every REFUSAL_EVERY-th request is a refusal (x-mock-refusal), in the provider's own wire shape;
// `k6-llm mock --refusal 0.1` makes a share of all answers refusals instead.
import { createClient, checkValidation } from '../lib/index';
import { llmThresholdsForBreakdown } from '../lib/report/index';
import { notRefused } from '../lib/validate/index';

const real = Boolean(__ENV.LLM_BASE_URL);
const every = Number(__ENV.REFUSAL_EVERY || 5);

export const options = {
  scenarios: { refusals: { executor: 'shared-iterations', vus: 2, iterations: Number(__ENV.ITERATIONS || 20), maxDuration: '60s' } },
  // The breakdown thresholds make k6 count what caught each refusal: llm_refused{refused_by:provider|heuristic}.
  thresholds: llmThresholdsForBreakdown(
    { buckets: false, errorTypes: [] },
    {
      // At most a quarter of answers may be refusals.
      llm_refused: [__ENV.REFUSED_THRESHOLD || 'rate<0.25'],
    },
  ),
};

const client = createClient({
  provider: 'anthropic',
  baseUrl: real ? __ENV.LLM_BASE_URL : `${__ENV.MOCK_URL || 'http://127.0.0.1:8787'}/v1`,
  apiKey: real ? __ENV.LLM_API_KEY : 'refusal-example-key',
  model: __ENV.LLM_MODEL || 'claude-haiku-4-5',
  price: real ? undefined : { input: 1, cachedInput: 0.1, cacheWrite: 1.25, output: 5 },
  // The provider's signal first; the text heuristic (on by default) for refusals a provider does not flag.
  validate: [notRefused()],
});

export default function () {
  const scripted = !real && (__ITER + 1) % every === 0;
  const res = client.chat({
    prompt: 'Summarise our refund policy for a customer in two sentences.',
    maxTokens: 80,
    headers: scripted ? { 'x-mock-refusal': '1' } : {},
  });
  if (res.refusal) console.log(`refused (${res.refusal.source}: ${res.refusal.signal} ${res.refusal.reason})`);
  checkValidation(res);
}
