// One request per iteration with a fault injected by the mock's x-mock-fault header;
// reports how each one ended so the test can check faults end as recorded errors.
import { createClient, httpTransport } from '../../../lib/index';
import { relayTransport } from '../../../lib/transports/relay';

export const options = {
  scenarios: { faults: { executor: 'per-vu-iterations', vus: 1, iterations: Number(__ENV.ITERATIONS || 1), maxDuration: '60s' } },
};

const client = createClient({
  provider: (__ENV.PROVIDER || 'openai-chat') as 'openai-chat',
  baseUrl: `${__ENV.MOCK_URL}/v1`,
  apiKey: __ENV.KEY || 'fault-key',
  model: __ENV.PROVIDER === 'anthropic' ? 'claude-haiku-4-5' : 'gpt-4o-mini',
  transport: __ENV.TRANSPORT === 'http' ? httpTransport() : relayTransport(),
  stream: true,
  retry: Number(__ENV.RETRIES || 0),
  stallTimeoutMs: Number(__ENV.STALL_MS || 30000),
  timeoutMs: Number(__ENV.TIMEOUT_MS || 120000),
  price: { input: 1, output: 1 },
});

export default function () {
  const headers: Record<string, string> = { 'x-mock-ttft-ms': '20', 'x-mock-itl-ms': '2' };
  if (__ENV.FAULT) headers['x-mock-fault'] = __ENV.FAULT;
  if (__ENV.FAULT_MS) headers['x-mock-fault-ms'] = __ENV.FAULT_MS;
  if (__ENV.FAULT_AT) headers['x-mock-fault-at'] = __ENV.FAULT_AT;
  const r = client.chat({ prompt: 'fault injection', maxTokens: 20, headers });
  console.log(`outcome ${JSON.stringify({ ok: r.ok, status: r.status, errorType: r.errorType, complete: r.complete, attempts: r.attempts, retryWaitMs: r.retryWaitMs, textLength: r.text.length })}`);
}
