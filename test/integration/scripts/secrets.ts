// The API key comes from k6's secrets and must not appear anywhere k6 writes: console
// output, errors, tags, the summary. The script logs everything it can about the result.
import secrets from 'k6/secrets';
import { createClient } from '../../../lib/index';
import { relayTransport } from '../../../lib/transports/relay';

export const options = { iterations: 2, thresholds: { llm_requests: ['count>0'] } };

const apiKey = await secrets.get('llm');

const client = createClient({
  provider: 'openai-chat',
  baseUrl: `${__ENV.MOCK_URL}/v1`,
  apiKey,
  model: 'gpt-4o-mini',
  transport: relayTransport(),
  tags: { team: 'search' },
  price: { input: 1, output: 1 },
});

export default function () {
  const ok = client.chat({ prompt: 'hello', maxTokens: 8 });
  console.log(`config ${JSON.stringify(client.config)}`);
  console.log(`result ${JSON.stringify(ok)}`);
  // The mock echoes nothing of the key, so make the server reject it: an error path.
  const failed = client.chat({ prompt: 'hello', maxTokens: 8, headers: { 'x-mock-fault': '500' } });
  console.log(`failed ${JSON.stringify(failed)}`);
}
