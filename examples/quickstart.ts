// The flagship: ramp 1 -> 10 virtual users streaming chat completions; the end-of-test summary is
// k6-llm's: time to first token, inter-token latency, tokens, cost, thresholds and the run's trust.
//
// Against the built-in mock:   npm start
// Against a real endpoint:     LLM_BASE_URL=https://api.openai.com/v1 LLM_API_KEY=sk-... LLM_MODEL=gpt-4o-mini \
//                              LLM_REQUIRE_PRICE=1 npx k6-llm run dist/examples/quickstart.js
// A real endpoint is priced from the built-in table. LLM_REQUIRE_PRICE=1 makes a model without a price
// (a local or fine-tuned one) an error before the first request, so the cost budget below never passes
// on requests it did not count; without it such a run warns once and its summary says what was not priced.
// Watch it live:               npx k6-llm run --mock --dashboard dist/examples/quickstart.js
// opens k6's web dashboard with k6-llm's LLM tab at http://127.0.0.1:5665 (TTFT, ITL, tokens/s, 429s, cost as
// the run goes); --dashboard-export dashboard.html also saves it as one HTML file when the run ends
// (docs/reports.md). k6 exits once the dashboard page is closed.
import { check, sleep } from 'k6';
import { createClient } from '../lib/index';
import { llmTextSummary } from '../lib/report/index';
import { relayTransport } from '../lib/transports/relay';

const real = Boolean(__ENV.LLM_BASE_URL);
const baseUrl = real ? __ENV.LLM_BASE_URL : `${__ENV.MOCK_URL || 'http://127.0.0.1:8787'}/v1`;
const model = __ENV.LLM_MODEL || 'gpt-4o-mini';

export const options = {
  scenarios: {
    chat: {
      executor: 'ramping-vus',
      startVUs: 1,
      stages: [
        { duration: __ENV.RAMP || '20s', target: 10 },
        { duration: __ENV.HOLD || '10s', target: 10 },
      ],
      gracefulRampDown: '5s',
    },
  },
  thresholds: {
    llm_ttft: ['p(95)<2000'],
    llm_errors: ['count<5'],
    llm_cost_usd: ['count<0.50'],
    // Never fails: it makes k6 keep the model's llm_unpriced figure, so the summary can name the model if it has no price.
    [`llm_unpriced{model:${model}}`]: ['rate>=0'],
  },
  summaryTrendStats: ['avg', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'],
};

const client = createClient({
  provider: 'openai-chat',
  baseUrl,
  apiKey: real ? __ENV.LLM_API_KEY : 'mock-key',
  model,
  transport: relayTransport(),
  // gpt-4o-mini list price, USD per million tokens; real runs use the built-in table.
  price: real ? undefined : { input: 0.15, cachedInput: 0.075, output: 0.6 },
  requirePrice: __ENV.LLM_REQUIRE_PRICE === '1',
});

const questions = [
  'Explain what time to first token means for a chat product.',
  'Summarise the trade-offs of streaming responses in three sentences.',
  'Write a haiku about load testing.',
  'List five things that make LLM APIs slow under load.',
];

export default function () {
  const res = client.chat({
    prompt: questions[(__ITER + __VU) % questions.length],
    maxTokens: 96,
  });
  check(res, {
    'completed': (r) => r.ok,
    'has text': (r) => r.text.length > 0,
  });
  sleep(0.5 + Math.random());
}

// k6-llm's summary in place of k6's own (`--summary-export` still writes k6's JSON summary).
export function handleSummary(data: Parameters<typeof llmTextSummary>[0]) {
  return { stdout: llmTextSummary(data) };
}
