// Fixed-size run for timing assertions: the mock's TTFT and inter-token gap are injected
// through override headers; TRANSPORT picks the buffered or the streaming transport.
import { createClient, httpTransport } from '../../../lib/index';
import { relayTransport } from '../../../lib/transports/relay';

export const options = {
  scenarios: {
    timing: { executor: 'shared-iterations', vus: Number(__ENV.VUS || 2), iterations: Number(__ENV.ITERATIONS || 10), maxDuration: '60s' },
  },
};

const client = createClient({
  provider: 'openai-chat',
  baseUrl: `${__ENV.MOCK_URL}/v1`,
  apiKey: 'test-key',
  model: 'gpt-4o-mini',
  transport: __ENV.TRANSPORT === 'http' ? httpTransport() : relayTransport(),
  stream: __ENV.STREAM ? __ENV.STREAM === 'true' : undefined,
  price: { input: 1, output: 2 },
});

export default function () {
  const res = client.chat({
    prompt: 'How fast are the tokens?',
    maxTokens: Number(__ENV.TOKENS || 20),
    headers: {
      'x-mock-ttft-ms': __ENV.TTFT || '300',
      'x-mock-itl-ms': __ENV.ITL || '40',
      'x-mock-jitter': '0',
      'x-mock-tokens-per-chunk': __ENV.TOKENS_PER_CHUNK || '1',
    },
  });
  if (!res.ok) console.error(`request failed: ${res.status} ${res.errorType} ${res.error ? res.error.message : ''}`);
}
