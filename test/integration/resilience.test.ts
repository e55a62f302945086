// Retries, rate limits and faults against the real mock: every fault ends as a recorded
// error of its type, retries wait at least what the server asked, and counts add up.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loggedValues, root, runK6, useMock, type K6Run } from './harness';

const mock = useMock(['--retry-after-ms', '700'], 'faults');

interface Outcome {
  ok: boolean;
  status: number;
  errorType?: string;
  complete: boolean;
  attempts: number;
  retryWaitMs: number;
  textLength: number;
}

function outcomes(run: K6Run): Outcome[] {
  return loggedValues<Outcome>(run, 'outcome');
}

async function fault(env: Record<string, string>): Promise<{ run: K6Run; outcome: Outcome }> {
  const run = await runK6(mock.script, { env: { MOCK_URL: mock.url, ...env }, args: ['--log-format=raw'] });
  expect(run.code, run.stderr).toBe(0);
  const [outcome] = outcomes(run);
  expect(outcome, run.stderr).toBeDefined();
  return { run, outcome: outcome as Outcome };
}

describe('faults end as recorded errors of their type', () => {
  it.each([
    ['truncate', 'truncated'],
    ['malformed', 'malformed'],
    ['error-event', 'server_error'],
    ['stall', 'stall'],
  ])('a %s fault mid-stream is an error of type %s, counted in llm_errors and llm_incomplete', async (name, type) => {
    const { run, outcome } = await fault({ FAULT: name, STALL_MS: '400', FAULT_MS: '1500' });
    expect(outcome).toMatchObject({ ok: false, status: 200, errorType: type, complete: false, attempts: 1 });
    // Output that arrived before the fault is kept.
    expect(outcome.textLength).toBeGreaterThan(0);
    expect(run.metric('llm_errors').count).toBe(1);
    expect(run.metric('llm_incomplete').passes).toBe(1);
    expect(run.metrics.llm_ttft?.count ?? 0).toBe(0);
  });

  it('a connection reset mid-stream is an error of type reset, not a success', async () => {
    const { outcome } = await fault({ FAULT: 'reset' });
    expect(outcome.ok).toBe(false);
    expect(outcome.errorType).toBe('reset');
    expect(outcome.complete).toBe(false);
  });

  it('a response head slower than the request timeout ends as a timeout error', async () => {
    const { run, outcome } = await fault({ FAULT: 'slow-head', FAULT_MS: '3000', TIMEOUT_MS: '500' });
    expect(outcome).toMatchObject({ ok: false, status: 0, errorType: 'timeout', attempts: 1 });
    expect(run.metric('llm_errors').count).toBe(1);
    expect(run.metric('llm_request_duration').max).toBeLessThan(2_500);
  });

  it('a slow response head delays TTFB and TTFT but the request succeeds', async () => {
    const { run, outcome } = await fault({ FAULT: 'slow-head', FAULT_MS: '600' });
    expect(outcome.ok).toBe(true);
    expect(run.metric('llm_ttfb').min).toBeGreaterThanOrEqual(590);
    expect(run.metric('llm_ttft').min).toBeGreaterThanOrEqual(590);
  });

  it('an oversize line in the stream is parsed without losing the answer', async () => {
    const { outcome } = await fault({ FAULT: 'oversize' });
    expect(outcome).toMatchObject({ ok: true, complete: true });
  });

  it.each([
    ['500', 1125],
    ['503', 1400],
    ['529', 1400],
  ])('a %s that keeps failing is retried with back-off, then recorded as an http error', async (status, minWaitMs) => {
    const { run, outcome } = await fault({ FAULT: status, RETRIES: '2' });
    expect(outcome).toMatchObject({ ok: false, status: Number(status), errorType: `http_${status}`, attempts: 3 });
    // 503 and 529 carry the mock's Retry-After of 700 ms and the client waits at least that each
    // time; a 500 has none, so the SDK-style back-off applies: 500 ms then 1 s, less up to 25 % jitter.
    expect(outcome.retryWaitMs).toBeGreaterThanOrEqual(minWaitMs);
    expect(run.metric('llm_retries').count).toBe(2);
    expect(run.metric('http_reqs').count).toBe(3);
    // Only the last attempt counts as a failed HTTP request.
    expect(run.metric('http_req_failed').passes).toBe(1);
    expect(run.metric('llm_request_duration').min).toBeGreaterThanOrEqual(minWaitMs);
  });

  it('an overload error inside a 200 stream before any output is retried like a 529', async () => {
    const { outcome } = await fault({ PROVIDER: 'anthropic', FAULT: 'error-event', FAULT_AT: '0', RETRIES: '1' });
    expect(outcome).toMatchObject({ ok: false, status: 200, errorType: 'overloaded_error', attempts: 2 });
  });

  it('an overload error after output has arrived is not retried', async () => {
    const { outcome } = await fault({ PROVIDER: 'anthropic', FAULT: 'error-event', RETRIES: '2' });
    expect(outcome).toMatchObject({ ok: false, errorType: 'overloaded_error', attempts: 1 });
    expect(outcome.textLength).toBeGreaterThan(0);
  });

  it('the buffered transport records the same fault types', async () => {
    const truncated = await fault({ FAULT: 'truncate', TRANSPORT: 'http' });
    expect(truncated.outcome).toMatchObject({ ok: false, errorType: 'truncated', complete: false });
    const limited = await fault({ FAULT: '429', TRANSPORT: 'http', RETRIES: '1' });
    expect(limited.outcome).toMatchObject({ ok: false, status: 429, errorType: 'rate_limited', attempts: 2 });
    expect(limited.run.metric('http_req_failed').passes).toBe(1);
  });
});

describe('rate limits and back-off', () => {
  const limited = useMock(['--rpm', '30']);

  it('retries 429s after the server-given delay and conserves counts: requests = ok + failed, attempts = requests + retries', async () => {
    const run = await runK6(join(root, 'dist/examples/rate-limit-backoff.js'), {
      env: { MOCK_URL: limited.url, MOCK_KEY: `conserve-${Date.now()}`, RATE: '8', DURATION: '8s', MAX_RETRIES: '3' },
    });
    // The example's thresholds may fail at this rate: the counts are what is checked here.
    expect([0, 99], run.stderr).toContain(run.code);
    const requests = run.metric('llm_requests').count as number;
    const retries = run.metric('llm_retries').count as number;
    const attempts = run.metric('llm_attempts');
    const errors = run.metric('llm_errors').count as number;
    const goodput = run.metric('llm_goodput');
    expect(requests).toBeGreaterThanOrEqual(50);
    expect(goodput.passes! + goodput.fails!).toBe(requests);
    // Every failure here is a request that exhausted its retries on 429s.
    expect(errors).toBe(goodput.fails);
    expect(Math.round(attempts.avg! * attempts.count!)).toBe(requests + retries);
    expect(run.metric('http_reqs').count).toBe(requests + retries);
    // 30 requests a minute against 8 a second: the bucket's 30 pass at once, the rest meet 429s.
    const rateLimited = run.metric('llm_rate_limited');
    expect(rateLimited.passes).toBeGreaterThan(0);
    expect(rateLimited.passes! + rateLimited.fails!).toBe(requests + retries);
    expect(retries).toBeGreaterThan(0);
    // A retried-then-successful 429 is not a failed HTTP request: only last attempts can be.
    expect(run.metric('http_req_failed').passes).toBe(errors);
    // The mock asks (retry-after-ms) for the time until its bucket holds a request again: at most
    // 2 s at 30 rpm, so no single retry wait exceeds 2 s per retry taken.
    const wait = run.metric('llm_retry_wait');
    expect(wait.count).toBeGreaterThan(0);
    expect(wait.max).toBeLessThanOrEqual(3 * 2_000 + 50);
  });
});
