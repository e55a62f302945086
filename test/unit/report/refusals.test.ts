import { describe, expect, it } from 'vitest';
import { llmHtmlReport, llmJSON, llmJUnit, llmReport, llmTextSummary } from '../../../lib/report/index';
import { craft, rate, summary, xmlProblems } from './fixtures';

// 250 answers, 3 refused: 2 caught by the provider's signal, 1 by the text heuristic (the submetrics
// llmThresholdsForBreakdown asks k6 for), and a threshold on the rate that held.
const refused = () =>
  craft({
    llm_refused: { ...rate(3, 247), thresholds: { 'rate<0.05': { ok: true } } },
    'llm_refused{refused_by:provider}': { ...rate(2, 0), thresholds: { 'rate>=0': { ok: true } } },
    'llm_refused{refused_by:heuristic}': { ...rate(1, 0), thresholds: { 'rate>=0': { ok: true } } },
  });

describe('the refusal rate in the reports', () => {
  it('is in the report object with the count each detector caught', () => {
    expect(llmReport(refused()).refusals).toEqual({ share: 0.012, refused: 3, answers: 250, byProvider: 2, byHeuristic: 1 });
    // Without the submetrics the rate is still there; without llm_refused (a run before it existed) nothing is.
    expect(llmReport(craft({ llm_refused: rate(0, 40) })).refusals).toEqual({ share: 0, refused: 0, answers: 40 });
    expect(llmReport(summary('quickstart')).refusals).toBeUndefined();
  });

  it('shows in the text summary\'s quality line', () => {
    const line = llmTextSummary(refused(), { width: 200 }).split('\n').find((l) => l.trimStart().startsWith('quality'));
    expect(line).toContain('refused 1.2% (3 of 250 answers: 2 by the provider, 1 by the heuristic)');
    expect(llmTextSummary(craft({ llm_refused: rate(0, 40) }), { width: 200 })).toContain('refused 0% (0 of 40 answers)');
  });

  it('is written to the JSON report under refusals', () => {
    const parsed = JSON.parse(llmJSON(refused()));
    expect(parsed.refusals).toEqual({ share: 0.012, refused: 3, answers: 250, byProvider: 2, byHeuristic: 1 });
    expect(parsed.thresholds).toContainEqual({ metric: 'llm_refused', expression: 'rate<0.05', ok: true, noOp: false, observed: { stat: 'rate', value: 0.012 } });
  });

  it('is a JUnit suite property beside the threshold case on it', () => {
    const xml = llmJUnit(refused());
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml).toContain('<property name="llm_refused" value="1.2% (3 of 250 answers: 2 by the provider, 1 by the heuristic)"/>');
    expect(xml).toContain('<property name="llm_refused.rate" value="0.012"/>');
    expect(xml).toContain('<testcase name="llm_refused rate&lt;0.05" classname="llm_refused" time="0"/>');
    // Properties come before the test cases, as the JUnit schema wants.
    expect(xml.indexOf('<properties>')).toBeLessThan(xml.indexOf('<testcase'));
    expect(llmJUnit(summary('quickstart'))).not.toContain('<properties>');
  });

  it('is a key figure and a row of the quality table in the HTML report', () => {
    const html = llmHtmlReport(refused());
    expect(html).toMatch(/Refused<\/[a-z]+>\s*<[^>]+>1\.2%/);
    expect(html).toContain('refused answers (llm_refused)');
    expect(html).toContain('1.2% (3 of 250 answers: 2 by the provider, 1 by the heuristic)');
  });
});
