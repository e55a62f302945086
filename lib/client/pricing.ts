// The client's prices: which price a request's model is billed at, the one "no price" warning per
// model per run, and `requirePrice`. Pure but for `__VU`, which k6 sets as a global.
import { normalizePrice, priceFor } from '../cost/index';
import type { Price, PriceEntries, PriceTable } from '../cost/index';

export interface PricingOptions {
  model: string;
  price?: Price | false;
  prices?: PriceEntries | PriceTable;
  requirePrice?: boolean;
}

export interface ClientPricing {
  /** The price of the client's own model: `undefined` when it has none, or with `price: false`. */
  readonly price: Price | undefined;
  /**
   * The price a request to `model` is billed at, or `undefined` (the request is unpriced). An explicit
   * `price` (or `price: false`) holds for every model; otherwise the model is looked up once per VU.
   */
  priceOf(model: string): Price | undefined;
}

/**
 * Prints once per run, not once per VU. k6 runs the init code in a runtime of its own for every VU,
 * and again in VU-0 runtimes: one to read the options, one each for setup(), teardown() and
 * handleSummary(). Module state cannot span them, so only VU 1 speaks: the first VU every k6
 * instance initializes (`__VU` is 0 in the VU-0 runtimes). It speaks at its init for the client's
 * model and when it first meets a model a request names. Outside k6 there is one runtime: it speaks.
 */
export function warnOncePerRun(message: string): void {
  if (typeof __VU === 'undefined' || __VU === 1) console.warn(message);
}

/** The warning for a model without a price; it says how to price it with the client's options. */
export function noPriceWarning(model: string): string {
  const id = JSON.stringify(model);
  return (
    `k6-llm: no price for model ${id}: its requests are left out of llm_cost_usd and counted by llm_unpriced. ` +
    `Price it with createClient's price: { input, output } or prices: { ${id}: { input, output } } (USD per million tokens); ` +
    'requirePrice: true makes a missing price an error.'
  );
}

function isPriceTable(value: unknown): value is PriceTable {
  const table = value as PriceTable | null | undefined;
  return typeof table === 'object' && table !== null && typeof table.resolve === 'function' && typeof table.priceFor === 'function';
}

const silent = (): void => {};

/** A model's price from `prices` over the built-in table, without any warning of its own. */
function lookUp(model: string, prices: PriceEntries | PriceTable | undefined): Price | undefined {
  // A table from createPriceTable warns through its own `warn` (console.warn by default, in every VU):
  // asking it only for a model it resolves keeps it quiet.
  if (isPriceTable(prices)) return prices.resolve(model) === undefined ? undefined : prices.priceFor(model);
  return priceFor(model, prices, { warn: silent });
}

/**
 * Resolves the client's prices once, at init. Throws `invalid price ...` when `requirePrice` is set
 * and the client's model has no price (or `price: false`); warns once per run for a model without a
 * price otherwise.
 */
export function createPricing(options: PricingOptions, warn: (message: string) => void = warnOncePerRun): ClientPricing {
  const { model, prices } = options;
  if (options.requirePrice !== undefined && typeof options.requirePrice !== 'boolean') {
    throw new Error(`invalid requirePrice: expected true or false, got ${JSON.stringify(options.requirePrice)}`);
  }
  const required = options.requirePrice === true;
  if (options.price === false) {
    if (required) throw new Error('invalid price: expected a price, since requirePrice is set, got price: false');
    return { price: undefined, priceOf: () => undefined };
  }
  if (options.price !== undefined) {
    const price = normalizePrice(options.price);
    return { price, priceOf: () => price };
  }
  if (required && lookUp(model, prices) === undefined) {
    throw new Error(
      `invalid price for ${JSON.stringify(model)}: expected price: { input, output } or a prices entry, since requirePrice is set, ` +
        'got no price in the built-in table or prices',
    );
  }
  // Models looked up so far, in this VU: a plain object, because a VU's first Map makes k6's runtime
  // build that whole built-in.
  const known: Record<string, Price | null> = Object.create(null);
  const priceOf = (id: string): Price | undefined => {
    const key = String(id);
    let price = known[key];
    if (price === undefined) {
      price = lookUp(key, prices) ?? null;
      known[key] = price;
      if (price === null) warnAboutModel(key, warn);
    }
    return price ?? undefined;
  };
  return { price: priceOf(model), priceOf };
}

// Models warned about in this runtime, whichever client met them first.
let warnedModels: Record<string, true> | undefined;

function warnAboutModel(model: string, warn: (message: string) => void): void {
  warnedModels ??= Object.create(null) as Record<string, true>;
  if (warnedModels[model]) return;
  warnedModels[model] = true;
  warn(noPriceWarning(model));
}
