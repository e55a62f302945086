// Reading a step-up test's result: per-step submetrics from handleSummary's data. k6 computes a
// submetric such as `llm_ttft{step:3}` only when a threshold names it, hence stepUpThresholds.
import type { Scenarios } from './presets';

/** What to read and the limit it must stay within. */
export interface StepRule {
  /** A metric name, e.g. `llm_ttft`. */
  metric: string;
  /** A stat of the metric's summary values: `p(95)`, `avg`, `med`, `max` for Trends; `rate` for Rates. */
  stat: string;
  /** Leave undefined in `stepUpThresholds` to have k6 compute the submetrics without failing the run. */
  limit?: number;
  /** `above`: a step breaks when the stat exceeds the limit (latency). `below`: when it falls under it (goodput). @default 'above' */
  breaksWhen?: 'above' | 'below';
}

/** One step's value of the stat. */
export interface StepReading {
  step: number;
  value: number;
  /**
   * The step recorded no sample of the metric (k6 then reports every stat as 0). For `llm_ttft`, recorded only for
   * successful requests, that means every request of the step failed: such a step counts as broken.
   */
  empty?: boolean;
}

/** The first step that broke the limit, with the last one that held and every step read. */
export interface BreakingStep extends StepReading {
  limit: number;
  lastGood?: StepReading;
  readings: StepReading[];
}

/** The `data` handleSummary receives, as far as this module reads it. */
export interface SummaryData {
  metrics: Record<string, { type?: string; values?: Record<string, number> } | undefined>;
}

/** k6 reports a submetric without samples with every value 0; a Rate has no passes and no fails. */
function isEmpty(values: Record<string, number>): boolean {
  if (typeof values.count === 'number') return values.count === 0;
  if (typeof values.passes === 'number' && typeof values.fails === 'number') return values.passes + values.fails === 0;
  return Object.values(values).every((v) => v === 0);
}

/** The step numbers of a stepUp scenario set, from the scenarios' `step` tags. */
function stepsOf(scenarios: Scenarios): number[] {
  const steps: number[] = [];
  for (const scenario of Object.values(scenarios)) {
    const step = scenario.tags?.step;
    if (step !== undefined && /^\d+$/.test(step)) steps.push(Number(step));
  }
  return steps.sort((a, b) => a - b);
}

/**
 * Thresholds that make k6 compute one submetric per step: `{ 'llm_ttft{step:1}': ['p(95)<=2000'], ... }`. With a
 * `limit`, a step over it fails the run (and the summary marks it); without one the expression always holds.
 * Merge the result into `options.thresholds`.
 */
export function stepUpThresholds(scenarios: Scenarios, rule: StepRule): Record<string, string[]> {
  const steps = stepsOf(scenarios);
  if (steps.length === 0) throw new Error('invalid scenarios: expected presets.stepUp(...) scenarios with step tags, got none');
  if (typeof rule?.metric !== 'string' || typeof rule.stat !== 'string') {
    throw new Error('invalid rule: expected { metric, stat, limit? }');
  }
  const expression =
    rule.limit === undefined ? `${rule.stat}>=0` : `${rule.stat}${(rule.breaksWhen ?? 'above') === 'above' ? '<=' : '>='}${rule.limit}`;
  const out: Record<string, string[]> = {};
  for (const step of steps) out[`${rule.metric}{step:${step}}`] = [expression];
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Each step's value of `stat`, in step order, from submetric keys `<metric>{step:N}` (spaces and quotes allowed). */
export function stepReadings(data: SummaryData, metric: string, stat: string): StepReading[] {
  const key = new RegExp(`^${escapeRegExp(metric)}\\{\\s*step\\s*:\\s*["']?(\\d+)["']?\\s*\\}$`);
  const readings: StepReading[] = [];
  for (const [name, summary] of Object.entries(data?.metrics ?? {})) {
    const m = key.exec(name);
    const values = summary?.values;
    const value = values?.[stat];
    if (!m || !values || typeof value !== 'number') continue;
    const reading: StepReading = { step: Number(m[1]), value };
    if (isEmpty(values)) reading.empty = true;
    readings.push(reading);
  }
  return readings.sort((a, b) => a.step - b.step);
}

/**
 * The first step whose stat broke the limit (or that recorded no sample of the metric), or undefined when every
 * step held. Throws when the summary has no
 * per-step submetrics of the metric (declare them with `stepUpThresholds`) or lacks the stat (add it to
 * `summaryTrendStats`).
 */
export function findBreakingStep(data: SummaryData, rule: StepRule & { limit: number }): BreakingStep | undefined {
  if (typeof rule?.limit !== 'number') throw new Error(`invalid limit: expected a number, got ${JSON.stringify(rule?.limit)}`);
  const readings = stepReadings(data, rule.metric, rule.stat);
  if (readings.length === 0) {
    throw new Error(
      `no per-step "${rule.stat}" of ${rule.metric} in the summary: declare thresholds such as '${rule.metric}{step:1}' ` +
        `(stepUpThresholds does) and keep "${rule.stat}" in summaryTrendStats`,
    );
  }
  const below = rule.breaksWhen === 'below';
  let lastGood: StepReading | undefined;
  for (const reading of readings) {
    if (reading.empty || (below ? reading.value < rule.limit : reading.value > rule.limit)) {
      const out: BreakingStep = { ...reading, limit: rule.limit, readings };
      if (lastGood) out.lastGood = lastGood;
      return out;
    }
    lastGood = reading;
  }
  return undefined;
}
