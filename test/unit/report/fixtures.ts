// Recorded handleSummary data of real k6 runs (test/fixtures/report/record.mjs re-records them).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { K6MetricSummary, K6SummaryData } from '../../../lib/report/index';

export const fixtureDir = fileURLToPath(new URL('../../fixtures/report/', import.meta.url));

export type FixtureName = 'quickstart' | 'breakdown' | 'http-default-stats' | 'chunked' | 'quickstart-new-format';

/** A fresh deep copy of a recorded summary, safe to modify. */
export function summary(name: FixtureName): K6SummaryData {
  return JSON.parse(readFileSync(`${fixtureDir}${name}.summary.json`, 'utf8')) as K6SummaryData;
}

/** The quickstart run with some metrics replaced or added, for crafting one condition at a time. */
export function craft(metrics: Record<string, K6MetricSummary | undefined>, base: FixtureName = 'quickstart'): K6SummaryData {
  const data = summary(base);
  for (const [name, metric] of Object.entries(metrics)) {
    if (metric === undefined) delete data.metrics[name];
    else data.metrics[name] = metric;
  }
  return data;
}

export const counter = (count: number, rate = 0): K6MetricSummary => ({ type: 'counter', contains: 'default', values: { count, rate } });
export const rate = (passes: number, fails: number): K6MetricSummary => ({
  type: 'rate',
  contains: 'default',
  values: { rate: passes + fails > 0 ? passes / (passes + fails) : 0, passes, fails },
});
export const trend = (values: Record<string, number>, time = true): K6MetricSummary => ({ type: 'trend', contains: time ? 'time' : 'default', values });
export const gauge = (value: number, min = value, max = value): K6MetricSummary => ({ type: 'gauge', contains: 'default', values: { value, min, max } });

/**
 * A minimal XML well-formedness check: one root, every tag closed in order, attributes quoted,
 * no raw `<` or stray `&` in text or attribute values. Returns the problems found.
 */
export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  let roots = 0;
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_:][\w.:-]*="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  let m: RegExpExecArray | null;
  while ((m = token.exec(body))) {
    const [, closing, name, attrs, selfClosing, text, stray] = m;
    if (stray !== undefined) {
      problems.push(`unparsable markup at ${m.index}: ${body.slice(m.index, m.index + 40)}`);
      break;
    }
    if (text !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(text)) problems.push(`stray & in text: ${text.slice(0, 40)}`);
      if (stack.length === 0 && text.trim() !== '') problems.push(`text outside the root: ${text.slice(0, 40)}`);
      continue;
    }
    if (attrs && /&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(attrs)) problems.push(`stray & in attributes of ${name}`);
    if (closing) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open}>`);
    } else if (!selfClosing) {
      if (stack.length === 0) roots++;
      stack.push(name as string);
    } else if (stack.length === 0) roots++;
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(', ')}`);
  if (roots !== 1) problems.push(`expected one root element, got ${roots}`);
  return problems;
}
