// A cost budget never passes silently on money it did not count, end to end: real `k6 run`s of
// scripts/cost-coverage.ts against the mock, which answers any model name and, for a stream that
// does not ask for it, reports no usage. Each run renders every report inside k6 (handleSummary).
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { outputDir, runK6, useMock, type K6Run } from './harness';

const mock = useMock([], 'cost-coverage');

interface Reports {
  run: K6Run;
  text: string;
  json: {
    cost: Record<string, unknown>;
    tokens: Record<string, unknown>;
    thresholds: Array<{ metric: string; ok: boolean; unpriced?: unknown; estimatedShare?: number }>;
    verdict: { level: string; warnings: Array<{ code: string; level: string; message: string }> };
  };
  junit: string;
  html: string;
}

async function run(name: string, env: Record<string, string>): Promise<Reports> {
  const dir = join(outputDir, 'cost-coverage', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const result = await runK6(mock.script, { env: { MOCK_URL: mock.url, OUT_DIR: dir, ...env }, timeoutMs: 60_000 });
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  return { run: result, text: result.stdout, json: JSON.parse(read('llm.json')), junit: read('junit.xml'), html: read('report.html') };
}

/** How many times stderr carries the no-price warning for `model`. */
function warnings(stderr: string, model: string): number {
  return stderr.split('\n').filter((l) => l.includes(`no price for model \\"${model}\\"`)).length;
}

describe('a run of a model without a price, under a cost budget', () => {
  let r: Reports;
  beforeAll(async () => {
    r = await run('unpriced', { MODE: 'unpriced', VUS: '4' });
  }, 90_000);

  it('warns about the model once, not once per VU or again at the summary', () => {
    expect(r.run.code, r.run.stderr).toBe(0);
    expect(warnings(r.run.stderr, 'tiny'), r.run.stderr).toBe(1);
  });

  it('records every request as unpriced and no cost', () => {
    const requests = r.run.metric('llm_requests').count as number;
    expect(requests).toBeGreaterThan(8);
    expect(r.run.metric('llm_unpriced')).toMatchObject({ value: 1, passes: requests, fails: 0 });
    expect(r.run.metric('llm_cost_usd').count).toBe(0);
    expect(r.json.cost).toEqual({ pricedRequests: 0, unpricedRequests: requests, unpricedModels: [{ model: 'tiny', requests }], partial: true });
  });

  it('says in every report that nothing was counted and names the model, never showing $0', () => {
    const requests = r.run.metric('llm_requests').count as number;
    expect(r.text).toMatch(new RegExp(`^\\s+cost\\s+not counted: 0 of ${requests} requests priced · no price for tiny \\(${requests}\\)$`, 'm'));
    expect(r.text).toMatch(new RegExp(`^\\s+\\?\\s+llm_cost_usd\\s+count<0\\.50\\s+nothing counted: 0 of ${requests} requests priced$`, 'm'));
    expect(r.junit).toContain(`<property name="k6-llm.cost.unpricedModels" value="tiny (${requests})"/>`);
    expect(r.html).toContain(`No cost was counted: 0 of ${requests} requests were priced; no price for tiny (${requests}).`);
    for (const report of [r.text, r.junit, r.html]) expect(report).not.toMatch(/\$0(?![.\d])/);
  });

  it('makes the run-trust verdict bad, saying how to price the model', () => {
    expect(r.json.verdict.level).toBe('bad');
    const w = r.json.verdict.warnings.find((x) => x.code === 'cost_unpriced');
    expect(w?.level).toBe('bad');
    expect(w?.message).toContain('no price for tiny');
    expect(r.text).toContain("createClient's price: { input, output } or prices:");
    expect(r.junit).toMatch(/<failure message="run trust is bad: cost_unpriced/);
  });
});

describe('making a missing price a hard error', () => {
  it('fails the run with exit code 99 on the threshold llm_unpriced: [\'rate==0\']', async () => {
    const r = await run('threshold', { MODE: 'unpriced', REQUIRE: 'threshold' });
    expect(r.run.code, r.run.stderr).toBe(99);
    expect(r.run.metric('llm_unpriced').thresholds).toEqual({ 'rate==0': true });
    expect(r.text).toMatch(/^\s+✗\s+llm_unpriced\s+rate==0\s+rate = 1$/m);
  }, 90_000);

  it('stops before the first request with requirePrice: true', async () => {
    const result = await runK6(mock.script, { env: { MOCK_URL: mock.url, MODE: 'unpriced', REQUIRE: 'client' }, timeoutMs: 60_000 });
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBe(99);
    expect(result.stderr).toContain('invalid price for \\"tiny\\": expected price: { input, output } or a prices entry, since requirePrice is set');
    expect(result.metrics.llm_requests?.count ?? 0).toBe(0);
  }, 90_000);
});

describe('a run in which some requests were priced', () => {
  it('shows the priced part as partial and warns, naming the unpriced model', async () => {
    const r = await run('mixed', { MODE: 'mixed', VUS: '3' });
    expect(r.run.code, r.run.stderr).toBe(0);
    expect(warnings(r.run.stderr, 'tiny')).toBe(1);
    expect(warnings(r.run.stderr, 'gpt-4o-mini')).toBe(0);
    const unpriced = r.run.metric('llm_unpriced{model:tiny}').passes as number;
    const priced = r.run.metric('llm_unpriced{model:gpt-4o-mini}').fails as number;
    expect(unpriced).toBeGreaterThan(0);
    expect(priced).toBeGreaterThan(0);
    const cost = r.run.metric('llm_cost_usd').count as number;
    expect(cost).toBeGreaterThan(0);
    expect(r.json.cost).toMatchObject({ totalUsd: cost, pricedRequests: priced, unpricedRequests: unpriced, unpricedModels: [{ model: 'tiny', requests: unpriced }], partial: true });
    expect(r.text).toMatch(new RegExp(`cost\\s+partial: \\$[\\d.]+ for the ${priced} of ${priced + unpriced} requests priced`));
    expect(r.text).toMatch(/^\s+tiny\s.*no price$/m);
    const w = r.json.verdict.warnings.find((x) => x.code === 'cost_unpriced');
    expect(w).toMatchObject({ level: 'warn', message: `llm_cost_usd count<0.50 judged the cost of ${priced} of ${priced + unpriced} requests: ${unpriced} had no price; no price for tiny (${unpriced})` });
  }, 90_000);

  it('warns once about a model requests name at iteration time, and counts those requests unnamed', async () => {
    const r = await run('request-model', { MODE: 'mixed', VUS: '4', REQUEST_MODEL: 'request-model-x' });
    expect(r.run.code, r.run.stderr).toBe(0);
    expect(warnings(r.run.stderr, 'tiny')).toBe(1);
    expect(warnings(r.run.stderr, 'request-model-x')).toBe(1);
    const requests = r.run.metric('llm_requests').count as number;
    expect(r.json.cost).toMatchObject({ pricedRequests: 0, unpricedRequests: requests, unpricedModels: [], unnamedUnpricedRequests: requests });
    expect(r.text).toContain(`no price for the models of ${requests} requests (not named in the summary;`);
  }, 90_000);
});

describe('usage the server did not report', () => {
  it('marks the token and cost thresholds with the share estimated and makes the verdict bad', async () => {
    const r = await run('estimated', { MODE: 'estimated' });
    expect(r.run.code, r.run.stderr).toBe(0);
    const requests = r.run.metric('llm_requests').count as number;
    expect(r.run.metric('llm_estimated_usage')).toMatchObject({ value: 1, passes: requests });
    for (const metric of ['llm_output_tokens', 'llm_cost_usd']) {
      expect(r.json.thresholds.find((t) => t.metric === metric)).toMatchObject({ ok: true, estimatedShare: 1 });
    }
    expect(r.text).toMatch(/^\s+\?\s+llm_output_tokens\s+count<1000000\s+count = [\d,]+ \(estimated counts for 100% of requests\)$/m);
    expect(r.json.tokens).toMatchObject({ estimatedRequests: requests, estimatedModels: [{ model: 'gpt-4o-mini', requests, share: 1 }] });
    const w = r.json.verdict.warnings.find((x) => x.code === 'usage_estimated');
    expect(w?.level).toBe('bad');
    expect(w?.message).toContain('Thresholds judged only these estimates: llm_cost_usd count<0.50, llm_output_tokens count<1000000');
    expect(r.junit).toContain(`<property name="k6-llm.tokens.estimatedRequests" value="${requests} of ${requests} (100%)"/>`);
    // The mock sent 20 tokens per answer; the estimate is not the server's count.
    expect(r.run.metric('llm_output_tokens').count).not.toBe(requests * 20);
  }, 90_000);
});
