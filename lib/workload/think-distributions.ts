// Think time between a user's requests, in seconds. Pure: each distribution is a function that
// draws one pause; `think()` (think.ts) sleeps it.
import type { RandomSource } from './seeded-random';

/** Draws one pause, in seconds. */
export type ThinkTime = () => number;

/** Where draws come from. @default Math.random */
export interface DrawOptions {
  random?: RandomSource;
}

function seconds(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(`invalid ${name}: expected a non-negative number of seconds, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** The same pause every time. */
function fixed(s: number): ThinkTime {
  const value = seconds('think time', s);
  return () => value;
}

/** A pause uniform in [min, max]: users who read a little or a lot. */
function uniform(min: number, max: number, options: DrawOptions = {}): ThinkTime {
  const lo = seconds('min', min);
  const hi = seconds('max', max);
  if (hi < lo) throw new Error(`invalid think time range: expected min <= max, got ${lo} > ${hi}`);
  const random = options.random ?? Math.random;
  return () => lo + (hi - lo) * random();
}

/**
 * An exponential pause with the given mean: memoryless users, so each user's requests form a Poisson process.
 * `max` caps the long tail (a cap lowers the mean slightly). @default max Infinity
 */
function exponential(mean: number, options: DrawOptions & { max?: number } = {}): ThinkTime {
  const m = seconds('mean', mean);
  const max = options.max === undefined ? Infinity : seconds('max', options.max);
  const random = options.random ?? Math.random;
  // 1 - u is in (0, 1], so the log is finite.
  return () => Math.min(max, -m * Math.log(1 - random()));
}

/** Think-time distributions. Pass one to `think()` at the end of an iteration. */
export const thinkTime = { fixed, uniform, exponential };
