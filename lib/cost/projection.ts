import { describe } from '../internal/values';

/** Days in the month that `perMonthAtVolume` projects: a flat 30, so figures compare month to month. */
export const DAYS_PER_MONTH = 30;

export interface CostObservation {
  /** Total cost the run recorded (the `llm_cost_usd` counter). */
  totalUsd: number;
  /** Requests the run made (the `llm_requests` counter). */
  requests: number;
  /** The run's duration in seconds. */
  durationS: number;
  /**
   * Per-request cost statistics, when the run kept them (a Trend of per-request cost). Its `avg`
   * is preferred over `totalUsd / requests` because it averages only the requests whose cost was
   * known, while `requests` also counts failures that reported no usage.
   */
  perRequestUsd?: { avg: number; p95?: number };
  /** Production volume to project a month at, in requests per day. */
  requestsPerDay?: number;
}

export interface CostProjection {
  /** Average cost of one request; `undefined` when the run made none. */
  perRequestAvg?: number;
  /** 95th percentile cost of one request, when `perRequestUsd.p95` was given. */
  perRequestP95?: number;
  /** `perRequestAvg * 1000`. */
  per1kRequests?: number;
  /** What an hour costs at the run's own request rate: `totalUsd / durationS * 3600`; `undefined` for a zero duration. */
  perHourAtObservedRate?: number;
  /** `perRequestAvg * requestsPerDay * 30` (`DAYS_PER_MONTH`), when `requestsPerDay` was given. */
  perMonthAtVolume?: number;
}

/**
 * Projects a run's observed cost: per request, per thousand requests, per hour at the observed
 * rate and per 30-day month at a stated production volume. Pure arithmetic for reports; a figure
 * that cannot be computed (no requests, zero duration) is left out rather than shown as 0.
 * Throws `invalid cost observation: expected ..., got ...` for negative or non-numeric input.
 */
export function projectCost(observed: CostObservation): CostProjection {
  const { totalUsd, requests, durationS, perRequestUsd, requestsPerDay } = observed;
  check('totalUsd', totalUsd);
  check('requests', requests);
  check('durationS', durationS);
  if (perRequestUsd !== undefined) {
    check('perRequestUsd.avg', perRequestUsd.avg);
    if (perRequestUsd.p95 !== undefined) check('perRequestUsd.p95', perRequestUsd.p95);
  }
  if (requestsPerDay !== undefined) check('requestsPerDay', requestsPerDay);

  const projection: CostProjection = {};
  const avg = perRequestUsd?.avg ?? (requests > 0 ? totalUsd / requests : undefined);
  if (avg !== undefined) {
    projection.perRequestAvg = avg;
    projection.per1kRequests = avg * 1000;
    if (requestsPerDay !== undefined) projection.perMonthAtVolume = avg * requestsPerDay * DAYS_PER_MONTH;
  }
  if (perRequestUsd?.p95 !== undefined) projection.perRequestP95 = perRequestUsd.p95;
  if (durationS > 0) projection.perHourAtObservedRate = (totalUsd / durationS) * 3600;
  return projection;
}

function check(name: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(`invalid cost observation: expected ${name} to be a non-negative number, got ${describe(value)}`);
  }
}
