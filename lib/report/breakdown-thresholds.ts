// k6 computes a submetric (`llm_ttft{model:gpt-4o}`) only when some threshold names it, and
// handleSummary sees only what k6 computed. These no-op thresholds exist to make k6 compute the
// breakdowns the reports show; they can never fail.
import { DEFAULT_OUTPUT_BUCKETS, outputBucket } from '../internal/output-buckets';

/** Which breakdowns to ask k6 for. */
export interface BreakdownOptions {
  /** Model ids (the `model` tag) to break down by. @default [] */
  models?: string[];
  /**
   * `output_bucket` tag values to break down by, or `false` for none.
   * @default the labels of `outputBuckets` (`0-64`, `65-256`, `257-1024`, `1025+`) and `unknown`, the bucket of responses without a token count (most failures)
   */
  buckets?: string[] | false;
  /** Bucket edges when the client was given custom `outputBuckets`. @default [64, 256, 1024] */
  outputBuckets?: number[];
  /** `error_type` tag values for the errors-by-type chart. @default COMMON_ERROR_TYPES */
  errorTypes?: string[];
  /** Validator names (the `validator` tag of `llm_validation_failed`). @default [] */
  validators?: string[];
  /** How many refusals each detector caught: `llm_refused{refused_by:provider}` and `{refused_by:heuristic}`. @default true */
  refusals?: boolean;
}

/** Error classes the client records most often (`llm_errors{error_type:...}`). */
export const COMMON_ERROR_TYPES: readonly string[] = [
  'rate_limited', 'http_400', 'http_401', 'http_403', 'http_404', 'http_408', 'http_409', 'http_500', 'http_502',
  'http_503', 'http_504', 'http_529', 'timeout', 'stall', 'reset', 'refused', 'dns', 'network', 'incomplete',
  'truncated', 'malformed', 'server_error', 'overloaded_error', 'api_error',
];

/** The values of `llm_refused`'s `refused_by` tag: what detected a refusal. */
export const REFUSAL_SOURCES: readonly string[] = ['provider', 'heuristic'];

/** Metrics broken down per model, with the no-op expression each metric type accepts. */
export const MODEL_BREAKDOWN_METRICS: Readonly<Record<string, string>> = {
  llm_ttft: 'p(95)>=0',
  llm_itl: 'p(95)>=0',
  llm_tpot: 'p(95)>=0',
  llm_e2e: 'p(95)>=0',
  llm_output_tokens_per_s: 'p(95)>=0',
  llm_requests: 'count>=0',
  llm_errors: 'count>=0',
  llm_output_tokens: 'count>=0',
  llm_cost_usd: 'count>=0',
  llm_unpriced: 'rate>=0',
  llm_estimated_usage: 'rate>=0',
  llm_goodput: 'rate>=0',
};

/** Metrics broken down per output-length bucket. */
export const BUCKET_BREAKDOWN_METRICS: Readonly<Record<string, string>> = {
  llm_ttft: 'p(95)>=0',
  llm_itl: 'p(95)>=0',
  llm_tpot: 'p(95)>=0',
  llm_e2e: 'p(95)>=0',
  llm_requests: 'count>=0',
  llm_errors: 'count>=0',
  llm_output_tokens: 'count>=0',
  llm_cost_usd: 'count>=0',
};

/** A threshold expression that holds for every possible value: `p(95)>=0`, `count>=0`, `rate>=0`. */
export function isNoOpThreshold(expression: string): boolean {
  return /^\s*(p\(\d+(\.\d+)?\)|avg|min|med|max|count|rate|value)\s*>=\s*0\s*$/.test(expression);
}

/**
 * Threshold entries that make k6 compute the per-model, per-output-bucket, per-error-type,
 * per-validator and per-refusal-detector submetrics the k6-llm reports break results down by. Spread them into
 * `options.thresholds`; pass your own thresholds as `existing` to merge (your expressions are kept,
 * a no-op is added beside them):
 *
 * ```js
 * thresholds: llmThresholdsForBreakdown({ models: ['gpt-4o-mini', 'gpt-4o'] }, { llm_ttft: ['p(95)<2000'] })
 * ```
 */
export function llmThresholdsForBreakdown(options: BreakdownOptions = {}, existing: Record<string, unknown[]> = {}): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const key of Object.keys(existing)) out[key] = [...(existing[key] ?? [])];
  const add = (key: string, expression: string) => {
    const list = out[key] ?? (out[key] = []);
    if (!list.some((t) => (typeof t === 'string' ? t : (t as { threshold?: string })?.threshold) === expression)) list.push(expression);
  };
  const buckets = options.buckets === false ? [] : options.buckets ?? [...bucketLabels(options.outputBuckets ?? DEFAULT_OUTPUT_BUCKETS), 'unknown'];
  for (const model of options.models ?? []) {
    for (const metric of Object.keys(MODEL_BREAKDOWN_METRICS)) add(`${metric}{model:${model}}`, MODEL_BREAKDOWN_METRICS[metric] as string);
  }
  for (const bucket of buckets) {
    for (const metric of Object.keys(BUCKET_BREAKDOWN_METRICS)) add(`${metric}{output_bucket:${bucket}}`, BUCKET_BREAKDOWN_METRICS[metric] as string);
  }
  for (const type of options.errorTypes ?? COMMON_ERROR_TYPES) add(`llm_errors{error_type:${type}}`, 'count>=0');
  for (const name of options.validators ?? []) add(`llm_validation_failed{validator:${name}}`, 'rate>=0');
  if (options.refusals !== false) for (const source of REFUSAL_SOURCES) add(`llm_refused{refused_by:${source}}`, 'rate>=0');
  return out;
}

/** The `output_bucket` labels the client gives for these edges, smallest first. */
export function bucketLabels(edges: readonly number[]): string[] {
  const labels = edges.map((edge) => outputBucket(edge, edges));
  labels.push(outputBucket((edges[edges.length - 1] ?? 0) + 1, edges));
  return labels;
}
