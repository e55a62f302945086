#!/usr/bin/env node
// `npm test`: typecheck, lint, unit tests, build, then integration tests that run real
// k6 against the real mock. Prints one closing line: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { ensureK6 } from './k6-binary.mjs';

const node = process.execPath;
const results = [];
mkdirSync('test-output', { recursive: true });

function step(name, args, { counts } = {}) {
  const started = Date.now();
  process.stdout.write(`\n== ${name}\n`);
  const r = spawnSync(node, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  let passed = r.status === 0 ? 1 : 0;
  let failed = r.status === 0 ? 0 : 1;
  if (counts) {
    try {
      const report = JSON.parse(readFileSync(counts, 'utf8'));
      passed = report.numPassedTests;
      // A suite that failed to load has no test counts: count it as a failure.
      failed = report.numFailedTests + (report.numFailedTestSuites > 0 && report.numFailedTests === 0 ? 1 : 0);
      if (r.status !== 0 && failed === 0) failed = 1;
    } catch {
      failed = Math.max(failed, 1);
    }
  }
  results.push({ name, passed, failed, seconds });
  return r.status === 0;
}

const vitest = 'node_modules/vitest/vitest.mjs';
step('typecheck (tsc --noEmit)', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.']);
step('lint (eslint)', ['node_modules/eslint/bin/eslint.js', '.']);
rmSync('test-output/unit.json', { force: true });
step('unit tests (vitest)', [vitest, 'run', '--config', 'test/vitest.config.ts', '--reporter=default', '--reporter=json', '--outputFile.json=test-output/unit.json'], {
  counts: 'test-output/unit.json',
});
const built = step('build', ['build.mjs']);
let k6Ready = false;
try {
  process.stdout.write('\n== k6 binary\n');
  process.stdout.write(`${ensureK6()}\n`);
  k6Ready = true;
} catch (err) {
  process.stdout.write(`${err.message}\n`);
  results.push({ name: 'k6 binary', passed: 0, failed: 1, seconds: '0' });
}
if (built && k6Ready) {
  rmSync('test-output/integration.json', { force: true });
  step('integration tests (k6 run against the mock)', [vitest, 'run', '--config', 'test/vitest.integration.config.ts', '--reporter=default', '--reporter=json', '--outputFile.json=test-output/integration.json'], {
    counts: 'test-output/integration.json',
  });
} else {
  results.push({ name: 'integration tests (skipped: build or k6 missing)', passed: 0, failed: 1, seconds: '0' });
}

let passed = 0;
let failed = 0;
process.stdout.write('\n== summary\n');
for (const r of results) {
  passed += r.passed;
  failed += r.failed;
  process.stdout.write(`${r.failed === 0 ? 'ok  ' : 'FAIL'}  ${r.name}: ${r.passed} passed, ${r.failed} failed (${r.seconds} s)\n`);
}
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
