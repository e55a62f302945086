import { describe, expect, it } from 'vitest';
import { llmJSON, llmJUnit, llmReport, REPORT_SCHEMA } from '../../../lib/report/index';
import { craft, summary, trend, xmlProblems } from './fixtures';

/** The same summary with its metrics map in reverse key order, as another k6 run might list them (Go maps have no order). */
function reordered<T extends { metrics: Record<string, unknown> }>(data: T): T {
  const metrics: Record<string, unknown> = {};
  for (const key of Object.keys(data.metrics).reverse()) {
    const m = data.metrics[key] as { values: Record<string, number> };
    const values: Record<string, number> = {};
    for (const v of Object.keys(m.values).reverse()) values[v] = m.values[v] as number;
    metrics[key] = { ...m, values };
  }
  return { ...data, metrics };
}

describe('llmJSON', () => {
  it('writes the same bytes whatever order k6 listed metrics and stats in', () => {
    for (const name of ['quickstart', 'breakdown'] as const) {
      expect(llmJSON(reordered(summary(name)))).toBe(llmJSON(summary(name)));
    }
  });

  it('parses back to the report object, versioned, with a fixed set of top-level keys', () => {
    const parsed = JSON.parse(llmJSON(summary('breakdown'), { requestsPerDay: 1000 }));
    expect(parsed).toEqual(JSON.parse(JSON.stringify(llmReport(summary('breakdown'), { requestsPerDay: 1000 }))));
    expect(parsed.schema).toBe(REPORT_SCHEMA);
    expect(Object.keys(parsed)).toEqual([
      'schema', 'durationS', 'summaryTrendStats', 'missingPercentiles', 'latency', 'throughput', 'requests', 'tokens',
      'cost', 'rateLimit', 'errorsByType', 'validators', 'byModel', 'byOutputBucket', 'thresholds', 'verdict',
    ]);
  });

  it('keeps k6\'s raw figures, with percentiles under stable names', () => {
    const parsed = JSON.parse(llmJSON(summary('quickstart')));
    expect(parsed.durationS).toBeCloseTo(7.253213782, 9);
    expect(parsed.latency[0]).toEqual({
      metric: 'llm_ttft',
      label: 'TTFT',
      description: 'time to first token',
      stats: { avg: 208.68126627604167, p50: 203.2392578125, p90: 226.887451171875, p95: 232.84467773437498, p99: 237.312099609375, max: 238.428955078125 },
    });
    expect(parsed.requests).toMatchObject({ total: 15, errors: 0, errorShare: 0, retries: 0, rateLimitedShare: 0, attempts: 15 });
    expect(parsed.cost.totalUsd).toBeCloseTo(0.00089415, 12);
    expect(parsed.cost.per1kRequests).toBeCloseTo((0.00089415 / 15) * 1000, 12);
    expect(parsed.missingPercentiles).toEqual([]);
  });

  it('writes absent figures as absent, not as 0 or null', () => {
    const text = llmJSON(summary('http-default-stats'));
    expect(text).not.toContain('null');
    const parsed = JSON.parse(text);
    expect(parsed.latency.map((row: { metric: string }) => row.metric)).toEqual(['llm_ttfb', 'llm_e2e', 'llm_request_duration']);
    expect(parsed.missingPercentiles).toEqual([{ percentile: 'p99', stat: 'p(99)' }]);
    expect(parsed.latency[0].stats).not.toHaveProperty('p99');
  });

  it('sorts breakdown rows: models by name, buckets by size', () => {
    const parsed = JSON.parse(llmJSON(summary('breakdown')));
    expect(parsed.byModel.map((r: { value: string }) => r.value)).toEqual(['gpt-4o', 'gpt-4o-mini']);
    expect(parsed.byOutputBucket.map((r: { value: string }) => r.value)).toEqual(['0-64', '65-256', '257-1024', 'unknown']);
    expect(parsed.validators).toEqual([{ name: 'short-answer', failedShare: expect.any(Number), runs: 44 }]);
  });
});

describe('llmJUnit', () => {
  it('is checked by a well-formedness test that does reject broken XML', () => {
    expect(xmlProblems('<a><b></a>')).toEqual(['</a> closes <b>', 'unclosed: a']);
    expect(xmlProblems('<a x="1 & 2"/>')).toEqual(['stray & in attributes of a']);
    expect(xmlProblems('<a>x < y</a>').length).toBeGreaterThan(0);
    expect(xmlProblems('<a/><b/>')).toEqual(['expected one root element, got 2']);
  });

  it('writes well-formed XML with one test case per real threshold and suite-level counts', () => {
    const xml = llmJUnit(summary('breakdown'));
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="k6-llm" tests="4" failures="1" errors="0" time="8.035">/);
    expect(xml).toContain('<testsuite name="k6 thresholds" tests="4" failures="1" errors="0" skipped="0" time="8.035">');
    expect(xml.match(/<testcase /g)).toHaveLength(4);
    expect(xml).toContain('<testcase name="llm_ttft p(95)&lt;2000" classname="llm_ttft" time="0"/>');
    expect(xml).toContain(
      '<failure message="threshold crossed: llm_e2e p(99)&lt;50 (p(99) = 1,406)" type="threshold">llm_e2e: p(99)&lt;50 did not hold; p(99) = 1,406</failure>',
    );
  });

  it('lists the breakdown no-op thresholds only when asked', () => {
    const data = summary('breakdown');
    const total = Object.values(data.metrics).reduce((n, m) => n + Object.keys(m.thresholds ?? {}).length, 0);
    const xml = llmJUnit(data, { includeBreakdown: true });
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml.match(/<testcase /g)).toHaveLength(total);
    expect(xml).toContain(`tests="${total}" failures="1"`);
    expect(xml).toContain('name="llm_ttft{model:gpt-4o} p(95)&gt;=0"');
  });

  it('adds a failing run-trust case when asked to fail on a bad or warned run', () => {
    const off = llmJUnit(summary('breakdown'));
    expect(off).not.toContain('run trust');
    const warn = llmJUnit(summary('breakdown'), { failOnTrust: 'warn' });
    expect(xmlProblems(warn)).toEqual([]);
    expect(warn).toContain('tests="5" failures="2"');
    expect(warn).toContain('<failure message="run trust is warn: high_error_share, rate_limited" type="trust">');
    const bad = llmJUnit(summary('breakdown'), { failOnTrust: 'bad' });
    expect(bad).toContain('tests="5" failures="1"');
    expect(bad).toContain('<testcase name="run trust" classname="k6-llm" time="0"/>');
  });

  it('escapes markup in metric names, tag values and expressions', () => {
    const data = craft({ 'llm_ttft{model:<script>alert("x")</script>&co}': { ...trend({ 'p(95)': 3000 }), thresholds: { "p(95)<2000 && 'x'": { ok: false } } } });
    const xml = llmJUnit(data);
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml).not.toContain('<script>');
    expect(xml).toContain('name="llm_ttft{model:&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;co} p(95)&lt;2000 &amp;&amp; &#39;x&#39;"');
  });

  it('writes an empty but valid suite for a run without thresholds', () => {
    const data = summary('quickstart');
    for (const m of Object.values(data.metrics)) delete m.thresholds;
    const xml = llmJUnit(data);
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml).toContain('tests="0" failures="0"');
  });
});

describe('k6\'s newer machine-readable summary (--new-machine-readable-summary)', () => {
  const data = summary('quickstart-new-format');

  it('is read as well: metrics from the list, p90/p95 under k6\'s usual names, rates as passes and fails', () => {
    const report = llmReport(data);
    const raw = (data as unknown as { results: { metrics: Array<{ name: string; values: Record<string, number> }> } }).results.metrics;
    const ttft = raw.find((m) => m.name === 'llm_ttft')?.values;
    expect(report.durationS).toBeCloseTo(6.1761549, 9);
    expect(report.latency.find((row) => row.metric === 'llm_ttft')?.stats).toEqual({ avg: ttft?.avg, p50: ttft?.med, p90: ttft?.p90, p95: ttft?.p95, max: ttft?.max });
    const requests = raw.find((m) => m.name === 'llm_requests')?.values.count as number;
    expect(report.requests.total).toBe(requests);
    expect(report.requests.perS).toBeCloseTo(requests / 6.1761549, 9);
    expect(report.requests.goodputShare).toBe(1);
    expect(report.requests.attempts).toBe(requests);
    expect(report.verdict.level).toBe('ok');
    // The format carries no thresholds.
    expect(report.thresholds).toEqual([]);
    expect(llmJUnit(data)).toContain('tests="0" failures="0"');
  });
});
