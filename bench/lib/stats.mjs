// Small statistics for the benchmarks: nearest-rank percentiles over plain arrays.

/** The p-th percentile (0–100) by nearest rank of an ascending array; undefined when empty. */
export function percentileSorted(sorted, p) {
  if (sorted.length === 0) return undefined;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function percentile(values, p) {
  return percentileSorted(Float64Array.from(values).sort(), p);
}

/** n, p50, p90, p99, max and mean of a list of numbers. */
export function summarize(values) {
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    n: sorted.length,
    p50: percentileSorted(sorted, 50),
    p90: percentileSorted(sorted, 90),
    p99: percentileSorted(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : undefined,
    mean: sorted.length ? sum / sorted.length : undefined,
  };
}

/** A number for a table: fixed digits, or an em dash when there is none. */
export function fmt(value, digits = 2) {
  if (value === undefined || value === null || Number.isNaN(value)) return '—';
  return value.toFixed(digits);
}
