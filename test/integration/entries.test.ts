import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { root, runK6 } from './harness';

describe('the built entries in k6', () => {
  it('every public bundle loads and works in k6 when imported by file path', async () => {
    // Not bundled: k6 itself resolves the relative imports of dist/ files, as users' scripts do.
    const run = await runK6(join(root, 'test/integration/scripts/entries.k6.js'), { args: ['--log-format=raw'] });
    expect(run.code, run.stderr).toBe(0);
    const line = run.stderr.split('\n').find((l) => l.startsWith('entries '));
    expect(line, run.stderr).toBeDefined();
    const results = JSON.parse((line as string).slice('entries '.length));
    expect(results).toEqual({ sse: true, providers: true, cost: true, retry: true, validate: true, metrics: true, main: true, transport: true });
    expect(run.metric('checks').fails).toBe(0);
    expect(run.metric('checks').passes).toBe(8);
  });
});
