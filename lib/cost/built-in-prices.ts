import type { Price } from './price';

/** A built-in price: always dated and sourced. */
export type PriceEntry = Price & { asOf: string; source: string };

// List prices, USD per million tokens, standard (non-batch) tier, text modality. Each entry names
// where its figures come from and the date that source last confirmed them. These are the figures
// of the project's wire-formats reference §8, gathered from stored copies rather than the live
// pages: check https://developers.openai.com/api/docs/pricing,
// https://platform.claude.com/docs/en/about-claude/pricing and
// https://ai.google.dev/gemini-api/docs/pricing before billing anyone. Not modelled: batch
// discounts (-50 %), Anthropic's 1-hour cache writes (2x input; billed here at the 5-minute
// rate, since usage does not split them), Gemini's cache storage per hour and audio input rates,
// and regional or priority tiers.

/**
 * The built-in prices as fresh, unfrozen objects, keyed by model family: the data behind
 * `BUILT_IN_PRICES`. A function rather than a constant because each k6 VU is its own JavaScript
 * runtime, so a table built at import is built again in every VU (~75 KiB of peak RSS per VU for
 * this one; ~260 KiB when `priceFor` also validated and froze all of it), while a client needs the
 * price of one model. `priceFor` calls this on a model's first lookup, keeps that entry and drops
 * the rest.
 */
export function builtInPriceData(): Record<string, PriceEntry> {
  const LLM_PRICES = 'simonw/llm-prices@723ef0b data/openai.json';
  const COPILOT = 'github/docs data/tables/copilot/models-and-pricing.yml@024f6b0';
  const ANTHROPIC_DOCS = 'Anthropic pricing docs (platform.claude.com/docs/en/about-claude/pricing; copy updated 2025-11-15)';

  // Anthropic's long-context tier for Sonnet 4 and 4.5: the docs give input 6 and output 22.50 above
  // 200K input tokens; the cache rates are the documented multipliers (read 0.1x, 5-minute write 1.25x)
  // applied to that input rate, as Anthropic says its modifiers stack on long-context prices.
  const SONNET_4_LONG_CONTEXT = { aboveInputTokens: 200_000, input: 6, output: 22.5, cachedInput: 0.6, cacheWrite: 7.5 };

  const sonnet4: PriceEntry = {
    input: 3,
    output: 15,
    cachedInput: 0.3,
    cacheWrite: 3.75,
    tiers: [SONNET_4_LONG_CONTEXT],
    asOf: '2025-11-15',
    source: `${ANTHROPIC_DOCS}; >200K tier cache rates derived from the 0.1x/1.25x multipliers`,
  };

  const opus4: PriceEntry = {
    input: 15,
    output: 75,
    cachedInput: 1.5,
    cacheWrite: 18.75,
    asOf: '2025-11-15',
    source: ANTHROPIC_DOCS,
  };

  const opus45: PriceEntry = {
    input: 5,
    output: 25,
    cachedInput: 0.5,
    cacheWrite: 6.25,
    asOf: '2026-08-05',
    source: `simonw/llm-prices@723ef0b data/anthropic.json (Opus 4.5 added 2025-11-24, 4.6-4.8 in 2026); ${COPILOT}`,
  };

  return {
    // OpenAI: no cache-write charge on these models (caching is automatic); cached input is 50 % off
    // for gpt-4o, 75 % off for gpt-4.1, 90 % off for the gpt-5 family.
    'gpt-4o': { input: 2.5, output: 10, cachedInput: 1.25, asOf: '2026-08-05', source: `${LLM_PRICES} (unchanged since 2025-10-10)` },
    'gpt-4o-mini': { input: 0.15, output: 0.6, cachedInput: 0.075, asOf: '2026-08-05', source: `${LLM_PRICES} (unchanged since 2025-10-10)` },
    'gpt-4.1': { input: 2, output: 8, cachedInput: 0.5, asOf: '2026-08-05', source: `${LLM_PRICES}; tokenmath.io (checked 2026-06-21); ${COPILOT}` },
    'gpt-4.1-mini': { input: 0.4, output: 1.6, cachedInput: 0.1, asOf: '2026-08-05', source: `${LLM_PRICES}; tokenmath.io (checked 2026-06-21)` },
    'gpt-5': { input: 1.25, output: 10, cachedInput: 0.125, asOf: '2026-08-05', source: `${LLM_PRICES} (unchanged since 2025-10-10)` },
    'gpt-5-mini': { input: 0.25, output: 2, cachedInput: 0.025, asOf: '2026-08-05', source: `${LLM_PRICES}; ${COPILOT}` },
    'gpt-5-nano': { input: 0.05, output: 0.4, cachedInput: 0.005, asOf: '2026-08-05', source: `${LLM_PRICES}; cloudprice.net` },
    'gpt-5.1': { input: 1.25, output: 10, cachedInput: 0.125, asOf: '2026-08-05', source: `${LLM_PRICES} (added 2025-11-13)` },
    'gpt-5.2': { input: 1.75, output: 14, cachedInput: 0.175, asOf: '2026-08-05', source: `${LLM_PRICES}; ${COPILOT}` },
    'gpt-5.4': {
      input: 2.5,
      output: 15,
      cachedInput: 0.25,
      tiers: [{ aboveInputTokens: 272_000, input: 5, output: 22.5, cachedInput: 0.5 }],
      asOf: '2026-08-05',
      source: `${LLM_PRICES}; ${COPILOT}`,
    },
    'gpt-5.5': {
      input: 5,
      output: 30,
      cachedInput: 0.5,
      tiers: [{ aboveInputTokens: 272_000, input: 10, output: 45, cachedInput: 1 }],
      asOf: '2026-08-05',
      source: `${LLM_PRICES}; api-evangelist/openai plans/openai-plans-pricing.yml (2026-05-04)`,
    },

    // Anthropic: cache write (5-minute) 1.25x input, cache read 0.1x input.
    'claude-opus-4-8': opus45,
    'claude-opus-4-7': opus45,
    'claude-opus-4-6': opus45,
    'claude-opus-4-5': opus45,
    'claude-opus-4-1': opus4,
    'claude-opus-4': opus4,
    'claude-opus-4-0': opus4,
    'claude-sonnet-4-6': {
      input: 3,
      output: 15,
      cachedInput: 0.3,
      cacheWrite: 3.75,
      asOf: '2026-11-29',
      source: `${COPILOT} (undated, secondary); no >200K surcharge per deploybase.ai (2026-03, secondary), not verified on Anthropic's page`,
    },
    'claude-sonnet-4-5': sonnet4,
    'claude-sonnet-4': sonnet4,
    'claude-sonnet-4-0': sonnet4,
    'claude-haiku-4-5': {
      input: 1,
      output: 5,
      cachedInput: 0.1,
      cacheWrite: 1.25,
      asOf: '2025-11-15',
      source: `${ANTHROPIC_DOCS}; simonw/llm-prices@723ef0b (added 2025-10-15)`,
    },
    'claude-3-5-haiku': { input: 0.8, output: 4, cachedInput: 0.08, cacheWrite: 1, asOf: '2025-11-15', source: ANTHROPIC_DOCS },
    'claude-3-haiku': { input: 0.25, output: 1.25, cachedInput: 0.03, cacheWrite: 0.3, asOf: '2025-11-15', source: ANTHROPIC_DOCS },

    // Gemini Developer API, paid tier: no cache-write price (explicit caching bills storage per hour
    // instead, not modelled); output prices include thinking tokens.
    'gemini-2.5-pro': {
      input: 1.25,
      output: 10,
      cachedInput: 0.125,
      tiers: [{ aboveInputTokens: 200_000, input: 2.5, output: 15, cachedInput: 0.25 }],
      asOf: '2026-06-17',
      source: 'ai.google.dev/gemini-api/docs/pricing (transcription accessed 2026-06-17); simonw/llm-prices@723ef0b data/google.json',
    },
    'gemini-2.5-flash': {
      input: 0.3,
      output: 2.5,
      cachedInput: 0.03,
      asOf: '2026-06-20',
      source: 'simonw/llm-prices@723ef0b data/google.json (cached 0.03 since 2025-11-24); aipromptshub (verified 2026-06-20); text input rate (audio is 1.00)',
    },
    'gemini-2.5-flash-lite': {
      input: 0.1,
      output: 0.4,
      cachedInput: 0.01,
      asOf: '2026-08-05',
      source: 'simonw/llm-prices@723ef0b data/google.json; hivebook.wiki',
    },
  };
}

/**
 * The built-in table, keyed by model family. Dated snapshot ids (`gpt-4o-2024-08-06`,
 * `claude-sonnet-4-5-20250929`) resolve to these keys; see `priceFor`. Built only in a bundle that
 * imports it (`priceFor` reads `builtInPriceData` instead), hence the pure annotation.
 */
export const BUILT_IN_PRICES: Readonly<Record<string, Readonly<PriceEntry>>> = /* @__PURE__ */ freezeAll(/* @__PURE__ */ builtInPriceData());

// Frozen so that no script can change a built-in price for every other table in its VU.
function freezeAll(entries: Record<string, PriceEntry>): Readonly<Record<string, Readonly<PriceEntry>>> {
  for (const entry of Object.values(entries)) {
    for (const tier of entry.tiers ?? []) Object.freeze(tier);
    if (entry.tiers) Object.freeze(entry.tiers);
    Object.freeze(entry);
  }
  return Object.freeze(entries);
}
