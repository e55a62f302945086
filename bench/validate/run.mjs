// Validation cost: k6's CPU per call of isJSON + jsonSchema + requiredFields on a ~2 KB JSON answer with a
// 20-property schema (bench/validate/k6-validate.js in CPU mode: one k6 process per part, CALLS calls, CPU seconds
// from wait4 via GNU time, minus a run that builds the same validators and validates nothing), set against
// k6-llm's own CPU per buffered request, measured in the same run the way the overhead bench measures it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { bundleForK6 } from '../../build.mjs';
import { bundleScript, runK6 } from '../lib/k6.mjs';
import { loadAverage } from '../lib/machine.mjs';
import { table } from '../lib/markdown.mjs';
import { startMock } from '../lib/mock.mjs';
import { outputDir, root } from '../lib/paths.mjs';
import { fmt } from '../lib/stats.mjs';
import { DURATION_S, RATE, VUS } from '../overhead/run.mjs';

export const CALLS = 4000;
export const ROUNDS = 4;
/**
 * The goal, issue #8 item 5: the trio stays a small share of k6-llm's own CPU per buffered request, read as at
 * most a tenth. Parsing the answer alone costs about that much in Sobek, so the verdict quotes that floor too.
 */
export const GOAL = 0.1;
// The overhead bench's mock settings (bench/overhead/run.mjs), so the per-request figure is the one it reports.
const MOCK_ARGS = ['--ttft-ms', '20', '--itl-ms', '2', '--jitter', '0', '--capacity', '0', '--output-tokens', '50', '--max-tokens-mode', 'cap', '--no-cache', '--history-size', '1000'];

const PARTS = [
  { part: 'parse', label: '`JSON.parse` alone (floor)' },
  { part: 'isJSON', label: '`isJSON()`' },
  { part: 'jsonSchema', label: '`jsonSchema(SCHEMA_20)`: parse + ajv' },
  { part: 'requiredFields', label: '`requiredFields(6 paths)`' },
  { part: 'trio', label: '**isJSON + jsonSchema + requiredFields** (`runValidators`), valid answer', trio: true },
  { part: 'trioInvalid', label: 'the same, invalid answer (2 issues)', trio: true },
  { part: 'trio', script: 'precompiled', label: 'the same, valid answer, schema compiled at build time (`compileSchemaModule`)', trio: true },
  { part: 'refPlainAjv', label: 'reference, no k6-llm: `JSON.parse` + a plain ajv + ajv-formats check of SCHEMA_20', trio: true },
  { part: 'refCheck', label: 'reference: `JSON.parse` + the compiled check `jsonSchema()` calls, no validator around it', trio: true },
];

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The bench script bundled twice: as it is (schemas compiled with ajv at VU init), and behind a module that
 * leaves SCHEMA_20 compiled at build time by compileSchemaModule where the script picks it up.
 */
async function bundles() {
  const runtime = await bundleScript('bench/validate/k6-validate.js');
  const dir = join(outputDir, 'validate');
  mkdirSync(dir, { recursive: true });
  const compiler = join(dir, 'compile-schemas.mjs');
  await build({ entryPoints: [join(root, 'lib/validate/compile-schemas.ts')], outfile: compiler, bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning' });
  const { compileSchemaModule } = await import(pathToFileURL(compiler).href);
  const schemas = join(dir, 'schemas.mjs');
  await build({ entryPoints: [join(root, 'bench/validate/schema-20.ts')], outfile: schemas, bundle: true, format: 'esm', platform: 'node', logLevel: 'warning' });
  const { SCHEMA_20 } = await import(pathToFileURL(schemas).href);
  // Inside the project, so the generated module's imports of ajv's runtime helpers resolve.
  writeFileSync(join(dir, 'schema-20.js'), compileSchemaModule({ schema20: SCHEMA_20 }));
  // The package says "sideEffects": false, so the module that sets the global exports a flag the entry reads: esbuild
  // would drop a bare `import './set-precompiled.js'`.
  writeFileSync(
    join(dir, 'set-precompiled.js'),
    "import { schema20 } from './schema-20.js';\nexport const installed = (globalThis.K6LLM_BENCH_PRECOMPILED_SCHEMA_20 = schema20) !== undefined;\n",
  );
  writeFileSync(
    join(dir, 'k6-validate-precompiled.js'),
    "import { installed } from './set-precompiled.js';\nexport { default, options } from '../../validate/k6-validate.js';\n" +
      "if (!installed) throw new Error('no precompiled schema');\n",
  );
  const precompiled = join(outputDir, 'scripts', 'validate-k6-validate-precompiled.js');
  await bundleForK6(join(dir, 'k6-validate-precompiled.js'), precompiled);
  return { runtime, precompiled };
}

/**
 * k6-llm's own CPU per buffered request, as the overhead bench measures it: the client script and the minimal
 * script, same rate and mock, CPU per request of the one minus the other. Each is also run init-only (VUs start and
 * send one request each) to show the same figure with VU init taken out.
 */
async function libraryCpu(log, loads) {
  const mock = await startMock(MOCK_ARGS);
  try {
    const env = { MOCK_URL: mock.url, EXECUTOR: 'arrival', RATE: String(RATE), DURATION: `${DURATION_S}s`, VUS: String(VUS) };
    const out = {};
    for (const name of ['minimal-http', 'client-http']) {
      const script = await bundleScript(`bench/overhead/${name}.js`);
      loads.push(loadAverage());
      const full = await runK6(script, { env, timeoutMs: 90_000 });
      const init = await runK6(script, { env, args: ['--vus', String(VUS), '--iterations', String(VUS)], timeoutMs: 60_000 });
      const requests = full.metrics.iterations?.count ?? NaN;
      out[name] = { requests, cpuS: full.cpuS, initCpuS: init.cpuS };
      log(`  ${name}: ${requests} requests, ${full.cpuS.toFixed(2)} CPU s (init-only run ${init.cpuS.toFixed(2)} s)`);
    }
    const m = out['minimal-http'];
    const c = out['client-http'];
    const perRequestMs = ((c.cpuS / c.requests) - (m.cpuS / m.requests)) * 1000;
    // The init-only runs send VUS requests each; what is left is the steady state.
    const steadyMs = (((c.cpuS - c.initCpuS) / (c.requests - VUS)) - ((m.cpuS - m.initCpuS) / (m.requests - VUS))) * 1000;
    return { minimal: m, client: c, perRequestMs, steadyMs };
  } finally {
    await mock.stop();
  }
}

/**
 * Median CPU µs per call of each part over `rounds` rounds. Each round runs every script once with PART=none and
 * every part once, and subtracts the same round's baseline of the same script: both ran under the same load.
 */
export async function cpuPerCall(parts, scripts, { calls = CALLS, rounds = ROUNDS, log, loads = [] }) {
  const runs = new Map(parts.map((p) => [p, []]));
  for (let round = 0; round < rounds; round++) {
    loads.push(loadAverage());
    const none = {};
    for (const [name, script] of Object.entries(scripts)) {
      none[name] = (await runK6(script, { env: { PART: 'none', CALLS: String(calls) }, timeoutMs: 60_000 })).cpuS;
    }
    for (const p of parts) {
      const name = p.script ?? 'runtime';
      const n = p.calls ?? calls;
      const r = await runK6(scripts[name], { env: { PART: p.part, CALLS: String(n) }, timeoutMs: 60_000 });
      runs.get(p).push(((r.cpuS - none[name]) / n) * 1e6);
    }
    log(`  round ${round + 1}: ${parts.map((p) => `${p.part}${p.script ? ` (${p.script})` : ''} ${fmt(runs.get(p).at(-1), 0)} µs`).join(', ')}`);
  }
  return parts.map((p) => ({ ...p, us: median(runs.get(p)), min: Math.min(...runs.get(p)), max: Math.max(...runs.get(p)) }));
}

export async function run({ log, loads }) {
  const scripts = await bundles();
  const rows = await cpuPerCall(PARTS, scripts, { log, loads });
  const lib = await libraryCpu(log, loads);
  const parse = rows.find((r) => r.part === 'parse').us;
  const perRequestUs = lib.perRequestMs * 1000;
  const trio = rows.find((r) => r.part === 'trio' && !r.script);
  const share = trio.us / perRequestUs;
  const floor = rows.find((r) => r.part === 'refCheck');
  const met = share <= GOAL;
  const tableRows = rows.map((r) => [
    r.label,
    fmt(r.us, 0),
    `${fmt(r.min, 0)}–${fmt(r.max, 0)}`,
    `${fmt(r.us / parse)}×`,
    r.trio ? `${fmt((r.us / perRequestUs) * 100, 1)} %` : '',
    r === trio ? (met ? 'met' : '**missed**') : '',
  ]);
  const m = lib.minimal;
  const c = lib.client;
  const body = [
    'CPU per call in k6 (Sobek) of validating a ~2 KB pretty-printed JSON answer (`bench/validate/schema-20.ts`: 64 distinct texts ' +
      'in rotation, so the parse memo helps only within one response) against the 20-property schema (formats `uuid`, `email`, ' +
      '`date-time`, `uri`; a `pattern`; lengths; nested objects and arrays). `bench/validate/k6-validate.js` in CPU mode: one k6 process ' +
      `per part, ${CALLS.toLocaleString('en')} calls in one VU, k6's CPU seconds (user + system, \`wait4()\` via GNU time) minus those of a run ` +
      `that builds the same validators and validates nothing, divided by the calls; median of ${ROUNDS} interleaved rounds (range beside it).`,
    '',
    `k6-llm's own CPU per buffered request, same run: \`bench/overhead/client-http.js\` against \`bench/overhead/minimal-http.js\` as the ` +
      `overhead bench runs them (${RATE} requests/s for ${DURATION_S} s, ${VUS} VUs, the same mock settings), CPU per request of the one minus ` +
      `the other, VU init included as the overhead table counts it: client ${fmt(c.cpuS)} s for ${c.requests} requests, minimal ` +
      `${fmt(m.cpuS)} s for ${m.requests}, so **${fmt(lib.perRequestMs)} ms per request**, the figure the shares below divide by. With each ` +
      `script's init-only run (\`--vus ${VUS} --iterations ${VUS}\`: client ${fmt(c.initCpuS)} s, minimal ${fmt(m.initCpuS)} s) taken out it is ` +
      `${fmt(lib.steadyMs)} ms, which would make every share ${fmt(lib.perRequestMs / lib.steadyMs)}× larger; it rests on four runs instead of two and moves more from run to run.`,
    '',
    table(['part', 'µs CPU / call', `range (${ROUNDS} rounds)`, 'vs JSON.parse', 'share of k6-llm CPU / buffered request', `goal ≤ ${GOAL * 100} %`], tableRows, 'lrrrrl'),
    '',
    'The trio parses once: `isJSON`, `jsonSchema` and `requiredFields` share a one-entry parse memo keyed on the text. What is left above ' +
      'the parse is mostly ajv\'s generated code. ' +
      'docs/validation.md ("Cost per validation in k6") says where the time went and how to keep it low.',
    '',
    'The reference rows call the schema check directly on the parsed answer, with no validator, memo or issue list around it: what ' +
      'validating with ajv costs in k6 before any library code. The first compiles SCHEMA_20 with plain ajv and ajv-formats, as a ' +
      'script without k6-llm would; the other calls the function k6-llm\'s `jsonSchema()` compiles (its length and format checks ' +
      'is cheaper, with the same answers). Where a reference row is above the goal, no validator that parses the answer and checks ' +
      'it with ajv can meet it.',
  ].join('\n');
  const verdict =
    `isJSON + jsonSchema + requiredFields on a 2 KB answer cost ${fmt(trio.us, 0)} µs of CPU, ${fmt(share * 100, 1)} % of k6-llm's own CPU ` +
    `per buffered request (${fmt(lib.perRequestMs)} ms, same run; \`JSON.parse\` of the answer alone ${fmt((parse / perRequestUs) * 100, 1)} %); ` +
    `goal ≤ ${GOAL * 100} %: ${met ? 'met' : '**missed**'}; ` +
    `parsing and checking alone, with no validator around them: ${fmt((floor.us / perRequestUs) * 100, 1)} %.`;
  return { body, verdict, rows, lib };
}
