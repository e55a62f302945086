// A short streamed run for the dashboard test: ramping VUs against the mock over the relay (TTFT and ITL need
// per-event timing), two providers and models priced from the built-in table, injected 429s and 500s so the errors
// and 429 panels have data. Claude Opus 4 ($15 in, $75 out per million tokens) makes the dollar figures large
// enough for the dashboard's number format, which shows one or two decimals (docs/reports.md).
import { sleep } from 'k6';
import { createClient } from '../../../lib/index';
import { relayTransport } from '../../../lib/transports/relay';

const MODELS = [
  { provider: 'anthropic', model: 'claude-opus-4' },
  { provider: 'openai-chat', model: 'gpt-4o-mini' },
] as const;

export const options = {
  scenarios: {
    chat: {
      executor: 'ramping-vus',
      startVUs: 2,
      stages: [
        { duration: __ENV.RAMP || '5s', target: Number(__ENV.VUS || 8) },
        { duration: __ENV.HOLD || '4s', target: Number(__ENV.VUS || 8) },
      ],
      gracefulRampDown: '2s',
    },
  },
};

const clients = MODELS.map(({ provider, model }) =>
  createClient({
    provider,
    baseUrl: `${__ENV.MOCK_URL}/v1`,
    apiKey: 'test-key',
    model,
    transport: relayTransport(),
    retry: { maxRetries: 1, initialDelayMs: 50, maxDelayMs: 100 },
    requirePrice: true,
  }),
);

export default function () {
  const client = clients[(__ITER + __VU) % clients.length]!;
  const roll = Math.random();
  client.chat({
    prompt: 'Describe the load on this server.',
    maxTokens: 400,
    headers: {
      'x-mock-output-tokens': String(100 + ((__ITER * 37 + __VU * 11) % 300)),
      'x-mock-ttft-ms': '150',
      'x-mock-itl-ms': '5',
      'x-mock-jitter': '0.3',
      // Every VU's first request fails: errors come before the first success, in the first periods, as in a run that
      // starts against a failing endpoint. The live dashboard must stay up as the charts of later metrics appear.
      'x-mock-fault': __ITER === 0 ? '500' : roll < 0.15 ? '429' : roll < 0.2 ? '500' : 'none',
    },
  });
  sleep(0.2);
}
