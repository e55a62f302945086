// Finds the k6 that k6-llm runs, or installs the stock upstream release as a separate program.
//
// k6-llm imports, links and ships no k6 code (k6's Go module is AGPL-3.0): it runs whatever stock k6 the user has,
// and streamed timing comes from the k6-llm relay, a Node process. Order:
//   $K6_LLM_K6 (an explicit binary) -> `k6` on PATH -> the per-machine cache -> install the pinned release.
// Installing builds the unmodified upstream k6 with the Go toolchain from the Go module proxy, in a throwaway module
// in the cache directory: nothing of it is part of this package, and no source of it is changed. (Release archives
// from GitHub are the usual way to install k6; the Go module proxy is the one source every machine this project
// is tested on reaches.)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

/** The k6 release k6-llm installs where none is found, and tests against. */
export const PINNED_K6_VERSION = 'v2.2.0';
/** The oldest k6 major k6-llm runs on. */
const MIN_MAJOR = 1;
const UPSTREAM_MODULE = 'go.k6.io/k6/v2';

export function cacheDir() {
  return process.env.K6_LLM_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'k6-llm');
}

/** `k6 version`'s first line and whether it lists extensions; undefined when the binary does not run. */
export function k6VersionOf(bin) {
  const r = spawnSync(bin, ['version'], { encoding: 'utf8', timeout: 20_000 });
  if (r.error || r.status !== 0) return undefined;
  const out = r.stdout ?? '';
  const line = out.split('\n')[0]?.trim() ?? '';
  // `k6 v2.2.0 (go1.26.8, linux/amd64)`; k6 names itself after its file name.
  const m = /\sv(\d+)\.(\d+)\.(\d+)\S*/.exec(line);
  return {
    line,
    version: m ? m[0].trim().slice(1) : undefined,
    major: m ? Number(m[1]) : undefined,
    extensions: /^\s*Extensions:/m.test(out),
  };
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

function usable(bin, source) {
  const v = k6VersionOf(bin);
  if (!v) throw new Error(`${source}: ${bin} does not run \`k6 version\``);
  if (v.major === undefined || v.major < MIN_MAJOR) {
    throw new Error(`${source}: ${bin} is ${v.line || 'not a k6 release'}; k6-llm needs k6 v${MIN_MAJOR}.0.0 or newer`);
  }
  return bin;
}

/** Where the pinned release lives in the cache. */
export function cachedK6Path() {
  return join(cacheDir(), `k6-${PINNED_K6_VERSION}-${process.platform}-${process.arch}`, process.platform === 'win32' ? 'k6.exe' : 'k6');
}

const INSTALL_HINT =
  'Install k6 (https://grafana.com/docs/k6/latest/set-up/install-k6/: Homebrew `brew install k6`, ' +
  "Grafana's apt/rpm repositories, the grafana/k6 image, a release archive, or grafana/setup-k6-action in GitHub " +
  'Actions) and put it on PATH, or point K6_LLM_K6 at a k6 binary.';

/**
 * Builds the pinned upstream k6, unmodified, into the cache. A throwaway module requires the release and
 * `go build`s its main package; `go install pkg@version` would do the same but asks the proxy for versions it
 * refuses here.
 */
function installPinned(bin, log) {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) {
    throw new Error(`no k6 found, and Go is not on PATH to install k6 ${PINNED_K6_VERSION}. ${INSTALL_HINT}`);
  }
  // One work directory per process, so two installs racing never share one.
  const work = join(cacheDir(), `build-k6-${PINNED_K6_VERSION}-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, 'go.mod'), 'module k6-llm.local/install-k6\n\ngo 1.25.0\n');
  log(`k6-llm: no k6 on PATH; installing stock k6 ${PINNED_K6_VERSION} with ${go.stdout.trim()} (once per machine; about 3 minutes) -> ${bin}`);
  const started = Date.now();
  const env = { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' };
  // go get lists every module it adds on stderr: shown only when it fails.
  const get = spawnSync('go', ['get', `${UPSTREAM_MODULE}@${PINNED_K6_VERSION}`], { cwd: work, encoding: 'utf8', env });
  if (get.status !== 0) {
    throw new Error(`fetching k6 ${PINNED_K6_VERSION} failed (go get exited ${get.status ?? get.signal}):\n${(get.stderr ?? '').slice(-2000)}\n${INSTALL_HINT}`);
  }
  mkdirSync(dirname(bin), { recursive: true });
  const tmp = join(work, 'out', process.platform === 'win32' ? 'k6.exe' : 'k6');
  const build = spawnSync('go', ['build', '-trimpath', '-o', tmp, UPSTREAM_MODULE], { cwd: work, stdio: ['ignore', 'inherit', 'inherit'], env });
  if (build.status !== 0) {
    rmSync(tmp, { force: true });
    throw new Error(`building k6 ${PINNED_K6_VERSION} failed (go build exited ${build.status ?? build.signal}). ${INSTALL_HINT}`);
  }
  const v = k6VersionOf(tmp);
  if (!v || v.version !== PINNED_K6_VERSION.slice(1)) {
    rmSync(tmp, { force: true });
    throw new Error(`the k6 built from ${UPSTREAM_MODULE}@${PINNED_K6_VERSION} reports ${v?.line ?? 'nothing'}`);
  }
  // rename is atomic: two installs racing each leave a whole binary.
  renameSync(tmp, bin);
  rmSync(work, { recursive: true, force: true });
  log(`k6-llm: installed ${v.line} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return bin;
}

/** The path of the k6 to run. Throws with what to do when there is none and none can be installed. */
export function ensureK6({ log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  const explicit = process.env.K6_LLM_K6;
  if (explicit) return usable(explicit, 'K6_LLM_K6');
  const pathK6 = onPath(process.platform === 'win32' ? 'k6.exe' : 'k6');
  if (pathK6) return usable(pathK6, 'k6 on PATH');
  const cached = cachedK6Path();
  if (existsSync(cached)) return cached;
  return installPinned(cached, log);
}
