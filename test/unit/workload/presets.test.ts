import { describe, expect, it } from 'vitest';
import { findBreakingStep, presets, stepReadings, stepUpThresholds } from '../../../lib/workload/index';

describe('scenario presets', () => {
  it('smoke runs a few iterations on one VU', () => {
    expect(presets.smoke()).toEqual({ smoke: { executor: 'shared-iterations', vus: 1, iterations: 3, maxDuration: '2m' } });
    expect(presets.smoke({ iterations: 5, name: 'check', tags: { kind: 'smoke' } })).toEqual({
      check: { executor: 'shared-iterations', vus: 1, iterations: 5, maxDuration: '2m', tags: { kind: 'smoke' } },
    });
  });

  it('ramp climbs to the target, holds, and ramps down only when asked', () => {
    expect(presets.ramp({ to: 50, rampUp: '2m', hold: 300_000 })).toEqual({
      ramp: { executor: 'ramping-vus', startVUs: 0, stages: [{ duration: '2m', target: 50 }, { duration: '300s', target: 50 }] },
    });
    const withDown = presets.ramp({ from: 5, to: 20, rampUp: '1m', hold: '5m', rampDown: '30s', exec: 'chat' }).ramp as unknown as Record<string, unknown>;
    expect(withDown.startVUs).toBe(5);
    expect(withDown.exec).toBe('chat');
    expect(withDown.stages).toEqual([
      { duration: '1m', target: 20 },
      { duration: '5m', target: 20 },
      { duration: '30s', target: 0 },
    ]);
  });

  it('spike runs a baseline, a sudden peak and a recovery as three back-to-back scenarios tagged by phase', () => {
    expect(presets.spike({ to: 100, hold: '1m', after: '2m', before: '30s', baseline: 2 })).toEqual({
      spike_before: { executor: 'constant-vus', vus: 2, duration: '30s', tags: { phase: 'before' } },
      spike_peak: { executor: 'constant-vus', vus: 100, duration: '60s', startTime: '30s', tags: { phase: 'peak' } },
      spike_after: { executor: 'constant-vus', vus: 2, duration: '120s', startTime: '90s', tags: { phase: 'after' } },
    });
  });

  it('spike with a zero baseline goes from nothing to the peak and leaves out the empty phases', () => {
    expect(Object.keys(presets.spike({ to: 10, hold: 5, after: 5, baseline: 0, startTime: '10s' }))).toEqual(['spike_peak']);
    expect(presets.spike({ to: 10, hold: 5, after: 5, baseline: 0, startTime: '10s' }).spike_peak?.startTime).toBe('40s');
  });

  it('soak holds constant VUs for the duration', () => {
    expect(presets.soak({ vus: 20, duration: '2h', gracefulStop: '1m' })).toEqual({
      soak: { executor: 'constant-vus', vus: 20, duration: '2h', gracefulStop: '1m' },
    });
  });

  it('stepUp makes one scenario per step with growing VUs, back-to-back start times and a step tag', () => {
    const s = presets.stepUp({ start: 5, step: 5, stepDuration: '2m', steps: 4, tags: { test: 'capacity' } });
    expect(Object.keys(s)).toEqual(['step_1', 'step_2', 'step_3', 'step_4']);
    expect(Object.values(s).map((x) => [(x as { vus: number }).vus, x.startTime, x.tags])).toEqual([
      [5, undefined, { test: 'capacity', step: '1' }],
      [10, '120s', { test: 'capacity', step: '2' }],
      [15, '240s', { test: 'capacity', step: '3' }],
      [20, '360s', { test: 'capacity', step: '4' }],
    ]);
    expect(s.step_4).toMatchObject({ executor: 'constant-vus', duration: '120s' });
  });

  it('reads a number as milliseconds and a numeric string as written, as k6 does', () => {
    expect(presets.soak({ vus: 1, duration: 90_000 }).soak).toMatchObject({ duration: '90s' });
    expect(presets.soak({ vus: 1, duration: 250 }).soak).toMatchObject({ duration: '250ms' });
    expect(presets.soak({ vus: 1, duration: '250' }).soak).toMatchObject({ duration: '250' });
  });

  it('stepUp offsets every step by a startTime and accepts sub-second durations', () => {
    const s = presets.stepUp({ start: 1, step: 2, stepDuration: 1500, steps: 2, startTime: '1m', name: 's' });
    expect([s.s_1?.startTime, s.s_2?.startTime, (s.s_2 as { duration: string }).duration]).toEqual(['60s', '61500ms', '1500ms']);
  });

  it('poisson is an open-loop constant arrival rate', () => {
    expect(presets.poisson({ rate: 2, duration: '10m', preAllocatedVUs: 20, maxVUs: 60 })).toEqual({
      poisson: { executor: 'constant-arrival-rate', rate: 2, timeUnit: '1s', duration: '10m', preAllocatedVUs: 20, maxVUs: 60 },
    });
    expect(presets.poisson({ rate: 30, timeUnit: '1m', duration: 600_000, preAllocatedVUs: 5 }).poisson).toMatchObject({ timeUnit: '1m', duration: '600s' });
  });

  it('refuses bad numbers and durations with messages that say what was expected', () => {
    expect(() => presets.ramp({ to: 0, rampUp: '1m', hold: '1m' })).toThrow('invalid to: expected an integer >= 1, got 0');
    expect(() => presets.soak({ vus: 1, duration: '10 minutes' })).toThrow(`invalid duration: expected a duration like '30s' or a number of milliseconds, got "10 minutes"`);
    expect(() => presets.stepUp({ start: 1, step: 1, stepDuration: 0, steps: 3 })).toThrow('invalid stepDuration: expected a positive duration, got 0');
    expect(() => presets.poisson({ rate: 0, duration: '1m', preAllocatedVUs: 1 })).toThrow('invalid rate: expected a positive number, got 0');
    expect(() => presets.poisson({ rate: 1, duration: '1m', preAllocatedVUs: 5, maxVUs: 2 })).toThrow(
      'invalid maxVUs: expected at least preAllocatedVUs (5), got 2',
    );
  });
});

/** handleSummary data as k6 hands it over, with per-step submetrics. */
function summary(values: Record<string, Record<string, number>>) {
  const metrics: Record<string, { type: string; values: Record<string, number> }> = {};
  for (const [name, v] of Object.entries(values)) metrics[name] = { type: 'trend', values: v };
  return { metrics };
}

describe('stepUpThresholds and findBreakingStep', () => {
  const steps = presets.stepUp({ start: 2, step: 2, stepDuration: '1m', steps: 3 });

  it('declares one threshold per step so k6 computes the per-step submetrics', () => {
    expect(stepUpThresholds(steps, { metric: 'llm_ttft', stat: 'p(95)', limit: 800 })).toEqual({
      'llm_ttft{step:1}': ['p(95)<=800'],
      'llm_ttft{step:2}': ['p(95)<=800'],
      'llm_ttft{step:3}': ['p(95)<=800'],
    });
    expect(stepUpThresholds({ ...steps, other: { executor: 'constant-vus', duration: '1m' } }, { metric: 'llm_goodput', stat: 'rate' })).toEqual({
      'llm_goodput{step:1}': ['rate>=0'],
      'llm_goodput{step:2}': ['rate>=0'],
      'llm_goodput{step:3}': ['rate>=0'],
    });
    expect(stepUpThresholds(steps, { metric: 'llm_goodput', stat: 'rate', limit: 0.95, breaksWhen: 'below' })['llm_goodput{step:2}']).toEqual(['rate>=0.95']);
  });

  it('finds the first step whose p95 goes over the limit, with the last step that held', () => {
    const data = summary({
      llm_ttft: { 'p(95)': 900 },
      'llm_ttft{step:1}': { 'p(95)': 310 },
      'llm_ttft{step: 2}': { 'p(95)': 620 },
      'llm_ttft{step:3}': { 'p(95)': 1450 },
      'llm_ttft{step:10}': { 'p(95)': 4000 },
      'llm_e2e{step:1}': { 'p(95)': 99_999 },
    });
    expect(findBreakingStep(data, { metric: 'llm_ttft', stat: 'p(95)', limit: 1000 })).toEqual({
      step: 3,
      value: 1450,
      limit: 1000,
      lastGood: { step: 2, value: 620 },
      readings: [
        { step: 1, value: 310 },
        { step: 2, value: 620 },
        { step: 3, value: 1450 },
        { step: 10, value: 4000 },
      ],
    });
  });

  it('returns undefined when every step held, and reads rates that must stay above a limit', () => {
    const data = summary({ 'llm_goodput{step:1}': { rate: 0.99 }, 'llm_goodput{step:2}': { rate: 0.97 }, 'llm_goodput{step:3}': { rate: 0.8 } });
    expect(findBreakingStep(data, { metric: 'llm_goodput', stat: 'rate', limit: 0.5, breaksWhen: 'below' })).toBeUndefined();
    expect(findBreakingStep(data, { metric: 'llm_goodput', stat: 'rate', limit: 0.95, breaksWhen: 'below' })?.step).toBe(3);
  });

  it('breaks at step 1 with no last good step when the first step already fails', () => {
    const found = findBreakingStep(summary({ 'llm_ttft{step:1}': { 'p(95)': 5000 } }), { metric: 'llm_ttft', stat: 'p(95)', limit: 100 });
    expect(found?.step).toBe(1);
    expect(found?.lastGood).toBeUndefined();
  });

  it('counts a step without samples as broken, since k6 reports its stats as 0 when every request failed', () => {
    const data = summary({
      'llm_ttft{step:1}': { avg: 200, max: 300, 'p(95)': 280 },
      'llm_ttft{step:2}': { avg: 0, min: 0, med: 0, max: 0, 'p(90)': 0, 'p(95)': 0 },
    });
    expect(findBreakingStep(data, { metric: 'llm_ttft', stat: 'p(95)', limit: 1000 })).toMatchObject({ step: 2, value: 0, empty: true, lastGood: { step: 1 } });
    const rates = { metrics: { 'llm_goodput{step:1}': { type: 'rate', values: { rate: 0, passes: 0, fails: 0 } } } };
    expect(stepReadings(rates, 'llm_goodput', 'rate')).toEqual([{ step: 1, value: 0, empty: true }]);
  });

  it('tells the user to declare per-step thresholds when the summary has none', () => {
    expect(() => findBreakingStep(summary({ llm_ttft: { 'p(95)': 1 } }), { metric: 'llm_ttft', stat: 'p(95)', limit: 1 })).toThrow(
      /no per-step "p\(95\)" of llm_ttft in the summary: declare thresholds such as 'llm_ttft\{step:1\}'/,
    );
    expect(stepReadings(summary({ 'llm_ttft{step:1}': { avg: 3 } }), 'llm_ttft', 'p(99)')).toEqual([]);
  });
});
