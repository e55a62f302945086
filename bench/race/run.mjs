// The race: k6-llm (stock k6 + the relay, run by `k6-llm run` as users run it) against Locust timing the same
// streams, side by side in one run, on a ground-truth server that records every write (bench/truth, Go). A Go client
// with no k6, no k6-llm and no Node reads the same streams as the floor: what this machine allows.
//
//   node bench/run.mjs race                     # all levels
//   RACE_LEVELS=100,500 RACE_TOOLS=k6-llm,locust node bench/run.mjs race
//
// Per request, with no clock compared across processes:
//   TTFT error = the client's TTFT (its request start to the arrival of the first content event)
//                − the server's TTFT (its receipt of the request body to the return of its first content write)
//   ITL error  = the client's gap between content events i and i+1 − the gap between the server's writes of them
// Each user's first request is left out (warm-up: connection set-up, JIT, VU start) and counted.
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { bundleScript, readJsonLines } from '../lib/k6.mjs';
import { k6Binary } from '../lib/k6.mjs';
import { loadAverage } from '../lib/machine.mjs';
import { table } from '../lib/markdown.mjs';
import { ensureDir, runTimed, sampleTree } from '../lib/processes.mjs';
import { outputDir, root } from '../lib/paths.mjs';
import { fmt, summarize } from '../lib/stats.mjs';
import { startTruth, truthBin } from '../lib/truth.mjs';

export const WORKLOAD = { ttftMs: 250, itlMs: 20, tokens: 200, durationS: Number(process.env.RACE_DURATION_S ?? 25) };
export const LEVELS = (process.env.RACE_LEVELS ?? '10,100,250,500,1000').split(',').map(Number);
/**
 * The tools, and the levels each runs at. The two k6 floors (the relay with no k6-llm in k6, and the same with
 * k6-llm's metrics written by hand) run where the CPU and memory goals are judged.
 */
export const TOOLS = (process.env.RACE_TOOLS ?? 'k6-llm,locust,go,k6-relay-minimal,k6-relay-metrics,k6-llm-2w,k6-llm-nice0').split(',');
const FLOOR_LEVELS = [500, 1000];
const K6_SCRIPTS = {
  'k6-llm': 'bench/race/k6-llm.js',
  'k6-llm-2w': 'bench/race/k6-llm.js',
  'k6-llm-nice0': 'bench/race/k6-llm.js',
  'k6-relay-minimal': 'bench/race/k6-relay-minimal.js',
  'k6-relay-metrics': 'bench/race/k6-relay-metrics.js',
};
export const TOOL_NAMES = {
  'k6-llm': 'k6-llm',
  'k6-llm-2w': 'k6-llm, 2 relay workers',
  'k6-llm-nice0': 'k6-llm, k6 at the relay\'s priority',
  locust: 'Locust',
  go: 'Go client (floor)',
  'k6-relay-minimal': 'k6 + relay, no k6-llm in k6 (floor)',
  'k6-relay-metrics': '… + k6-llm\'s metrics by hand (floor)',
};
/** The variants (workers, priority) and the floors run only where the CPU and memory goals are judged. */
function runsAt(tool, streams) {
  return ['k6-llm', 'locust', 'go'].includes(tool) || FLOOR_LEVELS.includes(streams);
}
const LOCUST_BIN = '/usr/bin/locust';
const GOALS = { ttftP99At100Ms: 5, cpuLevel: 500, rssLevel: 1000, rssRatio: 1.3 };

/** One request's length on the server: TTFT plus the gaps between its tokens. */
export function requestLengthMs(w = WORKLOAD) {
  return w.ttftMs + (w.tokens - 1) * w.itlMs;
}

const bundles = {};
function bundled(source) {
  bundles[source] ??= bundleScript(source);
  return bundles[source];
}

const cli = join(root, 'bin/k6-llm.mjs');

/** Runs one tool at one level against a fresh truth server; resolves with its figures. */
export async function runLevel(tool, streams, w = WORKLOAD) {
  const truth = await startTruth(w);
  const file = ensureDir(join(outputDir, 'tmp', `race-${tool}-${streams}-${process.pid}.jsonl`));
  rmSync(file, { force: true });
  const stagger = requestLengthMs(w);
  const env = { TRUTH_URL: truth.url, STREAMS: String(streams), MAX_TOKENS: String(w.tokens), STAGGER_MS: String(stagger), DURATION: `${w.durationS}s`, K6_NO_USAGE_REPORT: 'true' };
  const timeoutMs = (w.durationS + 90) * 1000;
  let sampler;
  const onSpawn = (child) => (sampler = sampleTree(child.pid));
  let run;
  let measured;
  try {
    if (tool in K6_SCRIPTS) {
      const script = await bundled(K6_SCRIPTS[tool]);
      const nodeFlags = (process.env.RACE_RELAY_NODE_FLAGS ?? '').split(' ').filter(Boolean);
      const launcher = tool === 'k6-llm-2w' ? ['--relay-workers', '2'] : tool === 'k6-llm-nice0' ? ['--k6-nice', '0'] : [];
      run = await runTimed(process.execPath, [...nodeFlags, cli, 'run', ...launcher, script, '--quiet', '--no-color', '--no-usage-report', '--log-format=raw', `--log-output=file=${file}`], {
        env: { ...env, K6_LLM_K6: k6Binary() },
        cwd: root,
        timeoutMs,
        onSpawn,
      });
      if (run.code !== 0) throw new Error(`k6-llm run exited with ${run.code}:\n${run.stderr.slice(-1500)}`);
      measured = readJsonLines(file);
    } else if (tool === 'locust') {
      run = await runTimed(
        LOCUST_BIN,
        ['-f', join(root, 'bench/race/locustfile.py'), '--headless', '-u', String(streams), '-r', String(streams), '-t', `${w.durationS}s`, '--stop-timeout', '10', '--host', truth.url, '--only-summary', '--loglevel', 'WARNING'],
        { env: { ...env, FIDELITY_OUT: file }, cwd: root, timeoutMs, onSpawn },
      );
      // Locust exits 1 when any request failed; the match below counts failures itself.
      if (run.code !== 0 && run.code !== 1) throw new Error(`locust exited with ${run.code}:\n${run.stderr.slice(-1500)}`);
      measured = readJsonLines(file);
    } else if (tool === 'go') {
      run = await runTimed(truthBin, ['drive', '-url', truth.url, '-streams', String(streams), '-duration-s', String(w.durationS), '-stagger-ms', String(stagger), '-tokens', String(w.tokens)], {
        cwd: root,
        timeoutMs,
        onSpawn,
        keepOutput: 1e9,
      });
      if (run.code !== 0) throw new Error(`truth drive exited with ${run.code}:\n${run.stderr.slice(-1500)}`);
      measured = run.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
    } else throw new Error(`unknown tool ${tool}`);
    const tree = sampler.stop();
    const records = await truth.records();
    let t0 = Infinity;
    for (const r of records.values()) t0 = Math.min(t0, r.received);
    const load = await truth.stats(t0 + stagger, t0 + w.durationS * 1000);
    return { tool, streams, ...compare(measured, records), offered: load.meanOpen, cpuS: run.cpuS, wallS: run.wallS, maxRssKb: run.maxRssKb, tree };
  } finally {
    sampler?.stop();
    await truth.stop();
    rmSync(file, { force: true });
  }
}

/** Matches measured requests to the server's records; the error distributions (see the file comment). */
export function compare(measured, records) {
  const ttft = [];
  const itl = [];
  let warmup = 0;
  let failed = 0;
  let unmatched = 0;
  let gapMismatch = 0;
  let counted = 0;
  for (const m of measured) {
    if (m.iter === 0) {
      warmup++;
      continue;
    }
    const r = m.id ? records.get(String(m.id)) : undefined;
    if (!r) {
      unmatched++;
      continue;
    }
    counted++;
    if (!m.ok || m.ttft === null || r.writes.length === 0) {
      failed++;
      continue;
    }
    ttft.push(Math.abs(m.ttft - (r.writes[0] - r.received)));
    if (m.itl.length !== r.writes.length - 1) {
      gapMismatch++;
      continue;
    }
    for (let i = 0; i < m.itl.length; i++) itl.push(Math.abs(m.itl[i] - (r.writes[i + 1] - r.writes[i])));
  }
  let completed = 0;
  for (const r of records.values()) if (r.complete) completed++;
  return { measured: measured.length, counted, warmup, failed, unmatched, gapMismatch, completed, ttft: summarize(ttft), itl: summarize(itl) };
}

/** The memory reference: a minimal stock-k6 script holding `streams` buffered requests, no k6-llm. */
async function runBufferedReference(streams, w = WORKLOAD) {
  const truth = await startTruth(w);
  try {
    const script = await bundled('bench/race/k6-buffered.js');
    const env = { TRUTH_URL: truth.url, STREAMS: String(streams), MAX_TOKENS: String(w.tokens), STAGGER_MS: String(requestLengthMs(w)), DURATION: '12s', K6_NO_USAGE_REPORT: 'true' };
    const run = await runTimed(k6Binary(), ['run', '--quiet', '--no-color', '--no-usage-report', script], { env, cwd: root, timeoutMs: 120_000 });
    if (run.code !== 0) throw new Error(`k6 (buffered reference) exited with ${run.code}:\n${run.stderr.slice(-1500)}`);
    return { streams, maxRssKb: run.maxRssKb, cpuS: run.cpuS };
  } finally {
    await truth.stop();
  }
}

const mib = (kb) => (kb / 1024).toFixed(0);

function row(r) {
  const split = r.tool in K6_SCRIPTS ? ` (k6 ${fmt(r.tree.cpuByComm.k6 ?? 0, 1)} + relay ${fmt((r.tree.cpuByComm.node ?? 0) + (r.tree.cpuByComm['k6-llm'] ?? 0), 1)})` : '';
  return [
    r.streams,
    TOOL_NAMES[r.tool] ?? r.tool,
    `${r.counted - r.failed} (${r.warmup} warm-up${r.failed ? `, ${r.failed} failed` : ''})`,
    `${fmt(r.offered, 0)} / ${r.streams}`,
    `${fmt(r.ttft.p50)} / ${fmt(r.ttft.p99)} / ${fmt(r.ttft.max, 1)}`,
    `${fmt(r.itl.p50)} / ${fmt(r.itl.p99)} / ${fmt(r.itl.max, 1)}`,
    `${fmt(r.cpuS, 1)}${split}`,
    mib(Math.max(r.tree.peakSumKb, r.maxRssKb)),
  ];
}

const HEADER = ['streams', 'tool', 'requests counted', 'streams open / asked', 'TTFT err p50 / p99 / max ms', 'ITL err p50 / p99 / max ms', 'CPU s', 'peak RSS MiB'];

export async function run({ log, loads }) {
  const results = [];
  for (const streams of LEVELS) {
    for (const tool of TOOLS) {
      if (!runsAt(tool, streams)) continue;
      loads.push(loadAverage());
      const r = await runLevel(tool, streams);
      log(`  ${tool} ${streams}: TTFT err p50 ${fmt(r.ttft.p50)} p99 ${fmt(r.ttft.p99)} max ${fmt(r.ttft.max)}; ITL err p99 ${fmt(r.itl.p99)}; CPU ${fmt(r.cpuS, 1)} s ${JSON.stringify(r.tree.cpuByComm)}; ${r.counted} counted, ${r.failed} failed, open ${fmt(r.offered, 0)}`);
      results.push(r);
    }
  }
  const at = (tool, streams) => results.find((r) => r.tool === tool && r.streams === streams);
  let memory;
  if (LEVELS.includes(GOALS.rssLevel) && TOOLS.includes('k6-llm')) {
    memory = await runBufferedReference(GOALS.rssLevel);
    log(`  minimal stock k6, ${GOALS.rssLevel} buffered requests: peak RSS ${mib(memory.maxRssKb)} MiB`);
  }
  const verdicts = [];
  if (TOOLS.includes('k6-llm') && TOOLS.includes('locust')) {
    const lower = LEVELS.map((s) => [s, at('k6-llm', s).ttft.p99, at('locust', s).ttft.p99]);
    const allLower = lower.every(([, k, l]) => k !== undefined && (l === undefined || k <= l));
    verdicts.push(`TTFT error p99 at most Locust's at every level: ${allLower ? 'met' : '**missed**'} (${lower.map(([s, k, l]) => `${s}: ${fmt(k, 1)} vs ${fmt(l, 1)} ms`).join('; ')})`);
    if (LEVELS.includes(GOALS.cpuLevel)) {
      const k = at('k6-llm', GOALS.cpuLevel).cpuS;
      const l = at('locust', GOALS.cpuLevel).cpuS;
      const floor = at('k6-relay-metrics', GOALS.cpuLevel);
      const why = k > l && floor ? `; the floor with k6-llm's metrics and no k6-llm code uses ${fmt(floor.cpuS, 1)} s, ${fmt(floor.cpuS / l)}x Locust's` : '';
      verdicts.push(`k6 + relay CPU at most Locust's at ${GOALS.cpuLevel} streams: ${k <= l ? 'met' : '**missed**'} (${fmt(k, 1)} vs ${fmt(l, 1)} s, ${fmt(k / l)}x${why})`);
    }
  }
  if (LEVELS.includes(100) && TOOLS.includes('k6-llm')) {
    const p = at('k6-llm', 100).ttft.p99;
    verdicts.push(`TTFT error p99 at most ${GOALS.ttftP99At100Ms} ms at 100 streams: ${p !== undefined && p <= GOALS.ttftP99At100Ms ? 'met' : '**missed**'} (${fmt(p, 2)} ms)`);
  }
  if (memory) {
    const k = at('k6-llm', GOALS.rssLevel).tree.peakSumKb;
    const ratio = k / memory.maxRssKb;
    const floors = ['k6-relay-minimal', 'k6-relay-metrics'].map((t) => at(t, GOALS.rssLevel)).filter(Boolean);
    const why = ratio > GOALS.rssRatio && floors.length
      ? `; floors: ${floors.map((f) => `${TOOL_NAMES[f.tool]} ${mib(f.tree.peakSumKb)} MiB (${fmt(f.tree.peakSumKb / memory.maxRssKb)}x)`).join(', ')}`
      : '';
    verdicts.push(`k6 + relay peak RSS with ${GOALS.rssLevel} streams at most ${GOALS.rssRatio}x a minimal stock-k6 script holding as many buffered requests: ${ratio <= GOALS.rssRatio ? 'met' : '**missed**'} (${mib(k)} vs ${mib(memory.maxRssKb)} MiB, ${fmt(ratio)}x${why})`);
  }
  const body = [
    `Each stream: OpenAI Chat Completions from the Go truth server (\`bench/truth\`), TTFT ${WORKLOAD.ttftMs} ms, then ${WORKLOAD.tokens} tokens ${WORKLOAD.itlMs} ms apart, ` +
      `each event its own write (~${(requestLengthMs() / 1000).toFixed(2)} s a request); each user sends the next request as soon as one ends, after a first wait of a random ` +
      `part of one request length. Each tool streams for ${WORKLOAD.durationS} s at each level against a fresh server. k6-llm: \`k6-llm run bench/race/k6-llm.js\` ` +
      '(the client with `relayTransport()`, k6 at nice 10); Locust 2.12 (Debian): `bench/race/locustfile.py`, FastHttpUser reading SSE events as they arrive, one process; ' +
      'Go client: `truth drive`, no k6, no k6-llm, no Node (the floor).',
    '',
    'TTFT error = the client\'s TTFT − the server\'s (its receipt of the body to the return of its first content write); ITL error = the client\'s gap − the ' +
      'server\'s gap between the same two writes; both absolute, per request, no clock compared across processes. Each user\'s first request is left out ' +
      '(warm-up) and counted. "streams open / asked" is the mean number of streams the server had open over the run after the stagger, against what the script asked ' +
      'for: the load the tool actually offered. CPU is user + system seconds of the tool\'s processes over the whole run (k6-llm: k6 and the relay, split by their ' +
      'last /proc reading); peak RSS is the peak of their summed resident sets.',
    '',
    table(HEADER, results.map(row)),
    '',
    memory ? `Memory reference: a minimal stock-k6 script (\`bench/race/k6-buffered.js\`, no k6-llm) holding ${memory.streams} buffered requests: peak RSS ${mib(memory.maxRssKb)} MiB, CPU ${fmt(memory.cpuS, 1)} s over 12 s.` : '',
    '',
    ...verdicts.map((v) => `- ${v}`),
  ].join('\n');
  return { body, results, verdict: verdicts.join('; ') || 'no goal in this selection of levels and tools' };
}
