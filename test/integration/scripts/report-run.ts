// A small, varied run for the report tests: two models, answers in three output buckets, a few
// injected 429s and 500s (retried once), a validator that fails on long answers, breakdown
// thresholds and one threshold meant to fail. handleSummary writes every report format to OUT_DIR
// from inside k6, so the bundle that users get is the one that renders them.
import { sleep } from 'k6';
import { createClient, httpTransport } from '../../../lib/index';
import { llmHtmlReport, llmJSON, llmJUnit, llmTextSummary, llmThresholdsForBreakdown, type K6SummaryData } from '../../../lib/report/index';
import { relayTransport } from '../../../lib/transports/relay';
import { lengthBetween, named } from '../../../lib/validate/common';

const MODELS = ['gpt-4o-mini', 'gpt-4o'];
const OUTPUT_TOKENS = [24, 120, 300];

export const options = {
  scenarios: {
    load: {
      executor: 'ramping-vus',
      startVUs: 1,
      stages: [
        { duration: __ENV.RAMP || '4s', target: Number(__ENV.VUS || 8) },
        { duration: __ENV.HOLD || '3s', target: Number(__ENV.VUS || 8) },
      ],
      gracefulRampDown: '3s',
    },
  },
  thresholds: llmThresholdsForBreakdown(
    { models: MODELS, validators: ['short-answer'] },
    {
      llm_ttft: ['p(95)<2000'],
      llm_errors: ['count<1000'],
      llm_cost_usd: ['count<1'],
      // Meant to fail: the JUnit and HTML reports must show a failing threshold.
      llm_e2e: ['p(99)<50'],
    },
  ),
  summaryTrendStats: (__ENV.TREND_STATS || 'avg,min,med,max,p(90),p(95),p(99)').split(','),
};

const clients = MODELS.map((model) =>
  createClient({
    provider: 'openai-chat',
    baseUrl: `${__ENV.MOCK_URL}/v1`,
    apiKey: 'test-key',
    model,
    transport: __ENV.TRANSPORT === 'http' ? httpTransport() : relayTransport(),
    retry: { maxRetries: 1, initialDelayMs: 50, maxDelayMs: 100 },
    price: model === 'gpt-4o' ? { input: 2.5, output: 10 } : { input: 0.15, output: 0.6 },
    validate: [named('short-answer', lengthBetween({ maxTokens: 200 }))],
  }),
);

export default function () {
  const n = __ITER + __VU;
  const client = clients[n % clients.length]!;
  const roll = Math.random();
  const fault = roll < Number(__ENV.P429 || 0.08) ? '429' : roll < Number(__ENV.P429 || 0.08) + Number(__ENV.P500 || 0.06) ? '500' : 'none';
  client.chat({
    prompt: 'Describe the load on this server.',
    maxTokens: 400,
    headers: {
      'x-mock-output-tokens': String(OUTPUT_TOKENS[(n * 7 + __VU) % OUTPUT_TOKENS.length]),
      'x-mock-ttft-ms': __ENV.TTFT || '120',
      'x-mock-itl-ms': __ENV.ITL || '4',
      'x-mock-jitter': '0.3',
      'x-mock-tokens-per-chunk': __ENV.TOKENS_PER_CHUNK || '1',
      'x-mock-fault': fault,
    },
  });
  sleep(0.2);
}

export function handleSummary(data: K6SummaryData): Record<string, string> {
  const dir = __ENV.OUT_DIR;
  const out: Record<string, string> = { stdout: llmTextSummary(data, { requestsPerDay: 50_000 }) };
  if (dir) {
    out[`${dir}/summary.json`] = JSON.stringify(data, null, 1);
    out[`${dir}/report.html`] = llmHtmlReport(data, { requestsPerDay: 50_000, subtitle: 'report-run against the k6-llm mock' });
    out[`${dir}/junit.xml`] = llmJUnit(data);
    out[`${dir}/llm.json`] = llmJSON(data, { requestsPerDay: 50_000 });
  }
  return out;
}
