// Every example runs against the mock as shipped (short durations through env vars) and
// shows what it is for in k6's summary.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runK6, useMock } from './harness';

const mock = useMock(['--ttft-ms', '80', '--itl-ms', '5']);

const example = (name: string) => join(root, 'dist/examples', `${name}.js`);

describe('examples against the mock', () => {
  it('structured-output: JSON answers validate against the build-time compiled schema', async () => {
    const run = await runK6(example('structured-output'), { env: { MOCK_URL: mock.url, VUS: '2', DURATION: '4s' } });
    expect(run.code, run.stderr).toBe(0);
    const requests = run.metric('llm_requests').count as number;
    expect(requests).toBeGreaterThan(3);
    // One sample per validator per response, all passing.
    expect(run.metric('llm_validation_failed').fails).toBe(3 * requests);
    expect(run.metric('llm_validation_failed').passes).toBe(0);
    expect(run.metric('checks').fails).toBe(0);
  });

  it('tool-call-validation: forced tool calls carry arguments valid against the tool schema', async () => {
    const run = await runK6(example('tool-call-validation'), { env: { MOCK_URL: mock.url, VUS: '2', DURATION: '3s' } });
    expect(run.code, run.stderr).toBe(0);
    const failed = run.metric('llm_validation_failed');
    expect(failed.passes).toBe(0);
    expect(failed.fails).toBe(run.metric('llm_requests').count);
  });

  it('refusal-detection: one scripted refusal in five shows as a 20 % llm_refused rate, caught by the provider\'s signal', async () => {
    const run = await runK6(example('refusal-detection'), { env: { MOCK_URL: mock.url, ITERATIONS: '20', REFUSAL_EVERY: '5' } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.metric('llm_refused')).toMatchObject({ passes: 4, fails: 16 });
    expect(run.metric('llm_refused').thresholds).toEqual({ 'rate<0.25': false });
    // Anthropic's stop_reason "refusal" caught all four; the text heuristic had nothing left to catch.
    expect(run.metric('llm_refused{refused_by:provider}').passes).toBe(4);
    expect(run.metric('llm_refused{refused_by:heuristic}').passes ?? 0).toBe(0);
    expect(run.metric('llm_validation_failed')).toMatchObject({ passes: 4, fails: 16 });
    // Refusals are successful requests: status 200, complete.
    expect(run.metrics.llm_errors?.count ?? 0).toBe(0);
  });

  it.each(['ask', 'stream'])('own-service (%s): the seed\'s own endpoints through customProvider', async (mode) => {
    const run = await runK6(example('own-service'), {
      env: { MOCK_URL: mock.url, MODE: mode, VUS: '3', RAMP: '1s', HOLD: '3s', THINK_MIN: '0.1', THINK_MAX: '0.3' },
    });
    expect(run.code, run.stderr).toBe(0);
    const requests = run.metric('llm_requests').count as number;
    expect(requests).toBeGreaterThan(5);
    expect(run.metric('llm_output_tokens').count).toBe(requests * 60);
    expect(run.metrics.llm_errors?.count ?? 0).toBe(0);
    if (mode === 'stream') {
      expect(run.metric('llm_ttft').med).toBeGreaterThanOrEqual(75);
      expect(run.metric('llm_itl').count).toBe(requests * 59);
    } else {
      expect(run.metrics.llm_ttft?.count ?? 0).toBe(0);
      expect(run.metric('llm_ttfb').count).toBe(requests);
    }
  });

  it('anthropic-streaming: TTFT ends at the first thinking token, TTFO at the first visible token', async () => {
    const run = await runK6(example('anthropic-streaming'), { env: { MOCK_URL: mock.url, VUS: '2', DURATION: '3s', THINKING_TOKENS: '40' } });
    expect(run.code, run.stderr).toBe(0);
    const ttft = run.metric('llm_ttft').med as number;
    const ttfo = run.metric('llm_ttfo').med as number;
    // 40 thinking tokens at 5 ms each separate the two.
    expect(ttfo - ttft).toBeGreaterThan(150);
    // The check asserts reasoningText and text are both non-empty on every answer.
    expect(run.metric('checks').fails).toBe(0);
    expect(run.metric('checks').passes).toBe(run.metric('llm_requests').count);
  });

  it('prompt-cache: a shared 2,048-token prefix is served from cache and the hit ratio shows it', async () => {
    const cached = await runK6(example('prompt-cache'), { env: { MOCK_URL: mock.url, VUS: '2', DURATION: '3s', SHARED: 'true' } });
    const busted = await runK6(example('prompt-cache'), { env: { MOCK_URL: mock.url, VUS: '2', DURATION: '3s', SHARED: 'false' } });
    expect(cached.code, cached.stderr).toBe(0);
    expect(busted.code, busted.stderr).toBe(0);
    expect(cached.metric('llm_cache_hit_ratio').avg).toBeGreaterThan(0.5);
    expect(busted.metrics.llm_cached_input_tokens?.count ?? 0).toBe(0);
    // Cached input is billed at a tenth: cheaper per request.
    const perRequest = (run: typeof cached) => (run.metric('llm_cost_usd').count as number) / (run.metric('llm_requests').count as number);
    expect(perRequest(cached)).toBeLessThan(perRequest(busted) * 0.7);
  });

  it.each(['ramp', 'spike'])('ramp-vs-spike (%s): the preset shapes the load and every phase is measured', async (profile) => {
    const run = await runK6(example('ramp-vs-spike'), {
      env: { MOCK_URL: mock.url, PROFILE: profile, PEAK: '6', RAMP: '2s', HOLD: '2s', RAMP_DOWN: '1s', BEFORE: '1s', AFTER: '1s', THINK_MEAN: '0.2' },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.metric('vus_max').value).toBeGreaterThanOrEqual(6);
    const requests = run.metric('llm_requests').count as number;
    expect(requests).toBeGreaterThan(10);
    expect(run.metric('llm_ttft').count).toBe(requests);
    expect(run.metrics.llm_errors?.count ?? 0).toBe(0);
  });
});
