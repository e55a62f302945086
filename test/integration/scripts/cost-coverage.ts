// What a run's cost and token figures cover, end to end: models without a price, usage the server
// did not report, and the warnings about them. One script, set by MODE:
//   unpriced   every request to `tiny`, a model no table prices, under a cost budget
//   mixed      gpt-4o-mini (built-in price) and `tiny` in turn; breakdown thresholds name both
//   estimated  gpt-4o-mini streamed without stream_options.include_usage: the mock reports no usage
// REQUIRE=client sets requirePrice; REQUIRE=threshold adds llm_unpriced: ['rate==0'].
// REQUEST_MODEL names a model per request (request.model), met at iteration time.
// handleSummary writes every report format to OUT_DIR from inside k6.
import { sleep } from 'k6';
import { createClient, httpTransport } from '../../../lib/index';
import { llmHtmlReport, llmJSON, llmJUnit, llmTextSummary, llmThresholdsForBreakdown, type K6SummaryData } from '../../../lib/report/index';

const mode = __ENV.MODE || 'unpriced';
const models = mode === 'mixed' ? ['gpt-4o-mini', 'tiny'] : [mode === 'estimated' ? 'gpt-4o-mini' : 'tiny'];

const budgets: Record<string, unknown[]> = { llm_cost_usd: ['count<0.50'] };
if (mode === 'estimated') budgets.llm_output_tokens = ['count<1000000'];
if (__ENV.REQUIRE === 'threshold') budgets.llm_unpriced = ['rate==0'];

export const options = {
  scenarios: {
    load: { executor: 'constant-vus', vus: Number(__ENV.VUS || 2), duration: __ENV.DURATION || '2s' },
  },
  thresholds: __ENV.NAME_MODELS === '0' ? budgets : llmThresholdsForBreakdown({ models, buckets: false, errorTypes: [] }, budgets),
};

const clients = models.map((model) =>
  createClient({
    provider: 'openai-chat',
    baseUrl: `${__ENV.MOCK_URL}/v1`,
    apiKey: 'test-key',
    model,
    transport: httpTransport(),
    stream: mode === 'estimated',
    requirePrice: __ENV.REQUIRE === 'client',
  }),
);

export default function () {
  const client = clients[__ITER % clients.length]!;
  client.chat({
    prompt: 'What does this run cost?',
    maxTokens: 20,
    model: __ENV.REQUEST_MODEL || undefined,
    // Without include_usage an OpenAI stream reports no usage: the client estimates the counts.
    extra: mode === 'estimated' ? { stream_options: undefined } : undefined,
    headers: { 'x-mock-ttft-ms': '20', 'x-mock-itl-ms': '2' },
  });
  sleep(0.1);
}

export function handleSummary(data: K6SummaryData): Record<string, string> {
  const dir = __ENV.OUT_DIR;
  const out: Record<string, string> = { stdout: llmTextSummary(data) };
  if (dir) {
    out[`${dir}/summary.json`] = JSON.stringify(data, null, 1);
    out[`${dir}/llm.json`] = llmJSON(data);
    out[`${dir}/junit.xml`] = llmJUnit(data, { failOnTrust: 'bad' });
    out[`${dir}/report.html`] = llmHtmlReport(data);
  }
  return out;
}
