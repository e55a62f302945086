// Tool calls under load: the model must call the right tool with arguments that match the
// tool's schema. toolCall() checks both; a wrong or malformed call is a validation failure.
import { createClient, checkValidation } from '../lib/index';
import { relayTransport } from '../lib/transports/relay';
import { toolCall } from '../lib/validate/index';

const real = Boolean(__ENV.LLM_BASE_URL);

const weatherParameters = {
  type: 'object',
  additionalProperties: false,
  required: ['city', 'unit'],
  properties: {
    city: { type: 'string', minLength: 1 },
    unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
    days: { type: 'integer', minimum: 1, maximum: 7 },
  },
};

export const options = {
  scenarios: { tools: { executor: 'constant-vus', vus: Number(__ENV.VUS || 3), duration: __ENV.DURATION || '10s' } },
  thresholds: {
    'llm_validation_failed{validator:toolCall}': ['rate<0.01'],
    llm_errors: ['count<1'],
  },
};

const client = createClient({
  provider: (__ENV.LLM_PROVIDER || 'openai-chat') as 'openai-chat',
  baseUrl: real ? __ENV.LLM_BASE_URL : `${__ENV.MOCK_URL || 'http://127.0.0.1:8787'}/v1`,
  apiKey: real ? __ENV.LLM_API_KEY : 'tools-example-key',
  model: __ENV.LLM_MODEL || 'gpt-4o-mini',
  transport: relayTransport(),
  price: real ? undefined : { input: 0.15, output: 0.6 },
  // Compiled once, here in the init context.
  validate: [toolCall({ name: 'get_weather', argsSchema: weatherParameters })],
});

export default function () {
  const res = client.chat({
    prompt: 'What will the weather be in Oslo for the next three days?',
    tools: [{ name: 'get_weather', description: 'Weather forecast for a city', parameters: weatherParameters }],
    toolChoice: { name: 'get_weather' },
    maxTokens: 200,
  });
  checkValidation(res);
}
