import { describe, expect, it } from 'vitest';
import { escapeXml } from '../../../lib/report/escape';
import { formatCount, formatDuration, formatMs, formatNumber, formatObserved, formatPercent, formatUsd, groupThousands } from '../../../lib/report/format';

describe('report number formatting', () => {
  it.each<[number | undefined, string]>([
    [0.4249, '0.42'],
    [3.1513671875, '3.15'],
    [24.542553710937497, '24.5'],
    [203.53759765625, '203.5'],
    [999.94, '999.9'],
    [2105.525634765625, '2,106'],
    [123456.4, '123,456'],
    [undefined, '—'],
    [NaN, '—'],
  ])('writes %s ms as %s: two decimals under 10 ms, one under 1 s, whole ms above', (ms, text) => {
    expect(formatMs(ms)).toBe(text);
  });

  it('switches durations to seconds from 10 s up', () => {
    expect(formatDuration(9_999)).toBe('9,999 ms');
    expect(formatDuration(12_345)).toBe('12.3 s');
  });

  it.each<[number, string]>([
    [0, '$0'],
    [0.0009531, '$0.000953'],
    [0.0010129499, '$0.00101'],
    [0.0596, '$0.0596'],
    [0.448, '$0.448'],
    [1, '$1.00'],
    [12.345, '$12.35'],
    [1069.85, '$1,069.85'],
    [-0.5, '-$0.500'],
  ])('writes %s USD as %s: cents from $1, three significant digits below', (usd, text) => {
    expect(formatUsd(usd)).toBe(text);
  });

  it.each<[number, string]>([
    [0, '0%'],
    [1, '100%'],
    [0.0004, '<0.1%'],
    [0.125, '12.5%'],
    [0.14893617, '14.9%'],
  ])('writes the share %s as %s', (share, text) => {
    expect(formatPercent(share)).toBe(text);
  });

  it('groups counts in thousands and keeps three significant digits of fractions, never an exponent', () => {
    expect(formatCount(1632)).toBe('1,632');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatNumber(50.47826)).toBe('50.5');
    expect(formatNumber(0.0000123)).toBe('0.0000123');
    expect(formatNumber(2751.4)).toBe('2,751');
    expect(groupThousands('-1234567.891')).toBe('-1,234,567.891');
  });

  it('shows a threshold figure as dollars on a cost metric and as a whole count when it is one', () => {
    expect(formatObserved('llm_cost_usd', 0.0348)).toBe('$0.0348');
    expect(formatObserved('llm_cost_usd{model:gpt-4o}', 0.5)).toBe('$0.500');
    expect(formatObserved('llm_errors', 7)).toBe('7');
    expect(formatObserved('llm_ttft', 141.06)).toBe('141');
  });

  it('escapes markup characters and drops control characters XML forbids', () => {
    expect(escapeXml(`<script>alert("x") & 'y'</script>`)).toBe('&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;');
    expect(escapeXml('a\u0000b\u0007c\td\ne')).toBe('abc\td\ne');
  });
});
