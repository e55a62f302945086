// k6 for the benchmarks: bundle a bench script the way users' scripts are bundled, and run it under GNU time so
// its CPU seconds and peak RSS are k6's own (the mock runs in another process).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
// The project's build: bundleForK6 is what the examples and integration tests use (ES2017, k6/* external).
import { bundleForK6 } from '../../build.mjs';
import { ensureK6 } from '../../scripts/k6-binary.mjs';
import { runTimed } from './processes.mjs';
import { outputDir, root } from './paths.mjs';

let k6Path;
export function k6Binary() {
  k6Path ??= ensureK6();
  return k6Path;
}

/** `k6 v2.2.0 (go1.26.8, linux/amd64)`: the first line of `k6 version`. */
export function k6Version() {
  const r = spawnSync(k6Binary(), ['version'], { encoding: 'utf8' });
  return (r.stdout ?? '').split('\n')[0]?.trim() || 'unknown';
}

/** Bundles a bench script (relative to the repository root) into bench/output/scripts/ and returns the path. */
export async function bundleScript(source) {
  const out = join(outputDir, 'scripts', source.replace(/^bench\//, '').replace(/\//g, '-'));
  mkdirSync(join(outputDir, 'scripts'), { recursive: true });
  await bundleForK6(join(root, source), out);
  return out;
}

/**
 * `k6 run` a bundled script under GNU time. `logFile`, when given, receives the script's console output as raw
 * lines (one JSON document a line in the fidelity scripts). Resolves with exit code, resource use and the summary.
 */
export async function runK6(script, { env = {}, args = [], logFile, timeoutMs = 170_000 } = {}) {
  const summaryFile = join(outputDir, 'tmp', `summary-${basename(script, '.js')}-${process.pid}-${Date.now()}.json`);
  mkdirSync(join(outputDir, 'tmp'), { recursive: true });
  if (logFile) rmSync(logFile, { force: true });
  const k6Args = [
    'run',
    '--quiet',
    '--no-color',
    '--no-usage-report',
    `--summary-export=${summaryFile}`,
    '--summary-trend-stats=avg,med,p(99),max,count',
    ...(logFile ? ['--log-format=raw', `--log-output=file=${logFile}`] : []),
    ...args,
    script,
  ];
  const run = await runTimed(k6Binary(), k6Args, { env: { K6_NO_USAGE_REPORT: 'true', ...env }, cwd: root, timeoutMs });
  let metrics = {};
  if (existsSync(summaryFile)) {
    try {
      metrics = JSON.parse(readFileSync(summaryFile, 'utf8')).metrics ?? {};
    } catch {
      // An unreadable summary leaves metrics empty; callers check counts.
    }
    rmSync(summaryFile, { force: true });
  }
  if (run.code !== 0) {
    const tail = run.stderr.slice(-1500);
    // Exit 99 is k6's "thresholds crossed", which bench scripts do not set; anything non-zero is a failed run.
    throw new Error(`k6 run ${basename(script)} exited with ${run.code}${run.timedOut ? ' (timed out)' : ''}:\n${tail}`);
  }
  return { ...run, metrics };
}

/** The JSON lines of a k6 raw log file (other lines, such as k6's own warnings, are skipped). */
export function readJsonLines(file) {
  if (!existsSync(file)) return [];
  const out = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('{') && !line.startsWith('[')) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // A line cut by a killed run.
    }
  }
  return out;
}
