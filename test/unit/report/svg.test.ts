import { describe, expect, it } from 'vitest';
import { barChart, fixed, hBarChart, niceTicks, tickText, xyChart } from '../../../lib/report/svg';

describe('chart scales', () => {
  it.each<[number, number, number, number, number]>([
    [0, 216.5, 0, 250, 50],
    [0, 2133, 0, 2500, 500],
    [0, 0.0348, 0, 0.04, 0.01],
    [0, 7, 0, 8, 2],
    [5.4, 5.67, 5.4, 5.7, 0.1],
  ])('spans %s..%s with ticks from %s to %s every %s', (min, max, lo, hi, step) => {
    const s = niceTicks(min, max);
    expect(s.min).toBeCloseTo(lo, 9);
    expect(s.max).toBeCloseTo(hi, 9);
    expect(s.step).toBeCloseTo(step, 9);
    expect(s.ticks[0]).toBeCloseTo(lo, 9);
    expect(s.ticks[s.ticks.length - 1]).toBeCloseTo(hi, 9);
  });

  it('gives a flat series a range instead of dividing by zero', () => {
    const s = niceTicks(0, 0);
    expect(s.max).toBeGreaterThan(0);
    expect(niceTicks(3, 3).ticks.length).toBeGreaterThan(1);
  });

  it('writes tick labels with just the decimals their step needs', () => {
    expect([0, 500, 1500].map((v) => tickText(v, 500))).toEqual(['0', '500', '1,500']);
    expect([0, 2.5, 5].map((v) => tickText(v, 2.5))).toEqual(['0.0', '2.5', '5.0']);
    expect(tickText(0.03, 0.01)).toBe('0.03');
    expect(fixed(1 / 3)).toBe('0.33');
    expect(fixed(-0.001)).toBe('0');
  });
});

describe('barChart', () => {
  it('draws one bar per defined value, grouped by category, with a legend entry per series', () => {
    const svg = barChart({
      id: 'test',
      title: 'Latency',
      unit: 'ms',
      categories: ['TTFT', 'e2e'],
      series: [
        { name: 'p50', values: [100, 2000] },
        { name: 'p95', values: [150, undefined] },
      ],
    });
    expect(svg.match(/<rect class="bar"/g)).toHaveLength(3);
    expect(svg.match(/class="legend-item"/g)).toHaveLength(2);
    expect(svg).toContain('<title>Latency</title>');
    expect(svg).toContain('<title>TTFT p95: 150 ms</title>');
    // Bars are as tall as their value: e2e p50 (2000) is 20 times TTFT p50 (100).
    const heights = [...svg.matchAll(/<rect class="bar"[^>]*height="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(heights[2]! / heights[0]!).toBeCloseTo(20, 0);
  });

  it('draws a "no data" chart rather than nothing when every value is missing', () => {
    const svg = barChart({ id: 'empty', title: 'Nothing', categories: ['a'], series: [{ name: 'p50', values: [undefined] }] });
    expect(svg).toContain('>no data</text>');
    expect(svg).not.toContain('class="bar"');
  });
});

describe('hBarChart and xyChart', () => {
  it('draws one horizontal bar per row, the longest for the largest value', () => {
    const svg = hBarChart({ id: 'h', title: 'Errors', rows: [{ label: 'http_500', value: 2 }, { label: 'rate_limited', value: 6 }] });
    const widths = [...svg.matchAll(/<rect class="bar"[^>]*width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths).toHaveLength(2);
    expect(widths[1]! / widths[0]!).toBeCloseTo(3, 1);
  });

  it('breaks a line where a value is missing and marks points when asked', () => {
    const svg = xyChart({
      id: 'xy',
      title: 'TTFT',
      series: [
        { name: 'p50', points: [[0, 10], [1, 12], [2, undefined], [3, 11]] },
        { name: 'p95', points: [[0, 20], [3, 30]], line: false, markers: true },
      ],
    });
    const d = /<path class="line" data-series="p50" d="([^"]+)"/.exec(svg)?.[1] ?? '';
    expect(d.match(/M/g)).toHaveLength(2);
    expect(d.match(/L/g)).toHaveLength(1);
    expect(svg.match(/<circle class="point"/g)).toHaveLength(2);
    expect(svg).not.toContain('data-series="p95" d=');
  });

  it('handles many points without spreading them into arguments', () => {
    const points = Array.from({ length: 200_000 }, (_, i) => [i, Math.sin(i / 1000) * 100 + 200] as const);
    const svg = xyChart({ id: 'big', title: 'Big', series: [{ name: 'p50', points }] });
    expect(svg.length).toBeGreaterThan(1_000_000);
    expect(svg).toContain('<path class="line"');
  });
});
