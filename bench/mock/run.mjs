// Mock capacity: how punctually the mock server writes what it planned with many concurrent streams. Send error =
// a write's actual time − its planned time, both from the mock's own ground truth (same clock), for every content
// chunk of every request in the steady window. The driver is a k6 process reading the streams without JS per chunk.
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { bundleScript, readJsonLines, runK6 } from '../lib/k6.mjs';
import { fetchRecords, startMock } from '../lib/mock.mjs';
import { loadAverage } from '../lib/machine.mjs';
import { buildFloor, runFloor } from '../lib/floor.mjs';
import { table } from '../lib/markdown.mjs';
import { outputDir } from '../lib/paths.mjs';
import { fmt, summarize } from '../lib/stats.mjs';
import { STREAM_WORKLOAD, mockArgsFor, requestLengthMs } from '../lib/streams.mjs';

export const LEVELS = [20, 100, 250, 500, 1000, 2000];
export const GOAL_STREAMS = 2000;
export const GOAL_P99_MS = 5;

async function level(streams, script, log) {
  const w = STREAM_WORKLOAD;
  const mock = await startMock(mockArgsFor(w));
  const file = join(outputDir, 'tmp', `mock-${streams}-${process.pid}.jsonl`);
  try {
    const cpu0 = mock.cpu();
    const run = await runK6(script, {
      env: { MOCK_URL: mock.url, STREAMS: String(streams), MAX_TOKENS: String(w.tokens), STAGGER_MS: String(requestLengthMs(w)), DURATION: `${w.durationS}s` },
      logFile: file,
    });
    const mockCpuS = mock.cpu() - cpu0;
    const lines = readJsonLines(file);
    const records = await fetchRecords(mock.url, lines.map((l) => l.id).filter(Boolean));
    let t0 = Infinity;
    for (const r of records.values()) t0 = Math.min(t0, r.received);
    const from = t0 + w.warmupMs;
    const to = t0 + w.durationS * 1000 - requestLengthMs(w);
    const chunkLate = [];
    const headLate = [];
    let requests = 0;
    let incomplete = 0;
    for (const r of records.values()) {
      if (r.received < from || r.received > to) continue;
      requests++;
      if (r.outcome !== 'complete' || r.chunks.length !== w.tokens) incomplete++;
      if (r.head.actual !== null && r.head.planned !== null) headLate.push(r.head.actual - r.head.planned);
      for (const c of r.chunks) chunkLate.push(c.actual - c.planned);
    }
    const result = { streams, requests, incomplete, chunk: summarize(chunkLate), head: summarize(headLate), mockCpuS, driverCpuS: run.cpuS, wallS: run.wallS };
    log(`  ${streams} streams: chunk send error p50 ${fmt(result.chunk.p50)} p99 ${fmt(result.chunk.p99)} ms over ${result.chunk.n} writes; mock ${fmt(mockCpuS / run.wallS)} cores`);
    return result;
  } finally {
    await mock.stop();
    rmSync(file, { force: true });
  }
}

export async function run({ log, loads }) {
  const script = await bundleScript('bench/mock/driver.js');
  const results = [];
  for (const streams of LEVELS) {
    loads.push(loadAverage());
    results.push(await level(streams, script, log));
  }
  // The same writes and reads with nothing else: what this machine allows any mock and load generator.
  const floorBuild = buildFloor();
  const floors = [];
  if (floorBuild.ok) {
    for (const streams of LEVELS) {
      loads.push(loadAverage());
      const f = await runFloor(streams, STREAM_WORKLOAD);
      log(`  floor ${streams} streams: send error p50 ${fmt(f.p50)} p99 ${fmt(f.p99)} ms over ${f.writes} writes; ${fmt((f.serverCpuS + f.driverCpuS) / f.wallS)} cores`);
      floors.push(f);
    }
  } else {
    log(`  loopback floor skipped: ${floorBuild.why}`);
  }
  const floorAtGoal = floors.find((f) => f.streams === GOAL_STREAMS);
  const atGoal = results.find((r) => r.streams === GOAL_STREAMS);
  const met = atGoal && atGoal.incomplete === 0 && atGoal.chunk.p99 <= GOAL_P99_MS;
  const w = STREAM_WORKLOAD;
  const body = [
    `The mock (\`k6-llm mock ${mockArgsFor(w).join(' ')}\`, one Node process) serving N concurrent streams of ${w.tokens} tokens ` +
      `(TTFT ${w.ttftMs} ms, ITL ${w.itlMs} ms), driven by one k6 process (\`bench/mock/driver.js\`: \`k6/x/llmstream\` without a ` +
      `per-chunk callback). Send error = actual − planned time of each content write, both from the mock's ground truth. ` +
      `${w.durationS} s per level; requests received from ${w.warmupMs / 1000} s after the first until one request length before the end.`,
    '',
    table(
      ['streams', 'requests', 'writes', 'send error p50 ms', 'send error p99 ms', 'max ms', 'head late p99 ms', 'mock CPU (cores)', 'driver CPU (cores)'],
      results.map((r) => [
        r.streams,
        `${r.requests}${r.incomplete ? ` (${r.incomplete} incomplete)` : ''}`,
        r.chunk.n,
        fmt(r.chunk.p50),
        fmt(r.chunk.p99),
        fmt(r.chunk.max),
        fmt(r.head.p99),
        fmt(r.mockCpuS / r.wallS),
        fmt(r.driverCpuS / r.wallS),
      ]),
    ),
    '',
    `Goal: ≥ ${GOAL_STREAMS.toLocaleString('en')} streams with send error p99 ≤ ${GOAL_P99_MS} ms on 2 cores — **${met ? 'met' : 'missed'}** ` +
      `(p99 ${fmt(atGoal?.chunk.p99)} ms at ${GOAL_STREAMS.toLocaleString('en')}).`,
    '',
    ...floorSection(floors, floorBuild),
  ].join('\n');
  const verdict =
    `send error p99 ${results.map((r) => `${fmt(r.chunk.p99, 1)} ms at ${r.streams}`).join(', ')} streams; ` +
    `≥ ${GOAL_STREAMS.toLocaleString('en')} streams at p99 ≤ ${GOAL_P99_MS} ms: ${met ? 'met' : '**missed**'}` +
    (floorAtGoal ? `; the loopback floor (the same writes and reads in Go, no HTTP) ${fmt(floorAtGoal.p99, 1)} ms at ${GOAL_STREAMS.toLocaleString('en')}.` : '.');
  return { body, results, floors, verdict };
}

function floorSection(floors, floorBuild) {
  if (!floorBuild.ok) return [`The loopback floor was not measured: \`go build\` of bench/floor failed (${floorBuild.why}).`];
  const w = STREAM_WORKLOAD;
  return [
    `**The loopback floor, same run.** \`bench/floor/main.go\` does the same writes and reads with nothing else: \`floor serve\` ` +
      `waits ${w.ttftMs} ms after each request line and writes ${w.tokens} frames of 180 bytes (the size of the mock's chunks ` +
      `with HTTP framing), one per ${w.itlMs} ms, each on its own timer and timed against its plan; \`floor drive\` holds N connections ` +
      `in one process and reads each answer whole before sending the next request line. Both are Go, with no HTTP, JSON or ` +
      `JavaScript; same levels, stagger and steady window as above. Whatever the floor misses, no mock and load generator ` +
      `sharing this machine can meet: it is the cost of the socket writes and reads themselves.`,
    '',
    table(
      ['streams', 'requests', 'writes', 'send error p50 ms', 'send error p99 ms', 'max ms', 'server CPU (cores)', 'driver CPU (cores)', 'both (cores)'],
      floors.map((f) => [
        f.streams,
        `${f.requests}${f.incomplete ? ` (${f.incomplete} incomplete)` : ''}`,
        f.writes,
        fmt(f.p50),
        fmt(f.p99),
        fmt(f.max),
        fmt(f.serverCpuS / f.wallS),
        fmt(f.driverCpuS / f.wallS),
        fmt((f.serverCpuS + f.driverCpuS) / f.wallS),
      ]),
    ),
  ];
}
