import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { root, runK6, useMock } from './harness';

const mock = useMock();

describe('the quickstart example against the mock', () => {
  it('streams completions with TTFT, ITL, tokens and cost in the summary and passes its thresholds', async () => {
    const run = await runK6(join(root, 'dist/examples/quickstart.js'), { env: { MOCK_URL: mock.url, RAMP: '4s', HOLD: '2s' } });
    expect(run.code, run.stderr).toBe(0);
    const requests = run.metric('llm_requests').count as number;
    expect(requests).toBeGreaterThan(5);
    expect(run.metric('http_reqs').count).toBe(requests);
    expect(run.metric('llm_errors').count).toBe(0);
    expect(run.metric('llm_goodput').value).toBe(1);
    // Mock defaults: first token after 200 ms, then a token every 20 ms; answers of 64 tokens, which the example's
    // cap (maxTokens 96) does not cut.
    expect(run.metric('llm_ttft').med).toBeGreaterThanOrEqual(195);
    expect(run.metric('llm_itl').med).toBeGreaterThan(15);
    expect(run.metric('llm_itl').med).toBeLessThan(30);
    const output = run.metric('llm_output_tokens').count as number;
    expect(output).toBe(requests * 64);
    const input = run.metric('llm_input_tokens').count as number;
    // Price in the example: 0.15 input, 0.6 output USD per million tokens, no cached tokens here.
    expect(run.metric('llm_cost_usd').count).toBeCloseTo((input * 0.15 + output * 0.6) / 1e6, 9);
    for (const name of ['llm_ttft', 'llm_errors', 'llm_cost_usd']) {
      expect(Object.values(run.metric(name).thresholds ?? {}), name).toEqual([false]);
    }
    // The summary on stdout is k6-llm's (handleSummary), with the run's figures in it.
    expect(run.stdout).toMatch(new RegExp(`k6-llm\\s+·.*·\\s+${requests} requests`));
    expect(run.stdout).toMatch(/^\s+TTFT(\s+[\d,.]+){5}\s*$/m);
    expect(run.stdout).toMatch(/^\s+cost\s+\$0\.\d+ total/m);
    expect(run.stdout).toMatch(/^\s+thresholds\s+3 passed, 0 failed/m);
  });

  it('pointed at an endpoint whose model has no price, says the budget counted nothing, warns once, and can refuse to start', async () => {
    const script = join(root, 'dist/examples/quickstart.js');
    const env = { LLM_BASE_URL: `${mock.url}/v1`, LLM_API_KEY: 'test-key', LLM_MODEL: 'tiny', RAMP: '2s', HOLD: '1s' };
    const run = await runK6(script, { env });
    expect(run.code, run.stderr).toBe(0);
    const requests = run.metric('llm_requests').count as number;
    expect(run.metric('llm_unpriced').passes).toBe(requests);
    expect(run.stderr.split('\n').filter((l) => l.includes('no price for model')).length, run.stderr).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`^\\s+cost\\s+not counted: 0 of ${requests} requests priced · no price for tiny \\(${requests}\\)$`, 'm'));
    expect(run.stdout).toMatch(/^\s+\?\s+llm_cost_usd\s+count<0\.50\s+nothing counted: 0 of \d+ requests priced$/m);
    expect(run.stdout).toMatch(/^\s+run trust: BAD$/m);
    expect(run.stdout).toContain('✗ cost_unpriced: none of the');
    expect(run.stdout).not.toMatch(/\$0(?![.\d])/);

    const refused = await runK6(script, { env: { ...env, LLM_REQUIRE_PRICE: '1' } });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('since requirePrice is set');
    expect(refused.metrics.llm_requests?.count ?? 0).toBe(0);
  });
});
