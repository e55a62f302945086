// The relay's own faults, through real k6 runs: none loses a request from the counts, each has its type.
import { describe, expect, it } from 'vitest';
import { loggedValues, runK6, startRelay, useMock, type K6Run } from './harness';

const mock = useMock([], 'relay-faults');

interface Outcome {
  ok: boolean;
  status: number;
  errorType?: string;
  attempts: number;
}

function outcomes(run: K6Run): Outcome[] {
  return loggedValues<Outcome>(run, 'outcome');
}

function errorsOfType(run: K6Run, type: string): number {
  return run.metrics[`llm_errors{error_type:${type}}`]?.count ?? 0;
}

describe('faults of the relay itself', () => {
  it('a relay stopped mid-run: every later request is recorded as relay_unavailable, none is lost', async () => {
    const relay = await startRelay();
    const stopping = new Promise<void>((resolve) => {
      setTimeout(() => relay.stop().then(() => resolve()), 2_500);
    });
    const run = await runK6(mock.script, {
      env: { MOCK_URL: mock.url, ...relay.vars, ITERATIONS: '20', VUS: '2', PAUSE_S: '0.3' },
      args: ['--log-format=raw'],
      relay: false,
    });
    await stopping;
    expect(run.code, run.stderr).toBe(0);
    const all = outcomes(run);
    expect(all).toHaveLength(20);
    expect(run.metric('llm_requests').count).toBe(20);
    const ok = all.filter((o) => o.ok).length;
    const unavailable = all.filter((o) => o.errorType === 'relay_unavailable').length;
    // Exchanges in flight when the relay stopped were cancelled by it: `aborted`, with the upstream's status.
    const aborted = all.filter((o) => o.errorType === 'aborted');
    expect(ok).toBeGreaterThan(0);
    expect(unavailable).toBeGreaterThan(0);
    expect(aborted.length).toBeLessThanOrEqual(2);
    expect(aborted.every((o) => o.status === 200)).toBe(true);
    expect(ok + unavailable + aborted.length).toBe(20);
    expect(errorsOfType(run, 'relay_unavailable')).toBe(unavailable);
    expect(run.metric('llm_errors').count).toBe(unavailable + aborted.length);
    // No upstream status was made up for them.
    expect(all.filter((o) => o.errorType === 'relay_unavailable').every((o) => o.status === 0)).toBe(true);
  });

  it('no relay at the start of a run: the run stops at the first request and says how to start one', async () => {
    const run = await runK6(mock.script, {
      env: { MOCK_URL: mock.url, K6_LLM_RELAY: 'http://127.0.0.1:9', K6_LLM_RELAY_TOKEN: 'x', ITERATIONS: '5', VUS: '1' },
      relay: false,
    });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('no relay answered at http://127.0.0.1:9');
    expect(run.stderr).toContain('npx k6-llm run script.js');
  });

  it('no relay configured at all: the run stops at the first request with what to do', async () => {
    const env: Record<string, string | undefined> = { ...process.env, MOCK_URL: mock.url };
    delete env.K6_LLM_RELAY;
    const run = await runK6(mock.script, { env: env as Record<string, string>, relay: false });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('relayTransport() has no relay: K6_LLM_RELAY is not set');
    expect(run.stderr).toContain('npx k6-llm run script.js');
  });

  it('a wrong token: every request is relay_auth, recorded once and not retried', async () => {
    const run = await runK6(mock.script, {
      env: { MOCK_URL: mock.url, TOKEN: 'not-the-run-token', ITERATIONS: '4', VUS: '1', RETRIES: '2' },
      args: ['--log-format=raw'],
    });
    expect(run.code, run.stderr).toBe(0);
    const all = outcomes(run);
    expect(all).toEqual(Array.from({ length: 4 }, () => ({ ok: false, status: 0, errorType: 'relay_auth', attempts: 1 })));
    expect(errorsOfType(run, 'relay_auth')).toBe(4);
    expect(run.metric('http_req_failed').passes).toBe(4);
  });

  it('a host off the allowlist: relay_forbidden_host, and the upstream never sees the request', async () => {
    const before = (await (await fetch(`${mock.url}/_mock/stats`)).json()) as { requests: number };
    const run = await runK6(mock.script, {
      env: { MOCK_URL: mock.url, ITERATIONS: '3', VUS: '1' },
      args: ['--log-format=raw'],
      relay: ['--allow-host', 'api.openai.com'],
    });
    const after = (await (await fetch(`${mock.url}/_mock/stats`)).json()) as { requests: number };
    expect(run.code, run.stderr).toBe(0);
    expect(outcomes(run).map((o) => o.errorType)).toEqual(['relay_forbidden_host', 'relay_forbidden_host', 'relay_forbidden_host']);
    expect(errorsOfType(run, 'relay_forbidden_host')).toBe(3);
    expect(after.requests).toBe(before.requests);
  });
});
