// What one response measured: its timings from the transport's arrival times, its output-length bucket and its cost.
import { cacheHitRatio, costOf } from '../cost/index';
import { outputBucket } from '../internal/output-buckets';
import { computeTimings, type Timings } from '../timing/index';
import type { AttemptResult } from '../transports/types';
import type { ClientSetup } from './options';

export interface Measures {
  timings: Timings;
  /** The `output_bucket` tag value. */
  outputBucket: string;
  costUsd?: number;
  /** The request's model had a price (false: left out of `llm_cost_usd`, counted by `llm_unpriced`). */
  priced: boolean;
  cacheHitRatio: number | undefined;
}

export function measure(setup: ClientSetup, attempt: AttemptResult, model: string): Measures {
  const usage = attempt.completion.usage;
  const price = setup.priceOf(model);
  const measures: Measures = {
    timings: computeTimings(attempt.times, usage.outputTokens),
    outputBucket: outputBucket(usage.outputTokens, setup.outputBuckets),
    priced: price !== undefined,
    cacheHitRatio: cacheHitRatio(usage),
  };
  const costUsd = price ? costOf(usage, price) : undefined;
  if (costUsd !== undefined) measures.costUsd = costUsd;
  return measures;
}
