// Generator capacity: the most concurrent streams one load-generator process drives before its own TTFT error p99
// passes 10 ms, for one k6 process with k6-llm and for one Locust process, on the same mock and workload as the
// fidelity bench. Each tool steps up until a step fails (or the steps run out).
import { loadAverage } from '../lib/machine.mjs';
import { table } from '../lib/markdown.mjs';
import { STREAM_WORKLOAD, runStreams } from '../lib/streams.mjs';
import { fmt } from '../lib/stats.mjs';
import { DEFINITIONS, describeWorkload } from '../fidelity/run.mjs';

export const STEPS = [10, 25, 50, 100, 250, 500, 1000, 1500, 2000, 3000, 4000];
export const LIMIT_P99_MS = 10;
export const GOAL_RATIO = 3;
// Shorter steps than the fidelity bench, so the whole ladder fits in the time budget.
const WORKLOAD = { ...STREAM_WORKLOAD, durationS: 6 };

export async function run({ log, loads }) {
  const steps = [];
  const capacity = {};
  // The k6 baseline without k6-llm shows how much of the limit is k6 and its extension, and how much the library.
  for (const tool of ['k6-llm', 'locust', 'k6 without k6-llm']) {
    capacity[tool] = 0;
    for (const streams of STEPS) {
      loads.push(loadAverage());
      const r = await runStreams(tool, streams, WORKLOAD);
      const pass = r.ttft.p99 !== undefined && r.ttft.p99 <= LIMIT_P99_MS && r.failed === 0;
      log(`  ${tool} ${streams}: TTFT err p99 ${fmt(r.ttft.p99)} ms, ${r.failed} failed -> ${pass ? 'pass' : 'fail'}`);
      steps.push({ ...r, pass });
      if (!pass) break;
      capacity[tool] = streams;
    }
  }
  const ratio = capacity.locust > 0 ? capacity['k6-llm'] / capacity.locust : Infinity;
  const lastStep = STEPS[STEPS.length - 1];
  const rows = steps.map((s) => [s.tool, s.streams, s.ttft.n, s.cutOff, fmt(s.ttft.p50), fmt(s.ttft.p99), fmt(s.itl.p99), fmt((s.toolCpuS / s.measured) * 1000, 1), fmt(s.toolCpuS / s.toolWallS), fmt(s.mockCpuS / s.toolWallS), s.pass ? 'pass' : `**fail**${s.failed ? ` (${s.failed} failed)` : ''}`]);
  const shown = (tool) => (capacity[tool] === lastStep && steps.filter((s) => s.tool === tool).every((s) => s.pass) ? `≥ ${lastStep}` : String(capacity[tool]));
  const body = [
    describeWorkload(WORKLOAD),
    '',
    'The third tool, `bench/fidelity/k6-minimal.js`, streams the same requests through `k6/x/llmstream` with the naive parsing of the ' +
      'overhead baseline and no k6-llm: the limit of k6 and its extension alone.',
    '',
    `A step passes when the tool's TTFT error p99 is ≤ ${LIMIT_P99_MS} ms and no request failed; each tool stops at its first failing step. ` +
      'TTFT error as in "Timing fidelity". Steps: ' + STEPS.join(', ') + ' streams.',
    '',
    table(['tool', 'streams', 'requests', 'cut off', 'TTFT err p50 ms', 'TTFT err p99 ms', 'ITL err p99 ms', 'tool CPU ms / request', 'tool CPU (cores)', 'mock CPU (cores)', 'step'], rows, 'lrrrrrrrrrl'),
    '',
    table(
      ['', 'capacity (streams)'],
      [
        ['one k6 process with k6-llm', shown('k6-llm')],
        ['one Locust process', shown('locust')],
        ['one k6 process, same streams without k6-llm (baseline)', shown('k6 without k6-llm')],
        [`ratio (goal ≥ ${GOAL_RATIO}×)`, `${Number.isFinite(ratio) ? fmt(ratio) : '∞'}× — ${ratio >= GOAL_RATIO ? 'met' : '**missed**'}`],
      ],
    ),
    '',
    'Both generators share the 2 CPUs with the mock (one Node process), so the mock\'s own CPU limits how far any tool can go here; ' +
      '"mock CPU" shows how busy it was.',
    '',
    DEFINITIONS,
  ].join('\n');
  const verdict =
    `one k6 process with k6-llm ${shown('k6-llm')} streams, one Locust process ${shown('locust')} ` +
    `(TTFT error p99 ≤ ${LIMIT_P99_MS} ms); ratio ${Number.isFinite(ratio) ? fmt(ratio) : '∞'}× (goal ≥ ${GOAL_RATIO}×): ${ratio >= GOAL_RATIO ? 'met' : '**missed**'}.`;
  return { body, steps, capacity, verdict };
}
