// Library overhead, streamed: k6-llm's client over sseTransport() (k6/x/llmstream), with metrics, cost and two
// validators on. Compare with minimal-sse.js.
import { createClient } from '../../lib/index';
import { sseTransport } from '../../lib/transports/sse';
import { finish, isJSON } from '../../lib/validate/index';
import { API_KEY, MAX_TOKENS, MODEL, PROMPT, baseUrl, benchOptions } from './workload.js';

export const options = benchOptions();

const client = createClient({
  provider: 'openai-chat',
  baseUrl: baseUrl(),
  apiKey: API_KEY,
  model: MODEL,
  transport: sseTransport(),
  validate: [isJSON(), finish()],
});

export default function () {
  client.chat({ prompt: PROMPT, maxTokens: MAX_TOKENS });
}
