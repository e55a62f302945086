// Memory: k6's peak RSS (ru_maxrss from wait4 via GNU time, i.e. VmHWM) with 1,000 VUs all holding a request open
// against the mock, for a script with k6-llm against one without it; plus the bundle sizes users get.
/* global fetch -- built into Node 20 */
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { bundleForK6, ENTRIES, outFile } from '../../build.mjs';
import { bundleScript, runK6 } from '../lib/k6.mjs';
import { mockStats, startMock } from '../lib/mock.mjs';
import { loadAverage } from '../lib/machine.mjs';
import { table } from '../lib/markdown.mjs';
import { outputDir, root } from '../lib/paths.mjs';
import { kib, mib } from '../lib/report.mjs';
import { fmt } from '../lib/stats.mjs';

export const VUS = 1000;
export const GOAL = 1.2;
// Every request takes ~12.75 s (TTFT 8 s, then 20 tokens 250 ms apart) and the scenario lasts 5 s, so each VU sends
// one request and all 1,000 are in flight together (k6's gracefulStop lets them finish). The tokens are spread
// out so that 1,000 streams do not all need the CPU in the same second.
const MOCK_ARGS = ['--ttft-ms', '8000', '--itl-ms', '250', '--jitter', '0', '--capacity', '0', '--output-tokens', '20', '--max-tokens-mode', 'cap', '--no-cache', '--history-size', '5000'];

const PAIRS = [
  { transport: 'buffered (k6/http)', minimal: 'minimal-http', client: 'client-http' },
];

async function bundleSizes() {
  const dir = join(outputDir, 'bundles');
  const rows = [];
  for (const subpath of ['.', './transports/relay', './validate']) {
    const out = join(dir, outFile(subpath));
    await bundleForK6(join(root, ENTRIES[subpath]), out);
    rows.push([`\`k6-llm${subpath === '.' ? '' : subpath.slice(1)}\` (dist/${outFile(subpath)})`, kib(statSync(out).size)]);
  }
  for (const file of readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ts')).sort()) {
    const out = join(dir, 'examples', `${basename(file, '.ts')}.js`);
    try {
      await bundleForK6(join(root, 'examples', file), out);
      rows.push([`example ${file} (dist/examples/${basename(file, '.ts')}.js)`, kib(statSync(out).size)]);
    } catch {
      // Examples that import build-time outputs (examples/generated/) bundle only after `npm run build`.
      rows.push([`example ${file}`, 'needs `npm run build` first']);
    }
  }
  return rows;
}

// Where the extra memory comes from: scripts that only import one part of k6-llm, at VUS VUs doing nothing
// (`--vus N --iterations N`, no request leaves: the default function only touches what it imported).
const PARTS = {
  'no import (empty default function)': 'export default function () {}',
  'k6-llm/metrics (the llm_* metric objects)': "import { llmMetrics } from '../../../../lib/metrics/index';\nexport default function () { if (!llmMetrics.ttft) throw new Error('no metrics'); }",
  'k6-llm/cost (price table)': "import { priceFor } from '../../../../lib/cost/index';\nexport default function () { priceFor('gpt-4o-mini'); }",
  'k6-llm/cost, priceFor at init (as createClient does)':
    "import { priceFor } from '../../../../lib/cost/index';\nconst price = priceFor('gpt-4o-mini');\nexport default function () { if (!price) throw new Error('no price'); }",
  'k6-llm/providers': "import { getProvider } from '../../../../lib/providers/index';\nexport default function () { getProvider('openai-chat'); }",
  'k6-llm/retry': "import { backoffMs } from '../../../../lib/retry/index';\nexport default function () { backoffMs(1, {}); }",
  'k6-llm/validate (isJSON, finish)': "import { finish, isJSON } from '../../../../lib/validate/index';\nconst v = [isJSON(), finish()];\nexport default function () { if (v.length !== 2) throw new Error('no validators'); }",
  'k6-llm/sse (parsers)': "import { createSSEParser } from '../../../../lib/sse/index';\nexport default function () { createSSEParser({ onEvent() {} }); }",
  'createClient + relayTransport + 2 validators':
    "import { createClient } from '../../../../lib/index';\nimport { relayTransport } from '../../../../lib/transports/relay';\n" +
    "import { finish, isJSON } from '../../../../lib/validate/index';\n" +
    "const client = createClient({ provider: 'openai-chat', baseUrl: 'http://127.0.0.1:9/v1', model: 'gpt-4o-mini', transport: relayTransport({ url: 'http://127.0.0.1:9' }), validate: [isJSON(), finish()] });\n" +
    "export default function () { if (!client.config) throw new Error('no client'); }",
};

// What k6 and Sobek charge per VU whatever the library does, for scale: the same number of k6 metric objects as
// k6-llm/metrics declared by hand, and plain JavaScript functions declared at import.
const REFERENCE_PARTS = {
  'reference: 34 k6 Trends declared by hand (no k6-llm)':
    "import { Trend } from 'k6/metrics';\n" +
    `const trends = [${Array.from({ length: 34 }, (_, i) => `new Trend('reference_${i}', true)`).join(', ')}];\n` +
    "export default function () { if (trends.length !== 34) throw new Error('no trends'); }",
  'reference: 100 plain functions declared at import (no k6-llm)':
    Array.from({ length: 100 }, (_, i) => `function f${i}(a) { return a + ${i}; }`).join('\n') +
    `\nconst functions = [${Array.from({ length: 100 }, (_, i) => `f${i}`).join(', ')}];\n` +
    "export default function () { if (functions.length !== 100) throw new Error('no functions'); }",
};

async function partsBreakdown(loads, log) {
  const dir = join(outputDir, 'memory', 'parts');
  mkdirSync(dir, { recursive: true });
  const rows = [];
  let base;
  let i = 0;
  for (const [label, source] of Object.entries({ ...PARTS, ...REFERENCE_PARTS })) {
    const src = join(dir, `part-${i}.js`);
    const out = join(dir, `part-${i}.bundle.js`);
    i++;
    writeFileSync(src, `// Generated by bench/memory/run.mjs.\n${source}\n`);
    await bundleForK6(src, out);
    loads.push(loadAverage());
    const run = await runK6(out, { args: ['--vus', String(VUS), '--iterations', String(VUS)], timeoutMs: 120_000 });
    base ??= run.maxRssKb;
    log(`  part ${label}: ${mib(run.maxRssKb)}`);
    rows.push([label, kib(statSync(out).size), mib(run.maxRssKb), `${fmt((run.maxRssKb - base) / VUS, 0)} KiB`, fmt(run.cpuS)]);
  }
  return rows;
}

async function measure(name, mockUrl, loads, log) {
  const script = await bundleScript(`bench/overhead/${name}.js`);
  loads.push(loadAverage());
  const env = { MOCK_URL: mockUrl, EXECUTOR: 'vus', VUS: String(VUS), DURATION: '5s', GRACEFUL_STOP: '40s' };
  await fetch(`${mockUrl}/_mock/reset`, { method: 'POST' });
  const run = await runK6(script, { env, timeoutMs: 150_000 });
  const requests = run.metrics.iterations?.count ?? 0;
  // The mock's highest number of generations in flight at once during this run: proof that all VUs were waiting together.
  const { peakConcurrency } = await mockStats(mockUrl);
  log(`  ${name}: peak RSS ${mib(run.maxRssKb)}, ${requests} requests, ${peakConcurrency} in flight at once, ${run.wallS} s`);
  return { name, script, bundleBytes: statSync(script).size, requests, peakConcurrency, maxRssKb: run.maxRssKb, wallS: run.wallS, cpuS: run.cpuS };
}

export async function run({ log, loads }) {
  const sizes = await bundleSizes();
  const parts = await partsBreakdown(loads, log);
  const mock = await startMock(MOCK_ARGS);
  const results = [];
  try {
    for (const pair of PAIRS) {
      const minimal = await measure(pair.minimal, mock.url, loads, log);
      const client = await measure(pair.client, mock.url, loads, log);
      results.push({ ...pair, minimalRun: minimal, clientRun: client, ratio: client.maxRssKb / minimal.maxRssKb });
    }
  } finally {
    await mock.stop();
  }
  const rows = [];
  for (const r of results) {
    for (const [label, m] of [['minimal script', r.minimalRun], ['k6-llm client', r.clientRun]]) {
      const isClient = label === 'k6-llm client';
      rows.push([
        r.transport,
        `${label} (\`${m.name}.js\`, ${kib(m.bundleBytes)} bundled)`,
        m.requests,
        m.peakConcurrency,
        mib(m.maxRssKb),
        isClient ? `${fmt((r.clientRun.maxRssKb - r.minimalRun.maxRssKb) / VUS / 1024, 3)} MiB` : '',
        isClient ? `**${fmt(r.ratio)}×**` : '1.00×',
        isClient ? (r.ratio <= GOAL ? 'met' : '**missed**') : '',
      ]);
    }
  }
  const body = [
    `Peak resident memory of the k6 process (\`ru_maxrss\` from \`wait4()\` via GNU time, the same as VmHWM) with ${VUS} ` +
      'constant VUs, each holding one request open against the mock (TTFT 8 s, then 20 tokens 250 ms apart; scenario 5 s, ' +
      'so all requests are in flight together: "most in flight" is the mock\'s own count). Same scripts as the overhead bench: k6-llm client with metrics, cost and ' +
      'two validators against a hand-written script with no k6-llm import.',
    '',
    table(['transport', 'script', 'requests', 'most in flight at once', 'peak RSS', 'extra per VU', 'ratio', `goal ≤ ${GOAL}×`], rows, 'llrrrrrl'),
    '',
    `Where the extra memory comes from: scripts that import one part of k6-llm each, ${VUS} VUs, init only (\`--vus ${VUS} --iterations ${VUS}\`, no request sent). ` +
      '"per VU" is the peak RSS above the empty script\'s, divided by the VUs. A VU is a separate JavaScript runtime, so everything a module ' +
      'builds at import (objects, closures, k6 metric objects) is built once per VU; "init CPU s" is the CPU time of that whole run. ' +
      'The "reference" rows import nothing from k6-llm: they show what k6 charges per VU for as many metric objects as k6-llm declares, ' +
      'and what Sobek charges for functions that exist from import on, whatever their size.',
    '',
    table(['script imports', 'bundle', 'peak RSS', 'per VU', 'init CPU s'], parts),
    '',
    'Bundle sizes, built from the current source with `bundleForK6` (the build\'s own settings: ES2017, `k6/*` external, not minified):',
    '',
    table(['bundle', 'size'], sizes),
  ].join('\n');
  const verdict = results
    .map((r) => `${r.transport.split(' ')[0]} ${fmt(r.ratio)}×`)
    .join(', ') + ` k6's peak RSS at ${VUS.toLocaleString('en')} VUs against a script without k6-llm (goal ≤ ${GOAL}×): ${results.every((r) => r.ratio <= GOAL) ? 'met' : '**missed**'}.`;
  return { body, results, sizes, parts, verdict };
}
