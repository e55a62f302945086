// k6 thresholds as JUnit XML, the format CI systems (GitHub, GitLab, Jenkins) show as tests.
import { escapeXml } from './escape';
import { judgedFigure, thresholdCaveat, unpricedModels } from './coverage';
import { formatObserved, formatPercent, formatUsd, refusalText } from './format';
import { llmReport, type LlmReport, type ReportOptions } from './report';
import type { K6SummaryData } from './summary-data';

export interface JUnitOptions extends ReportOptions {
  /** The `<testsuite name>`. @default 'k6 thresholds' */
  suiteName?: string;
  /** Also list the no-op thresholds of `llmThresholdsForBreakdown`. @default false */
  includeBreakdown?: boolean;
  /**
   * Add a `run trust` test case that fails at this verdict level or worse (`bad`, or `warn` for
   * either), so an untrustworthy run fails CI like a crossed threshold. @default 'off'
   */
  failOnTrust?: 'off' | 'warn' | 'bad';
}

interface Case {
  name: string;
  classname: string;
  failure?: { message: string; body: string; type: 'threshold' | 'trust' };
  /** What the threshold's figure left out or estimated, as `<system-out>`. */
  out?: string;
}

/**
 * Suite properties for a run whose cost left requests out or whose token counts were estimated, so a
 * CI page that shows only the JUnit file still says so.
 */
function coverageProperties(report: LlmReport): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const c = report.cost;
  if (c.unpricedRequests) {
    out.push(['k6-llm.cost.pricedRequests', `${c.pricedRequests} of ${report.requests.total}`]);
    out.push(['k6-llm.cost.unpricedModels', unpricedModels(report)]);
    out.push(['k6-llm.cost.usd', c.totalUsd !== undefined ? `${formatUsd(c.totalUsd)} (partial: priced requests only)` : 'not counted']);
  }
  const estimated = report.tokens.estimatedRequests ?? 0;
  if (estimated > 0) out.push(['k6-llm.tokens.estimatedRequests', `${estimated} of ${report.requests.total} (${formatPercent(report.requests.estimatedUsageShare)})`]);
  return out;
}

/**
 * Every threshold as a JUnit test case named `<metric> <expression>`, failed when k6 found it
 * crossed; suite-level test and failure counts; all text XML-escaped.
 */
export function llmJUnit(data: K6SummaryData, options: JUnitOptions = {}): string {
  const report = llmReport(data, options);
  const cases: Case[] = [];
  for (const th of report.thresholds) {
    if (th.noOp && !options.includeBreakdown) continue;
    const observed = th.noSamples ? 'the metric got no sample' : th.observed ? `${th.observed.stat} = ${formatObserved(th.metric, th.observed.value)}` : 'value not in the summary';
    const judged = judgedFigure(th, observed);
    const c: Case = { name: `${th.metric} ${th.expression}`, classname: th.metric };
    if (!th.ok) c.failure = { type: 'threshold', message: `threshold crossed: ${th.metric} ${th.expression} (${judged})`, body: `${th.metric}: ${th.expression} did not hold; ${judged}` };
    if (thresholdCaveat(th)) c.out = `${th.metric} ${th.expression} judged ${judged}.${th.unpriced ? ` No price for ${unpricedModels(report)}.` : ''}`;
    cases.push(c);
  }
  const failOn = options.failOnTrust ?? 'off';
  if (failOn !== 'off') {
    const v = report.verdict;
    const c: Case = { name: 'run trust', classname: 'k6-llm' };
    const fails = v.level === 'bad' || (failOn === 'warn' && v.level === 'warn');
    if (fails) {
      c.failure = {
        type: 'trust',
        message: `run trust is ${v.level}: ${v.warnings.map((w) => w.code).join(', ')}`,
        body: v.warnings.map((w) => `${w.code}: ${w.message}\n  why: ${w.reason}`).join('\n'),
      };
    }
    cases.push(c);
  }
  const failures = cases.filter((c) => c.failure).length;
  const time = report.durationS !== undefined ? report.durationS.toFixed(3) : '0';
  const suite = escapeXml(options.suiteName ?? 'k6 thresholds');
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="k6-llm" tests="${cases.length}" failures="${failures}" errors="0" time="${time}">`,
    `  <testsuite name="${suite}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${time}">`,
  ];
  // Figures a threshold may not name, as suite properties (CI systems show them beside the cases).
  const properties = coverageProperties(report);
  if (report.refusals) {
    properties.push(['llm_refused', refusalText(report.refusals)], ['llm_refused.rate', String(report.refusals.share)]);
  }
  if (properties.length > 0) {
    lines.push('    <properties>');
    for (const [name, value] of properties) lines.push(`      <property name="${escapeXml(name)}" value="${escapeXml(value)}"/>`);
    lines.push('    </properties>');
  }
  for (const c of cases) {
    const open = `    <testcase name="${escapeXml(c.name)}" classname="${escapeXml(c.classname)}" time="0"`;
    if (!c.failure && !c.out) {
      lines.push(`${open}/>`);
      continue;
    }
    lines.push(`${open}>`);
    if (c.failure) lines.push(`      <failure message="${escapeXml(c.failure.message)}" type="${c.failure.type}">${escapeXml(c.failure.body)}</failure>`);
    if (c.out) lines.push(`      <system-out>${escapeXml(c.out)}</system-out>`);
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}
