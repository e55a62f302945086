// Fixed-count requests through the relay transport, for the relay's own faults: a relay stopped mid-run, a wrong
// token, a host off the allowlist. Each request's outcome is logged; the submetric thresholds make the error types
// appear in k6's summary.
import { sleep } from 'k6';
import { createClient } from '../../../lib/index';
import { relayTransport } from '../../../lib/transports/relay';

export const options = {
  scenarios: {
    relay: { executor: 'shared-iterations', vus: Number(__ENV.VUS || 2), iterations: Number(__ENV.ITERATIONS || 10), maxDuration: '60s' },
  },
  thresholds: {
    'llm_errors{error_type:relay_unavailable}': ['count>=0'],
    'llm_errors{error_type:relay_auth}': ['count>=0'],
    'llm_errors{error_type:relay_forbidden_host}': ['count>=0'],
  },
};

const client = createClient({
  provider: 'openai-chat',
  baseUrl: __ENV.UPSTREAM_BASE_URL || `${__ENV.MOCK_URL}/v1`,
  apiKey: 'relay-fault-key',
  model: 'gpt-4o-mini',
  transport: relayTransport(__ENV.TOKEN ? { token: __ENV.TOKEN } : {}),
  retry: Number(__ENV.RETRIES || 0),
  price: { input: 1, output: 1 },
});

export default function () {
  const r = client.chat({ prompt: 'relay fault', maxTokens: 5, headers: { 'x-mock-ttft-ms': '50', 'x-mock-itl-ms': '10', 'x-mock-output-tokens': '5' } });
  console.log(`outcome ${JSON.stringify({ ok: r.ok, status: r.status, errorType: r.errorType, attempts: r.attempts })}`);
  sleep(Number(__ENV.PAUSE_S || 0));
}
