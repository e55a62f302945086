// npm run bench [-- names...]: runs k6-llm's benchmarks against the mock on loopback and writes their figures into
// docs/benchmarks.md, each bench into its own marked section (so running one leaves the others' figures alone).
// Not part of `npm test`. Each bench is bounded: it is stopped, with its processes, after BENCH_LIMIT_S (or its
// own `limitS`).
//
//   node bench/run.mjs                      # all: race overhead memory mock validate
//   node bench/run.mjs race mock            # some
//   node bench/run.mjs --wait-quiet=300     # first wait up to 300 s for the 1-minute load to drop below the CPU count
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { k6Version } from './lib/k6.mjs';
import { buildMock } from './lib/mock.mjs';
import { describeLoad, loadAverage, machineInfo, waitForQuiet } from './lib/machine.mjs';
import { replaceSection } from './lib/markdown.mjs';
import { docFile } from './lib/paths.mjs';
import { killAll } from './lib/processes.mjs';
import { runHeader } from './lib/report.mjs';

const BENCH_LIMIT_S = 180;

const BENCHES = {
  race: { title: 'The race: k6-llm against Locust', load: () => import('./race/run.mjs'), limitS: 1_500 },
  overhead: { title: 'Library overhead', load: () => import('./overhead/run.mjs') },
  memory: { title: 'Memory', load: () => import('./memory/run.mjs') },
  // Rounds of four levels, each level the floor and the mock (and a baseline build, if asked): 5 to 8 minutes.
  mock: { title: 'Mock punctuality', load: () => import('./mock/run.mjs'), limitS: 720 },
  validate: { title: 'Validation cost', load: () => import('./validate/run.mjs') },
};

const SKELETON = `# Benchmarks

How exactly k6-llm times streams and what it costs against Locust timing the same streams, how much k6-llm's own
code costs a k6 run, and how punctual the mock is. \`npm run bench\` runs every bench below (\`node bench/run.mjs
<name>...\` runs some) on loopback and rewrites its section of this file; none is part of \`npm test\`.

## Goals at a glance

<!-- bench:summary -->
<!-- /bench:summary -->

${Object.entries(BENCHES)
  .map(([name, b]) => `## ${b.title}\n\n<!-- bench:${name} -->\n_Not run yet: \`node bench/run.mjs ${name}\`._\n<!-- /bench:${name} -->`)
  .join('\n\n')}
`;

function parseArgs(argv) {
  const names = [];
  let waitQuietS = 0;
  for (const arg of argv) {
    const m = /^--wait-quiet(?:=(\d+))?$/.exec(arg);
    if (m) waitQuietS = Number(m[1] ?? 300);
    else if (arg in BENCHES) names.push(arg);
    else {
      console.error(`invalid argument: expected a bench name (${Object.keys(BENCHES).join(', ')}) or --wait-quiet=SECONDS, got ${JSON.stringify(arg)}`);
      process.exit(2);
    }
  }
  return { names: names.length ? names : Object.keys(BENCHES), waitQuietS };
}

/** The "Goals at a glance" section: each bench's verdict line, as its own section in the file now says it. */
function writeSummary() {
  const doc = readFileSync(docFile, 'utf8');
  const lines = Object.entries(BENCHES).map(([name, b]) => {
    const section = new RegExp(`<!-- bench:${name} -->([\\s\\S]*?)<!-- /bench:${name} -->`).exec(doc)?.[1] ?? '';
    const verdict = /^\*\*Verdict:\*\* (.*)$/m.exec(section)?.[1] ?? `not run yet (\`node bench/run.mjs ${name}\`)`;
    const date = /Run (\d{4}-\d\d-\d\d)/.exec(section)?.[1];
    return `- **${b.title}**${date ? ` (${date})` : ''}: ${verdict}`;
  });
  replaceSection(docFile, 'summary', lines.join('\n'), SKELETON);
}

function withLimit(promise, seconds, name) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => {
      killAll();
      reject(new Error(`bench ${name} passed its ${seconds} s limit and was stopped`));
    }, seconds * 1000);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

async function main() {
  const { names, waitQuietS } = parseArgs(process.argv.slice(2));
  const info = machineInfo();
  const log = (m) => console.log(m);
  mkdirSync(dirname(docFile), { recursive: true });
  const k6 = k6Version();
  await buildMock();
  log(`k6-llm benchmarks: ${names.join(', ')} on ${info.nproc} CPUs, ${k6}`);
  let failed = 0;
  for (const name of names) {
    const bench = BENCHES[name];
    if (waitQuietS > 0) {
      const quiet = await waitForQuiet({ maxLoad: info.nproc, maxWaitMs: waitQuietS * 1000, log });
      if (quiet.load[0] > info.nproc) log(`still busy after ${waitQuietS} s (load ${describeLoad(quiet.load)}); running anyway and saying so`);
    }
    const started = new Date();
    const loads = [loadAverage()];
    log(`${bench.title} (load ${describeLoad(loads[0])})`);
    try {
      const mod = await bench.load();
      const result = await withLimit(mod.run({ log, loads }), bench.limitS ?? BENCH_LIMIT_S, name);
      const tookS = (Date.now() - started.getTime()) / 1000;
      const verdict = `**Verdict:** ${result.verdict}`;
      replaceSection(docFile, name, `${verdict}\n\n${runHeader({ name, started, loads, k6 })} Took ${tookS.toFixed(0)} s.\n\n${result.body}`, SKELETON);
      writeSummary();
      log(`  done in ${tookS.toFixed(0)} s; wrote docs/benchmarks.md#${name}`);
    } catch (error) {
      failed++;
      console.error(`  ${name} failed: ${error.stack ?? error}`);
    } finally {
      killAll();
    }
  }
  process.exit(failed ? 1 : 0);
}

main();
