import { parseK6Duration } from '../internal/durations';
import { costOf } from './cost';
import { describe } from '../internal/values';
import { normalizePrice, ratesFor, type Price } from './price';

/** One `{ duration, target }` stage of a ramping executor. */
export interface StageShape {
  duration: string | number;
  target: number;
}

/**
 * The fields of a k6 `options.scenarios` entry the estimate reads; the rest (exec, env, tags,
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

export interface RunEstimateInput {
  /** The script's `options.scenarios`. */
  scenarios: Readonly<Record<string, ScenarioShape>>;
  /** Expected input tokens per request, cached ones included. */
  avgInputTokens: number;
  /** Expected output tokens per request, reasoning included. */
  avgOutputTokens: number;
  /** Expected cached input tokens per request (part of `avgInputTokens`). @default 0 */
  avgCachedInputTokens?: number;
  /** The model's price, e.g. from `priceFor`. */
  price: Price;
  /** LLM requests one iteration makes (an agent session makes several). @default 1 */
  requestsPerIteration?: number;
  /**
   * For `constant-vus` and `ramping-vus`, which run iterations back to back: how long one VU's
   * iteration takes, requests and think time included. One of `avgIterationSeconds`,
   * `iterationsPerVuPerSecond` or `avgRequestSeconds` is required when such a scenario is present.
   */
  avgIterationSeconds?: number;
  /** Alternative to `avgIterationSeconds`: iterations one VU completes per second. */
  iterationsPerVuPerSecond?: number;
  /** Alternative to `avgIterationSeconds`: an iteration is `requestsPerIteration` requests of this length plus `thinkTimeSeconds`. */
  avgRequestSeconds?: number;
  /** Think time per iteration, with `avgRequestSeconds`. @default 0 */
  thinkTimeSeconds?: number;
}

export interface ScenarioEstimate {
  executor: string;
  iterations: number;
  requests: number;
  usd: number;
}

export interface RunEstimate {
  /** Requests the run is expected to make. */
  requests: number;
  /** Expected cost in USD. */
  usd: number;
  /** Expected cost of one request. */
  perRequestUsd: number;
  /** Each scenario's share. */
  scenarios: Record<string, ScenarioEstimate>;
  /** Every assumption the figures rest on, in words, for the log of a run that refuses to start. */
  assumptions: string[];
}

/**
 * Estimates what a run will cost before it starts, so `setup()` can refuse a run over budget.
 * It counts iterations per k6 executor (`constant-vus`, `ramping-vus`, `constant-arrival-rate`,
 * `ramping-arrival-rate`, `per-vu-iterations`, `shared-iterations`), multiplies by requests per
 * iteration and prices the average request. Every estimated quantity is stated in `assumptions`.
 * Throws `invalid run estimate: expected ..., got ...` on input it cannot use.
 */
export function estimateRunCost(input: RunEstimateInput): RunEstimate {
  if (typeof input !== 'object' || input === null) fail('an options object', input);
  const { scenarios } = input;
  if (typeof scenarios !== 'object' || scenarios === null || Object.keys(scenarios).length === 0) {
    fail('scenarios to be a non-empty k6 options.scenarios object', scenarios);
  }
  const avgInputTokens = nonNegative('avgInputTokens', input.avgInputTokens);
  const avgOutputTokens = nonNegative('avgOutputTokens', input.avgOutputTokens);
  const avgCachedInputTokens = nonNegative('avgCachedInputTokens', input.avgCachedInputTokens ?? 0);
  if (avgCachedInputTokens > avgInputTokens) fail('avgCachedInputTokens to be at most avgInputTokens', avgCachedInputTokens);
  const requestsPerIteration = nonNegative('requestsPerIteration', input.requestsPerIteration ?? 1);
  // Validated here too: the estimate runs at init, and a malformed price would otherwise make every figure NaN.
  const price = normalizePrice(input.price);

  const perRequestUsd = costOf({ inputTokens: avgInputTokens, outputTokens: avgOutputTokens, cachedInputTokens: avgCachedInputTokens }, price) ?? 0;
  const rates = ratesFor(price, avgInputTokens);
  const assumptions: string[] = [
    `${plural(requestsPerIteration, 'request')} per iteration`,
    `each request uses ${avgInputTokens} input tokens (${avgCachedInputTokens} of them cached) and ${avgOutputTokens} output tokens on average`,
    `priced at $${rates.input}/M input, $${rates.cachedInput ?? rates.input}/M cached input, $${rates.output}/M output` +
      (rates === price ? '' : ' (the long-context tier that the average input size falls in)') +
      (price.source ? `, from ${price.source}${price.asOf ? ` as of ${price.asOf}` : ''}` : '') +
      `: $${Number(perRequestUsd.toPrecision(4))} per request`,
    'no retries, no failed or dropped iterations, and iterations still running at the end of a duration counted in full; gracefulStop and startTime do not change the count',
  ];

  // Pacing is asked for only when a VU-based scenario needs it, so arrival-rate runs need no timing input.
  const paced: { pacing?: { seconds: number; words: string } } = {};
  const iterationSeconds = (name: string) => (paced.pacing ??= vuPacing(input, requestsPerIteration, name));

  const perScenario: Record<string, ScenarioEstimate> = {};
  let requests = 0;
  // Inside a running test k6 replaces `options.scenarios` with its own Go-backed copy, whose
  // methods show up as keys: only plain scenario objects are scenarios.
  for (const name of Object.keys(scenarios).filter((key) => typeof (scenarios as Record<string, unknown>)[key] !== 'function')) {
    const scenario = scenarios[name] as ScenarioShape;
    const { iterations, words } = countIterations(name, scenario, iterationSeconds);
    const scenarioRequests = iterations * requestsPerIteration;
    perScenario[name] = { executor: scenario.executor, iterations, requests: scenarioRequests, usd: scenarioRequests * perRequestUsd };
    requests += scenarioRequests;
    assumptions.push(words);
  }
  if (paced.pacing) assumptions.push(paced.pacing.words);
  return { requests, usd: requests * perRequestUsd, perRequestUsd, scenarios: perScenario, assumptions };
}

function vuPacing(input: RunEstimateInput, requestsPerIteration: number, scenario: string): { seconds: number; words: string } {
  if (input.iterationsPerVuPerSecond !== undefined) {
    const rate = positive('iterationsPerVuPerSecond', input.iterationsPerVuPerSecond);
    return { seconds: 1 / rate, words: `each VU completes ${rate} iterations per second (given)` };
  }
  if (input.avgIterationSeconds !== undefined) {
    const seconds = positive('avgIterationSeconds', input.avgIterationSeconds);
    return { seconds, words: `one VU iteration takes ${seconds}s (given)` };
  }
  if (input.avgRequestSeconds !== undefined) {
    const request = positive('avgRequestSeconds', input.avgRequestSeconds);
    const think = nonNegative('thinkTimeSeconds', input.thinkTimeSeconds ?? 0);
    const seconds = request * requestsPerIteration + think;
    if (!(seconds > 0)) fail('an iteration longer than 0s', seconds);
    return {
      seconds,
      words: `one VU iteration takes ${round(seconds)}s, estimated as ${plural(requestsPerIteration, 'request')} of ${request}s plus ${think}s think time`,
    };
  }
  return fail(
    `avgIterationSeconds, iterationsPerVuPerSecond or avgRequestSeconds to pace the VU-based scenario ${JSON.stringify(scenario)}`,
    undefined,
  );
}

function countIterations(
  name: string,
  scenario: ScenarioShape,
  iterationSeconds: (name: string) => { seconds: number },
): { iterations: number; words: string } {
  if (typeof scenario !== 'object' || scenario === null) fail(`scenario ${JSON.stringify(name)} to be an object`, scenario);
  const label = `${scenario.executor} ${JSON.stringify(name)}`;
  const field = (key: string) => `scenario ${JSON.stringify(name)} ${key}`;
  switch (scenario.executor) {
    case 'constant-vus': {
      const vus = nonNegative(field('vus'), scenario.vus ?? 1);
      const seconds = durationSeconds(field('duration'), scenario.duration);
      const per = iterationSeconds(name).seconds;
      // Each VU starts an iteration every `per` seconds while time remains: ceil(duration / per).
      const iterations = vus * ceilCount(seconds / per);
      return { iterations, words: `${label}: ${plural(vus, 'VU')} for ${seconds}s = ${plural(iterations, 'iteration')}` };
    }
    case 'ramping-vus': {
      const startVUs = nonNegative(field('startVUs'), scenario.startVUs ?? 1);
      const { area, seconds } = rampArea(field('stages'), startVUs, scenario.stages, (s) => s);
      const iterations = ceilCount(area / iterationSeconds(name).seconds);
      return {
        iterations,
        words: `${label}: ${round(area)} VU-seconds over ${seconds}s (VUs ramp linearly within each stage) = ${plural(iterations, 'iteration')}`,
      };
    }
    case 'constant-arrival-rate': {
      const rate = nonNegative(field('rate'), scenario.rate);
      const unit = timeUnitSeconds(field('timeUnit'), scenario.timeUnit);
      const seconds = durationSeconds(field('duration'), scenario.duration);
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
      const unit = timeUnitSeconds(field('timeUnit'), scenario.timeUnit);
      const { area, seconds } = rampArea(field('stages'), startRate, scenario.stages, (s) => s / unit);
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
): { area: number; seconds: number } {
  if (!Array.isArray(stages) || stages.length === 0) fail(`${name} to be a non-empty array of { duration, target }`, stages);
  let area = 0;
  let seconds = 0;
  let from = start;
  stages.forEach((stage, index) => {
    const length = durationSeconds(`${name}[${index}].duration`, stage?.duration);
    const target = nonNegative(`${name}[${index}].target`, stage?.target);
    area += ((perSecond(from) + perSecond(target)) / 2) * length;
    seconds += length;
    from = target;
  });
  return { area, seconds };
}

function durationSeconds(name: string, value: unknown): number {
  const ms = value === undefined ? undefined : parseK6Duration(value as string | number);
  if (ms === undefined) fail(`${name} to be a k6 duration ('30s', '1m30s', '2h')`, value);
  return ms! / 1000;
}

function timeUnitSeconds(name: string, value: unknown): number {
  if (value === undefined) return 1;
  const seconds = durationSeconds(name, value);
  if (!(seconds > 0)) fail(`${name} to be longer than 0s`, value);
  return seconds;
}

// Counts are rounded up, so a budget check errs on the side of spending less; the epsilon keeps
// 0.1 * 30 = 3.0000000000000004 from becoming 4.
function ceilCount(value: number): number {
  return Math.max(0, Math.ceil(value - 1e-9));
}

function nonNegative(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail(`${name} to be a non-negative number`, value);
  return value as number;
}

function positive(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) fail(`${name} to be a positive number`, value);
  return value as number;
}

function fail(expected: string, got: unknown): never {
  throw new Error(`invalid run estimate: expected ${expected}, got ${describe(got)}`);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
