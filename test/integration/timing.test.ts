import { describe, expect, it } from 'vitest';
import { runK6, useMock } from './harness';

const mock = useMock([], 'timing');

describe('timing over the relay transport (k6-llm run)', () => {
  it('measures TTFT and inter-token latency that match the injected 300 ms and 40 ms, ignoring the role-only first chunk', async () => {
    const run = await runK6(mock.script, { env: { MOCK_URL: mock.url, TRANSPORT: 'relay', TTFT: '300', ITL: '40', TOKENS: '20' } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.metric('llm_requests').count).toBe(10);
    // The mock sends its role-only chunk with the head, at once; counting it would put TTFT near 0.
    const ttft = run.metric('llm_ttft');
    expect(ttft.med).toBeGreaterThanOrEqual(295);
    expect(ttft.med).toBeLessThan(360);
    const itl = run.metric('llm_itl');
    expect(itl.count).toBe(10 * 19);
    expect(itl.med).toBeGreaterThan(35);
    expect(itl.med).toBeLessThan(48);
    // TPOT from the server's token count: (e2e - ttft) / (20 - 1) is the injected gap.
    expect(run.metric('llm_tpot').med).toBeGreaterThan(35);
    expect(run.metric('llm_tpot').med).toBeLessThan(48);
    expect(run.metric('llm_output_tokens').count).toBe(200);
    expect(run.metric('llm_ttfb').med).toBeLessThan(ttft.med as number);
    expect(run.metric('llm_tokens_per_event').med).toBe(1);
  });

  it('measures the same through two relay workers sharing the port, every exchange answered once', async () => {
    const run = await runK6(mock.script, {
      env: { MOCK_URL: mock.url, TRANSPORT: 'relay', TTFT: '300', ITL: '40', TOKENS: '20', VUS: '4', ITERATIONS: '12' },
      relay: ['--relay-workers', '2'],
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.metric('llm_requests').count).toBe(12);
    expect(run.metrics.llm_errors?.count ?? 0).toBe(0);
    expect(run.metric('llm_ttft').med).toBeGreaterThanOrEqual(295);
    expect(run.metric('llm_ttft').med).toBeLessThan(360);
    expect(run.metric('llm_itl').count).toBe(12 * 19);
    // The closing line sums the workers' counts.
    expect(run.stderr).toMatch(/k6-llm relay: 12 exchanges, no errors/);
  });

  it('keeps ITL per event when one event carries several tokens, and shows it in llm_tokens_per_event', async () => {
    const run = await runK6(mock.script, {
      env: { MOCK_URL: mock.url, TRANSPORT: 'relay', TTFT: '100', ITL: '10', TOKENS: '20', TOKENS_PER_CHUNK: '4', ITERATIONS: '4' },
    });
    expect(run.code, run.stderr).toBe(0);
    // 20 tokens in 5 events of 4: 4 gaps per request, each spanning 4 token gaps of the mock.
    expect(run.metric('llm_itl').count).toBe(4 * 4);
    expect(run.metric('llm_tokens_per_event').med).toBe(4);
    expect(run.metric('llm_output_tokens').count).toBe(80);
  });
});

describe('timing over the buffered http transport', () => {
  it('records llm_ttfb and llm_e2e but never llm_ttft or llm_itl', async () => {
    // Plain `k6 run`: the buffered transport needs nothing but stock k6.
    const run = await runK6(mock.script, { env: { MOCK_URL: mock.url, TRANSPORT: 'http', STREAM: 'true', TTFT: '200', ITL: '10', TOKENS: '20' }, relay: false });
    expect(run.code, run.stderr).toBe(0);
    expect(run.metric('llm_requests').count).toBe(10);
    expect(run.metrics.llm_ttft?.count ?? 0).toBe(0);
    expect(run.metrics.llm_itl?.count ?? 0).toBe(0);
    expect(run.metric('llm_ttfb').count).toBe(10);
    // The whole streamed body still parses: same tokens as over the relay transport.
    expect(run.metric('llm_output_tokens').count).toBe(200);
    const e2e = run.metric('llm_e2e');
    expect(e2e.med).toBeGreaterThanOrEqual(200 + 19 * 10 - 5);
  });
});
