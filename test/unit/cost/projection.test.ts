import { describe, expect, it } from 'vitest';
import { DAYS_PER_MONTH, projectCost, type CostObservation } from '../../../lib/cost/projection';

describe('projectCost', () => {
  it('projects per request, per thousand, per hour at the observed rate and per 30-day month at a volume', () => {
    // $1.20 over 600 requests in 10 minutes: $0.002 a request, 3600 requests an hour.
    expect(projectCost({ totalUsd: 1.2, requests: 600, durationS: 600, requestsPerDay: 50_000 })).toEqual({
      perRequestAvg: 0.002,
      per1kRequests: 2,
      perHourAtObservedRate: 7.2,
      perMonthAtVolume: 0.002 * 50_000 * 30,
    });
    expect(DAYS_PER_MONTH).toBe(30);
  });

  it('prefers the per-request statistics when given and passes the p95 through', () => {
    const projection = projectCost({ totalUsd: 1.2, requests: 600, durationS: 600, perRequestUsd: { avg: 0.0025, p95: 0.006 }, requestsPerDay: 1000 });
    expect(projection.perRequestAvg).toBe(0.0025);
    expect(projection.perRequestP95).toBe(0.006);
    expect(projection.per1kRequests).toBeCloseTo(2.5, 12);
    expect(projection.perMonthAtVolume).toBeCloseTo(75, 12);
    expect(projection.perHourAtObservedRate).toBeCloseTo(7.2, 12);
  });

  it('leaves out what it cannot compute rather than showing 0', () => {
    expect(projectCost({ totalUsd: 0, requests: 0, durationS: 0 })).toEqual({});
    expect(projectCost({ totalUsd: 0.5, requests: 10, durationS: 0 })).toEqual({ perRequestAvg: 0.05, per1kRequests: 50 });
    expect(projectCost({ totalUsd: 0, requests: 0, durationS: 60, requestsPerDay: 100 })).toEqual({ perHourAtObservedRate: 0 });
  });

  it.each<[Partial<CostObservation>, string]>([
    [{ totalUsd: -1 }, 'invalid cost observation: expected totalUsd to be a non-negative number, got -1'],
    [{ requests: NaN }, 'invalid cost observation: expected requests to be a non-negative number, got NaN'],
    [{ durationS: '60' as never }, 'invalid cost observation: expected durationS to be a non-negative number, got "60"'],
    [{ perRequestUsd: { avg: -0.1 } }, 'invalid cost observation: expected perRequestUsd.avg to be a non-negative number, got -0.1'],
    [{ perRequestUsd: { avg: 0.1, p95: Infinity } }, 'invalid cost observation: expected perRequestUsd.p95 to be a non-negative number, got Infinity'],
    [{ requestsPerDay: -5 }, 'invalid cost observation: expected requestsPerDay to be a non-negative number, got -5'],
  ])('refuses %j', (change, message) => {
    expect(() => projectCost({ totalUsd: 1, requests: 1, durationS: 1, ...change })).toThrow(message);
  });
});
