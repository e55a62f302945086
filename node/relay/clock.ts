// The relay's clock: monotonic, sub-millisecond, anchored to wall time once at start, so its stamps can be set
// beside k6's Date.now() and never jump when the wall clock is adjusted.
import { performance } from 'node:perf_hooks';

const origin = performance.timeOrigin;

/** Epoch milliseconds with microsecond fractions, from the monotonic clock. */
export function nowMs(): number {
  return origin + performance.now();
}

/** A duration in ms, rounded to microseconds for the envelope. */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
