// Mock punctuality: how close to plan the mock writes each token, and what each token write costs in CPU, with many
// concurrent streams, beside the loopback floor (bench/floor) measured in the same run, level by level.
//
// Send error = a write's actual time − its planned time, for every content write of every request received in the
// steady window (the mock's ground truth for the mock, the floor's own clock for the floor). CPU per token write =
// the server process's user + system CPU over the whole run ÷ the token writes it made. Both servers are driven by
// the same Go load generator (`floor drive`, which POSTs over HTTP/1.1 to the mock), so the two differ only in the
// server. The floor and the mock alternate at each level (their order swapped from one level to the next), so a
// change in the machine's load falls on both.
//
//   node bench/run.mjs mock                          # writes docs/benchmarks.md#mock-punctuality
//   MOCK_BASELINE=HEAD node bench/run.mjs mock       # also the mock as committed at HEAD, interleaved the same way
//   MOCK_ROUNDS=3 node bench/run.mjs mock            # three rounds of all levels instead of two
import { join } from 'node:path';
import { mkdirSync, rmSync } from 'node:fs';
import { fetchRecords, buildMockAt, startMock } from '../lib/mock.mjs';
import { loadAverage } from '../lib/machine.mjs';
import { buildFloor, driveHttp, runFloor } from '../lib/floor.mjs';
import { readNewestProfile, selfTimes, timeByKind } from '../lib/cpu-profile.mjs';
import { table } from '../lib/markdown.mjs';
import { outputDir } from '../lib/paths.mjs';
import { fmt, summarize } from '../lib/stats.mjs';
import { STREAM_WORKLOAD, mockArgsFor, requestLengthMs } from '../lib/streams.mjs';

export const LEVELS = [100, 250, 500, 1000];
/**
 * The same load, for this long, before the measured run: V8 compiles the mock's hot code in its first seconds of
 * load (a load test runs for minutes), and the floor, in Go, has nothing to compile.
 */
export const WARMUP_S = 3;
/** Rounds of all levels (MOCK_ROUNDS); other work on a shared machine only adds delay, so the best round is reported. */
export const ROUNDS = Math.max(1, Number(process.env.MOCK_ROUNDS) || 2);
/** The mock's send error p99 and CPU per token write may be at most this many times the floor's. */
export const GOAL_RATIO = 2;

const w = STREAM_WORKLOAD;
const BODY = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: `Stream ${w.tokens} tokens, please.` }],
  max_tokens: w.tokens,
  stream: true,
  stream_options: { include_usage: true },
};

/** One level against one build of the mock: send errors from its ground truth, CPU from /proc. */
export async function mockLevel(streams, { bundle, nodeArgs, records: fetch = true, warmup = true, onMeasured } = {}) {
  const mock = await startMock(mockArgsFor(w), { bundle, nodeArgs });
  const idsFile = join(outputDir, 'tmp', `mock-ids-${streams}-${process.pid}.txt`);
  mkdirSync(join(outputDir, 'tmp'), { recursive: true });
  const samples = [];
  const timers = [];
  try {
    if (warmup) await driveHttp(mock.url, '/v1/chat/completions', BODY, streams, { ...w, durationS: WARMUP_S }, idsFile);
    const measuredFrom = mock.stdout().length;
    for (const ms of steadyBounds()) timers.push(setTimeout(() => samples.push({ at: performance.timeOrigin + performance.now(), ...mock.cpuSplit() }), ms));
    const load = loadAverage()[0];
    const cpu0 = mock.cpuSplit();
    const drive = await driveHttp(mock.url, '/v1/chat/completions', BODY, streams, w, idsFile);
    const cpu1 = mock.cpuSplit();
    const [a, b] = samples;
    onMeasured?.(mock.stdout().slice(measuredFrom));
    // A profiled run stops here, so the profile holds the streams alone, not the fetching of their records.
    if (!fetch) return undefined;
    const records = await fetchRecords(mock.url, drive.ids);
    let t0 = Infinity;
    for (const r of records.values()) t0 = Math.min(t0, r.received);
    const from = t0 + w.warmupMs;
    const to = t0 + w.durationS * 1000 - requestLengthMs(w);
    const late = [];
    let requests = 0;
    let incomplete = 0;
    let totalWrites = 0;
    let steadyWrites = 0;
    for (const r of records.values()) {
      totalWrites += r.chunks.length;
      for (const c of r.chunks) if (c.actual >= a.at && c.actual < b.at) steadyWrites++;
      if (r.received < from || r.received > to) continue;
      requests++;
      if (r.outcome !== 'complete' || r.chunks.length !== w.tokens) incomplete++;
      for (const c of r.chunks) late.push(c.actual - c.planned);
    }
    return {
      streams, load, requests, incomplete: incomplete + drive.failed, writes: late.length, totalWrites, ...pick(summarize(late)),
      userS: cpu1.user - cpu0.user, sysS: cpu1.sys - cpu0.sys, driverCpuS: drive.driverCpuS, wallS: drive.wallS,
      steadyCpuS: b.user + b.sys - a.user - a.sys, steadyUserS: b.user - a.user, steadyWrites,
    };
  } finally {
    timers.forEach(clearTimeout);
    await mock.stop();
    rmSync(idsFile, { force: true });
  }
}

export async function floorLevel(streams) {
  const load = loadAverage()[0];
  const f = await runFloor(streams, w);
  return {
    streams, load, requests: f.requests, incomplete: f.incomplete + f.driverFailed, writes: f.writes, totalWrites: f.totalWrites,
    p50: f.p50, p99: f.p99, max: f.max, userS: f.serverUserS, sysS: f.serverSysS, driverCpuS: f.driverCpuS, wallS: f.wallS,
    steadyCpuS: f.steadyCpuS, steadyUserS: f.steadyUserS, steadyWrites: f.steadyWrites,
  };
}

/** The steady state, ms after the load starts: from the warm-up's end until one request length before the end. */
function steadyBounds() {
  return [w.warmupMs, w.durationS * 1000 - requestLengthMs(w)];
}

/** CPU µs per token write in the steady state: the server's CPU between the bounds ÷ the token writes it made then. */
export function steadyPerWrite(r) {
  return (r.steadyCpuS * 1e6) / Math.max(1, r.steadyWrites);
}

function pick(s) {
  return { p50: s.p50, p99: s.p99, max: s.max };
}

/** CPU µs per token write: all, user, system. */
export function perWrite(r) {
  const n = Math.max(1, r.totalWrites);
  return { all: ((r.userS + r.sysS) * 1e6) / n, user: (r.userS * 1e6) / n, sys: (r.sysS * 1e6) / n };
}

/** The kinds of work the mock's main thread does, for "where the time goes" (first match in stack order wins). */
const KINDS = [
  ['socket writes (the write call, kernel included)', ['writev', 'writeUtf8String', 'writeBuffer', 'writeLatin1String']],
  ['garbage collection', ['(garbage collector)']],
  ['requests: HTTP parsing, planning the answer', ['parserOnHeadersComplete', 'parserOnIncoming', 'handleGeneration', 'onconnection', 'parserOnMessageComplete']],
  ['Node stream machinery of a write', ['Writable.write', 'writeOrBuffer', '_writeGeneric', 'Writable.uncork', 'afterWriteTick', 'afterWrite']],
  ['token writes: event, ground truth, scheduling', ['writeChunk', 'writeHead', 'writeFinish', 'fire']],
  ['timers and immediates', ['processTimers', 'listOnTimeout', 'processImmediate']],
];

/** A profiled run of the mock at one level: busy time by kind of work and the top self-time functions. */
export async function profileLevel(streams) {
  const dir = join(outputDir, 'tmp', `mock-profile-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let gcLines = '';
  await mockLevel(streams, { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir, '--trace-gc'], records: false, onMeasured: (text) => (gcLines = text) });
  const profile = readNewestProfile(dir);
  const result = { ...selfTimes(profile, { top: 8 }), kinds: timeByKind(profile, KINDS), gc: gcPauses(gcLines) };
  rmSync(dir, { recursive: true, force: true });
  return result;
}

/** The collector's pauses in `--trace-gc` lines (`Scavenge 38.4 (80.7) -> 26.9 (80.7) MB, 2.03 / 0.02 ms`), by kind. */
export function gcPauses(text) {
  const kinds = new Map();
  for (const m of text.matchAll(/ms: (Scavenge|Mark-Compact|Minor Mark-Sweep|Mark-Sweep)\b[^,]*, ([\d.]+) \/ [\d.]+ ms/g)) {
    const k = kinds.get(m[1]) ?? { kind: m[1], count: 0, totalMs: 0, maxMs: 0 };
    const ms = Number(m[2]);
    k.count++;
    k.totalMs += ms;
    k.maxMs = Math.max(k.maxMs, ms);
    kinds.set(m[1], k);
  }
  return [...kinds.values()];
}

/** Which part of the CPU per write differs between floor and mock, in words. */
function compareParts(floor, mock) {
  const kernel = mock.sys - floor.sys;
  const user = mock.user - floor.user;
  const kernelText = Math.abs(kernel) <= 0.3 * floor.sys
    ? 'the kernel\'s part (the socket writes) is about the same'
    : `the kernel's part (the socket writes) is ${fmt(Math.abs(kernel), 1)} µs ${kernel > 0 ? 'more' : 'less'}`;
  return `${kernelText}, user space (JavaScript, the collector, V8's compiler) ${fmt(Math.abs(user), 1)} µs ${user > 0 ? 'more' : 'less'}`;
}

/** Of a level's rounds, the lowest send error p99 and the lowest CPU per write (each taken apart). */
function best(runs) {
  const byP99 = runs.reduce((a, b) => (b.p99 < a.p99 ? b : a));
  const byCpu = runs.reduce((a, b) => (steadyPerWrite(b) < steadyPerWrite(a) ? b : a));
  const cpu = steadyPerWrite(byCpu);
  const user = byCpu.steadyCpuS > 0 ? (cpu * byCpu.steadyUserS) / byCpu.steadyCpuS : NaN;
  return { p50: byP99.p50, p99: byP99.p99, cpu, user, sys: cpu - user, incomplete: Math.max(...runs.map((r) => r.incomplete)) };
}

export async function run({ log, loads }) {
  const floorBuild = buildFloor();
  if (!floorBuild.ok) throw new Error(`the mock bench needs the floor's Go driver: go build of bench/floor failed (${floorBuild.why})`);
  const baselineRef = process.env.MOCK_BASELINE;
  const baseline = baselineRef ? await buildMockAt(baselineRef) : undefined;
  /** runs[who][level index] = the rounds' results. */
  const runs = { floor: LEVELS.map(() => []), mock: LEVELS.map(() => []), baseline: LEVELS.map(() => []) };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, streams] of LEVELS.entries()) {
      loads.push(loadAverage());
      // Swapped from one run to the next, so no server always runs first.
      const order = (i + round) % 2 === 0 ? ['floor', 'mock', 'baseline'] : ['baseline', 'mock', 'floor'];
      for (const who of order) {
        if (who === 'baseline' && !baseline) continue;
        const r = who === 'floor' ? await floorLevel(streams) : await mockLevel(streams, { bundle: who === 'baseline' ? baseline : undefined });
        runs[who][i].push(r);
        log(`  round ${round + 1}, ${who} ${streams} streams: send error p50 ${fmt(r.p50)} p99 ${fmt(r.p99)} ms over ${r.writes} writes; ` +
          `${fmt(steadyPerWrite(r), 1)} µs CPU per token write (load ${fmt(r.load)})`);
      }
    }
  }
  const rows = LEVELS.map((streams, i) => ({
    streams,
    floor: best(runs.floor[i]),
    mock: best(runs.mock[i]),
    baseline: baseline ? best(runs.baseline[i]) : undefined,
  }));
  const verdicts = rows.map(({ streams, floor, mock }) => ({
    streams,
    p99Ratio: mock.p99 / floor.p99,
    cpuRatio: mock.cpu / floor.cpu,
    complete: mock.incomplete === 0,
  }));
  const missed = verdicts.filter((v) => !(v.p99Ratio <= GOAL_RATIO && v.cpuRatio <= GOAL_RATIO && v.complete));
  // Where the time goes, when a goal is missed: a CPU profile of the mock at the highest level that missed.
  let profile;
  if (missed.length > 0) {
    const at = missed[missed.length - 1].streams;
    log(`  profiling the mock at ${at} streams`);
    profile = { streams: at, ...(await profileLevel(at)) };
  }
  const body = describe(rows, verdicts, runs, profile, baselineRef);
  const last = verdicts[verdicts.length - 1];
  const verdict =
    `mock send error p99 ${verdicts.map((v, i) => `${fmt(rows[i].mock.p99, 1)} ms (${fmt(v.p99Ratio, 1)}× the floor's) at ${v.streams}`).join(', ')} streams; ` +
    `CPU per token write ${verdicts.map((v, i) => `${fmt(rows[i].mock.cpu, 1)} µs (${fmt(v.cpuRatio, 1)}×)`).join(', ')}; ` +
    `within ${GOAL_RATIO}× the floor at every level up to ${last.streams.toLocaleString('en')} streams: ` +
    `${missed.length === 0 ? 'met' : `**missed** at ${missed.map((v) => v.streams).join(', ')}`}.`;
  return { body, rows, verdict };
}

function describe(rows, verdicts, runs, profile, baselineRef) {
  const pair = (r) => `${fmt(r.p50)} / ${fmt(r.p99)}`;
  const lines = [
    `The mock (\`k6-llm mock ${mockArgsFor(w).join(' ')}\`, one Node process) and the loopback floor (\`bench/floor\`, ` +
      `Go: \`floor serve\` waits ${w.ttftMs} ms after each request line, then writes ${w.tokens} frames of 180 bytes, one per ` +
      `${w.itlMs} ms, each on its own timer; no HTTP, JSON or JavaScript), each serving N concurrent streams of ${w.tokens} tokens ` +
      `(TTFT ${w.ttftMs} ms, ITL ${w.itlMs} ms) to the same Go load generator (\`floor drive\`; over HTTP/1.1 keep-alive for ` +
      `the mock, reading each answer whole before the next request). ${w.durationS} s per run, the mock after ${WARMUP_S} s of ` +
      `the same load (V8 compiles the hot code in the first seconds; Go has nothing to compile).`,
    '',
    `- **Send error** = actual − planned time of each token write, for requests received from ${w.warmupMs / 1000} s after the ` +
      `first until one request length before the end (the mock's ground truth; the floor's own clock).`,
    `- **CPU per token write** = the server process's user + system CPU over the steady state (from ${w.warmupMs / 1000} s ` +
      `after the load starts until one request length before its end) ÷ the token writes it made in it.`,
    `- ${ROUNDS} rounds of all levels; at each level the floor and the mock run one after the other, in an order swapped ` +
      `from run to run. Other work on the machine only adds delay and CPU, so each figure below is the best of the rounds ` +
      `(every round is in the details, with the 1-minute load average before it).`,
    '',
    table(
      ['streams', 'send error p50 / p99 ms: floor', 'mock', 'p99 mock ÷ floor', 'CPU µs per token write: floor', 'mock', 'CPU mock ÷ floor'],
      rows.map(({ streams, floor, mock }, i) => [
        streams,
        pair(floor),
        `${pair(mock)}${mock.incomplete ? ` (${mock.incomplete} incomplete)` : ''}`,
        `${fmt(verdicts[i].p99Ratio, 2)}×`,
        fmt(floor.cpu, 1),
        fmt(mock.cpu, 1),
        `${fmt(verdicts[i].cpuRatio, 2)}×`,
      ]),
    ),
    '',
    `Goal: the mock's send error p99 and CPU per token write within ${GOAL_RATIO}× the floor's at every level up to ` +
      `${LEVELS[LEVELS.length - 1].toLocaleString('en')} streams.`,
    '',
    'Details, every run: requests in the window, the worst send error, CPU per token write in the steady state split ' +
      'into user and system (kernel: mostly the socket writes themselves), the cores each process used over the whole ' +
      'run, and the load average before it.',
    '',
    table(
      ['streams', 'server', 'round', 'requests', 'p50 / p99 / max ms', 'CPU µs per write (user + sys)', 'server cores', 'driver cores', 'load'],
      LEVELS.flatMap((streams, i) =>
        Object.entries(runs).flatMap(([who, levels]) =>
          levels[i].map((r, round) => {
            const split = r.steadyCpuS > 0 ? r.steadyUserS / r.steadyCpuS : r.userS / (r.userS + r.sysS);
            const cpu = steadyPerWrite(r);
            return [
              streams,
              who === 'baseline' ? `mock at ${baselineRef}` : who,
              round + 1,
              `${r.requests}${r.incomplete ? ` (${r.incomplete} incomplete)` : ''}`,
              `${fmt(r.p50)} / ${fmt(r.p99)} / ${fmt(r.max)}`,
              `${fmt(cpu, 1)} (${fmt(cpu * split, 1)} + ${fmt(cpu * (1 - split), 1)})`,
              fmt((r.userS + r.sysS) / r.wallS),
              fmt(r.driverCpuS / r.wallS),
              fmt(r.load),
            ];
          }),
        ),
      ),
    ),
  ];
  if (baselineRef) {
    lines.push(
      '',
      `**Before and after, same runs.** The mock as committed at \`${baselineRef}\` ran beside the other two at each level.`,
      '',
      table(
        ['streams', `p99 ms at ${baselineRef}`, 'p99 ms now', 'p99 ratio (now ÷ before)', `CPU µs per write at ${baselineRef}`, 'now', 'CPU ratio (now ÷ before)'],
        rows.map(({ streams, mock, baseline }) => [
          streams, fmt(baseline.p99), fmt(mock.p99), `${fmt(mock.p99 / baseline.p99, 2)}×`,
          fmt(baseline.cpu, 1), fmt(mock.cpu, 1), `${fmt(mock.cpu / baseline.cpu, 2)}×`,
        ]),
      ),
    );
  }
  if (profile) {
    const at = rows.find((r) => r.streams === profile.streams);
    lines.push(
      '',
      `**Where the time goes.** At ${profile.streams} streams the floor's CPU per token write is ` +
        `${fmt(at.floor.user, 1)} µs user + ${fmt(at.floor.sys, 1)} µs system, the mock's ${fmt(at.mock.user, 1)} + ` +
        `${fmt(at.mock.sys, 1)}: ${compareParts(at.floor, at.mock)}. A goal was missed, so the mock ran once more at that level under ` +
        `\`node --cpu-prof\` (not counted above). Its main thread was busy ${fmt(profile.busyMs / 1000, 1)} s; by kind of ` +
        `work, and the top functions by self time (the profile samples wall time, so a write's kernel time is under the ` +
        `write call; the collector's and compiler's helper threads are not in it):`,
      '',
      table(['kind of work', 'share of busy time'], profile.kinds.map((k) => [k.label, `${fmt(k.share * 100, 1)} %`])),
      '',
      `The collector's pauses in that run's ${w.durationS} s of measured load (\`--trace-gc\`): every pause stops every stream, ` +
        `so pauses of a few milliseconds, a few times a second, are what the send error p99 is made of at high levels.`,
      '',
      table(['collection', 'pauses', 'total ms', 'longest ms'], profile.gc.map((g) => [g.kind, g.count, fmt(g.totalMs, 1), fmt(g.maxMs, 1)])),
      '',
      table(['function', 'self time share'], profile.rows.map((r) => [`\`${r.name}\``, `${fmt(r.share * 100, 1)} %`])),
    );
  }
  return lines.join('\n');
}
