// What the benchmarks ran on, and how busy it was. The machine may be shared, so every bench records the load
// average just before it starts and can wait for a quieter moment.
import { readFileSync } from 'node:fs';
import os from 'node:os';

function readOr(file, fallback = '') {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

export function machineInfo() {
  const cpuinfo = readOr('/proc/cpuinfo');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  const memKb = Number(/^MemTotal:\s+(\d+)/m.exec(readOr('/proc/meminfo'))?.[1] ?? 0);
  return {
    nproc: os.availableParallelism ? os.availableParallelism() : os.cpus().length,
    cpuModel: model,
    memoryGiB: memKb ? memKb / 1024 / 1024 : os.totalmem() / 2 ** 30,
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
  };
}

/** 1-, 5- and 15-minute load averages. */
export function loadAverage() {
  return os.loadavg();
}

export function describeLoad(load = loadAverage()) {
  return load.map((l) => l.toFixed(2)).join(' / ');
}

export function describeMachine(info = machineInfo()) {
  return `${info.nproc} × ${info.cpuModel}, ${info.memoryGiB.toFixed(1)} GiB RAM, ${info.kernel}, Node ${info.node}`;
}

/**
 * Waits (at most `maxWaitMs`) until the 1-minute load average is at most `maxLoad`, polling every 10 s.
 * Returns the load seen when it stopped waiting and how long it waited.
 */
export async function waitForQuiet({ maxLoad, maxWaitMs, log = () => {} }) {
  const started = Date.now();
  let load = loadAverage();
  while (load[0] > maxLoad && Date.now() - started < maxWaitMs) {
    log(`load ${describeLoad(load)} > ${maxLoad}; waiting for a quieter machine (${Math.round((Date.now() - started) / 1000)} s of ${Math.round(maxWaitMs / 1000)} s)`);
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    load = loadAverage();
  }
  return { load, waitedMs: Date.now() - started };
}
