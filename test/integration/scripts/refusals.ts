// Refusals under a dry run: the mock refuses a share of answers (`--refusal P`) in each provider's own wire shape,
// four clients (three providers with a refusal signal, Ollama without one) read them over the buffered http transport
// with notRefused(), and llm_refused carries a threshold. handleSummary writes the JSON report and JUnit to OUT_DIR.
import { createClient } from '../../../lib/index';
import { llmJSON, llmJUnit, llmTextSummary, llmThresholdsForBreakdown, type K6SummaryData } from '../../../lib/report/index';
import { notRefused } from '../../../lib/validate/index';

const PROVIDERS = [
  ['openai-chat', '/v1', 'gpt-4o-mini'],
  ['anthropic', '/v1', 'claude-haiku-4-5'],
  ['gemini', '/v1beta', 'gemini-2.5-flash'],
  ['ollama', '', 'llama3.2'],
] as const;

export const options = {
  scenarios: { refusals: { executor: 'per-vu-iterations', vus: 1, iterations: Number(__ENV.ITERATIONS || 15), maxDuration: '60s' } },
  thresholds: llmThresholdsForBreakdown({ buckets: false, errorTypes: [] }, { llm_refused: [__ENV.THRESHOLD || 'rate<0.01'] }),
};

const clients = PROVIDERS.map(([provider, path, model]) =>
  createClient({ provider, baseUrl: `${__ENV.MOCK_URL}${path}`, apiKey: 'test-key', model, price: false, validate: [notRefused()] }),
);

export default function () {
  for (const client of clients) client.chat({ prompt: 'Summarise the plan in one line.', maxTokens: 40 });
}

export function handleSummary(data: K6SummaryData): Record<string, string> {
  const out: Record<string, string> = { stdout: llmTextSummary(data, { width: 200 }) };
  if (__ENV.OUT_DIR) {
    out[`${__ENV.OUT_DIR}/llm.json`] = llmJSON(data);
    out[`${__ENV.OUT_DIR}/junit.xml`] = llmJUnit(data);
  }
  return out;
}
