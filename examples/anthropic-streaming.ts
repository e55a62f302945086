// Anthropic Messages, streamed, with extended thinking: llm_ttft ends at the first thinking
// token, llm_ttfo at the first visible text token. The gap is how long users stare at a
// spinner while the model reasons.
import { check } from 'k6';
import { createClient } from '../lib/index';
import { relayTransport } from '../lib/transports/relay';

const real = Boolean(__ENV.LLM_BASE_URL);

export const options = {
  scenarios: { chat: { executor: 'constant-vus', vus: Number(__ENV.VUS || 4), duration: __ENV.DURATION || '15s' } },
  thresholds: { llm_ttft: ['p(95)<1500'], llm_ttfo: ['p(95)<5000'], llm_errors: ['count<1'] },
};

const client = createClient({
  provider: 'anthropic',
  baseUrl: real ? __ENV.LLM_BASE_URL : `${__ENV.MOCK_URL || 'http://127.0.0.1:8787'}/v1`,
  apiKey: real ? __ENV.LLM_API_KEY : 'anthropic-example-key',
  model: __ENV.LLM_MODEL || 'claude-sonnet-4-5',
  transport: relayTransport(),
});

export default function () {
  const res = client.chat({
    system: 'You are a concise assistant.',
    prompt: 'Plan a three-step rollout for a new API version.',
    maxTokens: 400,
    extra: { thinking: { type: 'enabled', budget_tokens: 256 } },
    // The mock streams this many thinking tokens first; a real model decides for itself.
    headers: real ? {} : { 'x-mock-reasoning-tokens': __ENV.THINKING_TOKENS || '60' },
  });
  check(res, { 'answered after thinking': (r) => r.ok && r.reasoningText.length > 0 && r.text.length > 0 });
}
