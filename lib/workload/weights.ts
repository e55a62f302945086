// Weighted choice: running totals once, then a binary search per pick.
import type { CorpusRow } from './corpus-row';

/** A row's weight from `tags[field]` or a numeric top-level field; undefined when the row has none. */
function weightOf(row: unknown, field: string): number | undefined {
  const r = row as CorpusRow & Record<string, unknown>;
  const raw = r?.tags?.[field] ?? r?.[field];
  if (raw === undefined || raw === '') return undefined;
  const w = typeof raw === 'string' ? Number(raw) : raw;
  if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
    throw new Error(`invalid weight "${field}": expected a non-negative number, got ${JSON.stringify(raw)}`);
  }
  return w;
}

/**
 * Running totals of the rows' weights. A row without the field weighs 1, but a field no row has is a typo
 * and throws, as do negative weights and an all-zero total.
 */
export function cumulativeWeights(rows: ArrayLike<unknown>, field: string): number[] {
  const totals: number[] = new Array(rows.length);
  let sum = 0;
  let seen = false;
  for (let i = 0; i < rows.length; i++) {
    const w = weightOf(rows[i], field);
    if (w !== undefined) seen = true;
    sum += w ?? 1;
    totals[i] = sum;
  }
  if (rows.length > 0 && !seen) throw new Error(`invalid weight field: expected rows with "${field}", got none that have it`);
  if (!(sum > 0)) throw new Error(`invalid weights "${field}": expected a positive total, got ${sum}`);
  return totals;
}

/** The index whose weight interval holds `u` (a float in [0, 1)). */
export function pickWeighted(totals: readonly number[], u: number): number {
  const target = u * (totals[totals.length - 1] as number);
  let lo = 0;
  let hi = totals.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((totals[mid] as number) > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
