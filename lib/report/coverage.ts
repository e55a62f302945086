// How much of a run its cost and token figures cover: requests whose model had no price
// (`llm_unpriced`) and requests whose token counts were estimated (`llm_estimated_usage`). k6's
// summary holds per-tag figures only for submetrics a threshold names, so the models are named
// from `llm_unpriced{model:...}` and `llm_estimated_usage{model:...}` when the script asked for
// them (`llmThresholdsForBreakdown({ models })`), and counted as unnamed otherwise.
import { isNoOpThreshold } from './breakdown-thresholds';
import { formatCount, formatPercent } from './format';
import type { LlmReport, ThresholdResult } from './report';
import { parseMetricKey, rateOf, type K6SummaryData } from './summary-data';

/** Metrics whose figures are built from token counts, and so from estimates when usage was estimated. */
export const TOKEN_DERIVED_METRICS: readonly string[] = [
  'llm_input_tokens',
  'llm_output_tokens',
  'llm_output_tokens_per_s',
  'llm_tpot',
  'llm_tokens_per_event',
  'llm_cost_usd',
];

export interface ModelShare {
  model: string;
  /** Requests of this model that the figure is about (unpriced, or estimated). */
  requests: number;
  /** Those requests' share of the model's requests. */
  share: number;
}

export interface Coverage {
  /** Requests with a sample of the Rate. */
  requests: number;
  /** Requests the Rate marked (unpriced, or estimated). */
  marked: number;
  /** `marked / requests`. */
  share: number;
  /** Models with marked requests, from the Rate's `{model:...}` submetrics, most requests first. */
  models: ModelShare[];
  /** Marked requests of models that no submetric names. */
  unnamed: number;
}

/** The Rate `name` read as a coverage, or undefined when the summary has no sample of it. */
export function coverageOf(data: K6SummaryData, name: string): Coverage | undefined {
  const total = rateOf(data.metrics[name]);
  if (!total) return undefined;
  const models: ModelShare[] = [];
  let named = 0;
  for (const key of Object.keys(data.metrics)) {
    const parsed = parseMetricKey(key);
    const tags = Object.keys(parsed.tags);
    if (parsed.name !== name || tags.length !== 1 || tags[0] !== 'model') continue;
    const rate = rateOf(data.metrics[key]);
    if (!rate || rate.passes === 0) continue;
    models.push({ model: parsed.tags.model as string, requests: rate.passes, share: rate.rate });
    named += rate.passes;
  }
  models.sort((a, b) => b.requests - a.requests || (a.model < b.model ? -1 : a.model > b.model ? 1 : 0));
  return { requests: total.samples, marked: total.passes, share: total.rate, models, unnamed: Math.max(0, total.passes - named) };
}

/**
 * What a threshold on the summary key `key` judged: for `llm_cost_usd`, how many of its requests were priced
 * when some were not; for a figure built from token counts, the share of requests estimated. A threshold on a
 * submetric (`llm_cost_usd{model:x}`) reads the Rate's same submetric when the summary has it, the whole run's
 * otherwise.
 */
export function thresholdCoverage(
  data: K6SummaryData,
  key: string,
  unpriced: Coverage | undefined,
  estimated: Coverage | undefined,
): { unpriced?: { priced: number; requests: number }; estimatedShare?: number } {
  const out: { unpriced?: { priced: number; requests: number }; estimatedShare?: number } = {};
  const { name } = parseMetricKey(key);
  const selector = key.slice(name.length);
  if (name === 'llm_cost_usd' && unpriced) {
    const own = selector ? rateOf(data.metrics[`llm_unpriced${selector}`]) : undefined;
    const requests = own ? own.samples : unpriced.requests;
    const marked = own ? own.passes : unpriced.marked;
    if (marked > 0) out.unpriced = { priced: requests - marked, requests };
  }
  if (TOKEN_DERIVED_METRICS.indexOf(name) >= 0 && estimated) {
    const own = selector ? rateOf(data.metrics[`llm_estimated_usage${selector}`]) : undefined;
    const share = own ? own.rate : estimated.share;
    if (share > 0) out.estimatedShare = share;
  }
  return out;
}

/**
 * The thresholds a run set (no-ops excluded) on `metrics` or their submetrics, as `metric expression`,
 * kept when `keep(key)` holds for the summary key.
 */
export function thresholdsOn(data: K6SummaryData, metrics: readonly string[], keep: (key: string) => boolean = () => true): string[] {
  const out: string[] = [];
  for (const key of Object.keys(data.metrics).sort()) {
    if (metrics.indexOf(parseMetricKey(key).name) < 0 || !keep(key)) continue;
    for (const expression of Object.keys(data.metrics[key]?.thresholds ?? {}).sort()) {
      if (!isNoOpThreshold(expression)) out.push(`${key} ${expression}`);
    }
  }
  return out;
}

/**
 * `tiny (29), llama3 (3)`, then the requests of models the summary does not name: words that follow
 * "no price for" or "estimated for".
 */
export function describeModels(coverage: { models: ReadonlyArray<{ model: string; requests: number }>; unnamed: number }): string {
  const named = coverage.models.map((m) => `${m.model} (${formatCount(m.requests)})`).join(', ');
  if (coverage.unnamed === 0) return named;
  const requests = `${formatCount(coverage.unnamed)}${named === '' ? '' : ' more'} request${coverage.unnamed === 1 ? '' : 's'}`;
  const rest = `the models of ${requests} (not named in the summary; the run's log names them)`;
  return named === '' ? rest : `${named} and ${rest}`;
}

/** What to do to get models named in the summary, for text that could not name them all. */
export const NAME_MODELS_HINT =
  "k6 keeps per-model figures only for submetrics a threshold names: add llmThresholdsForBreakdown({ models: ['<model>'] }) to the thresholds; the run's log names each model without a price once";

/** The models without a price as `describeModels` words them, from a report. */
export function unpricedModels(report: LlmReport): string {
  return describeModels({ models: report.cost.unpricedModels, unnamed: report.cost.unnamedUnpricedRequests ?? 0 });
}

/** What a threshold's figure left out or estimated, in words, or '' when nothing. */
export function thresholdCaveat(th: ThresholdResult): string {
  const notes: string[] = [];
  if (th.unpriced) {
    const { priced, requests } = th.unpriced;
    notes.push(`${priced === 0 ? 'nothing counted' : 'partial'}: ${formatCount(priced)} of ${formatCount(requests)} requests priced`);
  }
  if (th.estimatedShare !== undefined) notes.push(`estimated counts for ${formatPercent(th.estimatedShare)} of requests`);
  return notes.join(', ');
}

/**
 * The figure a threshold judged (`observed`, in the renderer's words) with its caveat. A cost that
 * priced no request is not shown as $0: it counted nothing.
 */
export function judgedFigure(th: ThresholdResult, observed: string): string {
  const caveat = thresholdCaveat(th);
  if (caveat === '') return observed;
  return th.unpriced?.priced === 0 ? caveat : `${observed} (${caveat})`;
}
