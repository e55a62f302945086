// The frame of each bench's section in docs/benchmarks.md: when, on what, under what load, with which command.
import { describeLoad, describeMachine, machineInfo } from './machine.mjs';

export function kib(bytes) {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

export function mib(kb) {
  return `${(kb / 1024).toFixed(0)} MiB`;
}

/**
 * The lines every section starts with. `loads` lists the 1/5/15-minute load averages seen before each run of the
 * bench (the machine may be shared); `k6` is the k6 version line.
 */
export function runHeader({ name, started, loads, k6 }) {
  const info = machineInfo();
  const peak = Math.max(...loads.map((l) => l[0]));
  return [
    `Command: \`node bench/run.mjs ${name}\` (or \`npm run bench -- ${name}\`). ` +
      `Run ${started.toISOString().replace(/\.\d+Z$/, 'Z')} on ${describeMachine(info)}${k6 ? `, ${k6}` : ''}.`,
    `Load average before the bench: ${describeLoad(loads[0])}; highest 1-minute load before any of its runs: ${peak.toFixed(2)} ` +
      `on ${info.nproc} CPUs${peak > info.nproc ? ' — **the machine was busy with other work; figures are pessimistic**' : ''}.`,
  ].join('\n');
}
