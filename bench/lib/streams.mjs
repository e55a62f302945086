// One level of the timing-fidelity and capacity benches: a fresh mock, N concurrent streams from k6-llm (k6) or
// Locust for a fixed time, then every measured request matched by id to the mock's ground truth.
//
// Definitions (per request, so no clock is compared across processes):
//   client TTFT = first content event's arrival − the client's request start (what k6-llm reports as llm_ttft)
//   true TTFT   = the mock's first content write (actual) − the mock's receipt of the request body
//   TTFT error  = client TTFT − true TTFT: the request's trip in, the first event's trip out and any delay in the
//                 client noticing it (loopback included, nothing subtracted)
//   ITL error   = client gap i − (write i+1 − write i) on the mock, gap by gap
// Only requests the mock received in the steady window are counted: after `warmupMs` from the first request and
// at least one request length before the end of the run (so none ran while the other streams were stopping).
import { join } from 'node:path';
import { fetchRecords, mockStats, startMock } from './mock.mjs';
import { bundleScript, readJsonLines, runK6 } from './k6.mjs';
import { rmSync } from 'node:fs';
import { runTimed } from './processes.mjs';
import { outputDir, root } from './paths.mjs';
import { summarize } from './stats.mjs';

export const STREAM_WORKLOAD = {
  ttftMs: 500,
  itlMs: 20,
  tokens: 50,
  durationS: 7,
  warmupMs: 1_500,
};

/** One request's length on the mock: TTFT plus the gaps between its tokens. */
export function requestLengthMs(w = STREAM_WORKLOAD) {
  return w.ttftMs + (w.tokens - 1) * w.itlMs;
}

export function mockArgsFor(w = STREAM_WORKLOAD) {
  return [
    '--ttft-ms', String(w.ttftMs),
    '--itl-ms', String(w.itlMs),
    '--jitter', '0',
    '--capacity', '0',
    '--prefill-ms-per-token', '0',
    '--output-tokens', String(w.tokens),
    '--history-size', '200000',
    '--no-cache',
  ];
}

export const LOCUST_BIN = '/usr/bin/locust';

/** The k6 scripts by tool name: k6-llm's client, or the same streams without k6-llm (a baseline). */
const K6_SCRIPTS = { 'k6-llm': 'bench/fidelity/k6-llm.js', 'k6 without k6-llm': 'bench/fidelity/k6-minimal.js' };
const bundled = {};
function k6Script(tool) {
  bundled[tool] ??= bundleScript(K6_SCRIPTS[tool]);
  return bundled[tool];
}

/** Runs one tool (`k6-llm`, `k6 without k6-llm` or `locust`) at one concurrency against a fresh mock; resolves with the error figures. */
export async function runStreams(tool, streams, w = STREAM_WORKLOAD) {
  const mock = await startMock(mockArgsFor(w));
  const file = join(outputDir, 'tmp', `${tool.replace(/\W+/g, '-')}-${streams}-${process.pid}.jsonl`);
  const lengthMs = requestLengthMs(w);
  const env = { MOCK_URL: mock.url, STREAMS: String(streams), MAX_TOKENS: String(w.tokens), STAGGER_MS: String(lengthMs), DURATION: `${w.durationS}s` };
  let run;
  const mockCpu0 = mock.cpu();
  try {
    if (tool in K6_SCRIPTS) {
      run = await runK6(await k6Script(tool), { env, logFile: file });
    } else {
      run = await runTimed(
        LOCUST_BIN,
        [
          '-f', join(root, 'bench/fidelity/locustfile.py'),
          '--headless', '-u', String(streams), '-r', String(streams), '-t', `${w.durationS}s`,
          '--stop-timeout', '3', '--host', mock.url, '--only-summary', '--loglevel', 'WARNING',
        ],
        { env: { ...env, FIDELITY_OUT: file }, cwd: root },
      );
      // Locust exits 1 when any request failed; the match below counts failures itself.
      if (run.code !== 0 && run.code !== 1) throw new Error(`locust exited with ${run.code}:\n${run.stderr.slice(-1500)}`);
    }
    const mockCpu = mock.cpu() - mockCpu0;
    // Streams the tool cut off at its stop (k6's gracefulStop, Locust's --stop-timeout) never reach the log; the
    // mock saw them end early. Reported so a slow tool cannot look better by losing its slowest requests.
    const stats = await mockStats(mock.url);
    const cutOff = (stats.byOutcome['client-closed'] ?? 0) + stats.activeStreams;
    const measured = readJsonLines(file);
    const records = await fetchRecords(mock.url, measured.filter((m) => m.id).map((m) => m.id));
    return { tool, streams, ...compare(measured, records, w), cutOff, toolCpuS: run.cpuS, toolWallS: run.wallS, toolMaxRssKb: run.maxRssKb, mockCpuS: mockCpu };
  } finally {
    await mock.stop();
    rmSync(file, { force: true });
  }
}

/** Matches measured requests to ground truth and computes the error distributions (see the file comment). */
export function compare(measured, records, w = STREAM_WORKLOAD) {
  let t0 = Infinity;
  for (const r of records.values()) t0 = Math.min(t0, r.received);
  const from = t0 + w.warmupMs;
  const to = t0 + w.durationS * 1000 - requestLengthMs(w);
  const ttftErr = [];
  const ttftSigned = [];
  const itlErr = [];
  const sendLate = [];
  let failed = 0;
  let unmatched = 0;
  let gapCountMismatch = 0;
  let inWindow = 0;
  for (const m of measured) {
    const r = m.id ? records.get(m.id) : undefined;
    if (!r) {
      unmatched++;
      continue;
    }
    if (r.received < from || r.received > to) continue;
    inWindow++;
    if (!m.ok || m.ttft === null || r.chunks.length === 0) {
      failed++;
      continue;
    }
    const chunks = r.chunks;
    const err = m.ttft - (chunks[0].actual - r.received);
    ttftSigned.push(err);
    ttftErr.push(Math.abs(err));
    for (const c of chunks) sendLate.push(c.actual - c.planned);
    if (m.itl.length !== chunks.length - 1) {
      gapCountMismatch++;
      continue;
    }
    for (let i = 0; i < m.itl.length; i++) itlErr.push(Math.abs(m.itl[i] - (chunks[i + 1].actual - chunks[i].actual)));
  }
  return {
    measured: measured.length,
    inWindow,
    failed,
    unmatched,
    gapCountMismatch,
    ttft: summarize(ttftErr),
    ttftSigned: summarize(ttftSigned),
    itl: summarize(itlErr),
    mockLate: summarize(sendLate),
  };
}
