// The mock server as a separate process for the benchmarks, built from the current source into bench/output (so a
// concurrent `npm run build`, which empties dist/, cannot pull it away mid-run), plus ground-truth fetching.
/* global fetch -- built into Node 20 */
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cpuSecondsOf, spawnTracked, stopTracked, waitForOutput } from './processes.mjs';
import { outputDir, root } from './paths.mjs';

const mockBundle = join(outputDir, 'lib', 'mock-cli.mjs');
let built;

function bundleMock(sourceRoot, outfile, folder = 'node/mock') {
  return build({
    stdin: {
      contents:
        `import { runMockCli } from './${folder}/cli.ts';\n` +
        'const code = await runMockCli(process.argv.slice(2));\n' +
        "process.exit(typeof code === 'number' ? code : 0);\n",
      resolveDir: sourceRoot,
      sourcefile: 'bench-mock-entry.ts',
      loader: 'ts',
    },
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  }).then(() => outfile);
}

/** Bundles node/mock/cli.ts with a two-line entry into bench/output/lib/mock-cli.mjs (once per process). */
export function buildMock() {
  built ??= bundleMock(root, mockBundle);
  return built;
}

/**
 * Bundles the mock as it is at git revision `ref` (its node/mock/ folder, or mock/ before the move, read with git only) into
 * bench/output/mock-baseline/, for before/after figures measured in the same run. Resolves to the bundle's path.
 */
export async function buildMockAt(ref) {
  const dir = join(outputDir, 'mock-baseline', ref.replace(/[^\w.-]/g, '_'));
  rmSync(dir, { recursive: true, force: true });
  const list = (folder) =>
    execFileSync('git', ['ls-tree', '-r', '--name-only', ref, folder], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((name) => name.endsWith('.ts'));
  let folder = 'node/mock';
  let files = list(folder);
  if (!files.includes(`${folder}/cli.ts`)) {
    folder = 'mock';
    files = list(folder);
  }
  if (!files.includes(`${folder}/cli.ts`)) throw new Error(`invalid baseline: expected a git revision with node/mock/cli.ts or mock/cli.ts, got ${ref}`);
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), execFileSync('git', ['show', `${ref}:${file}`], { cwd: root, encoding: 'utf8' }));
  }
  return bundleMock(dir, join(dir, 'mock-cli.mjs'), folder);
}

/**
 * Starts the mock on a free loopback port: resolves to `{ url, pid, cpu(), cpuSplit(), stdout(), stop() }` once it
 * prints its address. `cpu()` is the mock's user+system CPU seconds so far, `cpuSplit()` the two apart. `bundle` runs
 * another build of the mock (`buildMockAt`); `nodeArgs` go to node before the bundle (`--cpu-prof`, ...).
 */
export async function startMock(args = [], { timeoutMs = 15_000, bundle, nodeArgs = [] } = {}) {
  const file = bundle ?? (await buildMock());
  if (!existsSync(file)) throw new Error(`mock bundle ${file} was not written`);
  const child = spawnTracked(process.execPath, [...nodeArgs, file, '--host', '127.0.0.1', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    if (stderr.length < 20_000) stderr += d;
  });
  const [, url] = await waitForOutput(child, /listening on (http:\/\/\S+)/, { timeoutMs, what: 'mock', describe: () => `; stderr: ${stderr}` });
  // Kept (bounded) for what node itself prints there, such as --trace-gc lines.
  let stdout = '';
  child.stdout.on('data', (d) => {
    if (stdout.length < 2_000_000) stdout += d;
  });
  return {
    url,
    pid: child.pid,
    stdout: () => stdout,
    stderr: () => stderr,
    cpu() {
      const c = cpuSecondsOf(child.pid);
      return c.user + c.sys;
    },
    cpuSplit: () => cpuSecondsOf(child.pid),
    stop: () => stopTracked(child),
  };
}

async function getJson(url, attempts = 3) {
  for (let i = 1; ; i++) {
    try {
      const res = await fetch(url);
      if (res.status === 404) return undefined;
      if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
      return await res.json();
    } catch (error) {
      if (i >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * i));
    }
  }
}

export function mockStats(url) {
  return getJson(`${url}/_mock/stats`);
}

/**
 * Fetches the ground-truth record of every id (`GET /_mock/requests/{id}`), `concurrency` at a time.
 * Ids whose record the mock has already dropped (its history is bounded) are left out of the map.
 */
export async function fetchRecords(url, ids, { concurrency = 16 } = {}) {
  const records = new Map();
  const queue = [...new Set(ids)];
  let next = 0;
  async function worker() {
    while (next < queue.length) {
      const id = queue[next++];
      const record = await getJson(`${url}/_mock/requests/${encodeURIComponent(id)}`);
      if (record) records.set(id, record);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return records;
}
