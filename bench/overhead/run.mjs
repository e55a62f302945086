// Library overhead: k6's own CPU seconds (user + system, from wait4 via GNU time) per 1,000 requests of a script
// using k6-llm's client against a hand-written minimal script doing the same HTTP and JSON work, at the same
// constant arrival rate against the mock (a separate process, not counted), over the buffered (k6/http) transport.
// (Streamed requests go through the relay; their k6 and relay costs are in the race bench, bench/race.) Nothing is
// subtracted: the totals include VU init and k6's end-of-test summary; a separate init-only run shows how much of it
// is init.
import { build } from 'esbuild';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleScript, runK6 } from '../lib/k6.mjs';
import { startMock } from '../lib/mock.mjs';
import { loadAverage } from '../lib/machine.mjs';
import { table } from '../lib/markdown.mjs';
import { outputDir, root } from '../lib/paths.mjs';
import { fmt } from '../lib/stats.mjs';

export const RATE = 50;
export const DURATION_S = 20;
export const VUS = 60;
export const GOAL = 1.15;
const MOCK_ARGS = ['--ttft-ms', '20', '--itl-ms', '2', '--jitter', '0', '--capacity', '0', '--output-tokens', '50', '--max-tokens-mode', 'cap', '--no-cache', '--history-size', '1000'];

const PAIRS = [
  { transport: 'buffered (k6/http, JSON body)', minimal: 'minimal-http', reference: 'minimal-http-metrics', client: 'client-http' },
];

/** The baselines must send what the client sends: compare workload.js with the provider's own request. */
async function checkParity() {
  const out = join(outputDir, 'lib', 'providers-node.mjs');
  await build({ entryPoints: [join(root, 'lib/providers/index.ts')], outfile: out, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' });
  const { getProvider } = await import(pathToFileURL(out).href);
  globalThis.__ENV ??= {};
  const w = await import(pathToFileURL(join(root, 'bench/overhead/workload.js')).href);
  for (const stream of [false, true]) {
    const spec = getProvider('openai-chat').buildRequest(
      { prompt: w.PROMPT, maxTokens: w.MAX_TOKENS, stream },
      { baseUrl: 'http://mock/v1', model: w.MODEL, apiKey: w.API_KEY },
    );
    const sorted = (h) => JSON.stringify(Object.entries(h).sort());
    if (spec.body !== w.requestBody(stream) || sorted(spec.headers) !== sorted(w.requestHeaders(stream))) {
      throw new Error(`bench/overhead/workload.js no longer matches the openai-chat request (stream: ${stream}):\n${spec.body}\n${w.requestBody(stream)}`);
    }
  }
}

async function measure(name, mockUrl, loads, log) {
  const script = await bundleScript(`bench/overhead/${name}.js`);
  loads.push(loadAverage());
  const env = { MOCK_URL: mockUrl, EXECUTOR: 'arrival', RATE: String(RATE), DURATION: `${DURATION_S}s`, VUS: String(VUS) };
  const run = await runK6(script, { env, timeoutMs: 120_000 });
  const requests = run.metrics.iterations?.count ?? 0;
  const dropped = run.metrics.dropped_iterations?.count ?? 0;
  // The same script with k6's --vus/--iterations override: VU init plus one request per VU, so the init share is visible.
  const init = await runK6(script, { env, args: ['--vus', String(VUS), '--iterations', String(VUS)], timeoutMs: 60_000 });
  log(`  ${name}: ${requests} requests, ${run.cpuS.toFixed(2)} CPU s (init-only run ${init.cpuS.toFixed(2)} s), ${dropped} dropped`);
  return { name, requests, dropped, cpuS: run.cpuS, perK: (run.cpuS / requests) * 1000, initCpuS: init.cpuS, wallS: run.wallS, maxRssKb: run.maxRssKb };
}

export async function run({ log, loads }) {
  await checkParity();
  const mock = await startMock(MOCK_ARGS);
  const results = [];
  try {
    for (const pair of PAIRS) {
      const minimal = await measure(pair.minimal, mock.url, loads, log);
      const reference = await measure(pair.reference, mock.url, loads, log);
      const client = await measure(pair.client, mock.url, loads, log);
      results.push({ ...pair, minimalRun: minimal, referenceRun: reference, clientRun: client, ratio: client.perK / minimal.perK, floor: reference.perK / minimal.perK });
    }
  } finally {
    await mock.stop();
  }
  const rows = [];
  for (const r of results) {
    for (const [label, m, ratio, goal] of [
      ['minimal script', r.minimalRun, '1.00×', ''],
      ['reference: minimal script + k6-llm\'s metrics by hand (no k6-llm)', r.referenceRun, `${fmt(r.floor)}×`, r.floor <= GOAL ? 'within' : 'above'],
      ['k6-llm client', r.clientRun, `**${fmt(r.ratio)}×**`, r.ratio <= GOAL ? 'met' : '**missed**'],
    ]) {
      rows.push([r.transport, label, m.requests + (m.dropped ? ` (${m.dropped} dropped)` : ''), fmt(m.cpuS), fmt(m.initCpuS), fmt(m.perK), ratio, goal]);
    }
  }
  const body = [
    `k6's CPU seconds per 1,000 requests at a constant arrival rate of ${RATE} requests/s for ${DURATION_S} s ` +
      `(${VUS} pre-allocated VUs) against the mock in its own process (TTFT 20 ms, 50 tokens 2 ms apart, capacity model off). ` +
      'The k6-llm scripts (`bench/overhead/client-*.js`) use `createClient` with metrics, cost (the built-in gpt-4o-mini price) and ' +
      'the validators `isJSON()` and `finish()`; the baselines (`bench/overhead/minimal-*.js`) send the same request body and headers ' +
      '(checked against the provider before the run), parse the JSON ' +
      'and add one Trend. CPU = user + system time of the k6 process from `wait4()` (GNU time), VU init and the end-of-test summary ' +
      'included, nothing subtracted. "Init run" is the same script with `--vus ' + VUS + ' --iterations ' + VUS + '`: VU init plus one request per VU.',
    '',
    table(['transport', 'script', 'requests', 'CPU s', 'init run CPU s', 'CPU s / 1,000 req', 'ratio', `goal ≤ ${GOAL}×`], rows, 'llrrrrrl'),
    '',
    'The mock answers with pseudo-words, so `isJSON()` fails on every response: its cost here is a failed `JSON.parse`, not a full parse.',
    '',
    'The reference rows (`bench/overhead/minimal-*-metrics.js`, with `reference-metrics.js`) are the minimal scripts plus, written by ' +
      'hand with no k6-llm import, what k6-llm\'s metrics cost k6 itself: the 34 `llm_*` metric objects of DESIGN.md, the tags the client ' +
      'puts on k6\'s `http_*` samples, and the samples the client records for one successful buffered request, with the request\'s ' +
      'tags set on the VU as `lib/client/record.ts` does. No library that records those metrics can cost less than its reference row.',
  ].join('\n');
  const verdict = results
    .map((r) => `${r.transport.split(' ')[0]} ${fmt(r.ratio)}×`)
    .join(', ') + ` k6's CPU per request against a minimal script (goal ≤ ${GOAL}×): ${results.every((r) => r.ratio <= GOAL) ? 'met' : '**missed**'}` +
    `; the metrics alone, written by hand: ${results.map((r) => `${r.transport.split(' ')[0]} ${fmt(r.floor)}×`).join(', ')}.`;
  return { body, results, verdict };
}
