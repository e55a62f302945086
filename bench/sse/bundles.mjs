// The parser bundles the SSE benches compare: k6-llm's lib/sse as it is in the working tree, optionally lib/sse as
// it was at a git revision (the "baseline", for before/after figures measured in the same run), and
// eventsource-parser. Each is bundled for Node and for k6; the k6 bundles target ES2017, as the library's k6
// builds do. Everything is written to bench/output/ (git-ignored).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const outputDir = join(root, 'bench', 'output');

async function bundle(entry, outfile, forK6) {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    logLevel: 'warning',
    platform: forK6 ? 'neutral' : 'node',
    target: forK6 ? 'es2017' : 'node20',
  });
  return outfile;
}

/** Copies lib/sse as it is at git revision `ref` into bench/output/ and returns its entry file. Reads git only. */
function extractRevision(ref) {
  const dir = join(outputDir, 'sse-baseline', ref.replace(/[^\w.-]/g, '_'));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = execFileSync('git', ['ls-tree', '--name-only', `${ref}:lib/sse`], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((name) => name.endsWith('.ts'));
  if (files.length === 0) throw new Error(`invalid baseline: expected a git revision with lib/sse/*.ts, got ${ref}`);
  for (const file of files) {
    writeFileSync(join(dir, file), execFileSync('git', ['show', `${ref}:lib/sse/${file}`], { cwd: root, encoding: 'utf8' }));
  }
  return join(dir, 'index.ts');
}

/**
 * Writes the bundles and returns their paths: `{ node: { current, baseline? }, k6: { current, baseline?,
 * eventsourceParser } }`. `baseline` is a git revision (`HEAD`, a commit, a tag) whose lib/sse is bundled beside.
 */
export async function buildParserBundles({ baseline } = {}) {
  mkdirSync(outputDir, { recursive: true });
  const current = join(root, 'lib', 'sse', 'index.ts');
  const paths = {
    node: { current: await bundle(current, join(outputDir, 'sse-node.mjs'), false) },
    k6: {
      current: await bundle(current, join(outputDir, 'sse-k6.js'), true),
      eventsourceParser: await bundle(
        fileURLToPath(import.meta.resolve('eventsource-parser')),
        join(outputDir, 'eventsource-parser-k6.js'),
        true,
      ),
    },
  };
  if (baseline) {
    const entry = extractRevision(baseline);
    paths.node.baseline = await bundle(entry, join(outputDir, 'sse-baseline-node.mjs'), false);
    paths.k6.baseline = await bundle(entry, join(outputDir, 'sse-baseline-k6.js'), true);
  }
  return paths;
}
