import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain .mjs build script without types
import { bundleForK6 } from '../../build.mjs';
// The pure parsers: the workload entry itself imports k6 modules, which Node does not have.
import { parseJSONL } from '../../lib/workload/jsonl-corpus';
import { parseShareGPT } from '../../lib/workload/sharegpt-corpus';
import { bundleScript, outputDir, root, runK6, startMock, useMock } from './harness';

const mock = useMock(['--ttft-ms', '10', '--itl-ms', '1', '--tokens-per-chunk', '8']);
// Two levels below the repository, as dist/examples/ is, so the example's default corpus path resolves the same way.
const corpusScript = join(outputDir, 'examples', 'corpus-jsonl.js');

const expectedTokens = (rows: { expectedOutputTokens?: number }[]) => rows.map((r) => r.expectedOutputTokens ?? 128);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

beforeAll(async () => {
  await bundleForK6(join(root, 'examples/corpus-jsonl.ts'), corpusScript);
});

describe('the corpus-jsonl example against the mock', () => {
  it('sends every row of the bundled corpus exactly once, found through its default path', async () => {
    const rows = parseJSONL(readFileSync(join(root, 'examples/data/prompts.jsonl'), 'utf8')).rows;
    const run = await runK6(corpusScript, { env: { MOCK_URL: mock.url }, timeoutMs: 60_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.metric('iterations').count).toBe(30);
    expect(run.metric('llm_requests').count).toBe(30);
    // The mock answers each row with its expected size: the total matches only if each row went once.
    expect(run.metric('llm_output_tokens').count).toBe(sum(expectedTokens(rows)));
    expect(run.metric('checks').fails).toBe(0);
  });

  it('reads a ShareGPT corpus given by CORPUS and wraps around when iterations outnumber rows', async () => {
    const rows = parseShareGPT(readFileSync(join(root, 'examples/data/sharegpt-sample.json'), 'utf8')).rows;
    const run = await runK6(corpusScript, {
      env: { MOCK_URL: mock.url, CORPUS: '../../examples/data/sharegpt-sample.json', ITERATIONS: '7', VUS: '3' },
      timeoutMs: 60_000,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.metric('llm_requests').count).toBe(7);
    const perRow = expectedTokens(rows);
    expect(run.metric('llm_output_tokens').count).toBe(sum(perRow) + (perRow[0] as number) + (perRow[1] as number));
  });
});

describe('a step-up run', () => {
  it('finds the step where TTFT p95 breaks the limit, from per-step submetrics in handleSummary', async () => {
    // One stream at full speed: TTFT grows with the VUs of each step (1, 3, 5).
    const slow = await startMock(['--capacity', '1', '--ttft-ms', '200', '--itl-ms', '5']);
    const resultFile = join(outputDir, `stepup-${process.pid}.json`);
    rmSync(resultFile, { force: true });
    try {
      const script = await bundleScript('workload-stepup');
      const run = await runK6(script, { env: { MOCK_URL: slow.url, RESULT_FILE: resultFile, LIMIT: '900' }, timeoutMs: 60_000 });
      // k6 exits 99 because the step-3 threshold was crossed, as it should.
      expect(run.code, run.stderr).toBe(99);
      const found = JSON.parse(readFileSync(resultFile, 'utf8'));
      expect(found.step).toBe(3);
      expect(found.value).toBeGreaterThan(900);
      expect(found.lastGood.step).toBe(2);
      expect(found.readings.map((r: { step: number }) => r.step)).toEqual([1, 2, 3]);
      expect(found.readings[0].value).toBeLessThan(found.readings[1].value);
      expect(run.metric('llm_ttft{step:1}').thresholds).toEqual({ 'p(95)<=900': false });
      expect(run.metric('llm_ttft{step:3}').thresholds).toEqual({ 'p(95)<=900': true });
    } finally {
      rmSync(resultFile, { force: true });
      await slow.stop();
    }
  });
});
