import { describe } from '../internal/values';

/** Per-token rates in USD per million tokens. */
export interface Rates {
  /** Uncached input (prompt) tokens. */
  input: number;
  /** Output tokens, reasoning/thinking included: every provider bills those as output. */
  output: number;
  /** Input tokens read from a prompt cache. Absent: billed at `input`. */
  cachedInput?: number;
  /**
   * Input tokens written to a prompt cache (Anthropic's cache creation). Absent: billed at `input`,
   * which is right for OpenAI and Gemini, where a cache write is ordinary input.
   */
  cacheWrite?: number;
}

/**
 * Rates that replace the base ones for a whole request whose input tokens exceed `aboveInputTokens`
 * (Anthropic's and Gemini's >200K-token long-context prices, OpenAI's >272K tiers): once a prompt
 * crosses the threshold, all of that request's tokens, output included, are billed at the tier's rates.
 * A rate a tier leaves out falls back as in `Rates` (to the tier's own `input`), not to the base price.
 */
export interface PriceTier extends Rates {
  aboveInputTokens: number;
}

/** What a model costs: base rates, optional long-context tiers, and where the figures came from. */
export interface Price extends Rates {
  tiers?: PriceTier[];
  /** The date (YYYY-MM-DD) the figures were last confirmed by `source`. */
  asOf?: string;
  /** Where the figures come from. */
  source?: string;
}

const RATE_FIELDS = ['cachedInput', 'cacheWrite'] as const;

/**
 * Validates a price once, at init, and returns a clean copy (tiers sorted by threshold).
 * Throws `invalid price: expected non-negative numbers for input and output, got ...` and its
 * siblings on misuse; `label` (a model id) is named in the message when given.
 */
export function normalizePrice(price: unknown, label?: string): Price {
  const what = label === undefined ? 'invalid price' : `invalid price for ${JSON.stringify(label)}`;
  const rates = normalizeRates(price, what);
  const raw = price as Price;
  const normalized: Price = rates;
  if (raw.tiers !== undefined) {
    if (!Array.isArray(raw.tiers)) {
      throw new Error(`${what}: expected tiers to be an array of { aboveInputTokens, input, output }, got ${describe(raw.tiers)}`);
    }
    normalized.tiers = raw.tiers
      .map((tier: unknown) => {
        const threshold = (tier as PriceTier | null)?.aboveInputTokens;
        if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold < 0) {
          throw new Error(`${what}: expected each tier's aboveInputTokens to be a non-negative number, got ${describe(tier)}`);
        }
        return { aboveInputTokens: threshold, ...normalizeRates(tier, what) };
      })
      .sort((a, b) => a.aboveInputTokens - b.aboveInputTokens);
  }
  if (raw.asOf !== undefined) normalized.asOf = String(raw.asOf);
  if (raw.source !== undefined) normalized.source = String(raw.source);
  return normalized;
}

function normalizeRates(value: unknown, what: string): Rates {
  const rates = value as Rates | null;
  if (typeof value !== 'object' || value === null || !isRate(rates!.input) || !isRate(rates!.output)) {
    throw new Error(`${what}: expected non-negative numbers for input and output, got ${describe(value)}`);
  }
  const result: Rates = { input: rates!.input, output: rates!.output };
  for (const field of RATE_FIELDS) {
    const rate = rates![field];
    if (rate === undefined) continue;
    if (!isRate(rate)) throw new Error(`${what}: expected a non-negative number for ${field}, got ${describe(rate)}`);
    result[field] = rate;
  }
  return result;
}

function isRate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/**
 * The rates that apply to a request with `inputTokens` prompt tokens: the tier with the highest
 * threshold the request exceeds, or the base rates.
 */
export function ratesFor(price: Price, inputTokens: number | undefined): Rates {
  let chosen: Rates = price;
  let threshold = -1;
  if (price.tiers && inputTokens !== undefined) {
    // Scanned rather than assumed sorted: a price built by hand need not have gone through normalizePrice.
    for (const tier of price.tiers) {
      if (inputTokens > tier.aboveInputTokens && tier.aboveInputTokens > threshold) {
        chosen = tier;
        threshold = tier.aboveInputTokens;
      }
    }
  }
  return chosen;
}
