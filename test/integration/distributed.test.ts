// The library works unchanged when a test is split across k6 instances: two processes
// with complementary execution segments do together exactly what one process does.
import { describe, expect, it } from 'vitest';
import { runK6, useMock, type K6Run } from './harness';

const mock = useMock([], 'segments');

const COUNTS = ['llm_requests', 'llm_output_tokens', 'llm_input_tokens', 'http_reqs', 'iterations'];

function counts(run: K6Run): Record<string, number> {
  return Object.fromEntries(COUNTS.map((name) => [name, run.metric(name).count as number]));
}

describe('distributed runs with execution segments', () => {
  it('two halves run in parallel add up to one whole run: requests, tokens and cost', async () => {
    const env = { MOCK_URL: mock.url };
    const sequence = '--execution-segment-sequence=0,1/2,1';
    const [first, second] = await Promise.all([
      runK6(mock.script, { env, args: ['--execution-segment=0:1/2', sequence] }),
      runK6(mock.script, { env, args: ['--execution-segment=1/2:1', sequence] }),
    ]);
    const whole = await runK6(mock.script, { env });
    for (const run of [first, second, whole]) expect(run.code, run.stderr).toBe(0);

    // An arrival the generator could not start (no free VU on a loaded machine) would make
    // the halves differ from the whole for a reason that is not the library's: say so.
    for (const run of [first, second, whole]) expect(run.metrics.dropped_iterations?.count ?? 0, 'dropped iterations').toBe(0);
    const a = counts(first);
    const b = counts(second);
    const all = counts(whole);
    // 40 shared iterations plus 6 VUs × 5 iterations.
    expect(all.llm_requests).toBe(70);
    expect(all.llm_output_tokens).toBe(all.llm_requests! * 16);
    for (const name of COUNTS) expect(a[name]! + b[name]!, name).toBe(all[name]);
    // Each half did half of the work.
    expect(a.llm_requests).toBe(35);
    expect(b.llm_requests).toBe(35);
    const cost = (run: K6Run) => run.metric('llm_cost_usd').count as number;
    expect(cost(first) + cost(second)).toBeCloseTo(cost(whole), 12);
  });
});
