// Find where a key's rate limit bites, and back off instead of counting failures.
// An open-loop arrival rate above the limit makes the server answer 429 with
// Retry-After; the client waits what the server asked (capped), retries, and records
// llm_rate_limited (share of attempts answered 429), llm_retries and llm_retry_wait.
//
// Against the mock with a 60-requests-per-minute limit:
//   npx k6-llm mock --port 8787 --rpm 60 &
//   MOCK_URL=http://127.0.0.1:8787 npx k6-llm run dist/examples/rate-limit-backoff.js
// Against a real endpoint: LLM_BASE_URL, LLM_API_KEY, LLM_MODEL (use a key dedicated to testing).
import { check } from 'k6';
import { createClient } from '../lib/index';
import { relayTransport } from '../lib/transports/relay';

const real = Boolean(__ENV.LLM_BASE_URL);

export const options = {
  scenarios: {
    over_the_limit: {
      executor: 'constant-arrival-rate',
      rate: Number(__ENV.RATE || 3),
      timeUnit: '1s',
      duration: __ENV.DURATION || '20s',
      preAllocatedVUs: 20,
      maxVUs: 60,
    },
  },
  thresholds: {
    // Retried 429s are not failures; requests that still failed after retries are.
    llm_errors: ['count<10'],
    // Put latency thresholds on what the server did per attempt (llm_ttft, llm_e2e);
    // llm_request_duration includes the waits the limit imposed.
    llm_ttft: ['p(95)<2000'],
  },
};

const client = createClient({
  provider: 'openai-chat',
  baseUrl: real ? __ENV.LLM_BASE_URL : `${__ENV.MOCK_URL || 'http://127.0.0.1:8787'}/v1`,
  apiKey: real ? __ENV.LLM_API_KEY : __ENV.MOCK_KEY || 'backoff-example-key',
  model: __ENV.LLM_MODEL || 'gpt-4o-mini',
  transport: relayTransport(),
  retry: { maxRetries: Number(__ENV.MAX_RETRIES || 4), maxRetryAfterMs: 20_000 },
  price: real ? undefined : { input: 0.15, output: 0.6 },
});

export default function () {
  const res = client.chat({ prompt: 'One sentence on why rate limits exist.', maxTokens: 32 });
  check(res, { 'succeeded (after retries if needed)': (r) => r.ok });
}
