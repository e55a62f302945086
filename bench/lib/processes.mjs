// Child processes for the benchmarks: run one under GNU time for its CPU seconds and peak RSS, sample another's
// CPU from /proc, and make sure nothing a bench started outlives it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';

export const TIME_BIN = '/usr/bin/time';
const live = new Set();

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // Already gone.
    }
  }
}

/** Kills every child a bench started and did not stop; also runs on exit and on Ctrl-C. */
export function killAll() {
  for (const child of live) killGroup(child, 'SIGKILL');
  live.clear();
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

/** Spawns in its own process group (so a timeout kills its children too) and tracks it for cleanup. */
export function spawnTracked(cmd, args, options = {}) {
  const child = spawn(cmd, args, { ...options, detached: true });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/**
 * Resolves with the first match of `pattern` in a tracked child's stdout (a server printing its address); rejects,
 * after killing the child, when it does not print one within `timeoutMs`, and when it exits first. `describe()`
 * adds context to the error (the child's stderr so far).
 */
export function waitForOutput(child, pattern, { timeoutMs, what, describe = () => '' }) {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      stopTracked(child, { signal: 'SIGKILL' });
      reject(new Error(`${what} did not print its address within ${timeoutMs} ms${describe()}`));
    }, timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text) => {
      out += text;
      const m = pattern.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code} before listening${describe()}`));
    });
  });
}

/** Sends `signal` to a tracked child's group and waits for it to exit (SIGKILL after `graceMs`). */
export async function stopTracked(child, { signal = 'SIGTERM', graceMs = 5_000 } = {}) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  killGroup(child, signal);
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

let clkTck;
/** Clock ticks per second for /proc/<pid>/stat times. */
export function clockTicks() {
  if (clkTck === undefined) {
    const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    clkTck = Number(r.stdout) > 0 ? Number(r.stdout) : 100;
  }
  return clkTck;
}

/** User and system CPU seconds a live process has used so far (all its threads), from /proc/<pid>/stat. */
export function cpuSecondsOf(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces and parentheses: fields are counted after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / clockTicks(), sys: Number(fields[12]) / clockTicks() };
}

/** Peak and current resident set size of a live process, KiB, from /proc/<pid>/status. */
export function rssOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return {
    hwmKb: Number(/^VmHWM:\s+(\d+)/m.exec(status)?.[1] ?? 0),
    rssKb: Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0),
  };
}

/**
 * Runs a command to completion under GNU time and returns its exit code, output and resource use:
 * user and system CPU seconds and peak RSS (ru_maxrss) of the command as wait4() reports them, all threads included,
 * and the elapsed wall time. GNU time prints user/system time to 0.01 s, so runs are sized to use whole seconds.
 */
export async function runTimed(cmd, args, { env, cwd, timeoutMs = 170_000, keepOutput = 200_000, onSpawn } = {}) {
  if (!existsSync(TIME_BIN)) {
    throw new Error(`benchmarks need GNU time at ${TIME_BIN} for CPU seconds and peak RSS (Debian package "time")`);
  }
  const dir = join(tmpdir(), 'k6-llm-bench');
  mkdirSync(dir, { recursive: true });
  const timeFile = join(dir, `time-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.txt`);
  const child = spawnTracked(TIME_BIN, ['-f', '%U %S %M %e', '-o', timeFile, cmd, ...args], {
    env: { ...process.env, ...env },
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onSpawn?.(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    if (stdout.length < keepOutput) stdout += d;
  });
  child.stderr.on('data', (d) => {
    if (stderr.length < keepOutput) stderr += d;
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child, 'SIGKILL');
  }, timeoutMs);
  const code = await new Promise((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  let usage = { userS: NaN, sysS: NaN, cpuS: NaN, maxRssKb: NaN, wallS: NaN };
  if (existsSync(timeFile)) {
    const text = readFileSync(timeFile, 'utf8').trim().split('\n');
    // A failing command makes GNU time print "Command exited with non-zero status N" before the figures.
    const m = /([\d.]+) ([\d.]+) (\d+) ([\d.]+)\s*$/.exec(text[text.length - 1] ?? '');
    if (m) usage = { userS: Number(m[1]), sysS: Number(m[2]), cpuS: Number(m[1]) + Number(m[2]), maxRssKb: Number(m[3]), wallS: Number(m[4]) };
    rmSync(timeFile, { force: true });
  }
  return { code, timedOut, stdout, stderr, ...usage };
}

export function ensureDir(file) {
  mkdirSync(dirname(file), { recursive: true });
  return file;
}

/** The processes below `pid` (children, grandchildren, ...), from /proc/<pid>/task/<tid>/children. */
export function descendantsOf(pid) {
  const out = [];
  const walk = (p) => {
    let tasks = [];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      return;
    }
    for (const tid of tasks) {
      let text = '';
      try {
        text = readFileSync(`/proc/${p}/task/${tid}/children`, 'utf8');
      } catch {
        continue;
      }
      for (const child of text.trim().split(/\s+/).filter(Boolean).map(Number)) {
        out.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return out;
}

/** A process's command name (`node`, `k6`, ...), from /proc/<pid>/comm; undefined once it is gone. */
export function commOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/**
 * Samples the processes below a root every `everyMs`: the peak of their summed RSS, and each one's latest CPU seconds
 * by command name (a process's last sample before it exits stands for its total). `stop()` ends it and returns them.
 */
export function sampleTree(rootPid, everyMs = 200) {
  let peakSumKb = 0;
  const cpuByPid = new Map();
  const tick = () => {
    let sum = 0;
    for (const pid of descendantsOf(rootPid)) {
      const comm = commOf(pid);
      if (!comm || comm === 'time') continue;
      try {
        sum += rssOf(pid).rssKb;
        const c = cpuSecondsOf(pid);
        cpuByPid.set(pid, { comm, cpuS: c.user + c.sys });
      } catch {
        // Exited between the listing and the read.
      }
    }
    if (sum > peakSumKb) peakSumKb = sum;
  };
  const timer = setInterval(tick, everyMs);
  tick();
  return {
    stop() {
      clearInterval(timer);
      const cpuByComm = {};
      for (const { comm, cpuS } of cpuByPid.values()) cpuByComm[comm] = (cpuByComm[comm] ?? 0) + cpuS;
      return { peakSumKb, cpuByComm };
    },
  };
}
