// Service-level objectives: whether one response met every one it was given.
import type { Timings } from '../timing/index';
import type { Slo } from './types';

/** True when every objective set in `slo` is met; a TTFT or TPOT objective needs that figure to have been measured. */
export function meetsSlo(slo: Slo, timings: Timings): boolean {
  return (
    (slo.ttftMs === undefined || (timings.ttftMs !== undefined && timings.ttftMs <= slo.ttftMs)) &&
    (slo.tpotMs === undefined || (timings.tpotMs !== undefined && timings.tpotMs <= slo.tpotMs)) &&
    (slo.e2eMs === undefined || timings.e2eMs <= slo.e2eMs)
  );
}
