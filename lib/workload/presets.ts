// Scenario presets: plain `options.scenarios` entries. Spread them into your own options next to
// your thresholds; nothing here runs in k6, so each shape is unit-tested as data.
import type { Scenario } from 'k6/options';
import { parseK6Duration } from '../internal/durations';
import { describe } from '../internal/values';

/** A k6 duration: a string (`'30s'`, `'5m'`, `'1h30m'`, `'1d'`) or, as in k6's own options, a number of milliseconds. */
export type Duration = string | number;

/** Fields every preset passes through to its scenario(s). */
export interface ScenarioCommon {
  /** Scenario name (for `stepUp` and `spike`, the prefix of each scenario's name). */
  name?: string;
  /** Exported function the scenario runs. @default 'default' */
  exec?: string;
  /** Tags on every sample of the scenario. */
  tags?: Record<string, string>;
  env?: Record<string, string>;
  /** Delay before the (first) scenario starts. */
  startTime?: Duration;
  /** Time iterations get to finish when a scenario ends. @default k6's, 30s */
  gracefulStop?: Duration;
}

/** Scenario name -> scenario, ready for `options.scenarios`. */
export type Scenarios = Record<string, Scenario>;

const DURATION = "a duration like '30s' or a number of milliseconds";

function toMs(name: string, value: Duration): number {
  const ms = parseK6Duration(value);
  if (ms === undefined) throw new Error(`invalid ${name}: expected ${DURATION}, got ${describe(value)}`);
  return ms;
}

/** k6's form of a duration: strings are kept as written once checked, numbers become `'<n>s'` or `'<n>ms'`. */
function duration(name: string, value: Duration | undefined): string {
  if (value === undefined) throw new Error(`invalid ${name}: expected ${DURATION}, got undefined`);
  const ms = toMs(name, value);
  return typeof value === 'string' ? value.trim() : formatMs(ms);
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${Math.round(ms)}ms`;
}

function count(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new Error(`invalid ${name}: expected an integer >= ${min}, got ${describe(value)}`);
  }
  return value;
}

function positiveNumber(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new Error(`invalid ${name}: expected a positive number, got ${describe(value)}`);
  }
  return value;
}

function common(o: ScenarioCommon, extraTags?: Record<string, string>, startMs?: number): Partial<Scenario> {
  const out: Partial<Scenario> = {};
  if (o.exec !== undefined) out.exec = o.exec;
  if (o.env !== undefined) out.env = { ...o.env };
  if (o.tags !== undefined || extraTags !== undefined) out.tags = { ...o.tags, ...extraTags };
  // Multi-scenario presets compute each start themselves; single ones keep the user's startTime as written.
  if (startMs !== undefined) {
    if (startMs > 0) out.startTime = formatMs(startMs);
  } else if (o.startTime !== undefined) out.startTime = duration('startTime', o.startTime);
  if (o.gracefulStop !== undefined) out.gracefulStop = duration('gracefulStop', o.gracefulStop);
  return out;
}

/**
 * A few requests from one VU: does the script work, does the endpoint answer, are the checks right?
 * Run it before every bigger test, and in CI on every change.
 * @default vus 1, iterations 3, maxDuration '2m'
 */
function smoke(o: ScenarioCommon & { vus?: number; iterations?: number; maxDuration?: Duration } = {}): Scenarios {
  return {
    [o.name ?? 'smoke']: {
      executor: 'shared-iterations',
      vus: count('vus', o.vus ?? 1, 1),
      iterations: count('iterations', o.iterations ?? 3, 1),
      maxDuration: duration('maxDuration', o.maxDuration ?? '2m'),
      ...common(o),
    } as Scenario,
  };
}

/**
 * Gradual growth to a target, a hold, and a ramp down: organic growth. Shows the latency curve as load rises
 * and whether the system is steady at the target. `from` VUs at the start. @default from 0, rampDown none
 */
function ramp(o: ScenarioCommon & { from?: number; to: number; rampUp: Duration; hold: Duration; rampDown?: Duration }): Scenarios {
  const to = count('to', o.to, 1);
  const stages = [
    { duration: duration('rampUp', o.rampUp), target: to },
    { duration: duration('hold', o.hold), target: to },
  ];
  if (o.rampDown !== undefined && toMs('rampDown', o.rampDown) > 0) stages.push({ duration: duration('rampDown', o.rampDown), target: 0 });
  return {
    [o.name ?? 'ramp']: { executor: 'ramping-vus', startVUs: count('from', o.from ?? 0, 0), stages, ...common(o) } as Scenario,
  };
}

/**
 * A sudden jump from a small baseline to `to` VUs, held, then back to the baseline: a marketing email, a launch,
 * a retry storm. Tests what a ramp does not: queueing and rate limits hit all at once, autoscalers that lag, and
 * recovery. Three scenarios tagged `phase: before | peak | after`, so `llm_ttft{phase:peak}` compares with
 * `llm_ttft{phase:before}`. @default baseline 1, before '30s'
 */
function spike(o: ScenarioCommon & { to: number; hold: Duration; after: Duration; baseline?: number; before?: Duration }): Scenarios {
  const to = count('to', o.to, 1);
  const baseline = count('baseline', o.baseline ?? 1, 0);
  const start = o.startTime !== undefined ? toMs('startTime', o.startTime) : 0;
  const beforeMs = toMs('before', o.before ?? '30s');
  const holdMs = toMs('hold', o.hold);
  const afterMs = toMs('after', o.after);
  const name = o.name ?? 'spike';
  const out: Scenarios = {};
  const phase = (key: string, vus: number, startMs: number, ms: number) => {
    if (vus === 0 || ms === 0) return;
    out[`${name}_${key}`] = { executor: 'constant-vus', vus, duration: formatMs(ms), ...common(o, { phase: key }, startMs) } as Scenario;
  };
  phase('before', baseline, start, beforeMs);
  phase('peak', to, start + beforeMs, holdMs);
  phase('after', baseline, start + beforeMs + holdMs, afterMs);
  return out;
}

/**
 * Steady load for a long time: leaks, throttling that builds up, token budgets that run out, cache expiry.
 */
function soak(o: ScenarioCommon & { vus: number; duration: Duration }): Scenarios {
  return {
    [o.name ?? 'soak']: { executor: 'constant-vus', vus: count('vus', o.vus, 1), duration: duration('duration', o.duration), ...common(o) } as Scenario,
  };
}

/**
 * A staircase of constant loads, one scenario per step (`<name>_1`, `<name>_2`, ...) tagged `step: '1'`, ...,
 * each starting when the previous one ends. With `stepUpThresholds` and `findBreakingStep` it answers "at how
 * many users does TTFT p95 break the SLO?". Step i runs `start + (i - 1) * step` VUs. Iterations still running
 * when a step ends finish within `gracefulStop`, overlapping the next step's start by at most one request each.
 */
function stepUp(o: ScenarioCommon & { start: number; step: number; stepDuration: Duration; steps: number }): Scenarios {
  const first = count('start', o.start, 1);
  const inc = count('step', o.step, 0);
  const steps = count('steps', o.steps, 1);
  const stepMs = toMs('stepDuration', o.stepDuration);
  if (stepMs <= 0) throw new Error(`invalid stepDuration: expected a positive duration, got ${describe(o.stepDuration)}`);
  const offset = o.startTime !== undefined ? toMs('startTime', o.startTime) : 0;
  const name = o.name ?? 'step';
  const out: Scenarios = {};
  for (let i = 1; i <= steps; i++) {
    out[`${name}_${i}`] = {
      executor: 'constant-vus',
      vus: first + (i - 1) * inc,
      duration: formatMs(stepMs),
      ...common(o, { step: String(i) }, offset + (i - 1) * stepMs),
    } as Scenario;
  }
  return out;
}

/**
 * Open-loop arrivals: `rate` new requests per `timeUnit`, whether or not earlier ones have finished, as
 * independent users arrive (the Poisson-arrivals model of queueing). A slow server then builds a queue
 * instead of slowing the load down, which a closed VU loop hides. k6 spaces the arrivals evenly at the
 * mean rate; it needs enough VUs for every request in flight (rate x request duration), or it drops
 * iterations (`dropped_iterations`). @default timeUnit '1s', maxVUs preAllocatedVUs
 */
function poisson(o: ScenarioCommon & { rate: number; timeUnit?: Duration; duration: Duration; preAllocatedVUs: number; maxVUs?: number }): Scenarios {
  const pre = count('preAllocatedVUs', o.preAllocatedVUs, 1);
  const scenario: Record<string, unknown> = {
    executor: 'constant-arrival-rate',
    rate: positiveNumber('rate', o.rate),
    timeUnit: duration('timeUnit', o.timeUnit ?? '1s'),
    duration: duration('duration', o.duration),
    preAllocatedVUs: pre,
    ...common(o),
  };
  if (o.maxVUs !== undefined) {
    const max = count('maxVUs', o.maxVUs, 1);
    if (max < pre) throw new Error(`invalid maxVUs: expected at least preAllocatedVUs (${pre}), got ${max}`);
    scenario.maxVUs = max;
  }
  return { [o.name ?? 'poisson']: scenario as unknown as Scenario };
}

/** Scenario presets. Each returns `options.scenarios` entries: `scenarios: { ...presets.ramp({...}) }`. */
export const presets = { smoke, ramp, spike, soak, stepUp, poisson };
