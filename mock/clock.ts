/**
 * Epoch milliseconds with sub-millisecond fractions, from the monotonic clock.
 * `performance.timeOrigin + performance.now()` never steps backwards (unlike `Date.now()` under NTP slew)
 * and stays comparable with a client's `Date.now()` on the same host, which is what the ground truth is for.
 */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
