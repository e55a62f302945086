// One normalized view of a run's summary, built once and rendered as text, JSON, JUnit and HTML,
// so the four can never disagree about a figure.
import { projectCost, type CostProjection } from '../cost/index';
import { isNoOpThreshold } from './breakdown-thresholds';
import { coverageOf, thresholdCoverage, type Coverage } from './coverage';
import {
  counterTotal,
  normalizeSummaryData,
  num,
  parseMetricKey,
  PERCENTILE_KEYS,
  PERCENTILE_STAT,
  PERCENTILES,
  rateOf,
  trendStats,
  type K6SummaryData,
  type Percentile,
  type TrendStats,
} from './summary-data';
import { trustVerdict, type TrustLimits, type TrustVerdict } from './verdict';

/** Options of every report function. */
export interface ReportOptions {
  /** Production volume, in requests per day, to project a month's cost at. */
  requestsPerDay?: number;
  /** Limits of the run-trust checks. @default DEFAULT_TRUST_LIMITS */
  trust?: TrustLimits;
}

/** Version tag of the `llmJSON` layout; it changes only when a field changes meaning or moves. */
export const REPORT_SCHEMA = 'k6-llm.report/1';

/** The latency metrics the reports show, in this order. */
export const LATENCY_METRICS: ReadonlyArray<{ metric: string; label: string; description: string }> = [
  { metric: 'llm_ttft', label: 'TTFT', description: 'time to first token' },
  { metric: 'llm_ttfo', label: 'TTFO', description: 'time to first visible output' },
  { metric: 'llm_ttfb', label: 'TTFB', description: 'time to first byte' },
  { metric: 'llm_itl', label: 'ITL', description: 'gap between stream events' },
  { metric: 'llm_tpot', label: 'TPOT', description: 'time per output token' },
  { metric: 'llm_e2e', label: 'e2e', description: 'whole response, last attempt' },
  { metric: 'llm_request_duration', label: 'request', description: 'whole call, retries included' },
];

export interface LatencyRow {
  metric: string;
  label: string;
  description: string;
  stats: TrendStats;
}

/** One model's or one output bucket's figures, from the submetrics k6 computed. */
export interface BreakdownRow {
  /** The tag value: a model id or an `output_bucket` label. */
  value: string;
  requests?: number;
  errors?: number;
  errorShare?: number;
  ttft?: TrendStats;
  itl?: TrendStats;
  tpot?: TrendStats;
  e2e?: TrendStats;
  outputTokensPerS?: TrendStats;
  outputTokens?: number;
  costUsd?: number;
  /** Requests of this row's model that had no price (`llm_unpriced{model:...}`): left out of `costUsd`. */
  unpricedRequests?: number;
  goodputShare?: number;
}

export interface ThresholdResult {
  /** The summary key the threshold is on, submetric selector included: `llm_ttft{model:gpt-4o}`. */
  metric: string;
  /** The expression as written: `p(95)<2000`. */
  expression: string;
  ok: boolean;
  /** A `>=0` expression that only makes k6 compute a submetric (see `llmThresholdsForBreakdown`). */
  noOp: boolean;
  /** The figure the expression compared, when the summary holds it. */
  observed?: { stat: string; value: number };
  /** The metric got no sample: k6 judged the expression against zeros, so a pass proves nothing. */
  noSamples?: true;
  /**
   * A cost threshold while some requests had no price: its figure is the cost of `priced` of `requests`
   * requests, so a pass says nothing about the others.
   */
  unpriced?: { priced: number; requests: number };
  /** A threshold on a figure built from token counts while some were estimated: the share of requests estimated. */
  estimatedShare?: number;
}

export interface LlmReport {
  schema: typeof REPORT_SCHEMA;
  /** The run's duration in seconds (`state.testRunDurationMs`). */
  durationS?: number;
  /** `options.summaryTrendStats` as the run set it. */
  summaryTrendStats?: string[];
  /** Percentiles k6 did not compute, with the `summaryTrendStats` entry that adds each. */
  missingPercentiles: Array<{ percentile: Percentile; stat: string }>;
  latency: LatencyRow[];
  throughput: { outputTokensPerS?: TrendStats; tokensPerEvent?: TrendStats };
  requests: {
    total: number;
    perS?: number;
    errors: number;
    errorShare?: number;
    /** Attempts (retries included) and the share of them answered 429. */
    attempts?: number;
    rateLimited?: number;
    rateLimitedShare?: number;
    retries: number;
    retryWaitMs?: TrendStats;
    incompleteShare?: number;
    goodputShare?: number;
    validationFailedShare?: number;
    estimatedUsageShare?: number;
    droppedIterations?: number;
  };
  tokens: {
    input?: number;
    output?: number;
    cachedInput?: number;
    cacheWriteInput?: number;
    reasoning?: number;
    /** `cachedInput / input`. */
    cachedShare?: number;
    cacheHitRatio?: TrendStats;
    /** Requests whose counts the client estimated because the server reported none (`llm_estimated_usage`). */
    estimatedRequests?: number;
    /** Models with estimated counts, from `llm_estimated_usage{model:...}` submetrics, most requests first. */
    estimatedModels: Array<{ model: string; requests: number; share: number }>;
  };
  cost: {
    /** Cost of the priced requests; absent when no request was priced, never a $0 that counted nothing. */
    totalUsd?: number;
    /** Requests whose model had a price (`llm_unpriced` false); absent when the summary has no `llm_unpriced`. */
    pricedRequests?: number;
    /** Requests whose model had no price, left out of `totalUsd` and the projections. */
    unpricedRequests?: number;
    /** Models without a price, from `llm_unpriced{model:...}` submetrics, most requests first. */
    unpricedModels: Array<{ model: string; requests: number }>;
    /** Unpriced requests of models that no submetric names. */
    unnamedUnpricedRequests?: number;
    /**
     * Some requests had no price: `totalUsd` and the projections cover the priced requests only (the
     * per-request figures average priced requests) and no monthly projection is made.
     */
    partial?: true;
    /** Share of requests whose token counts, and so their cost, were estimated. */
    estimatedShare?: number;
    requestsPerDay?: number;
  } & CostProjection;
  rateLimit: { remainingRequests?: number; remainingTokens?: number };
  /** From `llm_errors{error_type:...}` submetrics; `(other)` holds errors of types without one. */
  errorsByType: Array<{ type: string; count: number }>;
  /** From `llm_validation_failed{validator:...}` submetrics. */
  validators: Array<{ name: string; failedShare: number; runs: number }>;
  /**
   * From `llm_refused`: the share of answers (2xx responses) that were refusals, and how many each detector caught
   * (its `refused_by` submetrics, present when a threshold names them, as `llmThresholdsForBreakdown` does). Absent
   * when the run recorded no answer.
   */
  refusals?: { share: number; refused: number; answers: number; byProvider?: number; byHeuristic?: number };
  byModel: BreakdownRow[];
  byOutputBucket: BreakdownRow[];
  thresholds: ThresholdResult[];
  verdict: TrustVerdict;
}

/** Builds the report every renderer shares. Throws only when `data` is not k6's summary object. */
export function llmReport(summary: K6SummaryData, options: ReportOptions = {}): LlmReport {
  const data = normalizeSummaryData(summary);
  const m = data.metrics;
  const unpriced = coverageOf(data, 'llm_unpriced');
  const estimated = coverageOf(data, 'llm_estimated_usage');
  const durationMs = num(data.state?.testRunDurationMs);
  const durationS = durationMs !== undefined ? durationMs / 1000 : undefined;

  const latency: LatencyRow[] = [];
  const streamTimed = trendStats(m.llm_ttft) !== undefined;
  for (const spec of LATENCY_METRICS) {
    const stats = trendStats(m[spec.metric], spec.metric === 'llm_itl' && streamTimed);
    if (stats) latency.push({ metric: spec.metric, label: spec.label, description: spec.description, stats });
  }

  const requestsTotal = counterTotal(m.llm_requests) ?? 0;
  const errors = counterTotal(m.llm_errors) ?? 0;
  const limited = rateOf(m.llm_rate_limited);
  const retryWaitMs = trendStats(m.llm_retry_wait);
  const requests: LlmReport['requests'] = {
    total: requestsTotal,
    perS: num(m.llm_requests?.values.rate) ?? (durationS ? requestsTotal / durationS : undefined),
    errors,
    errorShare: requestsTotal > 0 ? errors / requestsTotal : undefined,
    attempts: limited?.samples,
    rateLimited: limited?.passes,
    rateLimitedShare: limited?.rate,
    retries: counterTotal(m.llm_retries) ?? 0,
    retryWaitMs,
    incompleteShare: rateOf(m.llm_incomplete)?.rate,
    goodputShare: rateOf(m.llm_goodput)?.rate,
    validationFailedShare: rateOf(m.llm_validation_failed)?.rate,
    estimatedUsageShare: rateOf(m.llm_estimated_usage)?.rate,
    droppedIterations: counterTotal(m.dropped_iterations),
  };

  const input = counterTotal(m.llm_input_tokens);
  const cachedInput = counterTotal(m.llm_cached_input_tokens);
  const tokens: LlmReport['tokens'] = {
    input,
    output: counterTotal(m.llm_output_tokens),
    cachedInput,
    cacheWriteInput: counterTotal(m.llm_cache_write_input_tokens),
    reasoning: counterTotal(m.llm_reasoning_tokens),
    cachedShare: input !== undefined && input > 0 && cachedInput !== undefined ? cachedInput / input : undefined,
    cacheHitRatio: trendStats(m.llm_cache_hit_ratio, true),
    estimatedRequests: estimated?.marked,
    estimatedModels: estimated?.models ?? [],
  };

  const cost = costSection(counterTotal(m.llm_cost_usd), unpriced, estimated, requestsTotal, durationS, options.requestsPerDay);

  const report: LlmReport = {
    schema: REPORT_SCHEMA,
    durationS,
    summaryTrendStats: data.options?.summaryTrendStats ? [...data.options.summaryTrendStats] : undefined,
    missingPercentiles: missingPercentiles(data, latency),
    latency,
    throughput: { outputTokensPerS: trendStats(m.llm_output_tokens_per_s), tokensPerEvent: trendStats(m.llm_tokens_per_event) },
    requests,
    tokens,
    cost,
    rateLimit: {
      remainingRequests: num(m.llm_ratelimit_remaining_requests?.values.value),
      remainingTokens: num(m.llm_ratelimit_remaining_tokens?.values.value),
    },
    errorsByType: errorsByType(data, errors),
    validators: validatorRows(data),
    refusals: refusals(data),
    byModel: breakdown(data, 'model'),
    byOutputBucket: breakdown(data, 'output_bucket'),
    thresholds: thresholdResults(data, unpriced, estimated),
    verdict: trustVerdict(data, options.trust),
  };
  return report;
}

function costSection(
  counted: number | undefined,
  unpriced: Coverage | undefined,
  estimated: Coverage | undefined,
  requests: number,
  durationS: number | undefined,
  requestsPerDay: number | undefined,
): LlmReport['cost'] {
  const priced = unpriced ? unpriced.requests - unpriced.marked : undefined;
  const partial = unpriced !== undefined && unpriced.marked > 0;
  // A threshold on llm_cost_usd makes k6 list it at 0 even when nothing was priced: that is no cost.
  const totalUsd = priced === 0 ? undefined : counted;
  const cost: LlmReport['cost'] = {
    totalUsd,
    pricedRequests: priced,
    unpricedRequests: unpriced?.marked,
    unpricedModels: (unpriced?.models ?? []).map((row) => ({ model: row.model, requests: row.requests })),
    unnamedUnpricedRequests: unpriced && unpriced.unnamed > 0 ? unpriced.unnamed : undefined,
    partial: partial ? true : undefined,
    estimatedShare: totalUsd !== undefined && estimated && estimated.marked > 0 ? estimated.share : undefined,
    // A month at the production volume would price the unpriced share as if it cost what the priced one did.
    requestsPerDay: totalUsd !== undefined && !partial ? requestsPerDay : undefined,
  };
  if (totalUsd === undefined) return cost;
  const projection = projectCost({
    totalUsd,
    requests: partial ? (priced as number) : requests,
    durationS: durationS ?? 0,
    requestsPerDay: cost.requestsPerDay,
  });
  return { ...cost, ...projection };
}

function missingPercentiles(data: K6SummaryData, latency: LatencyRow[]): LlmReport['missingPercentiles'] {
  const configured = data.options?.summaryTrendStats;
  const has = (p: Percentile) =>
    configured ? PERCENTILE_KEYS[p].some((key) => configured.indexOf(key) >= 0) : latency.some((row) => row.stats[p] !== undefined);
  if (!configured && latency.length === 0) return [];
  return PERCENTILES.filter((p) => !has(p)).map((p) => ({ percentile: p, stat: PERCENTILE_STAT[p] }));
}

/** Summary entries that are a submetric of `name` selected by exactly one tag, `tag`. */
export function submetrics(data: K6SummaryData, name: string, tag: string): Array<{ value: string; key: string }> {
  const out: Array<{ value: string; key: string }> = [];
  for (const key of Object.keys(data.metrics)) {
    const parsed = parseMetricKey(key);
    const tagNames = Object.keys(parsed.tags);
    if (parsed.name === name && tagNames.length === 1 && tagNames[0] === tag) out.push({ value: parsed.tags[tag] as string, key });
  }
  return out;
}

const BREAKDOWN_FIELDS: ReadonlyArray<[string, keyof BreakdownRow, 'trend' | 'counter' | 'rate' | 'passes']> = [
  ['llm_requests', 'requests', 'counter'],
  ['llm_errors', 'errors', 'counter'],
  ['llm_ttft', 'ttft', 'trend'],
  ['llm_itl', 'itl', 'trend'],
  ['llm_tpot', 'tpot', 'trend'],
  ['llm_e2e', 'e2e', 'trend'],
  ['llm_output_tokens_per_s', 'outputTokensPerS', 'trend'],
  ['llm_output_tokens', 'outputTokens', 'counter'],
  ['llm_cost_usd', 'costUsd', 'counter'],
  ['llm_unpriced', 'unpricedRequests', 'passes'],
  ['llm_goodput', 'goodputShare', 'rate'],
];

function breakdown(data: K6SummaryData, tag: string): BreakdownRow[] {
  const rows = new Map<string, BreakdownRow>();
  for (const [metric, field, kind] of BREAKDOWN_FIELDS) {
    for (const { value, key } of submetrics(data, metric, tag)) {
      const row = rows.get(value) ?? { value };
      const summary = data.metrics[key];
      const zerosAreData = field === 'itl' && trendStats(data.metrics[`llm_ttft{${tag}:${value}}`]) !== undefined;
      const figure =
        kind === 'trend' ? trendStats(summary, zerosAreData) : kind === 'counter' ? counterTotal(summary) : kind === 'rate' ? rateOf(summary)?.rate : rateOf(summary)?.passes;
      if (figure !== undefined) (row as unknown as Record<string, unknown>)[field] = figure;
      rows.set(value, row);
    }
  }
  const out: BreakdownRow[] = [];
  rows.forEach((row) => {
    // A tag value no request carried leaves only empty submetrics (a requests count of 0 and no trends).
    if (row.requests === 0 && row.e2e === undefined) return;
    // A row of nothing but its unpriced count (a script that named only llm_unpriced{model:...}) is the cost line's business.
    if (Object.keys(row).every((key) => key === 'value' || key === 'unpricedRequests')) return;
    if (row.requests !== undefined && row.requests > 0 && row.errors !== undefined) row.errorShare = row.errors / row.requests;
    out.push(row);
  });
  return out.sort((a, b) => (tag === 'output_bucket' ? bucketOrder(a.value) - bucketOrder(b.value) : 0) || compare(a.value, b.value));
}

/** `0-64` before `65-256` before `1025+`; labels that are not buckets sort last. */
function bucketOrder(label: string): number {
  const low = /^(\d+)/.exec(label);
  return low ? Number(low[1]) : Number.MAX_SAFE_INTEGER;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const OTHER_ERROR_TYPE = '(other)';

function errorsByType(data: K6SummaryData, total: number): LlmReport['errorsByType'] {
  const out: LlmReport['errorsByType'] = [];
  let known = 0;
  for (const { value, key } of submetrics(data, 'llm_errors', 'error_type')) {
    const count = counterTotal(data.metrics[key]) ?? 0;
    if (count > 0) out.push({ type: value, count });
    known += count;
  }
  out.sort((a, b) => b.count - a.count || compare(a.type, b.type));
  if (total > known) out.push({ type: OTHER_ERROR_TYPE, count: total - known });
  return out;
}

function validatorRows(data: K6SummaryData): LlmReport['validators'] {
  const out: LlmReport['validators'] = [];
  for (const { value, key } of submetrics(data, 'llm_validation_failed', 'validator')) {
    const rate = rateOf(data.metrics[key]);
    if (rate && rate.samples > 0) out.push({ name: value, failedShare: rate.rate, runs: rate.samples });
  }
  return out.sort((a, b) => compare(a.name, b.name));
}

function refusals(data: K6SummaryData): LlmReport['refusals'] {
  const all = rateOf(data.metrics.llm_refused);
  if (!all) return undefined;
  const out: NonNullable<LlmReport['refusals']> = { share: all.rate, refused: all.passes, answers: all.samples };
  const provider = rateOf(data.metrics['llm_refused{refused_by:provider}']);
  const heuristic = rateOf(data.metrics['llm_refused{refused_by:heuristic}']);
  if (provider) out.byProvider = provider.passes;
  if (heuristic) out.byHeuristic = heuristic.passes;
  return out;
}

const EXPRESSION = /^\s*(p\(\d+(?:\.\d+)?\)|avg|min|med|max|count|rate|value)\s*(?:<=|>=|<|>|===|==|!=)/;

function thresholdResults(data: K6SummaryData, unpriced: Coverage | undefined, estimated: Coverage | undefined): ThresholdResult[] {
  const out: ThresholdResult[] = [];
  for (const key of Object.keys(data.metrics).sort(compare)) {
    const summary = data.metrics[key];
    const thresholds = summary?.thresholds;
    if (!summary || !thresholds) continue;
    for (const expression of Object.keys(thresholds).sort(compare)) {
      const result: ThresholdResult = { metric: key, expression, ok: thresholds[expression]?.ok === true, noOp: isNoOpThreshold(expression) };
      const empty = (summary.type === 'trend' && trendStats(summary) === undefined) || (summary.type === 'rate' && rateOf(summary) === undefined);
      const stat = EXPRESSION.exec(expression)?.[1];
      const value = stat !== undefined ? num(summary.values[stat]) : undefined;
      if (empty) result.noSamples = true;
      else if (stat !== undefined && value !== undefined) result.observed = { stat, value };
      if (!result.noOp) Object.assign(result, thresholdCoverage(data, key, unpriced, estimated));
      out.push(result);
    }
  }
  return out;
}
