import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain .mjs build script without types
import { bundleForK6 } from '../../build.mjs';
import { outputDir, root, runK6, useMock } from './harness';

// A fast mock: the assertions are about counts, not latency.
const mock = useMock(['--ttft-ms', '20', '--itl-ms', '2']);
const script = join(outputDir, 'examples', 'agent-tools.js');

beforeAll(async () => {
  await bundleForK6(join(root, 'examples/agent-tools.ts'), script);
});

describe('the agent-tools example against the mock', () => {
  for (const provider of ['openai-chat', 'openai-responses', 'anthropic']) {
    it(`runs two-turn conversations over ${provider}, one tool call and two model calls per turn`, async () => {
      const iterations = 3;
      const run = await runK6(script, {
        env: { MOCK_URL: mock.url, LLM_PROVIDER: provider, ITERATIONS: String(iterations), VUS: '2', THINK_MEAN: '0' },
        timeoutMs: 60_000,
      });
      expect(run.code, run.stderr).toBe(0);
      const turns = iterations * 2;
      const steps = run.metric('llm_session_steps');
      expect(steps.count).toBe(turns);
      expect([steps.min, steps.max]).toEqual([2, 2]);
      const toolCalls = run.metric('llm_session_tool_calls');
      expect([toolCalls.count, toolCalls.avg]).toEqual([turns, 1]);
      // Every step is one model call: requests = the sum of the turns' steps.
      expect(run.metric('llm_requests').count).toBe((steps.avg as number) * turns);
      // k6's summary export gives a Rate as `value` with passes and fails.
      expect(run.metric('llm_session_goodput')).toMatchObject({ value: 1, passes: turns, fails: 0 });
      expect(run.metric('llm_tool_latency').count).toBe(turns);
      // A turn includes its tool's simulated latency (at least 50 ms for either stub).
      expect(run.metric('llm_session_duration').min).toBeGreaterThanOrEqual(50);
      expect(run.metrics.llm_errors?.count ?? 0).toBe(0);
      expect(run.metric('checks').fails).toBe(0);
      expect(run.metric('checks').passes).toBe(iterations * 3);
    });
  }
});
