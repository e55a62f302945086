// The k6 edge of think time: one sleep.
import { sleep } from 'k6';
import type { ThinkTime } from './think-distributions';

/**
 * Pauses the VU like a user reading the answer: a `thinkTime` distribution or a fixed number of seconds.
 * Returns the seconds slept. Closed-model only: under an arrival-rate executor, pausing just holds the VU.
 */
export function think(spec: ThinkTime | number): number {
  const s = typeof spec === 'function' ? spec() : spec;
  if (typeof s !== 'number' || !Number.isFinite(s) || s < 0) {
    throw new Error(`invalid think time: expected a non-negative number of seconds, got ${JSON.stringify(s)}`);
  }
  if (s > 0) sleep(s);
  return s;
}
