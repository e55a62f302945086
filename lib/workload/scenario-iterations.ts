// How many iterations a k6 scenario starts, executor by executor, as k6 schedules them: the simulation behind
// `estimateRunCost` (k6-llm/cost). Pure; every count comes with the assumption it rests on, in words.
import { parseK6Duration } from '../internal/durations';
import { plural, roundForWords } from '../internal/wording';

/** One `{ duration, target }` stage of a ramping executor. */
export interface StageShape {
  duration: string | number;
  target: number;
}

/**
 * The fields of a k6 `options.scenarios` entry an estimate reads; the rest (exec, env, tags,
 * gracefulStop...) are allowed and ignored, so a script passes its own `options.scenarios` as it is.
 */
export interface ScenarioShape {
  executor: string;
  vus?: number;
  duration?: string | number;
  iterations?: number;
  maxDuration?: string | number;
  startVUs?: number;
  stages?: readonly StageShape[];
  rate?: number;
  timeUnit?: string | number;
  startRate?: number;
  preAllocatedVUs?: number;
  maxVUs?: number;
  startTime?: string;
  gracefulStop?: string;
  gracefulRampDown?: string;
  exec?: string;
  env?: Record<string, string>;
  tags?: Record<string, string>;
  options?: unknown;
}

/** What the count needs from its caller: validation that throws the caller's own errors, and the VU pacing. */
export interface ScenarioChecks {
  /** The value as a non-negative number, or a throw naming `name`. */
  nonNegative(name: string, value: unknown): number;
  /** Throws "invalid …: expected `expected`, got `got`". */
  fail(expected: string, got: unknown): never;
  /** How long one VU iteration takes, in seconds: asked only for VU-based executors. */
  iterationSeconds(): number;
}

/** The iterations one scenario starts, and how the count was reached. */
export interface IterationCount {
  iterations: number;
  words: string;
}

/** Counts the iterations scenario `name` starts, for the six k6 executors; anything else goes to `check.fail`. */
export function countIterations(name: string, scenario: ScenarioShape, check: ScenarioChecks): IterationCount {
  const { nonNegative, fail } = check;
  if (typeof scenario !== 'object' || scenario === null) fail(`scenario ${JSON.stringify(name)} to be an object`, scenario);
  const label = `${scenario.executor} ${JSON.stringify(name)}`;
  const field = (key: string) => `scenario ${JSON.stringify(name)} ${key}`;
  switch (scenario.executor) {
    case 'constant-vus': {
      const vus = nonNegative(field('vus'), scenario.vus ?? 1);
      const seconds = secondsOf(field('duration'), scenario.duration, check);
      const per = check.iterationSeconds();
      // Each VU starts an iteration every `per` seconds while time remains: ceil(duration / per).
      const iterations = vus * ceilCount(seconds / per);
      return { iterations, words: `${label}: ${plural(vus, 'VU')} for ${seconds}s = ${plural(iterations, 'iteration')}` };
    }
    case 'ramping-vus': {
      const startVUs = nonNegative(field('startVUs'), scenario.startVUs ?? 1);
      const { area, seconds } = rampArea(field('stages'), startVUs, scenario.stages, (s) => s, check);
      const iterations = ceilCount(area / check.iterationSeconds());
      return {
        iterations,
        words: `${label}: ${roundForWords(area)} VU-seconds over ${seconds}s (VUs ramp linearly within each stage) = ${plural(iterations, 'iteration')}`,
      };
    }
    case 'constant-arrival-rate': {
      const rate = nonNegative(field('rate'), scenario.rate);
      const unit = timeUnitOf(field('timeUnit'), scenario.timeUnit, check);
      const seconds = secondsOf(field('duration'), scenario.duration, check);
      const iterations = constantArrivalStarts(rate, unit, seconds);
      return {
        iterations,
        words:
          `${label}: ${rate} iterations per ${unit}s for ${seconds}s = ${plural(iterations, 'iteration')} (one at 0s and one per period, ` +
          `the one due at ${seconds}s included: it races the end and k6 sometimes starts it), assuming preAllocatedVUs/maxVUs suffice (an upper bound otherwise)`,
      };
    }
    case 'ramping-arrival-rate': {
      const startRate = nonNegative(field('startRate'), scenario.startRate ?? 0);
      const unit = timeUnitOf(field('timeUnit'), scenario.timeUnit, check);
      const { area, seconds } = rampArea(field('stages'), startRate, scenario.stages, (s) => s / unit, check);
      // k6 starts iteration n (from 1) when the area under the rate reaches n, so none starts at 0s and the last
      // one, due when the area reaches its total at the very end, is the ceiling's own.
      const iterations = ceilCount(area);
      return {
        iterations,
        words:
          `${label}: rate ramps linearly within each stage over ${seconds}s = ${plural(iterations, 'iteration')} (the area under the rate, rounded up), ` +
          'assuming preAllocatedVUs/maxVUs suffice (an upper bound otherwise)',
      };
    }
    case 'per-vu-iterations': {
      const vus = nonNegative(field('vus'), scenario.vus ?? 1);
      const each = nonNegative(field('iterations'), scenario.iterations ?? 1);
      const iterations = vus * each;
      return { iterations, words: `${label}: ${plural(vus, 'VU')} × ${each} = ${plural(iterations, 'iteration')}, all finishing within maxDuration` };
    }
    case 'shared-iterations': {
      const iterations = nonNegative(field('iterations'), scenario.iterations ?? 1);
      return { iterations, words: `${label}: ${plural(iterations, 'iteration')}, all finishing within maxDuration` };
    }
    default:
      return fail(
        `scenario ${JSON.stringify(name)} executor to be one of constant-vus, ramping-vus, constant-arrival-rate, ramping-arrival-rate, per-vu-iterations, shared-iterations`,
        scenario.executor,
      );
  }
}

/**
 * Iterations a constant-arrival-rate scenario starts. k6 (lib/executor/constant_arrival_rate.go) starts
 * iteration n at n × period, n = 0, 1, 2..., with the period `timeUnit / rate` cut to whole nanoseconds,
 * until the duration is over. The iteration due exactly at the end races it and sometimes starts: 4/s for
 * 3s starts 12 or 13. So the bound is floor(duration / period) + 1.
 */
function constantArrivalStarts(rate: number, unitSeconds: number, seconds: number): number {
  if (rate === 0 || seconds === 0) return 0;
  const periodNs = Math.trunc(Math.round(unitSeconds * 1e9) / rate);
  // A period under a nanosecond: k6 cannot keep that rate; count the arrivals plus the boundary one.
  if (periodNs < 1) return ceilCount((rate * seconds) / unitSeconds) + 1;
  return Math.floor(Math.round(seconds * 1e9) / periodNs) + 1;
}

// Integral of a piecewise-linear ramp (VUs, or iterations per second) over the stages.
function rampArea(
  name: string,
  start: number,
  stages: readonly StageShape[] | undefined,
  perSecond: (value: number) => number,
  check: ScenarioChecks,
): { area: number; seconds: number } {
  if (!Array.isArray(stages) || stages.length === 0) return check.fail(`${name} to be a non-empty array of { duration, target }`, stages);
  let area = 0;
  let seconds = 0;
  let from = start;
  stages.forEach((stage, index) => {
    const length = secondsOf(`${name}[${index}].duration`, stage?.duration, check);
    const target = check.nonNegative(`${name}[${index}].target`, stage?.target);
    area += ((perSecond(from) + perSecond(target)) / 2) * length;
    seconds += length;
    from = target;
  });
  return { area, seconds };
}

function secondsOf(name: string, value: unknown, { fail }: ScenarioChecks): number {
  const ms = value === undefined ? undefined : parseK6Duration(value as string | number);
  if (ms === undefined) fail(`${name} to be a k6 duration ('30s', '1m30s', '2h')`, value);
  return ms! / 1000;
}

function timeUnitOf(name: string, value: unknown, check: ScenarioChecks): number {
  if (value === undefined) return 1;
  const seconds = secondsOf(name, value, check);
  if (!(seconds > 0)) check.fail(`${name} to be longer than 0s`, value);
  return seconds;
}

// Counts are rounded up, so a budget check errs on the side of spending less; the epsilon keeps
// 0.1 * 30 = 3.0000000000000004 from becoming 4.
function ceilCount(value: number): number {
  return Math.max(0, Math.ceil(value - 1e-9));
}
