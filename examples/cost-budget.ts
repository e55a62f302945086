// Cost as a CI budget. Before the run, setup() estimates what the scenarios will cost
// from an average prompt and answer size and refuses to start over BUDGET_USD; during
// the run, the llm_cost_usd threshold with abortOnFail stops a run that burns money.
//
//   npm start -- dist/examples/cost-budget.js        (against the built-in mock)
import { createClient, estimateRunCost } from '../lib/index';
import { relayTransport } from '../lib/transports/relay';

const real = Boolean(__ENV.LLM_BASE_URL);
const budgetUsd = Number(__ENV.BUDGET_USD || 0.05);
// gpt-4o-mini list prices, USD per million tokens; a real run uses the built-in table.
const price = { input: 0.15, cachedInput: 0.075, output: 0.6 };

// Kept apart from `options`: inside a running test k6 replaces options.scenarios with its own copy.
const scenarios = {
  steady: { executor: 'constant-vus', vus: Number(__ENV.VUS || 5), duration: __ENV.DURATION || '20s' },
};

export const options = {
  scenarios,
  thresholds: {
    llm_cost_usd: [{ threshold: `count<${budgetUsd}`, abortOnFail: true, delayAbortEval: '1s' }],
  },
};

const client = createClient({
  provider: 'openai-chat',
  baseUrl: real ? __ENV.LLM_BASE_URL : `${__ENV.MOCK_URL || 'http://127.0.0.1:8787'}/v1`,
  apiKey: real ? __ENV.LLM_API_KEY : 'cost-example-key',
  model: __ENV.LLM_MODEL || 'gpt-4o-mini',
  transport: relayTransport(),
  price: real ? undefined : price,
});

const maxTokens = Number(__ENV.MAX_TOKENS || 200);

export function setup() {
  const estimate = estimateRunCost({
    scenarios,
    avgInputTokens: 40,
    avgOutputTokens: maxTokens,
    price,
    // Each iteration: about 200 ms to the first token, 20 ms per token, no think time.
    avgIterationSeconds: 0.2 + maxTokens * 0.02,
  });
  console.log(`pre-flight estimate: ${estimate.requests} requests, $${estimate.usd.toFixed(4)} (budget $${budgetUsd})`);
  if (estimate.usd > budgetUsd * Number(__ENV.ESTIMATE_MARGIN || 1)) {
    throw new Error(`estimated cost $${estimate.usd.toFixed(4)} is over the budget of $${budgetUsd}; not starting`);
  }
  return { estimateUsd: estimate.usd };
}

export default function () {
  client.chat({ prompt: 'Write a short paragraph about budgets.', maxTokens });
}
