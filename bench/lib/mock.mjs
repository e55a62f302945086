// The mock server as a separate process for the benchmarks, built from the current source into bench/output (so a
// concurrent `npm run build`, which empties dist/, cannot pull it away mid-run), plus ground-truth fetching.
/* global fetch -- built into Node 20 */
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cpuSecondsOf, spawnTracked, stopTracked, waitForOutput } from './processes.mjs';
import { outputDir, root } from './paths.mjs';

const mockBundle = join(outputDir, 'lib', 'mock-cli.mjs');
let built;

/** Bundles mock/cli.ts with a two-line entry into bench/output/lib/mock-cli.mjs (once per process). */
export function buildMock() {
  built ??= build({
    stdin: {
      contents:
        "import { runMockCli } from './mock/cli.ts';\n" +
        'const code = await runMockCli(process.argv.slice(2));\n' +
        "process.exit(typeof code === 'number' ? code : 0);\n",
      resolveDir: root,
      sourcefile: 'bench-mock-entry.ts',
      loader: 'ts',
    },
    outfile: mockBundle,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  return built;
}

/**
 * Starts the mock on a free loopback port: resolves to `{ url, pid, cpu(), stop() }` once it prints its address.
 * `cpu()` is the mock's user+system CPU seconds so far.
 */
export async function startMock(args = [], { timeoutMs = 15_000 } = {}) {
  await buildMock();
  if (!existsSync(mockBundle)) throw new Error(`mock bundle ${mockBundle} was not written`);
  const child = spawnTracked(process.execPath, [mockBundle, '--host', '127.0.0.1', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    if (stderr.length < 20_000) stderr += d;
  });
  const [, url] = await waitForOutput(child, /listening on (http:\/\/\S+)/, { timeoutMs, what: 'mock', describe: () => `; stderr: ${stderr}` });
  child.stdout.resume();
  return {
    url,
    pid: child.pid,
    stderr: () => stderr,
    cpu() {
      const c = cpuSecondsOf(child.pid);
      return c.user + c.sys;
    },
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
