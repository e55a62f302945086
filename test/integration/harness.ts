// Runs real `k6 run` processes against the real mock server and reads k6's JSON summary.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
// @ts-expect-error -- plain .mjs build script without types
import { bundleForK6 } from '../../build.mjs';
import { ensureK6 } from '../../scripts/k6-binary.mjs';
import { startMockProcess, startRelayProcess, type ServerProcess } from '../../scripts/server-process.mjs';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const outputDir = join(root, 'test-output');

export interface MockHandle {
  url: string;
  stop(): Promise<number | null>;
}

export function startMock(args: string[] = []): Promise<MockHandle> {
  return startMockProcess(args, { stderr: 'pipe' });
}

/** The mock of one test file (or `describe` block), with the script its tests run. */
export interface MockSetup {
  /** The mock's base URL (read it inside a test or a hook: the mock starts in `beforeAll`). */
  readonly url: string;
  /** The bundled script, when `useMock` was given one. */
  readonly script: string;
}

/**
 * Starts the mock (with `args`) before the tests of the file or `describe` block it is called in, and bundles
 * test/integration/scripts/<script>.ts when given; stops the mock after them.
 */
export function useMock(args: string[] = [], script?: string): MockSetup {
  let mock: MockHandle | undefined;
  let bundled: string | undefined;
  beforeAll(async () => {
    mock = await startMock(args);
    if (script !== undefined) bundled = await bundleScript(script);
  });
  afterAll(async () => {
    await mock?.stop();
  });
  return {
    get url() {
      if (!mock) throw new Error('the mock is not running: read its url inside a test or a hook');
      return mock.url;
    },
    get script() {
      if (bundled === undefined) throw new Error(`no script was bundled: pass its name to useMock`);
      return bundled;
    },
  };
}

/** `k6-llm relay` on its own (for runs that stop it midway); `vars` are the env a k6 run needs. */
export function startRelay(args: string[] = []): Promise<ServerProcess> {
  return startRelayProcess(args, { stderr: 'pipe' });
}

export const cliBin = join(fileURLToPath(new URL('../..', import.meta.url)), 'bin/k6-llm.mjs');

export function k6Binary(): string {
  return ensureK6();
}

/** Bundles test/integration/scripts/<name>.ts for k6 and returns the output path. */
export async function bundleScript(name: string): Promise<string> {
  const out = join(outputDir, 'scripts', `${name}.js`);
  mkdirSync(join(outputDir, 'scripts'), { recursive: true });
  await bundleForK6(join(root, 'test/integration/scripts', `${name}.ts`), out);
  return out;
}

export interface MetricSummary {
  type?: string;
  count?: number;
  rate?: number;
  value?: number;
  passes?: number;
  fails?: number;
  avg?: number;
  min?: number;
  med?: number;
  max?: number;
  'p(90)'?: number;
  'p(95)'?: number;
  'p(99)'?: number;
  thresholds?: Record<string, boolean>;
}

export interface K6Run {
  code: number | null;
  stdout: string;
  stderr: string;
  metrics: Record<string, MetricSummary>;
  /** A metric's summary or a clear failure naming what exists. */
  metric(name: string): MetricSummary;
}

/**
 * `k6 run` with a summary export; resolves when k6 exits. By default the run goes through `k6-llm run`, as users run
 * scripts (a relay started for it; `relay` may hold the launcher's own flags); `relay: false` runs plain `k6 run`.
 */
export async function runK6(
  script: string,
  opts: { env?: Record<string, string>; args?: string[]; timeoutMs?: number; relay?: boolean | string[] } = {},
): Promise<K6Run> {
  const summaryFile = join(outputDir, `summary-${basename(script, '.js')}-${process.pid}-${Date.now()}.json`);
  mkdirSync(outputDir, { recursive: true });
  const args = [
    'run',
    '--quiet',
    '--no-color',
    `--summary-export=${summaryFile}`,
    '--summary-trend-stats=avg,min,med,max,p(90),p(95),p(99),count',
    ...(opts.args ?? []),
    script,
  ];
  const viaLauncher = opts.relay !== false;
  const command = viaLauncher ? process.execPath : k6Binary();
  const commandArgs = viaLauncher ? [cliBin, 'run', ...(Array.isArray(opts.relay) ? opts.relay : []), ...args.slice(1)] : args;
  const child = spawn(command, commandArgs, { env: { ...process.env, ...opts.env, K6_NO_USAGE_REPORT: 'true' }, cwd: root });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 180_000);
  const code: number | null = await new Promise((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(timer);
  let metrics: Record<string, MetricSummary> = {};
  try {
    metrics = JSON.parse(readFileSync(summaryFile, 'utf8')).metrics ?? {};
  } catch {
    // No summary: the assertions on `code` and stderr say why.
  }
  return {
    code,
    stdout,
    stderr,
    metrics,
    metric(name: string) {
      const m = metrics[name];
      if (!m) throw new Error(`metric ${name} not in the summary (have: ${Object.keys(metrics).join(', ')}); k6 stderr:\n${stderr.slice(-2000)}`);
      return m;
    },
  };
}

/** What a script logged as `<prefix> <JSON>` lines on stderr (run it with `--log-format=raw`), parsed, in order. */
export function loggedValues<T>(run: K6Run, prefix: string): T[] {
  return run.stderr
    .split('\n')
    .filter((line) => line.startsWith(`${prefix} `))
    .map((line) => JSON.parse(line.slice(prefix.length + 1)) as T);
}
