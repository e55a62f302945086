import { describe, expect, it } from 'vitest';
import { llmTextSummary } from '../../../lib/report/index';
import { summary } from './fixtures';

/** The line of a text summary that starts with `label` (after the indent). */
function line(text: string, label: string): string {
  const found = text.split('\n').find((l) => l.trimStart().startsWith(label));
  if (found === undefined) throw new Error(`no line starting with ${JSON.stringify(label)} in:\n${text}`);
  return found;
}

function cells(text: string, label: string): string[] {
  return line(text, label).trim().split(/\s{2,}/);
}

describe('llmTextSummary on the recorded quickstart run', () => {
  const text = llmTextSummary(summary('quickstart'));

  it('heads the summary with the duration, request count and rate, and the run-trust level', () => {
    expect(line(text, 'k6-llm')).toBe('  k6-llm  ·  7.25 s  ·  15 requests (2.07/s)  ·  run trust: OK');
  });

  it('rounds the latency percentiles by size: one decimal under a second, whole milliseconds above', () => {
    expect(cells(text, 'latency (ms)')).toEqual(['latency (ms)', 'p50', 'p90', 'p95', 'p99', 'max']);
    // llm_ttft: med 203.2392578125, p(90) 226.887451171875, p(95) 232.84467773437498, p(99) 237.312099609375, max 238.428955078125
    expect(cells(text, 'TTFT')).toEqual(['TTFT', '203.2', '226.9', '232.8', '237.3', '238.4']);
    // llm_itl: med 19.995361328125, p(90) 21.484472656250002, p(95) 22.813867187499998, p(99) 35.780458984374995, max 98.62890625
    expect(cells(text, 'ITL')).toEqual(['ITL', '20.0', '21.5', '22.8', '35.8', '98.6']);
    // llm_e2e: med 2104.611572265625, p(90) 2127.994384765625, p(95) 2134.1923828125, p(99) 2138.6890625, max 2139.813232421875
    expect(cells(text, 'e2e')).toEqual(['e2e', '2,105', '2,128', '2,134', '2,139', '2,140']);
    expect(cells(text, 'request')).toEqual(['request', '2,106', '2,129', '2,137', '2,143', '2,145']);
  });

  it('shows tokens, requests and errors from the counters', () => {
    expect(line(text, 'tokens')).toContain('in 201 · out 1,440 · cached 0 (0% of input) · reasoning 0');
    expect(line(text, 'requests')).toContain('15 · errors 0 (0%) · 429s 0% of 15 attempts · retries 0');
    expect(line(text, 'quality')).toContain('goodput 100%');
  });

  it('projects cost per request, per 1k and per hour from the llm_cost_usd counter and the run duration', () => {
    // 0.00089415 USD over 15 requests in 7.253 s: 0.00005961 per request, 0.05961 per 1k, 0.4438 per hour.
    const wide = llmTextSummary(summary('quickstart'), { width: 200 });
    expect(line(wide, 'cost')).toBe('  cost            $0.000894 total · $0.0000596/request · $0.0596 per 1k requests · $0.444/hour at the observed rate');
    expect(text).not.toContain('/month');
    // At the default width of 100 the line wraps under its value column.
    expect(line(text, 'cost').length).toBeLessThanOrEqual(100);
    expect(text).toContain(`\n${' '.repeat(18)}the observed rate\n`);
  });

  it('adds the monthly projection at the given production volume', () => {
    const withVolume = llmTextSummary(summary('quickstart'), { requestsPerDay: 100_000 });
    // 0.00089415 / 15 * 100,000 * 30 = 178.83
    expect(withVolume).toContain('$178.83/month at 100,000 requests/day');
  });

  it('lists every threshold with its observed figure, and no warning when the run looks sound', () => {
    expect(line(text, 'thresholds')).toBe('  thresholds      3 passed, 0 failed');
    expect(cells(text, '✓  llm_cost_usd')).toEqual(['✓', 'llm_cost_usd', 'count<0.50', 'count = $0.000894']);
    expect(cells(text, '✓  llm_ttft')).toEqual(['✓', 'llm_ttft', 'p(95)<2000', 'p(95) = 233']);
    expect(line(text, 'run trust: OK')).toBe('  run trust: OK (no warning)');
  });

  it('leaves out the per-model and per-bucket tables when k6 computed no such submetric', () => {
    expect(text).not.toContain('by model');
    expect(text).not.toContain('by output bucket');
  });
});

describe('llmTextSummary on the recorded breakdown run', () => {
  const text = llmTextSummary(summary('breakdown'));

  it('breaks results down by model and by output bucket from the submetrics of the breakdown thresholds', () => {
    expect(cells(text, 'by model')).toEqual(['by model', 'requests', 'errors', 'TTFT p50', 'TTFT p95', 'ITL p50', 'TPOT p50', 'e2e p95', 'tok/s p50', 'goodput', 'cost']);
    const models = [cells(text, 'gpt-4o '), cells(text, 'gpt-4o-mini')];
    expect(models.map((row) => row[0])).toEqual(['gpt-4o', 'gpt-4o-mini']);
    const requests = models.map((row) => Number(row[1]));
    expect(requests[0]! + requests[1]!).toBe(44);
    expect(cells(text, 'by output bucket').slice(0, 3)).toEqual(['by output bucket', 'requests', 'errors']);
    // Buckets in size order; 1025+ got no request and is left out; failures sit in `unknown`.
    const buckets = text.split('\n').map((l) => l.trim().split(/\s{2,}/)[0]).filter((first) => /^(\d+-\d+|\d+\+|unknown)$/.test(first ?? ''));
    expect(buckets).toEqual(['0-64', '65-256', '257-1024', 'unknown']);
    expect(cells(text, 'unknown')[2]).toBe('100%');
  });

  it('names errors by type and counts the hidden breakdown thresholds without listing them', () => {
    expect(line(text, 'errors by type')).toMatch(/errors by type\s+(rate_limited|http_500) \d+ · (rate_limited|http_500) \d+$/);
    expect(line(text, 'thresholds')).toMatch(/^ {2}thresholds {6}3 passed, 1 failed \(\d+ breakdown-only thresholds not shown\)$/);
    expect(cells(text, '✗')).toEqual(['✗', 'llm_e2e', 'p(99)<50', 'p(99) = 1,406']);
    expect(text).not.toContain('>=0');
  });

  it('warns about the injected errors and 429s, with the reason on the following lines', () => {
    expect(line(text, 'k6-llm')).toContain('run trust: WARN');
    expect(line(text, '! high_error_share')).toContain('4 of 44 requests failed (9.1%)');
    expect(line(text, '! rate_limited')).toContain('12.5% of attempts were answered 429 (6 of 48)');
    expect(text).toMatch(/why: latency percentiles cover the successful requests only/);
  });
});

describe('llmTextSummary with k6\'s default summaryTrendStats', () => {
  const text = llmTextSummary(summary('http-default-stats'));

  it('shows the percentiles k6 computed and says how to add the missing p(99)', () => {
    expect(cells(text, 'latency (ms)')).toEqual(['latency (ms)', 'p50', 'p90', 'p95', 'max']);
    expect(line(text, '(p99')).toBe("    (p99 not computed: add 'p(99)' to options.summaryTrendStats)");
  });

  it('shows no TTFT or ITL row for the buffered transport, and says a threshold on llm_ttft passed without samples', () => {
    expect(text).not.toMatch(/^\s+TTFT\s/m);
    expect(text).not.toMatch(/^\s+ITL\s/m);
    expect(cells(text, 'TTFB')[0]).toBe('TTFB');
    expect(cells(text, '?  llm_ttft')).toEqual(['?', 'llm_ttft', 'p(95)<2000', 'no samples: passed vacuously']);
    expect(line(text, '! no_ttft')).toContain('8 requests succeeded but no time to first token was measured');
  });

  it('wraps long lines at the requested width', () => {
    const narrow = llmTextSummary(summary('http-default-stats'), { width: 60 });
    const longest = Math.max(...narrow.split('\n').filter((l) => l.includes('why:') || l.startsWith('           ')).map((l) => l.length));
    expect(longest).toBeLessThanOrEqual(60);
  });
});

describe('llmTextSummary misuse', () => {
  it('throws a message naming what it got when data is not handleSummary\'s argument', () => {
    expect(() => llmTextSummary({} as never)).toThrow('invalid summary data: expected the object k6 passes to handleSummary(data), with a metrics map, got an object with keys (none)');
    expect(() => llmTextSummary(null as never)).toThrow('got null');
  });
});
