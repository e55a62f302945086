// The CI recipe's script: exit codes and JUnit output a pipeline can act on.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outputDir, root, runK6, useMock } from './harness';

const mock = useMock(['--ttft-ms', '100', '--itl-ms', '5']);

const script = join(root, 'dist/examples/ci-smoke.js');

function testcases(xml: string): Array<{ name: string; failed: boolean }> {
  const out: Array<{ name: string; failed: boolean }> = [];
  const re = /<testcase\b[^>]*\bname="([^"]*)"[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g;
  const unescape = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  for (let m = re.exec(xml); m; m = re.exec(xml)) out.push({ name: unescape(m[1] as string), failed: /<failure\b/.test(m[3] ?? '') });
  return out;
}

describe('the CI smoke script', () => {
  it('passes with exit code 0 and writes a JUnit file with one passing case per threshold, plus the HTML report', async () => {
    const dir = join(outputDir, 'ci-pass');
    mkdirSync(dir, { recursive: true });
    const run = await runK6(script, { env: { MOCK_URL: mock.url, REPORT_DIR: dir, RAMP: '2s', HOLD: '3s', VUS: '3' } });
    expect(run.code, run.stderr).toBe(0);
    const cases = testcases(readFileSync(join(dir, 'junit.xml'), 'utf8'));
    expect(cases.length).toBe(6);
    expect(cases.filter((c) => c.failed)).toEqual([]);
    expect(existsSync(join(dir, 'llm-report.html'))).toBe(true);
    expect(run.stdout).toMatch(/llm_ttft/);
  });

  it('fails with exit code 99 when a latency threshold is crossed, and the JUnit file names it', async () => {
    const dir = join(outputDir, 'ci-fail');
    mkdirSync(dir, { recursive: true });
    const run = await runK6(script, { env: { MOCK_URL: mock.url, REPORT_DIR: dir, RAMP: '1s', HOLD: '2s', VUS: '2', TTFT_P95_MS: '20' } });
    expect(run.code, run.stderr).toBe(99);
    const failed = testcases(readFileSync(join(dir, 'junit.xml'), 'utf8')).filter((c) => c.failed).map((c) => c.name);
    expect(failed.some((name) => name.includes('llm_ttft') && name.includes('p(95)<20'))).toBe(true);
  });
});
