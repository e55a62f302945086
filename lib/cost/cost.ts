import type { Usage } from '../providers/types';
import { ratesFor, type Price } from './price';

/** What one response cost, in USD, by the kind of token billed. `totalUsd` is their sum. */
export interface CostBreakdown {
  /** Input neither read from nor written to a cache. */
  inputUsd: number;
  cachedInputUsd: number;
  cacheWriteUsd: number;
  /** All output, reasoning included. */
  outputUsd: number;
  totalUsd: number;
}

/** Token counts the usage carries, counted as 0 where unreported. */
type Counts = Pick<Usage, 'inputTokens' | 'outputTokens' | 'cachedInputTokens' | 'cacheWriteInputTokens'>;

/**
 * The cost of one response, by kind of token, or `undefined` when the usage reports neither input
 * nor output tokens: an unknown cost is not a $0 cost.
 *
 * With normalized `Usage` (input includes cached and cache-written tokens, output includes reasoning):
 * cached input at `cachedInput`, cache writes at `cacheWrite`, the remaining input
 * (`input - cached - writes`, never below 0) at `input`, and all output at `output`; a rate the
 * price leaves out is billed at `input`. An unreported count is 0 in the arithmetic. The request's
 * input tokens pick the long-context tier, if the price has tiers.
 * The price is not validated here: `normalizePrice` does that once, at init.
 */
export function costBreakdown(usage: Counts, price: Price): CostBreakdown | undefined {
  if (usage.inputTokens === undefined && usage.outputTokens === undefined) return undefined;
  const rates = ratesFor(price, usage.inputTokens);
  const input = usage.inputTokens ?? 0;
  const cached = usage.cachedInputTokens ?? 0;
  const writes = usage.cacheWriteInputTokens ?? 0;
  const uncached = Math.max(0, input - cached - writes);
  const inputUsd = (uncached * rates.input) / 1e6;
  const cachedInputUsd = (cached * (rates.cachedInput ?? rates.input)) / 1e6;
  const cacheWriteUsd = (writes * (rates.cacheWrite ?? rates.input)) / 1e6;
  const outputUsd = ((usage.outputTokens ?? 0) * rates.output) / 1e6;
  return { inputUsd, cachedInputUsd, cacheWriteUsd, outputUsd, totalUsd: inputUsd + cachedInputUsd + cacheWriteUsd + outputUsd };
}

/** The cost of one response in USD (see `costBreakdown`), or `undefined` when usage reports no token counts. */
export function costOf(usage: Counts, price: Price): number | undefined {
  return costBreakdown(usage, price)?.totalUsd;
}

/**
 * Share of input tokens read from a prompt cache: `cachedInputTokens / inputTokens`.
 * `undefined` when input is unreported or 0, and when the cached count is unreported: a provider
 * that says nothing about caching has an unknown hit ratio, not a 0 % one.
 */
export function cacheHitRatio(usage: Pick<Usage, 'inputTokens' | 'cachedInputTokens'>): number | undefined {
  const input = usage.inputTokens;
  if (input === undefined || input <= 0 || usage.cachedInputTokens === undefined) return undefined;
  return usage.cachedInputTokens / input;
}
