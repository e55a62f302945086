// Refusals end to end: a real k6 run of the bundled library against the real mock refusing a seeded share of
// answers, over the buffered http transport (stock k6). The mock's ground truth says which answers it refused;
// llm_refused, its refused_by split, a threshold on it and the reports must agree with that.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type K6Run, outputDir, runK6, useMock } from './harness';

const ITERATIONS = 15;
const PROVIDERS = 4;

const mock = useMock(['--refusal', '0.3', '--seed', '11', '--ttft-ms', '5', '--itl-ms', '1', '--output-tokens', '12'], 'refusals');
/** What the mock says it refused, per provider dialect, read from its ground-truth records. */
let refusedByProvider: Record<string, number>;
let failing: K6Run;
const dir = join(outputDir, 'refusals');

async function refusedSoFar(): Promise<Record<string, number>> {
  const body = (await (await fetch(`${mock.url}/_mock/requests?limit=1000`)).json()) as { data: Array<{ provider: string; refusal: boolean }> };
  const out: Record<string, number> = {};
  for (const r of body.data) if (r.refusal) out[r.provider] = (out[r.provider] ?? 0) + 1;
  return out;
}

beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  failing = await runK6(mock.script, { env: { MOCK_URL: mock.url, ITERATIONS: String(ITERATIONS), OUT_DIR: dir } });
  refusedByProvider = await refusedSoFar();
}, 180_000);

describe('llm_refused in a dry run against the mock', () => {
  it('counts every answer once and every refusal the mock sent, whoever detected it', () => {
    const total = Object.values(refusedByProvider).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(5);
    expect(failing.metric('llm_refused')).toMatchObject({ passes: total, fails: ITERATIONS * PROVIDERS - total });
    expect(failing.metrics.llm_errors?.count ?? 0).toBe(0);
  });

  it('credits the provider\'s signal for OpenAI, Anthropic and Gemini refusals, and the text heuristic for Ollama\'s', () => {
    const signalled = (refusedByProvider['openai-chat'] ?? 0) + (refusedByProvider.anthropic ?? 0) + (refusedByProvider.gemini ?? 0);
    expect(failing.metric('llm_refused{refused_by:provider}').passes).toBe(signalled);
    expect(failing.metric('llm_refused{refused_by:heuristic}').passes ?? 0).toBe(refusedByProvider.ollama ?? 0);
    expect(refusedByProvider.ollama ?? 0).toBeGreaterThan(0);
    // notRefused failed exactly on the refused answers.
    expect(failing.metric('llm_validation_failed').passes).toBe(failing.metric('llm_refused').passes);
  });

  it('fails a threshold the refusal rate crosses (k6 exits 99) and passes one it stays under', async () => {
    expect(failing.code, failing.stderr).toBe(99);
    expect(failing.metric('llm_refused').thresholds).toEqual({ 'rate<0.01': true });
    const passing = await runK6(mock.script, { env: { MOCK_URL: mock.url, ITERATIONS: '3', THRESHOLD: 'rate<0.9' } });
    expect(passing.code, passing.stderr).toBe(0);
    expect(passing.metric('llm_refused').thresholds).toEqual({ 'rate<0.9': false });
  }, 120_000);

  it('shows the rate in the text summary, the JSON report and JUnit, rendered inside k6', () => {
    const total = failing.metric('llm_refused').passes as number;
    const answers = ITERATIONS * PROVIDERS;
    const report = JSON.parse(readFileSync(join(dir, 'llm.json'), 'utf8'));
    expect(report.refusals).toEqual({
      share: total / answers,
      refused: total,
      answers,
      byProvider: failing.metric('llm_refused{refused_by:provider}').passes,
      byHeuristic: failing.metric('llm_refused{refused_by:heuristic}').passes,
    });
    expect(failing.stdout).toMatch(new RegExp(`refused [\\d.]+% \\(${total} of ${answers} answers: \\d+ by the provider, \\d+ by the heuristic\\)`));
    const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect(junit).toContain('<property name="llm_refused" value=');
    expect(junit).toMatch(/<testcase name="llm_refused rate&lt;0.01" classname="llm_refused" time="0">\s*<failure/);
  });
});
