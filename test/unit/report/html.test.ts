import { describe, expect, it } from 'vitest';
import { llmHtmlReport } from '../../../lib/report/index';
import { counter, craft, summary, trend } from './fixtures';
import { selfContainmentProblems } from './self-contained';

function chart(html: string, id: string): string {
  const m = new RegExp(`<svg class="chart" data-chart="${id}"[\\s\\S]*?</svg>`).exec(html);
  if (!m) throw new Error(`no chart ${id}; charts: ${[...html.matchAll(/data-chart="([^"]+)"/g)].map((x) => x[1]).join(', ')}`);
  return m[0];
}

const count = (text: string, re: RegExp) => (text.match(re) ?? []).length;

describe('the self-containment check', () => {
  it('catches every way a page could fetch or run something', () => {
    expect(selfContainmentProblems('<img src="x.png">')).toEqual(['src="x.png"', 'an element that loads a resource']);
    expect(selfContainmentProblems('<a href="https://example.com">x</a>')).toEqual(['href="https://example.com"', 'an http(s) URL']);
    expect(selfContainmentProblems('<script>1</script>')).toEqual(['a script element']);
    expect(selfContainmentProblems('<style>@import "x.css"; b { background: url(x.png) }</style>')).toEqual(['@import', 'url(']);
    expect(selfContainmentProblems('<rect onclick="x()"/>')).toEqual(['an inline event handler onclick']);
    expect(selfContainmentProblems('<p>&lt;img src=x&gt;</p>')).toEqual([]);
  });
});

describe('llmHtmlReport', () => {
  const html = llmHtmlReport(summary('breakdown'), { requestsPerDay: 50_000 });

  it('is one self-contained document: no URL, script, import, url() or resource element, and a CSP that forbids fetching', () => {
    expect(selfContainmentProblems(html)).toEqual([]);
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('draws the latency percentiles as grouped bars: one bar per metric and computed percentile', () => {
    const first = chart(html, 'latency-first');
    // TTFB, TTFT, TTFO, e2e, request: 5 metrics x p50, p90, p95, p99.
    expect(count(first, /<rect class="bar"/g)).toBe(20);
    expect(count(first, /data-series="p99"/g)).toBe(5);
    const perToken = chart(html, 'latency-token');
    expect(count(perToken, /<rect class="bar"/g)).toBe(8);
    expect(perToken).toContain('data-category="ITL"');
  });

  it('draws TTFT by output bucket for each bucket that has TTFT, and TTFT by model', () => {
    const byBucket = chart(html, 'ttft-by-bucket');
    expect([...byBucket.matchAll(/data-category="([^"]+)"/g)].map((m) => m[1]).filter((v, i, a) => a.indexOf(v) === i)).toEqual(['0-64', '65-256', '257-1024']);
    expect(count(byBucket, /<rect class="bar"/g)).toBe(12);
    expect(count(chart(html, 'ttft-by-model'), /<rect class="bar"/g)).toBe(8);
  });

  it('draws throughput, tokens, errors by type and cost by model and by bucket', () => {
    // all + 2 models, 4 percentiles each.
    expect(count(chart(html, 'throughput'), /<rect class="bar"/g)).toBe(12);
    expect(count(chart(html, 'tokens'), /<rect class="bar"/g)).toBe(4);
    const errors = chart(html, 'errors');
    expect([...errors.matchAll(/data-category="([^"]+)"/g)].map((m) => m[1]).sort()).toEqual(['http_500', 'rate_limited']);
    expect(count(chart(html, 'cost-by-model'), /<rect class="bar"/g)).toBe(2);
    expect(count(chart(html, 'cost-by-bucket'), /<rect class="bar"/g)).toBe(4);
  });

  it('shows the verdict with each warning\'s reason, and the thresholds with pass and fail', () => {
    expect(html).toContain('<section id="verdict" class="verdict warn"><h2>Run trust: WARN</h2>');
    expect(html).toContain('<li data-code="high_error_share">');
    expect(html).toContain('Why it matters: latency percentiles cover the successful requests only');
    expect(count(html, /<td class="pass">PASS<\/td>/g)).toBe(3);
    expect(count(html, /<td class="fail">FAIL<\/td>/g)).toBe(1);
    expect(html).toContain('<code>llm_e2e</code></td><td class="text"><code>p(99)&lt;50</code></td><td>p(99) = 1,406</td>');
  });

  it('projects cost per request, per 1k, per hour and per month at the given volume', () => {
    expect(html).toMatch(/<td>per 30-day month at 50,000 requests\/day<\/td><td>\$[\d,]+\.\d\d<\/td>/);
    expect(html).toContain('<td>per 1,000 requests</td>');
  });

  it('says how to get breakdowns when the summary has none, and how to get a missing percentile', () => {
    const plain = llmHtmlReport(summary('quickstart'));
    expect(plain).toContain('No per-model or per-output-bucket figures in this summary.');
    expect(plain).toContain('llmThresholdsForBreakdown');
    expect(plain).not.toContain('data-chart="ttft-by-bucket"');
    const defaults = llmHtmlReport(summary('http-default-stats'));
    expect(defaults).toContain('p99 was not computed: add &#39;p(99)&#39; to options.summaryTrendStats (or --summary-trend-stats).');
    expect(count(chart(defaults, 'latency-first'), /<rect class="bar"/g)).toBe(9);
    expect(defaults).toContain('PASS*');
    expect(selfContainmentProblems(defaults)).toEqual([]);
  });

  it('escapes markup coming from metric names, tag values, error types and threshold expressions', () => {
    const evil = '<script>alert(1)</script>';
    const data = craft({
      [`llm_ttft{model:${evil}}`]: { ...trend({ med: 100, 'p(95)': 200 }), thresholds: { 'p(95)>=0': { ok: true } } },
      [`llm_requests{model:${evil}}`]: counter(3),
      [`llm_errors{error_type:"><img src=x onerror=alert(2)>}`]: counter(2),
      llm_errors: counter(2),
      [`llm_ttft{output_bucket:</svg><script>x</script>}`]: { ...trend({ med: 90 }), thresholds: { [`p(95)<1 && '<b>'`]: { ok: false } } },
    });
    const out = llmHtmlReport(data, { title: '<i>title</i>', subtitle: '</header><script>' });
    expect(out).not.toMatch(/<script/i);
    expect(out).not.toMatch(/<img/i);
    expect(out).not.toMatch(/<i>/);
    expect(selfContainmentProblems(out)).toEqual([]);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('data-category="&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"');
    expect(out).toContain('<title>&lt;i&gt;title&lt;/i&gt;</title>');
  });
});
