// The CI job: a short, thresholded test that fails the pipeline when latency, errors or
// cost go past their limits. handleSummary writes the LLM summary to stdout, a JUnit file
// for the CI's test report and an HTML report as a build artifact.
//
//   against the mock on every push:   node scripts/start.mjs dist/examples/ci-smoke.js
//   against staging:                  LLM_BASE_URL=... LLM_API_KEY=... LLM_MODEL=... npx k6-llm run dist/examples/ci-smoke.js
import { check } from 'k6';
import { createClient } from '../lib/index';
import { relayTransport } from '../lib/transports/relay';
import { finish } from '../lib/validate/index';
import { llmHtmlReport, llmJUnit, llmTextSummary } from '../lib/report/index';

const real = Boolean(__ENV.LLM_BASE_URL);

export const options = {
  scenarios: {
    smoke: {
      executor: 'ramping-vus',
      startVUs: 1,
      stages: [
        { duration: __ENV.RAMP || '10s', target: Number(__ENV.VUS || 5) },
        { duration: __ENV.HOLD || '10s', target: Number(__ENV.VUS || 5) },
      ],
    },
  },
  thresholds: {
    // 'max>0' makes a run that measured no TTFT at all fail instead of passing vacuously.
    llm_ttft: [`p(95)<${__ENV.TTFT_P95_MS || 2000}`, 'max>0'],
    llm_e2e: [`p(95)<${__ENV.E2E_P95_MS || 10000}`],
    llm_goodput: ['rate>0.95'],
    llm_errors: ['count<3'],
    llm_cost_usd: [{ threshold: `count<${__ENV.BUDGET_USD || 1}`, abortOnFail: true }],
  },
  summaryTrendStats: ['avg', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'],
};

const client = createClient({
  provider: 'openai-chat',
  baseUrl: real ? __ENV.LLM_BASE_URL : `${__ENV.MOCK_URL || 'http://127.0.0.1:8787'}/v1`,
  apiKey: real ? __ENV.LLM_API_KEY : 'ci-smoke-key',
  model: __ENV.LLM_MODEL || 'gpt-4o-mini',
  transport: relayTransport(),
  price: real ? undefined : { input: 0.15, output: 0.6 },
  validate: [finish()],
  slo: { ttftMs: Number(__ENV.TTFT_P95_MS || 2000) },
});

export default function () {
  const res = client.chat({ prompt: 'Give one tip for writing reliable load tests.', maxTokens: 64 });
  check(res, { 'request ok': (r) => r.ok });
}

export function handleSummary(data: Parameters<typeof llmTextSummary>[0]) {
  const dir = __ENV.REPORT_DIR || '.';
  return {
    stdout: llmTextSummary(data),
    [`${dir}/junit.xml`]: llmJUnit(data),
    [`${dir}/llm-report.html`]: llmHtmlReport(data),
  };
}
