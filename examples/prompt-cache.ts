// Prompt caching under sustained load: every request shares a long system prefix, so after
// the first request the provider serves it from cache. llm_cache_hit_ratio (cached / input
// tokens per request) and llm_cost_usd show what caching saves; a cache-busting run
// (SHARED=false) shows the same load without it.
import { createClient } from '../lib/index';
import { relayTransport } from '../lib/transports/relay';
import { syntheticPrompt } from '../lib/workload/index';

const real = Boolean(__ENV.LLM_BASE_URL);
const shared = (__ENV.SHARED || 'true') === 'true';

export const options = {
  scenarios: { cache: { executor: 'constant-vus', vus: Number(__ENV.VUS || 4), duration: __ENV.DURATION || '15s' } },
  thresholds: shared ? { llm_cache_hit_ratio: ['avg>0.5'] } : {},
};

const client = createClient({
  provider: 'anthropic',
  baseUrl: real ? __ENV.LLM_BASE_URL : `${__ENV.MOCK_URL || 'http://127.0.0.1:8787'}/v1`,
  apiKey: real ? __ENV.LLM_API_KEY : 'cache-example-key',
  model: __ENV.LLM_MODEL || 'claude-haiku-4-5',
  transport: relayTransport(),
});

export default function () {
  client.chat({
    // 2,048 shared tokens (cacheable), then a short unique question.
    prompt: syntheticPrompt({ inputTokens: 2_100, sharedPrefixTokens: shared ? 2_048 : 0, cacheBust: true }),
    maxTokens: 64,
  });
}
