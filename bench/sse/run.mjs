// SSE parser throughput, in k6 and in Node, as one markdown table for docs/benchmarks.md ("Parser throughput").
// Runs the Node bench (run-node.mjs) and the k6 bench (k6-parse.js) several times, each run in a fresh process,
// and reports the median of the runs' figures; every ratio is measured within one run, between rounds made back to
// back. Prints the table and writes it to bench/output/sse.md (and the raw figures to bench/output/sse.json).
//
//   node bench/sse/run.mjs                    # 3 runs of each bench
//   node bench/sse/run.mjs --baseline=HEAD    # also lib/sse as committed at HEAD: before/after in the same runs
//   node bench/sse/run.mjs --runs=5 --wait-quiet=300
//
// Goals: in k6 (where the library runs), k6-llm's parser at least as fast as the naive split parser on both
// inputs; in Node, at least 0.8× eventsource-parser on both.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { k6Binary, k6Version } from '../lib/k6.mjs';
import { describeLoad, describeMachine, loadAverage, machineInfo, waitForQuiet } from '../lib/machine.mjs';
import { table } from '../lib/markdown.mjs';
import { buildParserBundles, outputDir, root } from './bundles.mjs';

const GOALS = { k6: { against: 'naive', min: 1.0 }, node: { against: 'eventsource-parser', min: 0.8 } };

function parseArgs(argv) {
  const options = { runs: 3, baseline: undefined, waitQuietS: 0 };
  for (const arg of argv) {
    let m;
    if ((m = /^--runs=(\d+)$/.exec(arg)) && Number(m[1]) > 0) options.runs = Number(m[1]);
    else if ((m = /^--baseline=(.+)$/.exec(arg))) options.baseline = m[1];
    else if ((m = /^--wait-quiet(?:=(\d+))?$/.exec(arg))) options.waitQuietS = Number(m[1] ?? 300);
    else {
      console.error(`invalid argument: expected --runs=N, --baseline=REV or --wait-quiet=SECONDS, got ${JSON.stringify(arg)}`);
      process.exit(2);
    }
  }
  return options;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function runNode(baseline) {
  const args = [join(root, 'bench/sse/run-node.mjs'), '--json', '--no-build', ...(baseline ? [`--baseline=${baseline}`] : [])];
  const out = execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24, timeout: 600_000 });
  return JSON.parse(out.trim().split('\n').pop()).workloads;
}

function runK6(k6, bundles) {
  const env = { ...process.env, K6_NO_USAGE_REPORT: 'true', FORMAT: 'json', PARSER: bundles.k6.current, EVENTSOURCE_PARSER: bundles.k6.eventsourceParser };
  if (bundles.k6.baseline) env.BASELINE = bundles.k6.baseline;
  const args = ['run', '--quiet', '--no-color', '--no-usage-report', '--summary-mode=disabled', '--log-format=raw', join(root, 'bench/sse/k6-parse.js')];
  const r = spawnSync(k6, args, { cwd: root, env, encoding: 'utf8', maxBuffer: 1 << 24, timeout: 900_000 });
  if (r.status !== 0) throw new Error(`k6 run bench/sse/k6-parse.js exited with ${r.status}:\n${(r.stderr ?? '').slice(-1500)}`);
  const lines = `${r.stdout}\n${r.stderr}`.split('\n').filter((line) => line.startsWith('{'));
  return lines.map((line) => JSON.parse(line));
}

/** The same names in both runtimes' rows. */
function label(role, baseline) {
  if (role === 'current') return 'k6-llm `createSSEParser`';
  if (role === 'baseline') return `k6-llm \`createSSEParser\` at ${baseline}`;
  if (role === 'eventsource-parser') {
    const { version } = JSON.parse(readFileSync(join(root, 'node_modules/eventsource-parser/package.json'), 'utf8'));
    return `eventsource-parser ${version}`;
  }
  return 'naive split (whole body)';
}

/** Medians over runs, per workload and contender, with the range of the goal's ratio. */
function aggregate(runs, runtime, baseline) {
  const against = GOALS[runtime].against === 'naive' ? 'vsNaive' : 'vsEventsourceParser';
  return runs[0].map((workload, w) => ({
    ...workload,
    rows: workload.rows.map((row, i) => {
      const all = runs.map((run) => run[w].rows[i]);
      const ratios = all.map((r) => r[against]);
      return {
        name: label(row.role, baseline),
        role: row.role,
        mbPerS: median(all.map((r) => r.mbPerS)),
        eventsPerS: median(all.map((r) => r.eventsPerS)),
        vsNaive: runtime === 'k6' ? median(all.map((r) => r.vsNaive)) : null,
        vsEventsourceParser: row.vsEventsourceParser === null ? null : median(all.map((r) => r.vsEventsourceParser)),
        goalRatio: median(ratios),
        goalRange: [Math.min(...ratios), Math.max(...ratios)],
      };
    }),
  }));
}

const x = (ratio) => (ratio === null || ratio === undefined ? '' : `${ratio.toFixed(2)}×`);

function tableRows(runtime, workloads) {
  const goal = GOALS[runtime];
  const rows = [];
  for (const workload of workloads) {
    for (const row of workload.rows) {
      let verdict = '';
      if (row.role === 'current') {
        const met = row.goalRatio >= goal.min;
        verdict = `≥ ${goal.min.toFixed(2)}× ${goal.against}: ${met ? 'met' : '**missed**'} (runs ${row.goalRange.map((r) => r.toFixed(2)).join('–')})`;
      }
      rows.push([
        runtime === 'k6' ? 'k6' : 'Node',
        workload.key,
        row.name,
        row.mbPerS.toFixed(1),
        Math.round(row.eventsPerS).toLocaleString('en-US'),
        runtime === 'k6' ? x(row.vsNaive) : '',
        x(row.vsEventsourceParser),
        verdict,
      ]);
    }
  }
  return rows;
}

function markdown({ started, options, loads, k6, k6Workloads, nodeWorkloads }) {
  const info = machineInfo();
  const peak = Math.max(...loads.map((l) => l[0]));
  const inputs = k6Workloads.map((w) => `${w.key} = ${w.name}: ${w.chars.toLocaleString('en-US')} characters, ${w.chunks.toLocaleString('en-US')} chunks, ${w.events.toLocaleString('en-US')} events`);
  const command = `node bench/sse/run.mjs${options.runs === 3 ? '' : ` --runs=${options.runs}`}${options.baseline ? ` --baseline=${options.baseline}` : ''}`;
  const verdicts = [];
  for (const [runtime, workloads] of [['k6', k6Workloads], ['node', nodeWorkloads]]) {
    for (const w of workloads) {
      const row = w.rows.find((r) => r.role === 'current');
      const before = w.rows.find((r) => r.role === 'baseline');
      verdicts.push(
        `${runtime === 'k6' ? 'k6' : 'Node'} ${w.key} ${x(row.goalRatio)} ${GOALS[runtime].against}` +
          `${row.goalRatio >= GOALS[runtime].min ? '' : ' (**missed**)'}${before ? ` (${x(before.goalRatio)} at ${options.baseline})` : ''}`,
      );
    }
  }
  return [
    `Command: \`${command}\`. Run ${started.toISOString().replace(/\.\d+Z$/, 'Z')} on ${describeMachine(info)}, ${k6}.`,
    `${options.runs} runs of each bench, each in a fresh process: the k6 bench (\`bench/sse/k6-parse.js\`, ${k6Workloads[0].rounds} ` +
      `alternating timed rounds of ≥ 150 ms per parser, wall time, one VU) and the Node bench (\`bench/sse/run-node.mjs\`, 21 ` +
      'alternating timed runs per parser, CPU time). Figures are the median of the runs; each ratio is the median of ' +
      'round-by-round ratios within a run (rounds made back to back, under the same load), then the median over runs, ' +
      'with the runs\' range.',
    `Load average (1/5/15 min) before each run: ${loads.map(describeLoad).join('; ')}; highest 1-minute load ${peak.toFixed(2)} on ${info.nproc} CPUs` +
      `${peak > info.nproc ? ' — **the machine was busy with other work; absolute figures are pessimistic**' : ''}.`,
    `Inputs (\`bench/sse/workloads.js\`): ${inputs.join('; ')}. The naive parser (split the whole body on blank lines, then ` +
      'lines, keep what follows `data: `) gets the body in one piece; the others get the chunks.',
    `Goals: in k6, k6-llm's parser at least as fast as the naive parser on a and b; in Node, at least 0.8× eventsource-parser on a and b. This run: ${verdicts.join(', ')}.`,
    '',
    table(
      ['runtime', 'input', 'parser', 'MB/s', 'events/s', 'vs naive', 'vs eventsource-parser', 'goal'],
      [...tableRows('k6', k6Workloads), ...tableRows('node', nodeWorkloads)],
      'lllrrrrl',
    ),
    '',
    'Underlying commands, for one run by hand: `node bench/sse/run-node.mjs --build && PARSER=$PWD/bench/output/sse-k6.js ' +
      'EVENTSOURCE_PARSER=$PWD/bench/output/eventsource-parser-k6.js npx k6-llm k6 run --quiet bench/sse/k6-parse.js` (stock k6) ' +
      'and `node bench/sse/run-node.mjs`.',
  ].join('\n');
}

const options = parseArgs(process.argv.slice(2));
const started = new Date();
if (options.waitQuietS > 0) {
  const { load, waitedMs } = await waitForQuiet({ maxLoad: machineInfo().nproc, maxWaitMs: options.waitQuietS * 1000, log: (m) => console.error(m) });
  console.error(`load ${describeLoad(load)} after waiting ${Math.round(waitedMs / 1000)} s`);
}
const bundles = await buildParserBundles({ baseline: options.baseline });
const k6 = k6Binary();
const loads = [];
const k6Runs = [];
const nodeRuns = [];
for (let run = 1; run <= options.runs; run++) {
  loads.push(loadAverage());
  console.error(`run ${run}/${options.runs}: k6 (load ${describeLoad(loads.at(-1))})`);
  k6Runs.push(runK6(k6, bundles));
  loads.push(loadAverage());
  console.error(`run ${run}/${options.runs}: Node (load ${describeLoad(loads.at(-1))})`);
  nodeRuns.push(runNode(options.baseline));
}
const k6Workloads = aggregate(k6Runs, 'k6', options.baseline);
const nodeWorkloads = aggregate(nodeRuns, 'node', options.baseline);
const text = markdown({ started, options, loads, k6: k6Version(), k6Workloads, nodeWorkloads });
writeFileSync(join(outputDir, 'sse.md'), `${text}\n`);
writeFileSync(join(outputDir, 'sse.json'), JSON.stringify({ started, options, loads, k6Runs, nodeRuns }, null, 2));
console.log(text);
console.error(`\nwrote ${relative(root, join(outputDir, 'sse.md'))} and ${relative(root, join(outputDir, 'sse.json'))}`);
