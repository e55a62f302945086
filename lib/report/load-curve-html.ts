// The latency-vs-load report of `k6-llm report`: time series and the latency-against-VUs curve,
// in the same self-contained page as the end-of-test report.
import { escapeXml } from './escape';
import { formatCount, formatMs, formatNumber, formatPercent, formatUsd, MISSING } from './format';
import type { LoadCurve, LoadCurveBucket } from './load-curve';
import { card, figure, htmlPage, htmlTable } from './page';
import { PERCENTILE_COLORS, tickText, xyChart, type XYSeries } from './svg';

export interface LoadCurveHtmlOptions {
  /** @default 'k6-llm latency under load' */
  title?: string;
  /** A line under the heading, e.g. the input file's name. */
  subtitle?: string;
}

/** `95` -> `1m35s`, `30` -> `30s`, `3600` -> `1h`: time since the run started. */
export function formatClock(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return `${h}h${m > 0 ? `${m}m` : ''}`;
  if (m > 0) return `${m}m${rest > 0 ? `${rest}s` : ''}`;
  return `${rest}s`;
}

/** A bucket width: `5 s`, `0.5 s`, `60 s`. */
function formatSeconds(seconds: number): string {
  return `${Number(seconds.toFixed(3))} s`;
}

type Field = 'ttft' | 'itl' | 'tpot' | 'e2e';

function latencySeries(buckets: LoadCurveBucket[], field: Field, x: (b: LoadCurveBucket) => number | undefined, line: boolean): XYSeries[] {
  const points = (p: 'p50' | 'p95') =>
    buckets
      .map((b) => [x(b), b[field]?.[p]] as const)
      .filter((pt): pt is readonly [number, number | undefined] => pt[0] !== undefined);
  return [
    { name: 'p50', color: PERCENTILE_COLORS.p50, points: points('p50'), line, markers: !line },
    { name: 'p95', color: PERCENTILE_COLORS.p95, points: points('p95'), line, markers: !line },
  ];
}

/** Renders a `LoadCurve` as one self-contained HTML page of inline SVG time series. */
export function loadCurveHtml(curve: LoadCurve, options: LoadCurveHtmlOptions = {}): string {
  const title = options.title ?? 'k6-llm latency under load';
  const b = curve.buckets;
  const mid = (bucket: LoadCurveBucket) => bucket.startS + bucket.spanS / 2;
  const end = b.length > 0 ? (b[b.length - 1] as LoadCurveBucket).startS + (b[b.length - 1] as LoadCurveBucket).spanS : 0;
  const time = (id: string, caption: string, unit: string, series: XYSeries[], format?: (v: number) => string, formatTick?: (v: number, step: number) => string) =>
    figure(caption, xyChart({ id, title: caption, unit, series, xLabel: 'time since start', formatX: formatClock, format, formatTick, xDomain: [0, end] }));
  const has = (field: Field) => b.some((bucket) => bucket[field] !== undefined);

  const charts: string[] = [];
  if (has('ttft')) charts.push(time('ttft-over-time', 'Time to first token over time (ms)', 'ms', latencySeries(b, 'ttft', mid, true), formatMs));
  if (has('itl')) charts.push(time('itl-over-time', 'Inter-token latency over time (ms)', 'ms', latencySeries(b, 'itl', mid, true), formatMs));
  if (has('e2e')) charts.push(time('e2e-over-time', 'End-to-end latency over time (ms)', 'ms', latencySeries(b, 'e2e', mid, true), formatMs));
  charts.push(time('vus-over-time', 'Active VUs', 'VUs', [{ name: 'VUs (mean in bucket)', color: '#59a14f', points: b.map((x) => [mid(x), x.vus] as const) }]));
  charts.push(
    time('requests-over-time', 'Request rate (requests/s)', 'req/s', [{ name: 'requests/s', color: '#4e79a7', points: b.map((x) => [mid(x), x.requestsPerS] as const) }]),
  );
  charts.push(
    time('errors-over-time', 'Errors and 429s per second', 'per s', [
      { name: 'errors/s', color: '#e15759', points: b.map((x) => [mid(x), x.errorsPerS] as const) },
      { name: '429s/s (attempts)', color: '#b07aa1', points: b.map((x) => [mid(x), x.rateLimitedPerS] as const), dashed: true },
    ]),
  );
  charts.push(
    time('tokens-over-time', 'Output tokens per second (all VUs)', 'tokens/s', [{ name: 'output tokens/s', color: '#f28e2b', points: b.map((x) => [mid(x), x.outputTokensPerS] as const) }]),
  );
  charts.push(time('cost-over-time', 'Cumulative cost (USD)', 'USD', [{ name: 'cumulative cost', color: '#9c755f', points: b.map((x) => [mid(x), x.cumulativeCostUsd] as const) }], formatUsd, (v, step) => `$${tickText(v, step)}`));

  // The curve itself: each bucket is one point, load on x, latency on y.
  const curveCharts: string[] = [];
  const withVus = b.filter((x) => x.vus !== undefined);
  for (const field of ['ttft', 'e2e'] as const) {
    if (!has(field)) continue;
    const caption = `${field === 'ttft' ? 'TTFT' : 'e2e'} against active VUs (one point per ${formatSeconds(curve.bucketS)} bucket)`;
    curveCharts.push(
      figure(caption, xyChart({ id: `${field}-vs-load`, title: caption, unit: 'ms', series: latencySeries(withVus, field, (x) => x.vus, false), xLabel: 'active VUs', format: formatMs, xFromZero: true })),
    );
  }
  if (has('ttft')) {
    const caption = 'TTFT against request rate';
    curveCharts.push(
      figure(caption, xyChart({ id: 'ttft-vs-rate', title: caption, unit: 'ms', series: latencySeries(b.filter((x) => x.requests > 0), 'ttft', (x) => x.requestsPerS, false), xLabel: 'requests/s', format: formatMs, xFromZero: true })),
    );
  }

  const t = curve.totals;
  const peakVus = b.reduce((max, x) => Math.max(max, x.vus ?? 0), 0);
  const peakRate = b.reduce((max, x) => Math.max(max, x.requestsPerS), 0);
  const cards = [
    card('Duration', `${formatClock(curve.durationS)}`),
    card('Buckets', `${b.length} × ${formatSeconds(curve.bucketS)}`),
    card('Requests', formatCount(t.requests)),
    card('Errors', `${formatCount(t.errors)} (${formatPercent(t.requests > 0 ? t.errors / t.requests : undefined)})`),
    card('429 share of attempts', formatPercent(t.attempts > 0 ? t.rateLimited / t.attempts : undefined)),
    card('Peak VUs', Number.isInteger(peakVus) ? formatCount(peakVus) : formatNumber(peakVus)),
    card('Peak requests/s', formatNumber(peakRate)),
    card('Cost', formatUsd(t.costUsd)),
  ];
  const notes: string[] = [];
  if (curve.skippedLines > 0) {
    notes.push(
      `${curve.skippedLines} line${curve.skippedLines === 1 ? ' was' : 's were'} not JSON and skipped${curve.truncatedLastLine ? ' (the last line was cut off: k6 stopped while writing it)' : ''}.`,
    );
  }
  if (curve.sampled) notes.push('Some buckets held more latency samples than kept per bucket; their percentiles come from a uniform random sample of them.');
  if (t.droppedIterations > 0) notes.push(`${formatCount(t.droppedIterations)} iterations were dropped: the generator could not keep the arrival rate, so the load offered was lower than planned.`);
  if (t.requests === 0) notes.push('No llm_requests sample in this file: was it written by `k6 run --out json=...` of a k6-llm script?');

  const rows = b.map((x) => [
    formatClock(x.startS),
    x.vus !== undefined ? formatNumber(x.vus) : MISSING,
    formatNumber(x.requestsPerS),
    formatMs(x.ttft?.p50),
    formatMs(x.ttft?.p95),
    formatMs(x.itl?.p50),
    formatMs(x.itl?.p95),
    formatMs(x.e2e?.p95),
    formatCount(x.errors),
    formatCount(x.rateLimited),
    formatUsd(x.cumulativeCostUsd),
  ]);
  const meta = [options.subtitle, curve.startTime ? `started ${curve.startTime}` : undefined, `${formatCount(curve.points)} samples`].filter((x): x is string => Boolean(x));
  const body = [
    `<header><h1>${escapeXml(title)}</h1><div class="meta">${escapeXml(meta.join(' · '))}</div></header>`,
    '<main>',
    `<section id="figures"><h2>Run</h2><div class="cards">${cards.join('')}</div>${notes.map((n) => `<p class="note">${escapeXml(n)}</p>`).join('')}</section>`,
    curveCharts.length > 0 ? `<section id="curve"><h2>Latency against load</h2><div class="grid">${curveCharts.join('')}</div></section>` : '',
    `<section id="timeline"><h2>Over time</h2><div class="grid">${charts.join('')}</div></section>`,
    `<section id="buckets"><h2>Buckets</h2><details><summary>${b.length} buckets of ${formatSeconds(curve.bucketS)}</summary>` +
      htmlTable(['start', 'VUs', 'req/s', 'TTFT p50', 'TTFT p95', 'ITL p50', 'ITL p95', 'e2e p95', 'errors', '429s', 'cost so far'], rows) +
      '</details></section>',
    '</main>',
    `<footer>Generated by k6-llm report from k6's JSON output (${escapeXml(curve.schema)}). Self-contained: no script, no network.</footer>`,
  ].join('\n');
  return htmlPage(title, body);
}
