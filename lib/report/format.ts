// Number formatting for the text, HTML and SVG reports. No Intl: Sobek (k6's runtime) has only a
// partial one, and the same report must read the same in k6 and in Node.

/** What a report shows for a figure it does not have. */
export const MISSING = '—';

/** Digits grouped in threes: `1234567` -> `1,234,567`. */
export function groupThousands(digits: string): string {
  const negative = digits.startsWith('-');
  const body = negative ? digits.slice(1) : digits;
  const [whole = '', fraction] = body.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (negative ? '-' : '') + grouped + (fraction !== undefined ? `.${fraction}` : '');
}

/**
 * A duration in milliseconds at a precision that suits its size: `0.42`, `24.5`, `203.5`, `2,106`.
 * Below 10 ms two decimals (ITL sits there), below 1 s one, above that whole milliseconds.
 */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return MISSING;
  const abs = Math.abs(ms);
  if (abs < 10) return ms.toFixed(2);
  if (abs < 1000) return ms.toFixed(1);
  return groupThousands(ms.toFixed(0));
}

/** A duration with its unit, switching to seconds from 10 s up: `203.5 ms`, `2,106 ms`, `12.3 s`. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return MISSING;
  if (Math.abs(ms) >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${formatMs(ms)} ms`;
}

/** A count: whole numbers grouped (`1,632`), fractions to three significant digits. */
export function formatCount(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return MISSING;
  if (Number.isInteger(n)) return groupThousands(String(n));
  return formatNumber(n);
}

/** A plain figure at three significant digits, never in exponent form: `50.5`, `0.0123`, `1,234`. */
export function formatNumber(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return MISSING;
  if (n === 0) return '0';
  const abs = Math.abs(n);
  if (abs >= 100) return groupThousands(n.toFixed(0));
  return n.toFixed(decimalsFor(abs, 3));
}

/** A share of 0..1 as a percentage: `0%`, `<0.1%`, `4.2%`, `100%`. */
export function formatPercent(share: number | undefined): string {
  if (share === undefined || !Number.isFinite(share)) return MISSING;
  if (share === 0) return '0%';
  if (share === 1) return '100%';
  if (Math.abs(share) < 0.001) return '<0.1%';
  return `${(share * 100).toFixed(1)}%`;
}

/**
 * US dollars: cents from $1 up (`$12.35`, `$1,234.50`), three significant digits below
 * (`$0.00101`, `$0.0596`): one request often costs a fraction of a cent.
 */
export function formatUsd(usd: number | undefined): string {
  if (usd === undefined || !Number.isFinite(usd)) return MISSING;
  if (usd === 0) return '$0';
  const abs = Math.abs(usd);
  const sign = usd < 0 ? '-' : '';
  if (abs >= 1) return `${sign}$${groupThousands(abs.toFixed(2))}`;
  return `${sign}$${abs.toFixed(decimalsFor(abs, 3))}`;
}

/** Decimals that show `significant` digits of a number below 100, at most 10. */
function decimalsFor(abs: number, significant: number): number {
  const magnitude = Math.floor(Math.log10(abs));
  return Math.min(10, Math.max(0, significant - 1 - magnitude));
}

/** A threshold's observed figure: dollars for a cost metric, whole counts grouped, other figures at three significant digits. */
export function formatObserved(metric: string, value: number): string {
  if (metric.indexOf('llm_cost_usd') === 0) return formatUsd(value);
  return Number.isInteger(value) ? formatCount(value) : formatNumber(value);
}

/** `1.2% (3 of 250 answers: 2 by the provider, 1 by the heuristic)`; the split only where the summary has it. */
export function refusalText(refusals: { share: number; refused: number; answers: number; byProvider?: number; byHeuristic?: number }): string {
  const by: string[] = [];
  if (refusals.byProvider !== undefined) by.push(`${formatCount(refusals.byProvider)} by the provider`);
  if (refusals.byHeuristic !== undefined) by.push(`${formatCount(refusals.byHeuristic)} by the heuristic`);
  const split = by.length > 0 && refusals.refused > 0 ? `: ${by.join(', ')}` : '';
  return `${formatPercent(refusals.share)} (${formatCount(refusals.refused)} of ${formatCount(refusals.answers)} answers${split})`;
}
