// Latency against load over time, from k6's `--out json` file: a push machine fed one line at a
// time (the CLI streams the file; a long run's file does not fit in memory), no I/O here.

/** Options of `createLoadCurveAggregator`. */
export interface LoadCurveOptions {
  /** Width of a time bucket in ms. @default 5000 */
  bucketMs?: number;
  /**
   * Latency samples kept per bucket and metric for percentiles; past it, a seeded reservoir
   * sample of this size stands in for all of them (and `sampled` says so). @default 50000
   */
  maxSamplesPerBucket?: number;
  /** Keep only llm_* samples whose tags include all of these (`{ model: 'gpt-4o' }`). k6's `vus` has no tags and is always kept. */
  where?: Record<string, string>;
}

/** Percentiles of one latency metric within one bucket. */
export interface BucketLatency {
  count: number;
  p50: number;
  p95: number;
  max: number;
}

export interface LoadCurveBucket {
  /** Seconds from the run's first sample to this bucket's start. */
  startS: number;
  /** Seconds of the run this bucket covers (shorter for the last one). */
  spanS: number;
  /** Active VUs: mean of k6's `vus` samples in the bucket, carried forward when it has none. */
  vus?: number;
  requests: number;
  requestsPerS: number;
  errors: number;
  errorsPerS: number;
  /** Attempts (`llm_rate_limited` samples) and how many were answered 429. */
  attempts: number;
  rateLimited: number;
  rateLimitedPerS: number;
  outputTokens: number;
  outputTokensPerS: number;
  costUsd: number;
  cumulativeCostUsd: number;
  droppedIterations: number;
  ttft?: BucketLatency;
  itl?: BucketLatency;
  tpot?: BucketLatency;
  e2e?: BucketLatency;
}

export interface LoadCurve {
  schema: 'k6-llm.load-curve/1';
  bucketS: number;
  /** ISO time of the first sample. */
  startTime?: string;
  durationS: number;
  /** Lines read, points used, and lines skipped because they were not JSON (a cut-off last line, most often). */
  lines: number;
  points: number;
  skippedLines: number;
  /** The file's last non-empty line was not JSON: k6 was stopped while writing it. */
  truncatedLastLine: boolean;
  /** Some bucket held more latency samples than `maxSamplesPerBucket`; its percentiles come from a uniform sample. */
  sampled: boolean;
  buckets: LoadCurveBucket[];
  totals: { requests: number; errors: number; attempts: number; rateLimited: number; outputTokens: number; costUsd: number; droppedIterations: number };
  errorsByType: Array<{ type: string; count: number }>;
}

export interface LoadCurveAggregator {
  /** Feeds one line of k6's JSON output. Blank lines are ignored; a line that is not JSON is counted and skipped. */
  addLine(line: string): void;
  /** Feeds one sample directly (time in epoch ms). */
  addPoint(metric: string, timeMs: number, value: number, tags?: Record<string, string>): void;
  /** The curve so far; call once the input ended. */
  result(): LoadCurve;
}

const LATENCY: Record<string, 'ttft' | 'itl' | 'tpot' | 'e2e'> = { llm_ttft: 'ttft', llm_itl: 'itl', llm_tpot: 'tpot', llm_e2e: 'e2e' };

interface Reservoir {
  seen: number;
  max: number;
  samples: number[];
}

interface Acc {
  vusSum: number;
  vusN: number;
  requests: number;
  errors: number;
  attempts: number;
  rateLimited: number;
  outputTokens: number;
  costUsd: number;
  dropped: number;
  lat: Partial<Record<'ttft' | 'itl' | 'tpot' | 'e2e', Reservoir>>;
}

/** Parses k6's RFC 3339 timestamps (nanosecond fractions, `Z` or an offset) to epoch ms with fractions. */
export function parseK6Time(text: string): number | undefined {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)$/.exec(text);
  if (!m) {
    const t = Date.parse(text);
    return Number.isFinite(t) ? t : undefined;
  }
  let ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  if (m[7]) ms += Number(`0.${m[7]}`) * 1000;
  const zone = m[8] as string;
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return ms;
}

/** The p-quantile (0..1) of sorted values, interpolating between neighbours as k6 does. */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  return a + ((sorted[hi] as number) - a) * (pos - lo);
}

export function createLoadCurveAggregator(options: LoadCurveOptions = {}): LoadCurveAggregator {
  const bucketMs = options.bucketMs ?? 5000;
  if (!(bucketMs > 0)) throw new TypeError(`invalid bucketMs: expected a positive number of milliseconds, got ${String(options.bucketMs)}`);
  const cap = options.maxSamplesPerBucket ?? 50_000;
  const where = options.where ?? {};
  const whereKeys = Object.keys(where);
  const buckets = new Map<number, Acc>();
  const errorsByType = new Map<string, number>();
  let origin: number | undefined;
  let minTime = Infinity;
  let maxTime = -Infinity;
  let lines = 0;
  let points = 0;
  let skipped = 0;
  let lastInvalid = false;
  let sampled = false;
  // A fixed-seed generator: the same file always gives the same report.
  let seed = 0x9e3779b9;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  function acc(timeMs: number): Acc {
    if (origin === undefined) origin = timeMs;
    const key = Math.floor((timeMs - origin) / bucketMs);
    let a = buckets.get(key);
    if (!a) {
      a = { vusSum: 0, vusN: 0, requests: 0, errors: 0, attempts: 0, rateLimited: 0, outputTokens: 0, costUsd: 0, dropped: 0, lat: {} };
      buckets.set(key, a);
    }
    return a;
  }

  function addPoint(metric: string, timeMs: number, value: number, tags: Record<string, string> = {}): void {
    if (!Number.isFinite(timeMs) || !Number.isFinite(value)) return;
    const isLlm = metric.indexOf('llm_') === 0;
    if (!isLlm && metric !== 'vus' && metric !== 'dropped_iterations') return;
    if (isLlm) for (const key of whereKeys) if (tags[key] !== where[key]) return;
    points++;
    if (timeMs < minTime) minTime = timeMs;
    if (timeMs > maxTime) maxTime = timeMs;
    const a = acc(timeMs);
    switch (metric) {
      case 'vus':
        a.vusSum += value;
        a.vusN++;
        return;
      case 'dropped_iterations':
        a.dropped += value;
        return;
      case 'llm_requests':
        a.requests += value;
        return;
      case 'llm_errors': {
        a.errors += value;
        const type = tags.error_type ?? 'unknown';
        errorsByType.set(type, (errorsByType.get(type) ?? 0) + value);
        return;
      }
      case 'llm_rate_limited':
        a.attempts++;
        if (value !== 0) a.rateLimited++;
        return;
      case 'llm_output_tokens':
        a.outputTokens += value;
        return;
      case 'llm_cost_usd':
        a.costUsd += value;
        return;
    }
    const field = LATENCY[metric];
    if (!field) return;
    const r = a.lat[field] ?? (a.lat[field] = { seen: 0, max: -Infinity, samples: [] });
    r.seen++;
    if (value > r.max) r.max = value;
    if (r.samples.length < cap) r.samples.push(value);
    else {
      // Reservoir sampling (Algorithm R): every sample seen so far is kept with equal probability.
      sampled = true;
      const j = Math.floor(random() * r.seen);
      if (j < cap) r.samples[j] = value;
    }
  }

  function addLine(line: string): void {
    if (line.trim() === '') return;
    lines++;
    let entry: { type?: unknown; metric?: unknown; data?: { time?: unknown; value?: unknown; tags?: unknown } };
    try {
      entry = JSON.parse(line);
    } catch {
      skipped++;
      lastInvalid = true;
      return;
    }
    lastInvalid = false;
    if (!entry || entry.type !== 'Point' || typeof entry.metric !== 'string' || !entry.data) return;
    const time = typeof entry.data.time === 'string' ? parseK6Time(entry.data.time) : undefined;
    const value = entry.data.value;
    if (time === undefined || typeof value !== 'number') return;
    const tags = entry.data.tags && typeof entry.data.tags === 'object' ? (entry.data.tags as Record<string, string>) : {};
    addPoint(entry.metric, time, value, tags);
  }

  function result(): LoadCurve {
    const keys = Array.from(buckets.keys()).sort((a, b) => a - b);
    const out: LoadCurve = {
      schema: 'k6-llm.load-curve/1',
      bucketS: bucketMs / 1000,
      durationS: points > 0 ? (maxTime - minTime) / 1000 : 0,
      lines,
      points,
      skippedLines: skipped,
      truncatedLastLine: lastInvalid,
      sampled,
      buckets: [],
      totals: { requests: 0, errors: 0, attempts: 0, rateLimited: 0, outputTokens: 0, costUsd: 0, droppedIterations: 0 },
      errorsByType: Array.from(errorsByType.entries())
        .map(([type, count]) => ({ type, count }))
        .sort((a, b) => b.count - a.count || (a.type < b.type ? -1 : 1)),
    };
    if (points > 0) out.startTime = new Date(minTime).toISOString();
    if (keys.length === 0 || origin === undefined) return out;
    const first = keys[0] as number;
    const last = keys[keys.length - 1] as number;
    const start = origin + first * bucketMs;
    let vus: number | undefined;
    let cumulative = 0;
    for (let key = first; key <= last; key++) {
      const a = buckets.get(key);
      const bucketStart = origin + key * bucketMs;
      // The last bucket ends with the last sample; at least a second (or the bucket) so one late sample is not a spike.
      const spanMs = key === last ? Math.max(Math.min(bucketMs, maxTime - bucketStart), Math.min(bucketMs, 1000)) : bucketMs;
      const spanS = spanMs / 1000;
      if (a && a.vusN > 0) vus = a.vusSum / a.vusN;
      const costUsd = a?.costUsd ?? 0;
      cumulative += costUsd;
      const b: LoadCurveBucket = {
        startS: (bucketStart - start) / 1000,
        spanS,
        requests: a?.requests ?? 0,
        requestsPerS: (a?.requests ?? 0) / spanS,
        errors: a?.errors ?? 0,
        errorsPerS: (a?.errors ?? 0) / spanS,
        attempts: a?.attempts ?? 0,
        rateLimited: a?.rateLimited ?? 0,
        rateLimitedPerS: (a?.rateLimited ?? 0) / spanS,
        outputTokens: a?.outputTokens ?? 0,
        outputTokensPerS: (a?.outputTokens ?? 0) / spanS,
        costUsd,
        cumulativeCostUsd: cumulative,
        droppedIterations: a?.dropped ?? 0,
      };
      if (vus !== undefined) b.vus = vus;
      for (const field of ['ttft', 'itl', 'tpot', 'e2e'] as const) {
        const r = a?.lat[field];
        if (!r || r.samples.length === 0) continue;
        const sorted = r.samples.slice().sort((x, y) => x - y);
        b[field] = { count: r.seen, p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), max: r.max };
      }
      const t = out.totals;
      t.requests += b.requests;
      t.errors += b.errors;
      t.attempts += b.attempts;
      t.rateLimited += b.rateLimited;
      t.outputTokens += b.outputTokens;
      t.costUsd += b.costUsd;
      t.droppedIterations += b.droppedIterations;
      out.buckets.push(b);
    }
    return out;
  }

  return { addLine, addPoint, result };
}
