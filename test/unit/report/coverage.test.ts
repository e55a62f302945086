// A cost or token figure that left requests out, or rests on estimates, says so in every report:
// the recorded quickstart run (15 requests, $0.00089415, a count<0.50 budget) with llm_unpriced
// and llm_estimated_usage crafted one condition at a time.
import { describe, expect, it } from 'vitest';
import type { K6MetricSummary } from '../../../lib/report/index';
import { llmHtmlReport, llmJSON, llmJUnit, llmReport, llmTextSummary, trustVerdict } from '../../../lib/report/index';
import { craft, rate, xmlProblems } from './fixtures';

const withThresholds = (metric: K6MetricSummary, thresholds: Record<string, boolean>): K6MetricSummary => ({
  ...metric,
  thresholds: Object.fromEntries(Object.entries(thresholds).map(([expression, ok]) => [expression, { ok }])),
});
/** The llm_cost_usd counter as k6 lists it under a `count<0.50` budget. */
const cost = (count: number): K6MetricSummary => withThresholds({ type: 'counter', contains: 'default', values: { count, rate: count / 7.25 } }, { 'count<0.50': true });

function line(text: string, label: string): string {
  const found = text.split('\n').find((l) => l.trimStart().startsWith(label));
  if (found === undefined) throw new Error(`no line starting with ${JSON.stringify(label)} in:\n${text}`);
  return found;
}

/** No dollar figure of exactly zero (`$0` not followed by a digit or a point). */
const ZERO_DOLLARS = /\$0(?![.\d])/;

describe('a run in which no request was priced, under a cost budget', () => {
  // A threshold on llm_cost_usd makes k6 list it at count 0 although nothing was priced.
  const data = craft({ llm_cost_usd: cost(0), llm_unpriced: rate(15, 0), 'llm_unpriced{model:tiny}': rate(15, 0) });

  it('reports no cost at all, with how many requests were priced and the model without a price', () => {
    const c = llmReport(data).cost;
    expect(c.totalUsd).toBeUndefined();
    expect(c.perRequestAvg).toBeUndefined();
    expect(c).toMatchObject({ pricedRequests: 0, unpricedRequests: 15, unpricedModels: [{ model: 'tiny', requests: 15 }], partial: true });
    expect(c.unnamedUnpricedRequests).toBeUndefined();
  });

  it('never shows $0 in the text summary: the cost is not counted and the budget judged nothing', () => {
    const text = llmTextSummary(data, { width: 200 });
    expect(line(text, 'cost')).toBe('  cost            not counted: 0 of 15 requests priced · no price for tiny (15)');
    expect(line(text, '?  llm_cost_usd').trim().split(/\s{2,}/)).toEqual(['?', 'llm_cost_usd', 'count<0.50', 'nothing counted: 0 of 15 requests priced']);
    expect(text).not.toMatch(ZERO_DOLLARS);
  });

  it('makes the verdict bad, naming the model and how to price it or fail such a run', () => {
    const v = trustVerdict(data);
    expect(v.level).toBe('bad');
    const w = v.warnings.find((x) => x.code === 'cost_unpriced');
    expect(w?.level).toBe('bad');
    expect(w?.message).toBe('none of the 15 requests had a price, so llm_cost_usd count<0.50 judged a cost that counted nothing; no price for tiny (15)');
    expect(w?.reason).toContain("createClient's price: { input, output } or prices: { '<model>': { input, output } }");
    expect(w?.reason).toContain("requirePrice: true on the client or add the threshold llm_unpriced: ['rate==0']");
  });

  it('writes the counts and the model in JSON, and leaves the cost out rather than writing 0', () => {
    const json = JSON.parse(llmJSON(data));
    expect(json.cost).toEqual({ pricedRequests: 0, unpricedRequests: 15, unpricedModels: [{ model: 'tiny', requests: 15 }], partial: true });
    expect(json.thresholds.find((t: { metric: string }) => t.metric === 'llm_cost_usd')).toMatchObject({ ok: true, unpriced: { priced: 0, requests: 15 } });
  });

  it('says so in JUnit: suite properties, the budget case\'s output, and a failing run-trust case', () => {
    const xml = llmJUnit(data, { failOnTrust: 'bad' });
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml).toContain('<property name="k6-llm.cost.pricedRequests" value="0 of 15"/>');
    expect(xml).toContain('<property name="k6-llm.cost.unpricedModels" value="tiny (15)"/>');
    expect(xml).toContain('<property name="k6-llm.cost.usd" value="not counted"/>');
    expect(xml).toContain('<system-out>llm_cost_usd count&lt;0.50 judged nothing counted: 0 of 15 requests priced. No price for tiny (15).</system-out>');
    expect(xml).toMatch(/<failure message="run trust is bad: cost_unpriced" type="trust">/);
    expect(xml).not.toMatch(ZERO_DOLLARS);
  });

  it('says so in HTML: the cost card, the cost section and a marked pass', () => {
    const html = llmHtmlReport(data);
    expect(html).toContain('not counted');
    expect(html).toContain('No cost was counted: 0 of 15 requests were priced; no price for tiny (15).');
    expect(html).toContain('nothing counted: 0 of 15 requests priced');
    expect(html).toContain('PASS†');
    expect(html).toContain('data-code="cost_unpriced"');
    expect(html).not.toMatch(ZERO_DOLLARS);
  });
});

describe('a run in which some requests were priced', () => {
  // 10 requests of gpt-4o-mini priced ($0.0006), 5 of tiny not.
  const data = craft({
    llm_cost_usd: cost(0.0006),
    llm_unpriced: rate(5, 10),
    'llm_unpriced{model:tiny}': rate(5, 0),
    'llm_unpriced{model:gpt-4o-mini}': rate(0, 10),
  });

  it('shows the priced part as partial, averages priced requests only and makes no monthly projection', () => {
    const c = llmReport(data, { requestsPerDay: 100_000 }).cost;
    expect(c).toMatchObject({ totalUsd: 0.0006, pricedRequests: 10, unpricedRequests: 5, partial: true, unpricedModels: [{ model: 'tiny', requests: 5 }] });
    expect(c.perRequestAvg).toBeCloseTo(0.00006, 12);
    expect(c.per1kRequests).toBeCloseTo(0.06, 12);
    expect(c.perMonthAtVolume).toBeUndefined();
    const text = llmTextSummary(data, { width: 300, requestsPerDay: 100_000 });
    expect(line(text, 'cost')).toBe(
      '  cost            partial: $0.000600 for the 10 of 15 requests priced · $0.0000600/priced request · $0.0600 per 1k priced requests · ' +
        '$0.298/hour for the priced part · no price for tiny (5)',
    );
    expect(line(text, '?  llm_cost_usd')).toContain('count = $0.000600 (partial: 10 of 15 requests priced)');
  });

  it('warns, naming the model, and keeps a threshold on a priced model\'s own cost unmarked', () => {
    const w = trustVerdict(data).warnings.find((x) => x.code === 'cost_unpriced');
    expect(w?.level).toBe('warn');
    expect(w?.message).toBe('llm_cost_usd count<0.50 judged the cost of 10 of 15 requests: 5 had no price; no price for tiny (5)');
    const own = craft({
      llm_cost_usd: { type: 'counter', contains: 'default', values: { count: 0.0006, rate: 0 } },
      'llm_cost_usd{model:gpt-4o-mini}': cost(0.0006),
      llm_unpriced: rate(5, 10),
      'llm_unpriced{model:gpt-4o-mini}': rate(0, 10),
    });
    const th = llmReport(own).thresholds.find((t) => t.metric === 'llm_cost_usd{model:gpt-4o-mini}');
    expect(th?.unpriced).toBeUndefined();
    expect(trustVerdict(own).warnings.map((x) => x.code)).not.toContain('cost_unpriced');
  });

  it('marks the unpriced model\'s cost in the by-model table as "no price", not $0', () => {
    const rows = craft({
      llm_cost_usd: cost(0.0006),
      llm_unpriced: rate(5, 10),
      'llm_requests{model:tiny}': { type: 'counter', contains: 'default', values: { count: 5, rate: 0 } },
      'llm_cost_usd{model:tiny}': { type: 'counter', contains: 'default', values: { count: 0, rate: 0 } },
      'llm_unpriced{model:tiny}': rate(5, 0),
      'llm_requests{model:gpt-4o-mini}': { type: 'counter', contains: 'default', values: { count: 10, rate: 0 } },
      'llm_cost_usd{model:gpt-4o-mini}': { type: 'counter', contains: 'default', values: { count: 0.0006, rate: 0 } },
      'llm_unpriced{model:gpt-4o-mini}': rate(0, 10),
    });
    const text = llmTextSummary(rows, { width: 300 });
    expect(line(text, 'tiny').trim().split(/\s{2,}/)).toEqual(['tiny', '5', 'no price']);
    expect(line(text, 'gpt-4o-mini').trim().split(/\s{2,}/)).toEqual(['gpt-4o-mini', '10', '$0.000600']);
    expect(text).toContain('(cost: priced requests only)');
    const chart = /data-chart="cost-by-model"[\s\S]*?<\/svg>/.exec(llmHtmlReport(rows))?.[0];
    expect(chart).toContain('gpt-4o-mini');
    expect(chart).not.toContain('tiny');
  });
});

describe('unpriced requests of models the summary does not name', () => {
  const data = craft({ llm_cost_usd: cost(0), llm_unpriced: rate(15, 0) });

  it('counts them and says how to get the models named', () => {
    expect(llmReport(data).cost).toMatchObject({ unpricedModels: [], unnamedUnpricedRequests: 15 });
    expect(line(llmTextSummary(data, { width: 300 }), 'cost')).toBe(
      "  cost            not counted: 0 of 15 requests priced · no price for the models of 15 requests (not named in the summary; the run's log names them)",
    );
    const w = trustVerdict(data).warnings.find((x) => x.code === 'cost_unpriced');
    expect(w?.reason).toContain("llmThresholdsForBreakdown({ models: ['<model>'] })");
  });
});

describe('unpriced requests without a cost threshold', () => {
  it('leave the verdict alone but still say the cost was not counted', () => {
    const data = craft({ llm_cost_usd: undefined, llm_unpriced: rate(15, 0), 'llm_unpriced{model:tiny}': rate(15, 0) });
    expect(trustVerdict(data).warnings.map((w) => w.code)).toEqual([]);
    expect(line(llmTextSummary(data), 'cost')).toBe('  cost            not counted: 0 of 15 requests priced · no price for tiny (15)');
  });
});

describe('a run in which every request was priced', () => {
  it('reads as before: the cost, no caveat, no warning', () => {
    const data = craft({ llm_unpriced: rate(0, 15) });
    const text = llmTextSummary(data, { width: 200 });
    expect(line(text, 'cost')).toBe('  cost            $0.000894 total · $0.0000596/request · $0.0596 per 1k requests · $0.444/hour at the observed rate');
    expect(line(text, '✓  llm_cost_usd')).toContain('count = $0.000894');
    expect(llmReport(data).cost).toMatchObject({ pricedRequests: 15, unpricedRequests: 0, unpricedModels: [] });
    expect(llmReport(data).cost.partial).toBeUndefined();
    expect(trustVerdict(data)).toEqual({ level: 'ok', warnings: [] });
  });
});

describe('token and cost thresholds judged on estimated counts', () => {
  const outputBudget = (ok: boolean): K6MetricSummary => withThresholds({ type: 'counter', contains: 'default', values: { count: 1440, rate: 0 } }, { 'count<1000000': ok });

  it('are marked with the share estimated, and make the verdict bad when every count was estimated', () => {
    const data = craft({ llm_estimated_usage: rate(15, 0), 'llm_estimated_usage{model:gpt-4o-mini}': rate(15, 0), llm_output_tokens: outputBudget(true) });
    const text = llmTextSummary(data, { width: 200 });
    expect(line(text, '?  llm_output_tokens')).toContain('count = 1,440 (estimated counts for 100% of requests)');
    expect(line(text, '?  llm_cost_usd')).toContain('count = $0.000894 (estimated counts for 100% of requests)');
    expect(line(text, 'tokens')).toContain('estimated for 100% of requests (15)');
    expect(line(text, 'cost')).toContain('from estimated counts for 100% of requests');
    const w = trustVerdict(data).warnings.find((x) => x.code === 'usage_estimated');
    expect(w?.level).toBe('bad');
    expect(w?.message).toBe(
      '100.0% of responses reported no token usage (15 of 15); their counts were estimated: gpt-4o-mini (15). ' +
        'Thresholds judged only these estimates: llm_cost_usd count<0.50, llm_output_tokens count<1000000',
    );
    expect(llmReport(data).tokens).toMatchObject({ estimatedRequests: 15, estimatedModels: [{ model: 'gpt-4o-mini', requests: 15, share: 1 }] });
    expect(llmJUnit(data)).toContain('<property name="k6-llm.tokens.estimatedRequests" value="15 of 15 (100%)"/>');
  });

  it('warn when some counts were estimated', () => {
    const data = craft({ llm_estimated_usage: rate(3, 12), llm_output_tokens: outputBudget(true) });
    const w = trustVerdict(data).warnings.find((x) => x.code === 'usage_estimated');
    expect(w?.level).toBe('warn');
    expect(w?.message).toContain('20.0% of responses reported no token usage (3 of 15); their counts were estimated. Thresholds judged these estimates');
    const th = llmReport(data).thresholds.find((t) => t.metric === 'llm_output_tokens');
    expect(th?.estimatedShare).toBeCloseTo(0.2, 12);
  });

  it('leave thresholds on figures not built from token counts unmarked', () => {
    const data = craft({ llm_estimated_usage: rate(15, 0) });
    expect(llmReport(data).thresholds.find((t) => t.metric === 'llm_ttft')?.estimatedShare).toBeUndefined();
    expect(line(llmTextSummary(data), '✓  llm_ttft')).toContain('p(95) = 233');
  });
});
