// The README's script and its one-line bundling command work as written: the script
// imports k6-llm by its package name, esbuild resolves it to the built dist/ files,
// and k6 loads the bundle.
import { execSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { k6Binary, outputDir, root } from './harness';

const readme = readFileSync(join(root, 'README.md'), 'utf8');

describe('the README', () => {
  it('opens with the two commands a newcomer types', () => {
    const fenced = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const commands = fenced.split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean);
    expect(commands).toEqual(['npm ci && npm start', 'npm test']);
  });

  it('shows a script of at most 15 lines that bundles with the documented one-liner and loads in k6', () => {
    const script = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(script.trim().split('\n').length).toBeLessThanOrEqual(15);
    const command = readme.split('\n').find((l) => l.startsWith('npx esbuild my-test.ts'));
    expect(command).toBeDefined();
    const dir = join(outputDir, 'readme');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'my-test.ts'), script);
    execSync(command as string, { cwd: dir, stdio: 'pipe' });
    const inspect = spawnSync(k6Binary(), ['inspect', 'my-test.js'], { cwd: dir, encoding: 'utf8' });
    expect(inspect.status, inspect.stderr).toBe(0);
    const options = JSON.parse(inspect.stdout);
    expect(options.vus).toBe(10);
    expect(Object.keys(options.thresholds).sort()).toEqual(['llm_cost_usd', 'llm_errors', 'llm_ttft']);
  });
});
