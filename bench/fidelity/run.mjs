// Timing fidelity: the error of k6-llm's TTFT and ITL against the mock's ground truth at 10 to 2,000 concurrent
// streams, side by side with Locust timing the same streams (see bench/lib/streams.mjs for the definitions).
import { loadAverage } from '../lib/machine.mjs';
import { table } from '../lib/markdown.mjs';
import { STREAM_WORKLOAD, requestLengthMs, runStreams } from '../lib/streams.mjs';
import { fmt } from '../lib/stats.mjs';

export const LEVELS = [10, 100, 500, 1000, 2000];
export const GOAL_P99_MS = 5;
export const GOAL_UP_TO = 1000;

// The lowest level gets a longer run, so its p99 rests on more than a couple of dozen requests.
export function workloadFor(streams) {
  return streams <= 10 ? { ...STREAM_WORKLOAD, durationS: 15 } : STREAM_WORKLOAD;
}

export function describeWorkload(w = STREAM_WORKLOAD) {
  return (
    `Each stream: OpenAI Chat Completions, ${w.tokens} tokens, TTFT ${w.ttftMs} ms, ITL ${w.itlMs} ms, no jitter, mock capacity ` +
    `model off (\`--capacity 0\`), so one request lasts ~${(requestLengthMs(w) / 1000).toFixed(2)} s and each stream sends the next ` +
    `request as soon as one ends. Each VU / Locust user first waits a random part of one request length, so the streams are spread ` +
    `in time. A level runs ${w.durationS} s${w === STREAM_WORKLOAD ? ` (${workloadFor(10).durationS} s at 10 streams)` : ''} against a fresh mock; only requests the mock received from ${w.warmupMs / 1000} s after the ` +
    `first one until one request length before the end count (steady state, all streams running).`
  );
}

export const DEFINITIONS =
  'Per request, with no clock compared across processes: TTFT error = the client\'s TTFT (its request start to the arrival of ' +
  'the first content event) − the mock\'s TTFT (receipt of the request body to its write of the first content event), i.e. the ' +
  'request\'s trip in, the event\'s trip out and any delay before the client noticed it, loopback included and nothing subtracted. ' +
  'ITL error = the client\'s gap between content events i and i+1 − the gap between the mock\'s writes of them, gap by gap. ' +
  'Figures are percentiles of the absolute error. k6-llm: `bench/fidelity/k6-llm.js` (the client with `sseTransport()`; a ' +
  'pass-through transport wrapper only reads the `x-mock-request-id` header). Locust: `bench/fidelity/locustfile.py` ' +
  '(FastHttpUser, `stream=True`, one SSE event per `readline(b"\\n\\n")`, `time.perf_counter()`), one Locust process.';

function row(r) {
  return [
    r.streams,
    r.tool,
    `${r.ttft.n}${r.failed ? ` (${r.failed} failed)` : ''}`,
    r.cutOff,
    fmt(r.ttft.p50),
    fmt(r.ttft.p99),
    fmt(r.itl.p50),
    fmt(r.itl.p99),
    fmt(r.mockLate.p99),
    fmt(r.toolCpuS / r.toolWallS),
    fmt((r.toolCpuS / r.measured) * 1000, 1),
    fmt(r.mockCpuS / r.toolWallS),
  ];
}

export const HEADER = ['streams', 'tool', 'requests', 'cut off', 'TTFT err p50 ms', 'TTFT err p99 ms', 'ITL err p50 ms', 'ITL err p99 ms', 'mock write late p99 ms', 'tool CPU (cores, whole life)', 'tool CPU ms / request', 'mock CPU (cores)'];

export async function run({ log, loads }) {
  const results = [];
  for (const streams of LEVELS) {
    for (const tool of ['k6-llm', 'locust']) {
      loads.push(loadAverage());
      const r = await runStreams(tool, streams, workloadFor(streams));
      log(`  ${tool} ${streams}: TTFT err p50 ${fmt(r.ttft.p50)} p99 ${fmt(r.ttft.p99)} ms; ITL err p50 ${fmt(r.itl.p50)} p99 ${fmt(r.itl.p99)} ms; ${r.ttft.n} requests`);
      results.push(r);
    }
  }
  const verdicts = LEVELS.map((streams) => {
    const k6 = results.find((r) => r.tool === 'k6-llm' && r.streams === streams);
    const locust = results.find((r) => r.tool === 'locust' && r.streams === streams);
    const underGoal = streams > GOAL_UP_TO || (k6.ttft.p99 !== undefined && k6.ttft.p99 <= GOAL_P99_MS);
    const belowLocust = k6.ttft.p99 !== undefined && (locust.ttft.p99 === undefined || k6.ttft.p99 < locust.ttft.p99);
    return [
      streams,
      streams > GOAL_UP_TO ? '(no goal)' : underGoal ? 'met' : '**missed**',
      belowLocust ? 'yes' : '**no**',
      `${fmt(k6.ttft.p99)} vs ${fmt(locust.ttft.p99)}`,
    ];
  });
  const body = [
    describeWorkload(),
    '',
    DEFINITIONS,
    '',
    table(HEADER, results.map(row)),
    '',
    `Goals: k6-llm's TTFT error p99 ≤ ${GOAL_P99_MS} ms up to ${GOAL_UP_TO.toLocaleString('en')} streams, and below Locust's at every level.`,
    '',
    table(['streams', `p99 ≤ ${GOAL_P99_MS} ms`, 'below Locust', 'TTFT err p99 ms, k6-llm vs Locust'], verdicts, 'rlll'),
    '',
    '"requests" counts those in the steady window; "cut off" counts streams the tool had not finished when it stopped (all through ' +
      'the run, from the mock\'s record), which never reach the figures. ' +
      '"mock write late" is how late the mock made its writes against its plan (context: the error columns are against its actual writes, ' +
      'so its lateness does not count against the clients). "tool CPU" is the load generator\'s CPU seconds over its whole wall time ' +
      '(process start and, for k6, VU init included, so it understates the busy part of the run), and per request over every request it ' +
      'logged; "mock CPU" is the mock\'s CPU seconds over the same wall time.',
  ].join('\n');
  const k6Rows = LEVELS.map((streams) => results.find((r) => r.tool === 'k6-llm' && r.streams === streams));
  const goalMet = k6Rows.filter((r) => r.streams <= GOAL_UP_TO).every((r) => r.ttft.p99 !== undefined && r.ttft.p99 <= GOAL_P99_MS);
  const allBelow = verdicts.every((v) => v[2] === 'yes');
  const verdict =
    `k6-llm's TTFT error p99 ${k6Rows.map((r) => `${fmt(r.ttft.p99, 1)} ms at ${r.streams}`).join(', ')}; ` +
    `≤ ${GOAL_P99_MS} ms up to ${GOAL_UP_TO.toLocaleString('en')} streams: ${goalMet ? 'met' : '**missed**'}; ` +
    `below Locust's at every level: ${allBelow ? 'met' : '**missed**'}.`;
  return { body, results, verdict };
}
