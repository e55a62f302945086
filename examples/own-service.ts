// Most teams test their own service that wraps a model, not the provider. This is the
// seed article's pair: POST /api/ask answers with JSON and usage.total_tokens; POST
// /api/stream streams SSE deltas. customProvider() describes each shape once.
//   MODE=ask     buffered JSON over k6/http (TTFB and end-to-end time)
//   MODE=stream  streamed over the relay transport (TTFT and ITL)
// The mock serves both endpoints; point SERVICE_URL at your own service instead.
import { check } from 'k6';
import { createClient, customProvider, httpTransport } from '../lib/index';
import { relayTransport } from '../lib/transports/relay';
import { thinkTime, think } from '../lib/workload/index';

const mode = __ENV.MODE || 'stream';

const ask = customProvider({
  name: 'own-ask',
  path: '/api/ask',
  format: 'json',
  buildBody: (req) => ({ message: req.prompt, user_id: `loadtest-${__VU}`, max_tokens: req.maxTokens }),
  text: 'answer',
  finish: 'finish_reason',
  usage: { input: 'usage.prompt_tokens', output: 'usage.completion_tokens', total: 'usage.total_tokens' },
});

const stream = customProvider({
  name: 'own-stream',
  path: '/api/stream',
  format: 'sse',
  buildBody: (req) => ({ message: req.prompt, user_id: `loadtest-${__VU}`, max_tokens: req.maxTokens }),
  text: 'delta',
  finish: 'finish_reason',
  usage: { input: 'usage.prompt_tokens', output: 'usage.completion_tokens', total: 'usage.total_tokens' },
  done: (value) => (value as { done?: boolean }).done === true,
});

export const options = {
  scenarios: {
    users: {
      executor: 'ramping-vus',
      stages: [
        { duration: __ENV.RAMP || '10s', target: Number(__ENV.VUS || 10) },
        { duration: __ENV.HOLD || '10s', target: Number(__ENV.VUS || 10) },
      ],
    },
  },
  thresholds: mode === 'ask' ? { llm_e2e: ['p(99)<15000'], llm_errors: ['count<5'] } : { llm_ttft: ['p(95)<1000'], llm_errors: ['count<5'] },
};

const client = createClient({
  provider: mode === 'ask' ? ask : stream,
  baseUrl: __ENV.SERVICE_URL || __ENV.MOCK_URL || 'http://127.0.0.1:8787',
  apiKey: __ENV.SERVICE_KEY || 'own-service-key',
  model: 'own-service',
  transport: mode === 'ask' ? httpTransport() : relayTransport(),
  stream: mode !== 'ask',
  price: false,
});

const questions = ['How do I reset my password?', 'What does the premium plan include?', 'Can I export my data as CSV?'];

export default function () {
  const res = client.chat({ prompt: questions[__ITER % questions.length], maxTokens: 60 });
  check(res, { answered: (r) => r.ok && r.text.length > 10 });
  // Users read the answer before asking again: 1-3 s, as in the seed's Locust example.
  think(thinkTime.uniform(Number(__ENV.THINK_MIN ?? 1), Number(__ENV.THINK_MAX ?? 3)));
}
