// The end-of-test text summary: a compact, fixed-width view of the llm_* metrics that reads the
// same in a terminal and in a CI log.
import { usedColumns } from './breakdown-columns';
import { formatCount, formatMs, formatNumber, formatObserved, formatPercent, formatUsd, MISSING, refusalText } from './format';
import { judgedFigure, thresholdCaveat, unpricedModels } from './coverage';
import { llmReport, OTHER_ERROR_TYPE, type BreakdownRow, type LlmReport, type ReportOptions } from './report';
import type { K6SummaryData, TrendStats } from './summary-data';

export interface TextSummaryOptions extends ReportOptions {
  /** Prefix of every line. @default '  ' */
  indent?: string;
  /** Column at which warnings' reasons wrap. @default 100 */
  width?: number;
}

const STAT_COLUMNS: ReadonlyArray<[keyof TrendStats, string]> = [
  ['p50', 'p50'],
  ['p90', 'p90'],
  ['p95', 'p95'],
  ['p99', 'p99'],
  ['max', 'max'],
];

/**
 * A compact text table of the run's llm_* metrics, cost projections, thresholds and run-trust
 * verdict. Returning it as `stdout` from handleSummary replaces k6's own end-of-test summary.
 */
export function llmTextSummary(data: K6SummaryData, options: TextSummaryOptions = {}): string {
  return renderText(llmReport(data, options), options);
}

/** Renders an already built report as text. */
export function renderText(report: LlmReport, options: Pick<TextSummaryOptions, 'indent' | 'width'> = {}): string {
  const indent = options.indent ?? '  ';
  const width = options.width ?? 100;
  const lines: string[] = [];
  const r = report.requests;
  const head = ['k6-llm'];
  if (report.durationS !== undefined) head.push(`${formatNumber(report.durationS)} s`);
  head.push(`${formatCount(r.total)} requests${r.perS !== undefined ? ` (${formatNumber(r.perS)}/s)` : ''}`);
  head.push(`run trust: ${report.verdict.level.toUpperCase()}`);
  lines.push('', head.join('  ·  '), '');

  // Latency
  if (report.latency.length > 0) {
    const columns = STAT_COLUMNS.filter(([stat]) => report.latency.some((row) => row.stats[stat] !== undefined));
    const rows = [['latency (ms)', ...columns.map(([, label]) => label)]];
    for (const row of report.latency) rows.push([row.label, ...columns.map(([stat]) => formatMs(row.stats[stat]))]);
    lines.push(...table(rows, ['l', ...columns.map(() => 'r' as const)]));
  } else {
    lines.push('latency       no llm_* latency was recorded');
  }
  for (const missing of report.missingPercentiles) {
    lines.push(`  (${missing.percentile} not computed: add '${missing.stat}' to options.summaryTrendStats)`);
  }
  lines.push('');

  // Flat figures
  const facts: Array<[string, string]> = [];
  const tps = report.throughput.outputTokensPerS;
  const perEvent = report.throughput.tokensPerEvent;
  const throughput: string[] = [];
  if (tps) throughput.push(`output ${formatNumber(tps.p50 ?? tps.avg)} tokens/s per request (p50)${tps.p95 !== undefined ? `, ${formatNumber(tps.p95)} (p95)` : ''}`);
  if (perEvent && (perEvent.p50 ?? perEvent.avg) !== undefined) throughput.push(`${formatNumber(perEvent.p50 ?? perEvent.avg)} tokens/event (p50)`);
  if (throughput.length > 0) facts.push(['throughput', throughput.join(' · ')]);

  const req = [`${formatCount(r.total)}`, `errors ${formatCount(r.errors)} (${formatPercent(r.errorShare)})`];
  if (r.rateLimitedShare !== undefined) req.push(`429s ${formatPercent(r.rateLimitedShare)} of ${formatCount(r.attempts)} attempts`);
  req.push(`retries ${formatCount(r.retries)}`);
  if (r.droppedIterations !== undefined) req.push(`dropped iterations ${formatCount(r.droppedIterations)}`);
  facts.push(['requests', req.join(' · ')]);

  const quality: string[] = [];
  if (r.goodputShare !== undefined) quality.push(`goodput ${formatPercent(r.goodputShare)}`);
  if (r.incompleteShare !== undefined) quality.push(`incomplete ${formatPercent(r.incompleteShare)}`);
  quality.push(`validation failed ${r.validationFailedShare !== undefined ? formatPercent(r.validationFailedShare) : MISSING}`);
  for (const v of report.validators) quality.push(`${v.name} ${formatPercent(v.failedShare)}`);
  if (report.refusals) quality.push(`refused ${refusalText(report.refusals)}`);
  facts.push(['quality', quality.join(' · ')]);

  const t = report.tokens;
  const tok = [`in ${formatCount(t.input)}`, `out ${formatCount(t.output)}`];
  tok.push(`cached ${formatCount(t.cachedInput)}${t.cachedShare !== undefined ? ` (${formatPercent(t.cachedShare)} of input)` : ''}`);
  if (t.cacheWriteInput !== undefined) tok.push(`cache writes ${formatCount(t.cacheWriteInput)}`);
  tok.push(`reasoning ${formatCount(t.reasoning)}`);
  if (t.estimatedRequests !== undefined && t.estimatedRequests > 0) tok.push(`estimated for ${formatPercent(r.estimatedUsageShare)} of requests (${formatCount(t.estimatedRequests)})`);
  facts.push(['tokens', tok.join(' · ')]);

  facts.push(['cost', costLine(report)]);
  if (report.rateLimit.remainingRequests !== undefined || report.rateLimit.remainingTokens !== undefined) {
    facts.push(['rate limit', `last remaining: ${formatCount(report.rateLimit.remainingRequests)} requests, ${formatCount(report.rateLimit.remainingTokens)} tokens`]);
  }
  if (report.errorsByType.length > 0) {
    facts.push(['errors by type', report.errorsByType.map((e) => `${e.type === OTHER_ERROR_TYPE ? 'other types' : e.type} ${formatCount(e.count)}`).join(' · ')]);
  }
  for (const [label, value] of facts) lines.push(...wrap(`${label.padEnd(16)}${value}`, width - indent.length, ' '.repeat(16)));
  lines.push('');

  // Breakdowns
  for (const [title, rows] of [
    ['by model', report.byModel],
    ['by output bucket', report.byOutputBucket],
  ] as const) {
    if (rows.length === 0) continue;
    lines.push(...breakdownTable(title, rows));
    if (report.cost.partial && report.cost.totalUsd !== undefined && rows.some((row) => row.costUsd !== undefined)) lines.push('  (cost: priced requests only)');
    lines.push('');
  }

  // Thresholds
  const real = report.thresholds.filter((th) => !th.noOp);
  const hidden = report.thresholds.length - real.length;
  if (real.length > 0 || hidden > 0) {
    const failed = real.filter((th) => !th.ok).length;
    lines.push(`thresholds      ${real.length - failed} passed, ${failed} failed${hidden > 0 ? ` (${hidden} breakdown-only threshold${hidden === 1 ? '' : 's'} not shown)` : ''}`);
    const rows = real.map((th) => {
      const observed = th.noSamples ? 'no samples: passed vacuously' : th.observed ? `${th.observed.stat} = ${formatObserved(th.metric, th.observed.value)}` : '';
      return [th.ok ? (th.noSamples || thresholdCaveat(th) ? '?' : '✓') : '✗', th.metric, th.expression, judgedFigure(th, observed)];
    });
    if (rows.length > 0) lines.push(...table(rows, ['l', 'l', 'l', 'l'], 0).map((line) => `  ${line}`));
    lines.push('');
  }

  // Verdict
  lines.push(`run trust: ${report.verdict.level.toUpperCase()}${report.verdict.warnings.length === 0 ? ' (no warning)' : ''}`);
  for (const w of report.verdict.warnings) {
    lines.push(...wrap(`  ${w.level === 'bad' ? '✗' : '!'} ${w.code}: ${w.message}`, width - indent.length, '      '));
    lines.push(...wrap(`      why: ${w.reason}`, width - indent.length, '           '));
  }
  lines.push('');
  return lines.map((line) => (line === '' ? '' : indent + line)).join('\n') + '\n';
}

/** The cost figures, or why there are none; a cost that left requests out says so and names their models. */
function costLine(report: LlmReport): string {
  const c = report.cost;
  const missing = unpricedModels(report);
  if (c.totalUsd === undefined) {
    if (c.unpricedRequests !== undefined && c.unpricedRequests > 0) {
      return `not counted: ${formatCount(c.pricedRequests)} of ${formatCount(report.requests.total)} requests priced · no price for ${missing}`;
    }
    if (c.pricedRequests !== undefined) return 'not recorded: every request was priced, but none reported or carried token counts';
    return 'not recorded (no price for the model, or price: false)';
  }
  const partial = c.partial === true;
  const cost = [partial ? `partial: ${formatUsd(c.totalUsd)} for the ${formatCount(c.pricedRequests)} of ${formatCount(report.requests.total)} requests priced` : `${formatUsd(c.totalUsd)} total`];
  const per = partial ? 'priced request' : 'request';
  if (c.perRequestAvg !== undefined) cost.push(`${formatUsd(c.perRequestAvg)}/${per}`, `${formatUsd(c.per1kRequests)} per 1k ${per}s`);
  if (c.perHourAtObservedRate !== undefined) cost.push(`${formatUsd(c.perHourAtObservedRate)}/hour ${partial ? 'for the priced part' : 'at the observed rate'}`);
  if (c.perMonthAtVolume !== undefined) cost.push(`${formatUsd(c.perMonthAtVolume)}/month at ${formatCount(c.requestsPerDay)} requests/day`);
  if (partial) cost.push(`no price for ${missing}`);
  if (c.estimatedShare !== undefined) cost.push(`from estimated counts for ${formatPercent(c.estimatedShare)} of requests`);
  return cost.join(' · ');
}

function breakdownTable(title: string, rows: BreakdownRow[]): string[] {
  const used = usedColumns(rows, false);
  const out = [[title, ...used.map((c) => c.shortLabel ?? c.label)]];
  for (const row of rows) out.push([row.value, ...used.map((c) => c.get(row) ?? MISSING)]);
  return table(out, ['l', ...used.map(() => 'r' as const)]);
}

/** Left- or right-aligned columns two spaces apart; the first column is at least `firstWidth` wide. */
function table(rows: string[][], align: ReadonlyArray<'l' | 'r'>, firstWidth = 14): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? (i === 0 ? firstWidth : 0), cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (align[i] === 'r' ? cell.padStart(widths[i] ?? 0) : i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .replace(/\s+$/, ''),
  );
}

/** Breaks a line at spaces to fit `width`, continuing with `hang`. */
function wrap(line: string, width: number, hang: string): string[] {
  if (line.length <= width) return [line];
  const out: string[] = [];
  let rest = line;
  let prefix = '';
  while ((prefix + rest).length > width) {
    const room = width - prefix.length;
    let cut = rest.lastIndexOf(' ', room);
    if (cut <= 0) cut = rest.indexOf(' ', room);
    if (cut <= 0) break;
    out.push(prefix + rest.slice(0, cut));
    rest = rest.slice(cut + 1);
    prefix = hang;
  }
  out.push(prefix + rest);
  return out;
}
