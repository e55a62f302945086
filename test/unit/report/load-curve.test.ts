import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createLoadCurveAggregator, loadCurveHtml, type LoadCurve } from '../../../lib/report/index';
import { parseK6Time, quantile } from '../../../lib/report/load-curve';
import { aggregateK6JsonFile, runReportCli } from '../../../node/report';
import { fixtureDir, summary } from './fixtures';
import { selfContainmentProblems } from './self-contained';

const T0 = Date.UTC(2026, 10, 29, 10, 0, 0);

/** One line of k6's JSON output, as k6 writes it (nanosecond timestamps). */
function point(metric: string, offsetMs: number, value: number, tags: Record<string, string> = {}): string {
  const iso = new Date(T0 + offsetMs).toISOString().replace(/\.(\d{3})Z$/, '.$1123456Z');
  return JSON.stringify({ metric, type: 'Point', data: { time: iso, value, tags } });
}

function metricLine(name: string, type: string): string {
  return JSON.stringify({ type: 'Metric', data: { name, type, contains: 'default', thresholds: [], submetrics: null }, metric: name });
}

function aggregate(lines: string[], options = {}): LoadCurve {
  const agg = createLoadCurveAggregator({ bucketMs: 5000, ...options });
  for (const line of lines) agg.addLine(line);
  return agg.result();
}

const tags = { model: 'gpt-4o-mini', provider: 'openai-chat', transport: 'sse' };

function syntheticRun(): string[] {
  const lines = [metricLine('vus', 'gauge'), point('vus', 0, 2), point('vus', 1000, 4)];
  // Bucket 0 (0-5 s): five requests, TTFT 100..500 ms, one 500 error, two attempts answered 429.
  [100, 200, 300, 400, 500].forEach((ttft, i) => {
    lines.push(point('llm_ttft', 500 + i * 800, ttft, tags), point('llm_requests', 500 + i * 800, 1, tags), point('llm_cost_usd', 500 + i * 800, 0.01, tags));
  });
  lines.push(point('llm_errors', 3000, 1, { ...tags, error_type: 'http_500' }));
  lines.push(point('llm_rate_limited', 100, 1, tags), point('llm_rate_limited', 200, 1, tags), point('llm_rate_limited', 300, 0, tags), point('llm_rate_limited', 400, 0, tags));
  // Bucket 1 (5-10 s): nothing but a VU count. Bucket 2 (10-15 s): one slow request on another model.
  lines.push(point('vus', 6000, 6), point('vus', 7000, 8));
  lines.push(point('llm_ttft', 11_000, 900, { ...tags, model: 'gpt-4o' }), point('llm_requests', 11_000, 1, { ...tags, model: 'gpt-4o' }));
  lines.push(point('llm_cost_usd', 11_000, 0.05, { ...tags, model: 'gpt-4o' }), point('llm_itl', 11_200, 20, { ...tags, model: 'gpt-4o' }));
  lines.push(point('llm_errors', 12_000, 1, { ...tags, model: 'gpt-4o', error_type: 'rate_limited' }));
  lines.push(point('http_reqs', 12_500, 1, tags), point('vus', 13_000, 8));
  return lines;
}

describe('the load-curve aggregation of k6 JSON output', () => {
  const curve = aggregate(syntheticRun());

  it('cuts the run into buckets from its first sample, keeping empty buckets in between', () => {
    expect(curve.buckets.map((b) => b.startS)).toEqual([0, 5, 10]);
    expect(curve.buckets.map((b) => b.spanS)).toEqual([5, 5, 3]);
    expect(curve.durationS).toBe(13);
    expect(curve.startTime).toBe('2026-11-29T10:00:00.000Z');
  });

  it('computes per-bucket percentiles from the samples, interpolating as k6 does', () => {
    expect(curve.buckets[0]?.ttft).toEqual({ count: 5, p50: 300, p95: 480, max: 500 });
    expect(curve.buckets[1]?.ttft).toBeUndefined();
    expect(curve.buckets[2]?.ttft).toEqual({ count: 1, p50: 900, p95: 900, max: 900 });
    expect(curve.buckets[2]?.itl).toEqual({ count: 1, p50: 20, p95: 20, max: 20 });
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
  });

  it('turns counts into per-second rates over each bucket\'s span', () => {
    const [b0, b1, b2] = curve.buckets;
    expect([b0?.requests, b0?.requestsPerS]).toEqual([5, 1]);
    expect([b0?.errors, b0?.errorsPerS]).toEqual([1, 0.2]);
    expect([b0?.attempts, b0?.rateLimited, b0?.rateLimitedPerS]).toEqual([4, 2, 0.4]);
    expect([b1?.requests, b1?.requestsPerS]).toEqual([0, 0]);
    expect(b2?.requestsPerS).toBeCloseTo(1 / 3, 12);
  });

  it('averages active VUs per bucket and carries the last value over a bucket without a sample', () => {
    expect(curve.buckets.map((b) => b.vus)).toEqual([3, 7, 8]);
  });

  it('sums cost per bucket and cumulatively, and totals the run', () => {
    expect(curve.buckets.map((b) => b.costUsd)).toEqual([0.05, 0, 0.05]);
    expect(curve.buckets.map((b) => Number(b.cumulativeCostUsd.toFixed(10)))).toEqual([0.05, 0.05, 0.1]);
    expect(curve.totals).toEqual({ requests: 6, errors: 2, attempts: 4, rateLimited: 2, outputTokens: 0, costUsd: expect.closeTo(0.1, 12), droppedIterations: 0 });
    expect(curve.errorsByType).toEqual([{ type: 'http_500', count: 1 }, { type: 'rate_limited', count: 1 }]);
  });

  it('counts lines and points and ignores metrics it does not chart', () => {
    expect(curve.lines).toBe(syntheticRun().length);
    // Everything but the Metric line and http_reqs.
    expect(curve.points).toBe(syntheticRun().length - 2);
    expect(curve.skippedLines).toBe(0);
    expect(curve.truncatedLastLine).toBe(false);
  });

  it('keeps only the llm_* samples that carry the requested tags, and every VU sample', () => {
    const only = aggregate(syntheticRun(), { where: { model: 'gpt-4o' } });
    expect(only.totals.requests).toBe(1);
    expect(only.buckets[0]?.ttft).toBeUndefined();
    expect(only.buckets[2]?.ttft?.p50).toBe(900);
    expect(only.buckets.map((b) => b.vus)).toEqual([3, 7, 8]);
  });

  it('skips a cut-off last line and says it was the last one', () => {
    const lines = syntheticRun();
    const last = lines[lines.length - 1] as string;
    lines[lines.length - 1] = last.slice(0, last.length - 20);
    const cut = aggregate(lines);
    expect(cut.skippedLines).toBe(1);
    expect(cut.truncatedLastLine).toBe(true);
    expect(cut.totals.requests).toBe(6);
    const middle = syntheticRun();
    middle.splice(3, 0, '{"metric":"llm_requests","type":"Po');
    const bad = aggregate(middle);
    expect([bad.skippedLines, bad.truncatedLastLine]).toEqual([1, false]);
  });

  it('keeps a uniform sample past the per-bucket cap, says so, and still reports the true maximum', () => {
    const agg = createLoadCurveAggregator({ bucketMs: 60_000, maxSamplesPerBucket: 500 });
    for (let i = 0; i < 20_000; i++) agg.addPoint('llm_itl', T0 + i, (i * 7919) % 10_000);
    const result = agg.result();
    expect(result.sampled).toBe(true);
    const itl = result.buckets[0]?.itl;
    expect(itl?.count).toBe(20_000);
    expect(itl?.max).toBe(9999);
    expect(itl?.p50).toBeGreaterThan(4000);
    expect(itl?.p50).toBeLessThan(6000);
    // Seeded: the same input gives the same figures.
    const again = createLoadCurveAggregator({ bucketMs: 60_000, maxSamplesPerBucket: 500 });
    for (let i = 0; i < 20_000; i++) again.addPoint('llm_itl', T0 + i, (i * 7919) % 10_000);
    expect(again.result().buckets[0]?.itl).toEqual(itl);
  });

  it('reads k6 timestamps with nanoseconds and offsets', () => {
    expect(parseK6Time('2026-11-29T10:24:52.14584825Z')).toBeCloseTo(Date.UTC(2026, 10, 29, 10, 24, 52) + 145.84825, 6);
    expect(parseK6Time('2026-11-29T11:24:52+01:00')).toBe(Date.UTC(2026, 10, 29, 10, 24, 52));
    expect(parseK6Time('not a time')).toBeUndefined();
  });

  it('refuses a bucket that is not a positive duration', () => {
    expect(() => createLoadCurveAggregator({ bucketMs: 0 })).toThrow('invalid bucketMs: expected a positive number of milliseconds, got 0');
  });
});

describe('k6-llm report on the recorded k6 JSON output', () => {
  const gz = join(fixtureDir, 'breakdown.ndjson.gz');

  it('streams the gzip file and totals the same requests, errors, 429s, tokens and cost as the run\'s own summary', async () => {
    const curve = await aggregateK6JsonFile(gz, { bucketMs: 1000 });
    const m = summary('breakdown').metrics;
    expect(curve.totals.requests).toBe(m.llm_requests?.values.count);
    expect(curve.totals.errors).toBe(m.llm_errors?.values.count);
    expect(curve.totals.rateLimited).toBe(m.llm_rate_limited?.values.passes);
    expect(curve.totals.attempts).toBe((m.llm_rate_limited?.values.passes ?? 0) + (m.llm_rate_limited?.values.fails ?? 0));
    expect(curve.totals.outputTokens).toBe(m.llm_output_tokens?.values.count);
    expect(curve.totals.costUsd).toBeCloseTo(m.llm_cost_usd?.values.count as number, 12);
    expect(curve.skippedLines).toBe(0);
    // Every TTFT sample falls in some bucket.
    expect(curve.buckets.reduce((n, b) => n + (b.ttft?.count ?? 0), 0)).toBe(gunzipSync(readFileSync(gz)).toString('utf8').split('\n').filter((l) => l.includes('"metric":"llm_ttft","type":"Point"')).length);
    expect(curve.buckets.length).toBeGreaterThanOrEqual(8);
    expect(Math.max(...curve.buckets.map((b) => b.vus ?? 0))).toBe(8);
  });

  it('writes a self-contained HTML report and the JSON of the buckets, and says what it did', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k6-llm-report-'));
    const out: string[] = [];
    const err: string[] = [];
    const code = await runReportCli([gz, '-o', join(dir, 'curve.html'), '--bucket', '2s', '--json', join(dir, 'curve.json')], { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
    expect(code).toBe(0);
    expect(err).toEqual([]);
    expect(out.join('')).toMatch(/^wrote .*curve\.html: \d+ buckets of 2 s, \d+ samples from \d+ lines, 44 requests; .*curve\.json\n$/);
    const html = readFileSync(join(dir, 'curve.html'), 'utf8');
    expect(selfContainmentProblems(html)).toEqual([]);
    for (const id of ['ttft-over-time', 'itl-over-time', 'vus-over-time', 'requests-over-time', 'errors-over-time', 'cost-over-time', 'ttft-vs-load']) {
      expect(html).toContain(`data-chart="${id}"`);
    }
    const curve = JSON.parse(readFileSync(join(dir, 'curve.json'), 'utf8')) as LoadCurve;
    expect(curve.bucketS).toBe(2);
    // The latency-vs-load curve: one point per bucket with TTFT and a VU count, for p50 and for p95.
    const vsLoad = /<svg class="chart" data-chart="ttft-vs-load"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    const withTtft = curve.buckets.filter((b) => b.ttft && b.vus !== undefined).length;
    expect(withTtft).toBeGreaterThan(3);
    expect(vsLoad.match(/<circle class="point" data-series="p95"/g)).toHaveLength(withTtft);
    expect(vsLoad.match(/<circle class="point" data-series="p50"/g)).toHaveLength(withTtft);
    const overTime = /<svg class="chart" data-chart="ttft-over-time"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    expect(overTime.match(/<path class="line"/g)).toHaveLength(2);
  });

  it('reports a cut-off last line on stderr and still writes the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k6-llm-report-'));
    const text = gunzipSync(readFileSync(gz)).toString('utf8');
    const cut = text.slice(0, text.trimEnd().length - 25);
    writeFileSync(join(dir, 'cut.json'), cut);
    const err: string[] = [];
    const code = await runReportCli([join(dir, 'cut.json'), '-o', join(dir, 'cut.html')], { stdout: () => {}, stderr: (t) => err.push(t) });
    expect(code).toBe(0);
    expect(err.join('')).toBe('k6-llm report: skipped 1 line that was not JSON (the last line was cut off: k6 stopped while writing it)\n');
    expect(readFileSync(join(dir, 'cut.html'), 'utf8')).toContain('1 line was not JSON and skipped (the last line was cut off');
  });

  it('answers usage errors with exit code 2 and a missing file with 1', async () => {
    const err: string[] = [];
    const io = { stdout: () => {}, stderr: (t: string) => err.push(t) };
    expect(await runReportCli([], io)).toBe(2);
    expect(err.pop()).toContain('k6-llm report: missing the input file');
    expect(await runReportCli(['x.json', '--bucket', 'soon'], io)).toBe(2);
    expect(err.pop()).toContain('invalid --bucket: expected a duration such as 5s or 500ms, got "soon"');
    expect(await runReportCli(['x.json', '--where', 'model'], io)).toBe(2);
    expect(err.pop()).toContain('invalid --where: expected TAG=VALUE, got "model"');
    expect(await runReportCli(['x.json', '--frobnicate'], io)).toBe(2);
    expect(err.pop()).toContain('unknown option --frobnicate');
    expect(await runReportCli([join(tmpdir(), 'no-such-k6-output.json')], io)).toBe(1);
    expect(err.pop()).toMatch(/^k6-llm report: cannot read .*no-such-k6-output\.json: ENOENT/);
    const out: string[] = [];
    expect(await runReportCli(['--help'], { stdout: (t) => out.push(t), stderr: () => {} })).toBe(0);
    expect(out.join('')).toContain('Usage: k6-llm report <k6-output.json[.gz]> [options]');
  });
});

describe('loadCurveHtml', () => {
  it('escapes the title and notes an empty file instead of failing', () => {
    const html = loadCurveHtml(aggregate([]), { title: '<b>x</b>' });
    expect(html).toContain('<h1>&lt;b&gt;x&lt;/b&gt;</h1>');
    expect(html).toContain('No llm_requests sample in this file');
    expect(selfContainmentProblems(html)).toEqual([]);
  });
});
