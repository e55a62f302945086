// Small inline-SVG charts, drawn as strings: no DOM, no script, no external font or style, so
// they render the same from k6's handleSummary and from Node, in any browser, offline.
// Every text goes through escapeXml; every number through fixed(), so output is stable.
import { escapeXml } from './escape';
import { formatNumber, groupThousands } from './format';

/** Colours that stay apart for the common forms of colour blindness (Tableau 10). */
export const PALETTE: readonly string[] = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/** A percentile's colour, the same in every chart. */
export const PERCENTILE_COLORS: Readonly<Record<string, string>> = { p50: '#4e79a7', p90: '#76b7b2', p95: '#f28e2b', p99: '#e15759' };

export interface BarSeries {
  name: string;
  /** One value per category; `undefined` draws no bar. */
  values: ReadonlyArray<number | undefined>;
  color?: string;
}

interface ChartBase {
  /** `data-chart` attribute, for tests and styling. */
  id: string;
  /** Accessible name of the chart (`aria-label` and `<title>`). */
  title: string;
  /** Unit of the value axis, shown at its top: `ms`, `tokens/s`, `USD`. */
  unit?: string;
  /** @default 640 */
  width?: number;
  /** Formats values in labels and tooltips. @default formatNumber */
  format?: (value: number) => string;
  /** Formats value-axis ticks, given the tick step. @default tickText */
  formatTick?: (value: number, step: number) => string;
}

export interface BarChartOptions extends ChartBase {
  categories: readonly string[];
  series: readonly BarSeries[];
  /** @default 280 */
  height?: number;
}

export interface HBarRow {
  label: string;
  value: number;
  color?: string;
  /** Text after the bar. @default format(value) */
  note?: string;
}

export interface HBarChartOptions extends ChartBase {
  rows: readonly HBarRow[];
}

export interface XYSeries {
  name: string;
  points: ReadonlyArray<readonly [number, number | undefined]>;
  color?: string;
  /** Join consecutive points. @default true */
  line?: boolean;
  /** Mark every point. @default false */
  markers?: boolean;
  /** Dashed line. */
  dashed?: boolean;
}

export interface XYChartOptions extends ChartBase {
  series: readonly XYSeries[];
  /** Label of the x axis. */
  xLabel?: string;
  /** Formats x-axis ticks. @default formatNumber */
  formatX?: (x: number) => string;
  /** Start the y axis at 0. @default true */
  yFromZero?: boolean;
  /** Fixed x range, e.g. `[0, durationS]` for a time series. @default the data's range */
  xDomain?: readonly [number, number];
  /** Start the x axis at 0 (a load axis). @default false */
  xFromZero?: boolean;
  /** @default 260 */
  height?: number;
}

const FONT = 11;

/** A number written with at most two decimals: SVG coordinates stay short and stable. */
export function fixed(n: number): string {
  const r = Math.round(n * 100) / 100;
  return String(Object.is(r, -0) ? 0 : r);
}

/** Axis ticks at 1, 2 or 5 times a power of ten, covering `min`..`max` with about `count` steps. */
export function niceTicks(min: number, max: number, count = 5): { min: number; max: number; step: number; ticks: number[] } {
  if (!(max > min)) {
    const base = max === 0 ? 1 : Math.abs(max);
    return niceTicks(Math.min(min, 0), max + base, count);
  }
  const raw = (max - min) / Math.max(1, count);
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * power).find((s) => s >= raw) ?? 10 * power;
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = lo, i = 0; v <= hi + step * 1e-6 && i < 50; v = lo + ++i * step) ticks.push(Math.round(v / step) * step);
  return { min: lo, max: hi, step, ticks };
}

/** Smallest of many numbers without spreading them into arguments (a long run has many points). */
export function minOf(values: readonly number[]): number {
  let min = Infinity;
  for (const v of values) if (v < min) min = v;
  return min;
}

export function maxOf(values: readonly number[]): number {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  return max;
}

/** A tick value with just the decimals its step needs: `0`, `500`, `1,500`, `2.5`, `0.05`. */
export function tickText(value: number, step: number): string {
  let decimals = 0;
  while (decimals < 8 && Math.abs(Math.round(step * Math.pow(10, decimals)) - step * Math.pow(10, decimals)) > 1e-6 * Math.pow(10, decimals)) decimals++;
  const text = value.toFixed(decimals);
  return groupThousands(/^-0(\.0+)?$/.test(text) ? text.slice(1) : text);
}

// No DOM to measure text: 0.6 em is a safe average advance of system sans-serif fonts, so
// labels are laid out (and cut) as if a little wider than they render.
function textWidth(text: string, size = FONT): number {
  return text.length * size * 0.6;
}

function truncate(text: string, maxWidth: number, size = FONT): string {
  const max = Math.max(1, Math.floor(maxWidth / (size * 0.6)));
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

function open(id: string, title: string, width: number, height: number): string {
  const t = escapeXml(title);
  return (
    `<svg class="chart" data-chart="${escapeXml(id)}" role="img" aria-label="${t}" viewBox="0 0 ${fixed(width)} ${fixed(height)}" ` +
    `width="${fixed(width)}" height="${fixed(height)}" preserveAspectRatio="xMinYMin meet" font-family="system-ui, sans-serif" font-size="${FONT}">` +
    `<title>${t}</title>`
  );
}

function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${fixed(x)}" y="${fixed(y)}"${attrs ? ' ' + attrs : ''}>${escapeXml(content)}</text>`;
}

function legend(items: ReadonlyArray<{ name: string; color: string; dashed?: boolean }>, x: number, y: number, maxWidth: number): { svg: string; height: number } {
  let cx = x;
  let cy = y;
  const parts: string[] = [];
  for (const item of items) {
    const w = 14 + textWidth(item.name) + 14;
    if (cx + w > x + maxWidth && cx > x) {
      cx = x;
      cy += 16;
    }
    parts.push(
      `<g class="legend-item"><rect x="${fixed(cx)}" y="${fixed(cy - 9)}" width="10" height="10" rx="2" fill="${item.color}"${item.dashed ? ' fill-opacity="0.55"' : ''}/>` +
        text(cx + 14, cy, item.name, 'class="legend"') +
        '</g>',
    );
    cx += w;
  }
  return { svg: `<g class="legend">${parts.join('')}</g>`, height: cy - y + 16 };
}

function emptyChart(id: string, title: string, width: number, message: string): string {
  return `${open(id, title, width, 60)}${text(width / 2, 34, message, 'text-anchor="middle" class="empty" fill="#666"')}</svg>`;
}

/** Vertical bars grouped by category, one bar per series in each group, value labels on the bars. */
export function barChart(o: BarChartOptions): string {
  const width = o.width ?? 640;
  const height = o.height ?? 280;
  const format = o.format ?? formatNumber;
  const values: number[] = [];
  for (const s of o.series) for (const v of s.values) if (v !== undefined && Number.isFinite(v)) values.push(v);
  if (o.categories.length === 0 || values.length === 0) return emptyChart(o.id, o.title, width, 'no data');
  const scale = niceTicks(Math.min(0, minOf(values)), maxOf(values));
  const tickLabels = scale.ticks.map((t) => (o.formatTick ?? tickText)(t, scale.step));
  const left = Math.max(36, maxOf(tickLabels.map((l) => textWidth(l))) + 12);
  const right = 8;
  const items = o.series.map((s, i) => ({ name: s.name, color: s.color ?? PALETTE[i % PALETTE.length] as string }));
  const lg = legend(items, left, 14, width - left - right);
  const plotW = width - left - right;
  const groupW = plotW / o.categories.length;
  const barW = Math.max(2, (groupW * 0.78) / Math.max(1, o.series.length));
  const labels = values.map(format);
  const labelLong = maxOf(labels.map((l) => textWidth(l, 10)));
  // Labels lie flat when they fit on their bar, else stand upright above it.
  const upright = labelLong > barW + 2;
  const top = 14 + lg.height + (upright ? labelLong + 6 : 16);
  const bottom = 24;
  const plotH = height - top - bottom;
  const y = (v: number) => top + plotH - ((v - scale.min) / (scale.max - scale.min)) * plotH;
  const parts: string[] = [open(o.id, o.title, width, height), lg.svg];
  if (o.unit) parts.push(text(4, top - (upright ? labelLong + 6 : 16) + 2, o.unit, 'class="unit" fill="#555"'));
  scale.ticks.forEach((tick, i) => {
    parts.push(`<line class="grid" x1="${fixed(left)}" x2="${fixed(width - right)}" y1="${fixed(y(tick))}" y2="${fixed(y(tick))}" stroke="#e3e3e3"/>`);
    parts.push(text(left - 6, y(tick) + 4, tickLabels[i] as string, 'text-anchor="end" class="tick" fill="#555"'));
  });
  o.categories.forEach((category, ci) => {
    const gx = left + ci * groupW + (groupW - barW * o.series.length) / 2;
    o.series.forEach((s, si) => {
      const v = s.values[ci];
      if (v === undefined || !Number.isFinite(v)) return;
      const x = gx + si * barW;
      const y0 = y(Math.max(0, scale.min));
      const yv = y(v);
      const label = format(v);
      parts.push(
        `<rect class="bar" data-series="${escapeXml(s.name)}" data-category="${escapeXml(category)}" x="${fixed(x + 1)}" y="${fixed(Math.min(yv, y0))}" ` +
          `width="${fixed(barW - 2)}" height="${fixed(Math.max(1, Math.abs(y0 - yv)))}" fill="${items[si]?.color}"><title>${escapeXml(`${category} ${s.name}: ${label}${o.unit ? ' ' + o.unit : ''}`)}</title></rect>`,
      );
      const cx = x + barW / 2;
      parts.push(
        upright
          ? text(cx + 3.5, Math.min(yv, y0) - 4, label, `class="value" font-size="10" fill="#333" transform="rotate(-90 ${fixed(cx + 3.5)} ${fixed(Math.min(yv, y0) - 4)})"`)
          : text(cx, Math.min(yv, y0) - 4, label, 'class="value" font-size="10" fill="#333" text-anchor="middle"'),
      );
    });
    parts.push(text(left + ci * groupW + groupW / 2, height - 8, truncate(category, groupW - 4), 'text-anchor="middle" class="category" fill="#222"'));
  });
  parts.push(`<line class="axis" x1="${fixed(left)}" x2="${fixed(width - right)}" y1="${fixed(y(Math.max(0, scale.min)))}" y2="${fixed(y(Math.max(0, scale.min)))}" stroke="#888"/>`);
  parts.push('</svg>');
  return parts.join('');
}

/** One horizontal bar per row, label on the left and value after the bar. */
export function hBarChart(o: HBarChartOptions): string {
  const width = o.width ?? 640;
  const format = o.format ?? formatNumber;
  const rows = o.rows.filter((r) => Number.isFinite(r.value));
  if (rows.length === 0) return emptyChart(o.id, o.title, width, 'no data');
  const rowH = 24;
  const labelW = Math.min(width * 0.34, maxOf(rows.map((r) => textWidth(r.label))) + 10);
  const notes = rows.map((r) => r.note ?? format(r.value));
  const noteW = maxOf(notes.map((n) => textWidth(n))) + 8;
  const plotW = Math.max(40, width - labelW - noteW - 8);
  const max = Math.max(maxOf(rows.map((r) => r.value)), 0);
  const height = rows.length * rowH + 12;
  const parts: string[] = [open(o.id, o.title, width, height)];
  rows.forEach((r, i) => {
    const y = 6 + i * rowH;
    const w = max > 0 ? (Math.max(0, r.value) / max) * plotW : 0;
    const color = r.color ?? (PALETTE[i % PALETTE.length] as string);
    parts.push(text(labelW - 8, y + 15, truncate(r.label, labelW - 10), 'text-anchor="end" class="category" fill="#222"'));
    parts.push(
      `<rect class="bar" data-category="${escapeXml(r.label)}" x="${fixed(labelW)}" y="${fixed(y + 3)}" width="${fixed(Math.max(1, w))}" height="${rowH - 8}" rx="2" fill="${color}">` +
        `<title>${escapeXml(`${r.label}: ${notes[i]}`)}</title></rect>`,
    );
    parts.push(text(labelW + Math.max(1, w) + 6, y + 15, notes[i] as string, 'class="value" fill="#333"'));
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Lines and/or points over a numeric x axis (time series, latency against load). Gaps where y is undefined. */
export function xyChart(o: XYChartOptions): string {
  const width = o.width ?? 640;
  const height = o.height ?? 260;
  const format = o.format ?? formatNumber;
  const formatX = o.formatX ?? formatNumber;
  const formatXTick = o.formatX ?? ((v: number) => tickText(v, xScale.step));
  const defined: Array<readonly [number, number]> = [];
  for (const s of o.series) for (const [px, py] of s.points) if (py !== undefined && Number.isFinite(py) && Number.isFinite(px)) defined.push([px, py]);
  if (defined.length === 0) return emptyChart(o.id, o.title, width, 'no data');
  const ys = defined.map((p) => p[1]);
  const xs = defined.map((p) => p[0]);
  const yScale = niceTicks(o.yFromZero === false ? minOf(ys) : Math.min(0, minOf(ys)), maxOf(ys));
  const xMin = o.xDomain ? o.xDomain[0] : o.xFromZero ? Math.min(0, minOf(xs)) : minOf(xs);
  const xMax = o.xDomain ? o.xDomain[1] : maxOf(xs);
  const xScale = niceTicks(xMin, xMax > xMin ? xMax : xMin + 1, Math.max(2, Math.floor(width / 110)));
  const tickLabels = yScale.ticks.map((t) => (o.formatTick ?? tickText)(t, yScale.step));
  const left = Math.max(36, maxOf(tickLabels.map((l) => textWidth(l))) + 12);
  const right = 14;
  const items = o.series.map((s, i) => ({ name: s.name, color: s.color ?? (PALETTE[i % PALETTE.length] as string), dashed: s.dashed }));
  const lg = legend(items, left, 14, width - left - right);
  const top = 14 + lg.height + 20;
  const bottom = o.xLabel ? 40 : 26;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const x = (v: number) => left + ((v - xScale.min) / (xScale.max - xScale.min)) * plotW;
  const y = (v: number) => top + plotH - ((v - yScale.min) / (yScale.max - yScale.min)) * plotH;
  const parts: string[] = [open(o.id, o.title, width, height), lg.svg];
  if (o.unit) parts.push(text(4, top - 11, o.unit, 'class="unit" fill="#555"'));
  yScale.ticks.forEach((tick, i) => {
    parts.push(`<line class="grid" x1="${fixed(left)}" x2="${fixed(width - right)}" y1="${fixed(y(tick))}" y2="${fixed(y(tick))}" stroke="#e3e3e3"/>`);
    parts.push(text(left - 6, y(tick) + 4, tickLabels[i] as string, 'text-anchor="end" class="tick" fill="#555"'));
  });
  let lastRight = -Infinity;
  for (const tick of xScale.ticks) {
    const label = formatXTick(tick);
    const cx = x(tick);
    // Skip a tick label that would run into the previous one.
    if (cx - textWidth(label) / 2 < lastRight + 6) continue;
    lastRight = cx + textWidth(label) / 2;
    parts.push(`<line class="xtick" x1="${fixed(cx)}" x2="${fixed(cx)}" y1="${fixed(top + plotH)}" y2="${fixed(top + plotH + 4)}" stroke="#888"/>`);
    parts.push(text(cx, top + plotH + 16, label, 'text-anchor="middle" class="tick" fill="#555"'));
  }
  if (o.xLabel) parts.push(text(left + plotW / 2, height - 6, o.xLabel, 'text-anchor="middle" class="axis-label" fill="#333"'));
  parts.push(`<line class="axis" x1="${fixed(left)}" x2="${fixed(width - right)}" y1="${fixed(top + plotH)}" y2="${fixed(top + plotH)}" stroke="#888"/>`);
  o.series.forEach((s, si) => {
    const color = items[si]?.color as string;
    if (s.line !== false) {
      let d = '';
      let pen = false;
      for (const [px, py] of s.points) {
        if (py === undefined || !Number.isFinite(py)) {
          pen = false;
          continue;
        }
        d += `${pen ? 'L' : 'M'}${fixed(x(px))} ${fixed(y(py))}`;
        pen = true;
      }
      if (d) {
        parts.push(
          `<path class="line" data-series="${escapeXml(s.name)}" d="${d}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`,
        );
      }
    }
    if (s.markers) {
      for (const [px, py] of s.points) {
        if (py === undefined || !Number.isFinite(py)) continue;
        parts.push(
          `<circle class="point" data-series="${escapeXml(s.name)}" cx="${fixed(x(px))}" cy="${fixed(y(py))}" r="3" fill="${color}"><title>${escapeXml(`${s.name}: ${format(py)} at ${formatX(px)}`)}</title></circle>`,
        );
      }
    }
  });
  parts.push('</svg>');
  return parts.join('');
}
