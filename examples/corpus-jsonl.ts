// Replays a prompt corpus: each iteration takes the next row of examples/data/prompts.jsonl, in
// order and never twice across VUs or k6 instances until the corpus wraps. By default the run
// sends every prompt exactly once.
//
// Against the built-in mock:   npm start -- dist/examples/corpus-jsonl.js
// Against a real endpoint:     LLM_BASE_URL=https://api.openai.com/v1 LLM_API_KEY=sk-... LLM_MODEL=gpt-4o-mini \
//                              npx k6-llm run dist/examples/corpus-jsonl.js
// Your own corpus:             CORPUS=/abs/path/prompts.jsonl (or .csv, or a ShareGPT .json) ...
import { check } from 'k6';
import { createClient } from '../lib/index';
import { relayTransport } from '../lib/transports/relay';
import { loadCorpus, sequential, toRequest } from '../lib/workload/index';

const real = Boolean(__ENV.LLM_BASE_URL);

// k6 resolves open() paths against the script file: the bundle in dist/examples/, two levels below the repo.
const corpus = loadCorpus('prompts', __ENV.CORPUS || '../../examples/data/prompts.jsonl');
const next = sequential(corpus);

export const options = {
  scenarios: {
    corpus: {
      executor: 'shared-iterations',
      vus: Number(__ENV.VUS || 5),
      iterations: Number(__ENV.ITERATIONS || corpus.length),
      maxDuration: '10m',
    },
  },
  thresholds: { llm_errors: ['count<1'], llm_ttft: ['p(95)<3000'] },
};

const client = createClient({
  provider: 'openai-chat',
  baseUrl: real ? __ENV.LLM_BASE_URL : `${__ENV.MOCK_URL || 'http://127.0.0.1:8787'}/v1`,
  apiKey: real ? __ENV.LLM_API_KEY : 'mock-key',
  model: __ENV.LLM_MODEL || 'gpt-4o-mini',
  transport: relayTransport(),
  price: real ? undefined : { input: 0.15, output: 0.6 },
});

export default function () {
  const row = next();
  // A real model decides its answer's length; the mock is told each row's expected size, so
  // the traffic has the corpus's mix of short and long answers (latency depends on it).
  const request = real
    ? toRequest(row, { maxTokens: 1024 })
    : toRequest(row, { headers: { 'x-mock-output-tokens': String(row.expectedOutputTokens ?? 128) } });
  const res = client.chat(request);
  check(res, { 'completed': (r) => r.ok, 'has text': (r) => r.text.length > 0 });
}
