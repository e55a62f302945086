// The shape of k6's handleSummary() argument (the legacy format, k6's default in v2; the same
// JSON `--summary-export` writes) and plain readers over it.

/** One metric in k6's end-of-test summary. */
export interface K6MetricSummary {
  type: 'trend' | 'counter' | 'rate' | 'gauge';
  contains?: 'time' | 'default' | 'data' | string;
  /**
   * Trend: the stats named in `summaryTrendStats` (`avg`, `min`, `med`, `max`, `p(90)`, `count`...).
   * Counter: `count`, `rate`. Rate: `rate`, `passes`, `fails`. Gauge: `value`, `min`, `max`.
   */
  values: Record<string, number>;
  /** Threshold expression -> whether it held. */
  thresholds?: Record<string, { ok: boolean }>;
}

/** The argument k6 passes to `handleSummary(data)`. Only `metrics` is required here. */
export interface K6SummaryData {
  metrics: Record<string, K6MetricSummary>;
  state?: { testRunDurationMs?: number; isStdOutTTY?: boolean; isStdErrTTY?: boolean };
  options?: { summaryTrendStats?: string[]; summaryTimeUnit?: string; noColor?: boolean };
  root_group?: unknown;
  setup_data?: unknown;
}

/** A summary key split into metric name and submetric tags: `llm_ttft{model:gpt-4o}`. */
export interface MetricKey {
  name: string;
  tags: Record<string, string>;
}

/**
 * Splits a summary key the way k6 names submetrics: `name{tag:value,tag2:value2}`. Values may
 * hold `:` (only the first one separates); surrounding quotes and spaces are dropped.
 */
export function parseMetricKey(key: string): MetricKey {
  const open = key.indexOf('{');
  if (open < 0 || !key.endsWith('}')) return { name: key, tags: {} };
  const tags: Record<string, string> = {};
  for (const part of key.slice(open + 1, -1).split(',')) {
    const colon = part.indexOf(':');
    if (colon < 0) continue;
    const tag = part.slice(0, colon).trim();
    const value = part.slice(colon + 1).trim().replace(/^(["'])(.*)\1$/, '$2');
    if (tag !== '') tags[tag] = value;
  }
  return { name: key.slice(0, open), tags };
}

/**
 * k6's newer machine-readable summary (`--new-machine-readable-summary`, format `version` 1.x):
 * `results.metrics` is a list, trend percentiles are `p90`/`p95`, rates count `matches` of `total`.
 */
interface MachineReadableSummary {
  version: string;
  config?: { duration?: number };
  results: { metrics: Array<{ name: string; type: K6MetricSummary['type']; contains?: string; values: Record<string, number | null> }> };
}

function isMachineReadable(data: unknown): data is MachineReadableSummary {
  const d = data as Partial<MachineReadableSummary> | null;
  return typeof d === 'object' && d !== null && typeof d.version === 'string' && Array.isArray(d.results?.metrics);
}

/**
 * The summary in the shape the reports read: k6's default handleSummary argument as it is, and
 * the newer machine-readable summary converted to it (it carries no thresholds and no
 * `summaryTrendStats`, so those parts of a report stay empty). Throws on anything else.
 */
export function normalizeSummaryData(data: unknown): K6SummaryData {
  if (isMachineReadable(data)) {
    const metrics: Record<string, K6MetricSummary> = {};
    for (const m of data.results.metrics) {
      const values: Record<string, number> = {};
      for (const key of Object.keys(m.values)) {
        const value = m.values[key];
        if (typeof value !== 'number') continue;
        const p = /^p(\d+(?:\.\d+)?)$/.exec(key);
        values[p ? `p(${p[1]})` : key] = value;
      }
      if (m.type === 'rate' && typeof values.matches === 'number' && typeof values.total === 'number') {
        values.passes = values.matches;
        values.fails = values.total - values.matches;
      }
      metrics[m.name] = { type: m.type, contains: m.contains, values };
    }
    const duration = data.config?.duration;
    return { metrics, state: typeof duration === 'number' ? { testRunDurationMs: duration * 1000 } : {} };
  }
  assertSummaryData(data);
  return data;
}

/** Checks that `data` looks like handleSummary's argument; misuse is the one thing that throws. */
export function assertSummaryData(data: unknown): asserts data is K6SummaryData {
  const metrics = (data as { metrics?: unknown } | null | undefined)?.metrics;
  if (typeof data !== 'object' || data === null || typeof metrics !== 'object' || metrics === null) {
    const got = data === null ? 'null' : typeof data === 'object' ? `an object with keys ${Object.keys(data as object).join(', ') || '(none)'}` : typeof data;
    throw new TypeError(`invalid summary data: expected the object k6 passes to handleSummary(data), with a metrics map, got ${got}`);
  }
}

/** The trend stats this report reads, by the name it shows them under. */
export const PERCENTILES = ['p50', 'p90', 'p95', 'p99'] as const;
export type Percentile = (typeof PERCENTILES)[number];

/** Where each percentile is found in a trend's `values`; k6 calls the median `med`, or `p(50)` when asked so. */
export const PERCENTILE_KEYS: Record<Percentile, readonly string[]> = {
  p50: ['med', 'p(50)'],
  p90: ['p(90)'],
  p95: ['p(95)'],
  p99: ['p(99)'],
};

/** The `summaryTrendStats` entry that makes k6 compute a percentile. */
export const PERCENTILE_STAT: Record<Percentile, string> = { p50: 'med', p90: 'p(90)', p95: 'p(95)', p99: 'p(99)' };

/** A trend's figures under stable names; absent stats stay absent. */
export interface TrendStats {
  count?: number;
  avg?: number;
  min?: number;
  p50?: number;
  p90?: number;
  p95?: number;
  p99?: number;
  max?: number;
}

/**
 * A trend's stats, or undefined when it has none. k6 lists a trend that got no sample (a submetric
 * a threshold named, a metric with a threshold that never fired) with every stat at 0, so an
 * all-zero trend reads as empty unless `zerosAreData` (a cache-hit ratio of 0 is a figure; so are
 * 0 ms event gaps when TTFT shows the stream was timed).
 */
export function trendStats(metric: K6MetricSummary | undefined, zerosAreData = false): TrendStats | undefined {
  if (!metric || metric.type !== 'trend') return undefined;
  const v = metric.values;
  if (num(v.count) === 0) return undefined;
  if (!zerosAreData && num(v.count) === undefined && Object.keys(v).every((key) => v[key] === 0)) return undefined;
  const out: TrendStats = {};
  if (num(v.count) !== undefined) out.count = v.count;
  if (num(v.avg) !== undefined) out.avg = v.avg;
  if (num(v.min) !== undefined) out.min = v.min;
  for (const p of PERCENTILES) {
    for (const key of PERCENTILE_KEYS[p]) {
      const value = num(v[key]);
      if (value !== undefined) {
        out[p] = value;
        break;
      }
    }
  }
  if (num(v.max) !== undefined) out.max = v.max;
  return out;
}

/** A counter's total, or undefined when the metric is absent (k6 leaves out metrics that got no sample). */
export function counterTotal(metric: K6MetricSummary | undefined): number | undefined {
  return metric && metric.type === 'counter' ? num(metric.values.count) : undefined;
}

/** A Rate metric's share of true samples and its sample count. */
export function rateOf(metric: K6MetricSummary | undefined): { rate: number; samples: number; passes: number } | undefined {
  if (!metric || metric.type !== 'rate') return undefined;
  const rate = num(metric.values.rate);
  if (rate === undefined) return undefined;
  const passes = num(metric.values.passes) ?? 0;
  const fails = num(metric.values.fails) ?? 0;
  // A Rate that got no sample (a submetric only a threshold named) has no rate to speak of.
  if (passes + fails === 0) return undefined;
  return { rate, samples: passes + fails, passes };
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
