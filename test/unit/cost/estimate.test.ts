import type { Scenario } from 'k6/options';
import { describe, expect, it } from 'vitest';
import { estimateRunCost, type RunEstimateInput, type ScenarioShape } from '../../../lib/cost/estimate';
import type { Price } from '../../../lib/cost/price';

// $1 per million input tokens, $5 per million output: 1000 in + 200 out = $0.002 a request.
const PRICE: Price = { input: 1, output: 5, cachedInput: 0.1 };
const base = { avgInputTokens: 1000, avgOutputTokens: 200, price: PRICE };
const estimate = (scenario: ScenarioShape, extra: Partial<RunEstimateInput> = {}) =>
  estimateRunCost({ ...base, scenarios: { main: scenario }, ...extra });

describe('estimateRunCost per executor', () => {
  it.each<[string, ScenarioShape, Partial<RunEstimateInput>, number]>([
    ['constant-vus: VUs x ceil(duration / iteration time)', { executor: 'constant-vus', vus: 10, duration: '1m' }, { avgIterationSeconds: 2.5 }, 240],
    ['constant-vus: a partial last iteration still starts', { executor: 'constant-vus', vus: 2, duration: '61s' }, { avgIterationSeconds: 2.5 }, 50],
    ['constant-vus: 1 VU by default, paced in iterations per second', { executor: 'constant-vus', duration: '1m30s' }, { iterationsPerVuPerSecond: 0.5 }, 45],
    ['constant-vus: iteration time from request time and think time', { executor: 'constant-vus', vus: 3, duration: '1m30s' }, { avgRequestSeconds: 4, thinkTimeSeconds: 1, requestsPerIteration: 2 }, 30],
    ['ramping-vus: VU-seconds under the linear ramps', { executor: 'ramping-vus', startVUs: 0, stages: [{ duration: '30s', target: 10 }, { duration: '1m', target: 10 }, { duration: '30s', target: 0 }] }, { avgIterationSeconds: 3 }, 300],
    ['ramping-vus: 1 start VU by default', { executor: 'ramping-vus', stages: [{ duration: '10s', target: 1 }] }, { avgIterationSeconds: 2 }, 5],
    ['constant-arrival-rate: rate x duration / timeUnit, plus the one due as the duration ends', { executor: 'constant-arrival-rate', rate: 30, timeUnit: '1m', duration: '2h', preAllocatedVUs: 10 }, {}, 3601],
    ['constant-arrival-rate: timeUnit 1s by default', { executor: 'constant-arrival-rate', rate: 2, duration: '30s', preAllocatedVUs: 2 }, {}, 61],
    ['constant-arrival-rate: 4/s for 3s starts at 0s, 0.25s ... 3s (k6 v2.2.0 starts 12 or 13)', { executor: 'constant-arrival-rate', rate: 4, duration: '3s', preAllocatedVUs: 5 }, {}, 13],
    ['constant-arrival-rate: a period k6 cuts to whole nanoseconds (1/3 s) fits 6 times in 2s', { executor: 'constant-arrival-rate', rate: 3, duration: '2s', preAllocatedVUs: 5 }, {}, 7],
    ['constant-arrival-rate: no iteration due at the end when the duration is no whole number of periods', { executor: 'constant-arrival-rate', rate: 4, duration: '2900ms', preAllocatedVUs: 5 }, {}, 12],
    ['constant-arrival-rate: a rate of 0 starts nothing', { executor: 'constant-arrival-rate', rate: 0, duration: '1m', preAllocatedVUs: 1 }, {}, 0],
    ['ramping-arrival-rate: area under the rate ramps', { executor: 'ramping-arrival-rate', stages: [{ duration: '1m', target: 10 }, { duration: '2m', target: 10 }, { duration: '1m', target: 0 }], preAllocatedVUs: 5 }, {}, 1800],
    ['ramping-arrival-rate: startRate and timeUnit', { executor: 'ramping-arrival-rate', startRate: 60, timeUnit: '1m', stages: [{ duration: '10m', target: 120 }], preAllocatedVUs: 5 }, {}, 900],
    ['per-vu-iterations: VUs x iterations', { executor: 'per-vu-iterations', vus: 5, iterations: 20 }, {}, 100],
    ['per-vu-iterations: 1 x 1 by default', { executor: 'per-vu-iterations' }, {}, 1],
    ['shared-iterations: the iterations, whatever the VUs', { executor: 'shared-iterations', vus: 10, iterations: 200 }, {}, 200],
    ['shared-iterations: 1 by default', { executor: 'shared-iterations' }, {}, 1],
  ])('counts %s', (_what, scenario, extra, iterations) => {
    const result = estimate(scenario, extra);
    const requestsPerIteration = extra.requestsPerIteration ?? 1;
    expect(result.scenarios.main!.iterations).toBe(iterations);
    expect(result.requests).toBe(iterations * requestsPerIteration);
    expect(result.perRequestUsd).toBeCloseTo(0.002, 12);
    expect(result.usd).toBeCloseTo(iterations * requestsPerIteration * 0.002, 9);
  });

  it('sums scenarios and multiplies by requests per iteration, keeping each scenario’s share', () => {
    const result = estimateRunCost({
      ...base,
      requestsPerIteration: 3,
      avgIterationSeconds: 6,
      scenarios: {
        warmup: { executor: 'constant-vus', vus: 2, duration: '1m' },
        load: { executor: 'constant-arrival-rate', rate: 1, duration: '5m', preAllocatedVUs: 20 },
      },
    });
    expect(result.scenarios).toEqual({
      warmup: { executor: 'constant-vus', iterations: 20, requests: 60, usd: expect.closeTo(0.12, 9) },
      load: { executor: 'constant-arrival-rate', iterations: 301, requests: 903, usd: expect.closeTo(1.806, 9) },
    });
    expect(result.requests).toBe(963);
    expect(result.usd).toBeCloseTo(1.926, 9);
  });

  it('states every assumption it made, in words', () => {
    const result = estimate({ executor: 'constant-vus', vus: 10, duration: '1m' }, { avgIterationSeconds: 2.5 });
    expect(result.assumptions).toEqual([
      '1 request per iteration',
      'each request uses 1000 input tokens (0 of them cached) and 200 output tokens on average',
      'priced at $1/M input, $0.1/M cached input, $5/M output: $0.002 per request',
      'no retries, no failed or dropped iterations, and iterations still running at the end of a duration counted in full; gracefulStop and startTime do not change the count',
      'constant-vus "main": 10 VUs for 60s = 240 iterations',
      'one VU iteration takes 2.5s (given)',
    ]);
  });

  it('names the price source and the long-context tier when the average request falls in one', () => {
    const price: Price = {
      input: 1.25,
      output: 10,
      cachedInput: 0.125,
      tiers: [{ aboveInputTokens: 200_000, input: 2.5, output: 15, cachedInput: 0.25 }],
      asOf: '2026-06-17',
      source: 'test source',
    };
    const result = estimateRunCost({ scenarios: { one: { executor: 'shared-iterations', iterations: 10 } }, avgInputTokens: 250_000, avgOutputTokens: 1000, price });
    expect(result.assumptions[2]).toBe(
      'priced at $2.5/M input, $0.25/M cached input, $15/M output (the long-context tier that the average input size falls in), from test source as of 2026-06-17: $0.64 per request',
    );
    expect(result.usd).toBeCloseTo(6.4, 9);
  });

  it('bills expected cached input at the cached rate', () => {
    const result = estimate({ executor: 'shared-iterations', iterations: 1000 }, { avgCachedInputTokens: 800 });
    expect(result.perRequestUsd).toBeCloseTo(200e-6 + 800 * 0.1e-6 + 200 * 5e-6, 12);
    expect(result.usd).toBeCloseTo(1000 * (200e-6 + 80e-6 + 1000e-6), 9);
  });

  it('accepts a script’s own k6 options.scenarios as typed by @types/k6', () => {
    const scenarios: Record<string, Scenario> = {
      chat: { executor: 'constant-arrival-rate', rate: 10, timeUnit: '1s', duration: '1m', preAllocatedVUs: 20, exec: 'chat', tags: { kind: 'chat' } },
      soak: { executor: 'ramping-vus', stages: [{ duration: '1m', target: 5 }], gracefulRampDown: '10s' },
    };
    const result = estimateRunCost({ ...base, scenarios, avgIterationSeconds: 1 });
    expect(result.scenarios.chat!.iterations).toBe(601);
    expect(result.scenarios.soak!.iterations).toBe(180);
  });
});

describe('estimateRunCost misuse', () => {
  it.each<[Partial<RunEstimateInput>, string]>([
    [{ scenarios: { vu: { executor: 'constant-vus', vus: 1, duration: '1m' } } }, 'invalid run estimate: expected avgIterationSeconds, iterationsPerVuPerSecond or avgRequestSeconds to pace the VU-based scenario "vu", got undefined'],
    [{ scenarios: { ext: { executor: 'externally-controlled', vus: 1, duration: '1m' } } }, 'invalid run estimate: expected scenario "ext" executor to be one of constant-vus, ramping-vus, constant-arrival-rate, ramping-arrival-rate, per-vu-iterations, shared-iterations, got "externally-controlled"'],
    [{ scenarios: { car: { executor: 'constant-arrival-rate', rate: 1, duration: 'forever' } } }, 'invalid run estimate: expected scenario "car" duration to be a k6 duration (\'30s\', \'1m30s\', \'2h\'), got "forever"'],
    [{ scenarios: { car: { executor: 'constant-arrival-rate', rate: 1 } } }, 'invalid run estimate: expected scenario "car" duration to be a k6 duration (\'30s\', \'1m30s\', \'2h\'), got undefined'],
    [{ scenarios: { car: { executor: 'constant-arrival-rate', rate: 1, duration: '1m', timeUnit: '0s' } } }, 'invalid run estimate: expected scenario "car" timeUnit to be longer than 0s, got "0s"'],
    [{ scenarios: { rar: { executor: 'ramping-arrival-rate', stages: [] } } }, 'invalid run estimate: expected scenario "rar" stages to be a non-empty array of { duration, target }, got []'],
    [{ scenarios: { rar: { executor: 'ramping-arrival-rate', stages: [{ duration: '1m', target: -1 }] } } }, 'invalid run estimate: expected scenario "rar" stages[0].target to be a non-negative number, got -1'],
    [{ scenarios: {} }, 'invalid run estimate: expected scenarios to be a non-empty k6 options.scenarios object, got {}'],
    [{ avgInputTokens: -1 }, 'invalid run estimate: expected avgInputTokens to be a non-negative number, got -1'],
    [{ avgCachedInputTokens: 5000 }, 'invalid run estimate: expected avgCachedInputTokens to be at most avgInputTokens, got 5000'],
    [{ price: undefined as never }, 'invalid price: expected non-negative numbers for input and output, got undefined'],
    [{ price: { input: 1, output: -5 } }, 'invalid price: expected non-negative numbers for input and output, got {"input":1,"output":-5}'],
    [{ scenarios: { vu: { executor: 'constant-vus', duration: '1m' } }, avgIterationSeconds: 0 }, 'invalid run estimate: expected avgIterationSeconds to be a positive number, got 0'],
  ])('refuses %j', (change, message) => {
    expect(() => estimateRunCost({ ...base, scenarios: { one: { executor: 'shared-iterations' } }, ...change })).toThrow(message);
  });
});

describe('estimateRunCost inside a running k6 test', () => {
  it('ignores the methods k6 adds to its own copy of options.scenarios', () => {
    const scenarios = {
      steady: { executor: 'constant-arrival-rate', rate: 2, timeUnit: '1s', duration: '10s', preAllocatedVUs: 1 },
      getFullExecutionRequirements: () => [],
    } as unknown as Parameters<typeof estimateRunCost>[0]['scenarios'];
    const estimate = estimateRunCost({ scenarios, avgInputTokens: 100, avgOutputTokens: 100, price: { input: 1, output: 1 } });
    expect(estimate.requests).toBe(21);
    expect(Object.keys(estimate.scenarios)).toEqual(['steady']);
  });
});
