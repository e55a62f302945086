import { describe } from '../internal/values';
import { plural, roundForWords } from '../internal/wording';
import { countIterations, type ScenarioShape } from '../workload/scenario-iterations';
import { costOf } from './cost';
import { normalizePrice, ratesFor, type Price } from './price';

export type { ScenarioShape, StageShape } from '../workload/scenario-iterations';

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
  const checks = (name: string) => ({
    nonNegative,
    fail,
    iterationSeconds: () => (paced.pacing ??= vuPacing(input, requestsPerIteration, name)).seconds,
  });

  const perScenario: Record<string, ScenarioEstimate> = {};
  let requests = 0;
  // Inside a running test k6 replaces `options.scenarios` with its own Go-backed copy, whose
  // methods show up as keys: only plain scenario objects are scenarios.
  for (const name of Object.keys(scenarios).filter((key) => typeof (scenarios as Record<string, unknown>)[key] !== 'function')) {
    const scenario = scenarios[name] as ScenarioShape;
    const { iterations, words } = countIterations(name, scenario, checks(name));
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
      words: `one VU iteration takes ${roundForWords(seconds)}s, estimated as ${plural(requestsPerIteration, 'request')} of ${request}s plus ${think}s think time`,
    };
  }
  return fail(
    `avgIterationSeconds, iterationsPerVuPerSecond or avgRequestSeconds to pace the VU-based scenario ${JSON.stringify(scenario)}`,
    undefined,
  );
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
