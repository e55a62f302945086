/**
 * Epoch milliseconds with sub-millisecond fractions, from the monotonic clock.
 * `performance.timeOrigin + performance.now()` never steps backwards (unlike `Date.now()` under NTP slew)
 * and stays comparable with a client's `Date.now()` on the same host, which is what the ground truth is for.
 */
export function nowMs(): number {
  return TIME_ORIGIN + performance.now();
}

/** Read once: `performance.timeOrigin` is a getter, and this runs for every write. */
const TIME_ORIGIN = performance.timeOrigin;
