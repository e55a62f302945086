// The columns of a breakdown table (by model, by output bucket), shared by the text and
// HTML renderers so both show the same figures under the same rules.
import { formatCount, formatMs, formatNumber, formatPercent, formatUsd } from './format';
import type { BreakdownRow } from './report';

export interface BreakdownColumn {
  label: string;
  /** Narrower label for the text table. */
  shortLabel?: string;
  /** Shown in the HTML table only (the text table stays within its width). */
  htmlOnly?: boolean;
  get(row: BreakdownRow): string | undefined;
}

export const BREAKDOWN_COLUMNS: readonly BreakdownColumn[] = [
  { label: 'requests', get: (row) => (row.requests !== undefined ? formatCount(row.requests) : undefined) },
  { label: 'errors', get: (row) => (row.errorShare !== undefined ? formatPercent(row.errorShare) : undefined) },
  { label: 'TTFT p50', get: (row) => (row.ttft?.p50 !== undefined ? formatMs(row.ttft.p50) : undefined) },
  { label: 'TTFT p95', get: (row) => (row.ttft?.p95 !== undefined ? formatMs(row.ttft.p95) : undefined) },
  { label: 'ITL p50', get: (row) => (row.itl?.p50 !== undefined ? formatMs(row.itl.p50) : undefined) },
  { label: 'TPOT p50', get: (row) => (row.tpot?.p50 !== undefined ? formatMs(row.tpot.p50) : undefined) },
  { label: 'e2e p95', get: (row) => (row.e2e?.p95 !== undefined ? formatMs(row.e2e.p95) : undefined) },
  {
    label: 'tokens/s p50',
    shortLabel: 'tok/s p50',
    get: (row) => (row.outputTokensPerS?.p50 !== undefined ? formatNumber(row.outputTokensPerS.p50) : undefined),
  },
  { label: 'output tokens', htmlOnly: true, get: (row) => (row.outputTokens !== undefined ? formatCount(row.outputTokens) : undefined) },
  { label: 'goodput', get: (row) => (row.goodputShare !== undefined ? formatPercent(row.goodputShare) : undefined) },
  { label: 'cost', get: costCell },
];

/** A row's cost; `no price` when none of its requests was priced, marked `partial` when some were not. */
function costCell(row: BreakdownRow): string | undefined {
  const unpriced = row.unpricedRequests ?? 0;
  if (unpriced > 0 && (row.requests === undefined || unpriced >= row.requests)) return 'no price';
  if (row.costUsd === undefined) return undefined;
  return unpriced > 0 ? `${formatUsd(row.costUsd)} partial` : formatUsd(row.costUsd);
}

/** The columns with a value in at least one row, for the text (`html: false`) or HTML table. */
export function usedColumns(rows: readonly BreakdownRow[], html: boolean): BreakdownColumn[] {
  return BREAKDOWN_COLUMNS.filter((c) => (html || !c.htmlOnly) && rows.some((row) => c.get(row) !== undefined));
}
