// A support agent with two tools, load tested as whole conversations: each iteration is one
// user asking a question, the model calling tools (stubs with simulated latency) until it
// answers, the user thinking, and a follow-up. Session metrics (llm_session_duration,
// llm_session_steps, llm_session_tool_calls, llm_session_goodput, llm_tool_latency) sit next to
// the per-request llm_* metrics of every model call.
//
// Against the built-in mock:   npm start -- dist/examples/agent-tools.js
// Against a real endpoint:     LLM_PROVIDER=anthropic LLM_BASE_URL=https://api.anthropic.com/v1 LLM_API_KEY=... \
//                              LLM_MODEL=claude-haiku-4-5 npx k6-llm run dist/examples/agent-tools.js
// LLM_PROVIDER is openai-chat (default), openai-responses or anthropic. ITERATIONS=n runs exactly
// n conversations (what CI does); otherwise VUS users ramp up and hold.
import { check } from 'k6';
import { createClient } from '../lib/index';
import type { ProviderName } from '../lib/providers/index';
import { relayTransport } from '../lib/transports/relay';
import { createSession } from '../lib/agent/index';
import { presets, think, thinkTime } from '../lib/workload/index';

const real = Boolean(__ENV.LLM_BASE_URL);
const vus = Number(__ENV.VUS || 5);

export const options = {
  scenarios: __ENV.ITERATIONS
    ? presets.smoke({ name: 'conversations', vus, iterations: Number(__ENV.ITERATIONS) })
    : presets.ramp({ to: vus, rampUp: __ENV.RAMP || '20s', hold: __ENV.HOLD || '40s' }),
  thresholds: {
    // The whole user turn, tools included, is what the user waits for.
    llm_session_duration: ['p(95)<15000'],
    llm_session_goodput: ['rate>0.95'],
    llm_ttft: ['p(95)<2000'],
  },
};

const client = createClient({
  provider: (__ENV.LLM_PROVIDER || 'openai-chat') as ProviderName,
  baseUrl: real ? __ENV.LLM_BASE_URL : `${__ENV.MOCK_URL || 'http://127.0.0.1:8787'}/v1`,
  apiKey: real ? __ENV.LLM_API_KEY : 'mock-key',
  model: __ENV.LLM_MODEL || 'gpt-4o-mini',
  transport: relayTransport(),
  price: real ? undefined : { input: 0.15, output: 0.6 },
});

// Stub tools: canned answers with the latency the real backends have.
const tools = {
  lookup_order: {
    spec: {
      description: 'Status and delivery date of an order',
      parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] },
    },
    run: (args: Record<string, unknown>) => ({ order_id: args.order_id, status: 'shipped', eta: '2 days' }),
    latencyMs: { min: 50, max: 150 },
  },
  search_help: {
    spec: {
      description: 'Search the help centre; returns the best matching article',
      parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
    },
    run: (args: Record<string, unknown>) => `Article for "${String(args.query)}": returns are free within 30 days.`,
    latencyMs: 200,
  },
};

// Real users pause between turns; exponential pauses make their requests Poisson (THINK_MEAN=0 for none).
const pause = thinkTime.exponential(Number(__ENV.THINK_MEAN ?? 3), { max: 15 });

export default function () {
  const session = createSession(client, {
    name: 'support',
    system: 'You are a support agent for an online shop. Use the tools, then answer in two sentences.',
    tools,
    maxSteps: 6,
    // Consult a tool before answering. (The mock, too, calls a tool only when the choice requires one.)
    toolChoice: (step) => (step === 0 ? 'required' : 'auto'),
    request: real ? { maxTokens: 256 } : { headers: { 'x-mock-output-tokens': '40' } },
  });
  const first = session.send('Where is my order 1042, and can I still return it?');
  check(first, { 'answered': (t) => t.ok, 'used a tool': (t) => t.toolCalls.length > 0 });
  think(pause);
  const second = session.send('Thanks. How do I start the return?');
  check(second, { 'follow-up answered': (t) => t.ok });
  think(pause);
}
