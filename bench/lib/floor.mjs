// The loopback floor (bench/floor/main.go): the streams' writes and reads in two small Go processes, with no HTTP,
// JSON or JavaScript. Run beside the mock at each level, it shows what the machine itself allows.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTimed, spawnTracked, stopTracked, waitForOutput } from './processes.mjs';
import { outputDir, root } from './paths.mjs';
import { requestLengthMs } from './streams.mjs';

const floorBin = join(outputDir, 'floor');
let built;

/** Builds bench/floor into bench/output/floor once per process; resolves to false (with the reason) when Go is missing. */
export function buildFloor() {
  built ??= (() => {
    const r = spawnSync('go', ['build', '-trimpath', '-o', floorBin, '.'], { cwd: join(root, 'bench', 'floor'), encoding: 'utf8' });
    if (r.error || r.status !== 0 || !existsSync(floorBin)) return { ok: false, why: (r.error?.message ?? r.stderr ?? '').trim() || `go build exited ${r.status}` };
    return { ok: true };
  })();
  return built;
}

/**
 * One level of the floor: `floor serve` as the mock and `floor drive` as the load generator, the workload's TTFT,
 * ITL, tokens and steady window. Resolves with the send error figures, both processes' CPU seconds, and the
 * server's CPU seconds and writes in the steady state (from `warmupMs` after the first request until one request
 * length before the end).
 */
export async function runFloor(streams, w) {
  const server = spawnTracked(
    floorBin,
    [
      'serve', '-ttft-ms', String(w.ttftMs), '-itl-ms', String(w.itlMs), '-tokens', String(w.tokens), '-warmup-ms', String(w.warmupMs),
      '-window-ms', String(w.durationS * 1000 - w.warmupMs - requestLengthMs(w)),
      '-cpu-from-ms', String(w.warmupMs), '-cpu-to-ms', String(w.durationS * 1000 - requestLengthMs(w)),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  const listening = waitForOutput(server, /listening on (\S+)/, { timeoutMs: 5_000, what: 'floor serve' });
  server.stdout.on('data', (d) => (out += d));
  try {
    const [, addr] = await listening;
    const drive = await runTimed(floorBin, ['drive', '-addr', addr, '-streams', String(streams), '-duration-ms', String(w.durationS * 1000), '-stagger-ms', String(requestLengthMs(w))], {
      timeoutMs: w.durationS * 1000 + 30_000,
    });
    if (drive.code !== 0) throw new Error(`floor drive exited with ${drive.code}: ${drive.stderr}`);
    const driver = JSON.parse(drive.stdout.trim().split('\n').pop());
    await stopTracked(server, { signal: 'SIGINT' });
    const served = JSON.parse(out.trim().split('\n').pop());
    return {
      streams,
      requests: served.requests,
      incomplete: served.incomplete,
      writes: served.writes,
      p50: served.p50,
      p99: served.p99,
      max: served.max,
      totalWrites: served.totalWrites,
      steadyCpuS: served.windowCpu,
      steadyUserS: served.windowUser,
      steadyWrites: served.windowWrites,
      serverCpuS: served.cpuUser + served.cpuSys,
      serverUserS: served.cpuUser,
      serverSysS: served.cpuSys,
      driverCpuS: driver.cpuUser + driver.cpuSys,
      driverFailed: driver.failed,
      wallS: drive.wallS,
    };
  } finally {
    await stopTracked(server, { signal: 'SIGKILL' });
  }
}

/**
 * `floor drive` as the load generator of an HTTP server (the mock): `streams` kept-alive connections POST `body` to
 * `path` back to back for the workload's duration, each starting after a random part of one request length.
 * Resolves with the requests completed and failed, the driver's CPU seconds, and the mock's request ids.
 */
export async function driveHttp(url, path, body, streams, w, idsFile) {
  const addr = new URL(url).host;
  const run = await runTimed(
    floorBin,
    [
      'drive', '-addr', addr, '-streams', String(streams), '-duration-ms', String(w.durationS * 1000), '-stagger-ms', String(requestLengthMs(w)),
      '-http-path', path, '-http-body', JSON.stringify(body), '-ids', idsFile,
    ],
    { timeoutMs: w.durationS * 1000 + 30_000 },
  );
  if (run.code !== 0) throw new Error(`floor drive exited with ${run.code}: ${run.stderr}`);
  const out = JSON.parse(run.stdout.trim().split('\n').pop());
  const ids = readFileSync(idsFile, 'utf8').split('\n').filter(Boolean);
  return { requests: out.requests, failed: out.failed, driverCpuS: out.cpuUser + out.cpuSys, wallS: run.wallS, ids };
}
