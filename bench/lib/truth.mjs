/* global fetch -- built into Node 20 */
// The race bench's ground truth (bench/truth, Go): an OpenAI streaming server that records when each request's body
// arrived and when each content event's write returned, and a Go reference client. Built once per bench process.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnTracked, stopTracked, waitForOutput } from './processes.mjs';
import { outputDir, root } from './paths.mjs';

export const truthBin = join(outputDir, 'truth');
let built;

/** Builds bench/truth into bench/output/truth once; throws with Go's message when it cannot. */
export function buildTruth() {
  built ??= (() => {
    const r = spawnSync('go', ['build', '-trimpath', '-o', truthBin, '.'], { cwd: join(root, 'bench', 'truth'), encoding: 'utf8' });
    if (r.error || r.status !== 0 || !existsSync(truthBin)) throw new Error(`building bench/truth failed: ${(r.error?.message ?? r.stderr ?? '').trim()}`);
    return true;
  })();
  return built;
}

/** Starts `truth serve` on a free loopback port. */
export async function startTruth(w) {
  buildTruth();
  const child = spawnTracked(truthBin, ['serve', '-ttft-ms', String(w.ttftMs), '-itl-ms', String(w.itlMs), '-tokens', String(w.tokens)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [, url] = await waitForOutput(child, /listening on (http:\/\/\S+)/, { timeoutMs: 5_000, what: 'truth serve' });
  return {
    url,
    pid: child.pid,
    /** Every request the server saw, by id: { received, writes[], end, complete } in ms of its own clock. */
    async records() {
      const list = await (await fetch(`${url}/truth`)).json();
      return new Map(list.map((r) => [r.id, r]));
    },
    /** Streams open now, requests so far, and the mean number open between `fromMs` and `toMs` of its clock. */
    async stats(fromMs = 0, toMs = 0) {
      return (await fetch(`${url}/stats?from=${fromMs}&to=${toMs}`)).json();
    },
    stop: () => stopTracked(child, { signal: 'SIGTERM' }),
  };
}
