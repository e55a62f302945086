// Builds k6-llm: one self-contained ES module per public entry (only k6 and k6/* left
// external, syntax lowered to what k6's JavaScript runtime runs), .d.ts types, every
// examples/*.ts as a runnable k6 script, and the Node-side programs (launcher, relay, mock, report CLI).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { K6_BUNDLE_OPTIONS, K6_TARGET } from './scripts/k6-esbuild-options.mjs';

/** Public entries: package.json `exports` subpath -> source. Keep in step with package.json (a test checks). */
export const ENTRIES = {
  '.': 'lib/index.ts',
  './sse': 'lib/sse/index.ts',
  './providers': 'lib/providers/index.ts',
  './cost': 'lib/cost/index.ts',
  './retry': 'lib/retry/index.ts',
  './validate': 'lib/validate/index.ts',
  './validate/precompiled': 'lib/validate/precompiled.ts',
  './metrics': 'lib/metrics/index.ts',
  './workload': 'lib/workload/index.ts',
  './agent': 'lib/agent/index.ts',
  './report': 'lib/report/index.ts',
  './transports/relay': 'lib/transports/relay.ts',
};

/**
 * Public entries that run in Node, not in k6: package.json `exports` subpath -> source, each bundled for Node to
 * dist/<subpath>.js. Keep in step with package.json (a test checks).
 */
export const NODE_ENTRIES = {
  './node/compile-schemas': 'lib/validate/compile-schemas.ts',
};

/** Where an entry lands in dist/: `.` -> index.js, `./transports/relay` -> transports/relay.js. */
export function outFile(subpath) {
  return subpath === '.' ? 'index.js' : `${subpath.slice(2)}.js`;
}

const k6Common = K6_BUNDLE_OPTIONS;

/** Bundles one k6 script (or entry) the way users get it. Used by tests and benchmarks too. */
export function bundleForK6(entry, outfile) {
  return build({ ...k6Common, entryPoints: [entry], outfile });
}

/** examples/schemas/<name>.json (one schema, or an object of named schemas) -> examples/generated/<name>.js */
async function compileExampleSchemas() {
  if (!existsSync('examples/schemas')) return;
  const { compileSchemaModule } = await import(pathToFileURL(resolve('dist/node/compile-schemas.js')).href);
  mkdirSync('examples/generated', { recursive: true });
  for (const file of readdirSync('examples/schemas').filter((f) => f.endsWith('.json'))) {
    const schemas = JSON.parse(readFileSync(join('examples/schemas', file), 'utf8'));
    writeFileSync(join('examples/generated', basename(file, '.json') + '.js'), compileSchemaModule(schemas));
  }
}

function kb(file) {
  return `${(statSync(file).size / 1024).toFixed(1)} KiB`;
}

async function main() {
  const started = Date.now();
  rmSync('dist', { recursive: true, force: true });
  const rows = [];
  for (const [subpath, src] of Object.entries(ENTRIES)) {
    const out = join('dist', outFile(subpath));
    await bundleForK6(src, out);
    rows.push([subpath, out]);
  }
  // Build-time schema compilation: the Node-only compiler first, then every
  // examples/schemas/*.json into an ES module of ajv standalone validators that the
  // examples import (no schema compiler in their bundles, no compile work per VU).
  for (const [subpath, src] of Object.entries(NODE_ENTRIES)) {
    const out = join('dist', outFile(subpath));
    await build({ entryPoints: [src], outfile: out, bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning' });
    rows.push([subpath, out]);
  }
  await compileExampleSchemas();
  const examples = readdirSync('examples').filter((f) => f.endsWith('.ts'));
  for (const file of examples) {
    const out = join('dist/examples', basename(file, '.ts') + '.js');
    await bundleForK6(join('examples', file), out);
    rows.push([`examples/${file}`, out]);
  }
  // The Node-side programs (launcher, relay, mock, report CLI) are one bundle behind bin/k6-llm.mjs; npm packages
  // (esbuild, for `k6-llm run script.ts`) stay imports.
  await build({
    entryPoints: ['node/cli.ts'],
    outfile: 'dist/node/cli.js',
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  rows.push(['k6-llm command (node)', 'dist/node/cli.js']);

  // Types for TypeScript users: declarations only, from the same sources.
  const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  if (tsc.status !== 0) throw new Error('emitting .d.ts failed');

  const width = Math.max(...rows.map(([name]) => name.length));
  console.log('k6-llm build (target ' + K6_TARGET + ')');
  for (const [name, out] of rows) console.log(`  ${name.padEnd(width)}  ${out.padEnd(36)} ${kb(out).padStart(10)}`);
  console.log(`  built in ${Date.now() - started} ms`);
}

if (process.argv[1] && basename(process.argv[1]) === 'build.mjs') {
  main().catch((err) => {
    console.error(err.message ?? err);
    process.exit(1);
  });
}
