// Cost as a CI budget, end to end: the pre-flight estimate refuses a run over budget,
// and the llm_cost_usd threshold with abortOnFail stops a run that burns money.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runK6, useMock } from './harness';

const mock = useMock();
const script = join(root, 'dist/examples/cost-budget.js');


describe('cost budgets', () => {
  it('a run within budget passes and its cost equals the tokens times the price', async () => {
    const run = await runK6(script, { env: { MOCK_URL: mock.url, VUS: '2', DURATION: '4s', MAX_TOKENS: '20', BUDGET_USD: '0.05' } });
    expect(run.code, run.stderr).toBe(0);
    const input = run.metric('llm_input_tokens').count as number;
    const cached = run.metrics.llm_cached_input_tokens?.count ?? 0;
    const output = run.metric('llm_output_tokens').count as number;
    expect(output).toBe((run.metric('llm_requests').count as number) * 20);
    const expected = ((input - cached) * 0.15 + cached * 0.075 + output * 0.6) / 1e6;
    expect(run.metric('llm_cost_usd').count).toBeCloseTo(expected, 12);
  });

  it('aborts a run once llm_cost_usd crosses the budget, with k6 exit code 99', async () => {
    // ESTIMATE_MARGIN lets setup() start although the estimate is over the budget.
    const run = await runK6(script, {
      env: { MOCK_URL: mock.url, VUS: '4', DURATION: '60s', MAX_TOKENS: '50', BUDGET_USD: '0.0003', ESTIMATE_MARGIN: '1000' },
    });
    expect(run.code, run.stderr).toBe(99);
    const cost = run.metric('llm_cost_usd').count as number;
    expect(cost).toBeGreaterThanOrEqual(0.0003);
    // Stopped within seconds, far below the 60 s the scenario asked for: ~4 requests of $0.00003 a second.
    expect(cost).toBeLessThan(0.003);
    expect(run.metric('llm_cost_usd').thresholds).toEqual({ 'count<0.0003': true });
  });

  it('refuses to start when the pre-flight estimate is over budget', async () => {
    const run = await runK6(script, { env: { MOCK_URL: mock.url, VUS: '50', DURATION: '10m', BUDGET_USD: '0.01' }, args: ['--log-format=raw'] });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/estimated cost \$[0-9.]+ is over the budget of \$0\.01; not starting/);
    expect(run.metrics.llm_requests?.count ?? 0).toBe(0);
  });
});
