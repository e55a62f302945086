// Finds or builds the k6 binary k6-llm runs: k6 with the k6/x/llmstream extension.
//
// Order: $K6_LLM_K6 (an explicit binary) -> a `k6` on PATH that has k6/x/llmstream
// -> the per-machine cache -> a fresh `go build` of ./k6 into the cache.
// The cache key hashes the Go sources, go.mod and go.sum (the pins) and the Go
// version, so a changed pin builds a new binary and fresh clones reuse an old one.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const EXTENSION_MODULE = 'k6/x/llmstream';
const root = fileURLToPath(new URL('..', import.meta.url));
const goModuleDir = join(root, 'k6');

function goSources(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...goSources(full));
    else if (/\.(go|mod|sum)$/.test(name)) out.push(full);
  }
  return out;
}

function hasExtension(bin) {
  const r = spawnSync(bin, ['version'], { encoding: 'utf8', timeout: 20_000 });
  return r.status === 0 && r.stdout.includes(EXTENSION_MODULE);
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

export function cacheDir() {
  const base = process.env.K6_LLM_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'k6-llm');
  return base;
}

function goVersion() {
  const r = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  return r.stdout.trim();
}

/** Returns the path of a k6 binary that has k6/x/llmstream, building it if needed. Throws with a clear message when it cannot. */
export function ensureK6({ log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  const explicit = process.env.K6_LLM_K6;
  if (explicit) {
    if (!hasExtension(explicit)) throw new Error(`K6_LLM_K6=${explicit} is not a k6 with ${EXTENSION_MODULE} (check \`${explicit} version\`)`);
    return explicit;
  }
  const pathK6 = onPath('k6');
  if (pathK6 && hasExtension(pathK6)) return pathK6;

  const go = goVersion();
  const hash = createHash('sha256');
  for (const file of goSources(goModuleDir)) hash.update(file.slice(goModuleDir.length)).update(readFileSync(file));
  if (!go) {
    throw new Error(
      `k6-llm needs a k6 binary with the ${EXTENSION_MODULE} extension, and builds one with Go. ` +
        'Go was not found on PATH: install Go 1.25 or newer (https://go.dev/dl/) and run again, ' +
        'or point K6_LLM_K6 at a k6 built from ./k6 in this package.',
    );
  }
  hash.update(go);
  const key = hash.digest('hex').slice(0, 16);
  const bin = join(cacheDir(), `k6-${key}`, 'k6');
  if (existsSync(bin)) return bin;

  mkdirSync(dirname(bin), { recursive: true });
  const tmp = `${bin}.${process.pid}.tmp`;
  log(`k6-llm: building k6 with ${EXTENSION_MODULE} (once per machine; a few minutes on a cold Go cache) -> ${bin}`);
  const started = Date.now();
  const r = spawnSync('go', ['build', '-trimpath', '-o', tmp, '.'], {
    cwd: goModuleDir,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, CGO_ENABLED: '0' },
  });
  if (r.status !== 0) {
    rmSync(tmp, { force: true });
    throw new Error(`building k6 failed (go build exited ${r.status ?? r.signal}); see the Go output above`);
  }
  // rename is atomic: two builds racing each leave a whole binary.
  renameSync(tmp, bin);
  log(`k6-llm: built k6 in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return bin;
}
