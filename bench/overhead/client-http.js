// Library overhead, buffered: k6-llm's client over its default k6/http transport, with metrics, cost and two
// validators on, as a user's script would have them. Compare with minimal-http.js.
import { createClient } from '../../lib/index';
import { finish, isJSON } from '../../lib/validate/index';
import { API_KEY, MAX_TOKENS, MODEL, PROMPT, baseUrl, benchOptions } from './workload.js';

export const options = benchOptions();

const client = createClient({
  provider: 'openai-chat',
  baseUrl: baseUrl(),
  apiKey: API_KEY,
  model: MODEL,
  validate: [isJSON(), finish()],
});

export default function () {
  client.chat({ prompt: PROMPT, maxTokens: MAX_TOKENS });
}
