// The pre-flight estimate is an upper bound on what k6 really starts: the arrival-rate scenarios of
// scripts/arrival-scenarios.ts, run a few times by k6 itself, never start more iterations than
// estimateRunCost counts. The iteration due exactly as a constant-arrival-rate scenario ends races
// the end, so some runs start it and some do not; the estimate counts it.
import { describe, expect, it } from 'vitest';
import { estimateRunCost } from '../../lib/cost/index';
import { bundleScript, runK6 } from './harness';
import { ARRIVAL_SCENARIOS } from './scripts/arrival-scenarios';

const RUNS = 4;

describe('estimateRunCost against real k6 arrival-rate runs', () => {
  it(`never counts fewer iterations than k6 starts, over ${RUNS} runs`, async () => {
    const estimate = estimateRunCost({ scenarios: ARRIVAL_SCENARIOS, avgInputTokens: 10, avgOutputTokens: 10, price: { input: 1, output: 1 } });
    const script = await bundleScript('arrival-count');
    const names = Object.keys(ARRIVAL_SCENARIOS);
    const seen: Record<string, number[]> = {};
    for (let run = 0; run < RUNS; run++) {
      const result = await runK6(script, { timeoutMs: 60_000 });
      expect(result.code, result.stderr).toBe(0);
      expect(result.metrics.dropped_iterations?.count ?? 0).toBe(0);
      for (const name of names) {
        const started = result.metric(`iterations{scenario:${name}}`).count as number;
        const bound = estimate.scenarios[name]!.iterations;
        expect(started, `${name}: k6 started ${started}, the estimate counts ${bound}`).toBeLessThanOrEqual(bound);
        // Not a timing claim, only proof that the scenario ran: the schedule, not a stall, set the count.
        expect(started, name).toBeGreaterThan(bound / 2);
        (seen[name] ??= []).push(started);
      }
    }
    // The figures the estimate rests on, for the log: constant 4/s for 3s is 13 (12 when the last one loses the race).
    expect(Object.fromEntries(names.map((name) => [name, estimate.scenarios[name]!.iterations]))).toEqual({
      car_4_per_s_1s: 5,
      car_4_per_s_3s: 13,
      car_3_per_s_2s: 7,
      car_5_per_500ms_1s: 11,
      rar_flat_4_per_s_1s: 4,
      rar_0_to_10_per_s_2s: 10,
      rar_up_and_down: 7,
    });
    console.log(`k6 iterations per run: ${JSON.stringify(seen)}`);
  }, 300_000);
});
