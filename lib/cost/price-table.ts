import { normalizePrice, type Price } from './price.js';
import { BUILT_IN_PRICES } from './prices.js';

/** Prices keyed by model id or model family. */
export type PriceEntries = Readonly<Record<string, Price>>;

/** A price table: the built-in prices with a user's entries merged over them, validated once. */
export interface PriceTable {
  /** The validated entries, keys lower-cased. */
  readonly entries: PriceEntries;
  /** The table key a model id resolves to (see `priceFor`), or `undefined`. Never warns. */
  resolve(model: string): string | undefined;
  /** The price of a model, or `undefined` with one warning per model for this table. */
  priceFor(model: string): Price | undefined;
}

export interface PriceTableOptions {
  /**
   * Start from the built-in table; `false` gives a table of the user's entries alone.
   * @default true
   */
  builtIn?: boolean;
  /**
   * Where the one-per-model "no price" warning goes.
   * @default console.warn
   */
  warn?: (message: string) => void;
}

// A dated snapshot or stable-version suffix, one or more times: `-2024-08-06` (OpenAI),
// `-20250929` (Anthropic), `@20250929` (Vertex AI's Claude ids), `-001` (Gemini stable versions),
// `-latest`. Only these: a looser rule would price `gpt-4o-audio-preview` or `gpt-5-pro` as their
// base family, and those cost something else. An id that is neither listed nor a snapshot of a
// listed family gets no price and a warning, never a guess.
const SNAPSHOT_SUFFIX = /^(?:[-@](?:\d{4}-\d{2}-\d{2}|\d{8}|\d{3}|latest))+$/;

function buildEntries(user: PriceEntries | undefined, builtIn: boolean): Record<string, Price> {
  const entries: Record<string, Price> = {};
  const add = (source: PriceEntries) => {
    for (const key of Object.keys(source)) {
      entries[key.trim().toLowerCase()] = freeze(normalizePrice(source[key], key));
    }
  };
  if (builtIn) add(BUILT_IN_PRICES);
  if (user !== undefined) {
    if (typeof user !== 'object' || user === null || Array.isArray(user)) {
      throw new Error(`invalid price table: expected an object of model id -> { input, output }, got ${typeof user}`);
    }
    add(user);
  }
  return entries;
}

function freeze(price: Price): Price {
  if (price.tiers) price.tiers.forEach((tier) => Object.freeze(tier));
  if (price.tiers) Object.freeze(price.tiers);
  return Object.freeze(price);
}

/**
 * Resolves a model id against a set of keys:
 * 1. the id itself (lower-cased, trimmed);
 * 2. the id without a path prefix (`models/gemini-2.5-flash` → `gemini-2.5-flash`);
 * 3. the longest key the id starts with, when what follows is a dated snapshot suffix
 *    (`gpt-4o-2024-08-06` → `gpt-4o`, `claude-sonnet-4-5-20250929` → `claude-sonnet-4-5`).
 *    `gpt-4o-mini-2024-07-18` resolves to `gpt-4o-mini`, never `gpt-4o`: `-mini-...` is not a snapshot suffix.
 */
export function resolveModel(model: string, entries: PriceEntries, keysLongestFirst?: readonly string[]): string | undefined {
  if (typeof model !== 'string') return undefined;
  const id = model.trim().toLowerCase();
  if (id === '') return undefined;
  if (Object.prototype.hasOwnProperty.call(entries, id)) return id;
  const bare = id.slice(id.lastIndexOf('/') + 1);
  if (Object.prototype.hasOwnProperty.call(entries, bare)) return bare;
  const keys = keysLongestFirst ?? Object.keys(entries).sort((a, b) => b.length - a.length);
  for (const key of keys) {
    if (bare.length > key.length && bare.startsWith(key) && SNAPSHOT_SUFFIX.test(bare.slice(key.length))) return key;
  }
  return undefined;
}

function noPriceMessage(model: string): string {
  return (
    `k6-llm: no price for model ${JSON.stringify(model)}; its cost is not recorded. ` +
    'Pass price: { input, output } (USD per million tokens) or extend the table with createPriceTable().'
  );
}

function makeTable(entries: Record<string, Price>, onMissing: (model: string) => void): PriceTable {
  const keys = Object.keys(entries).sort((a, b) => b.length - a.length);
  const frozen: PriceEntries = Object.freeze(entries);
  const resolve = (model: string) => resolveModel(model, frozen, keys);
  return {
    entries: frozen,
    resolve,
    priceFor(model) {
      const key = resolve(model);
      if (key === undefined) {
        onMissing(model);
        return undefined;
      }
      return frozen[key];
    },
  };
}

function warnOnce(warned: Set<string>, model: string, warn: ((message: string) => void) | undefined): void {
  const key = String(model);
  if (warned.has(key)) return;
  warned.add(key);
  (warn ?? console.warn)(noPriceMessage(key));
}

/**
 * Builds a price table once, in the init context: the built-in prices with `entries` merged over
 * them (an entry with the same key replaces the built-in one). Each entry is validated
 * (`invalid price for "<model>": ...` on misuse). The table warns once per unknown model.
 */
export function createPriceTable(entries?: PriceEntries, options: PriceTableOptions = {}): PriceTable {
  const warned = new Set<string>();
  return makeTable(buildEntries(entries, options.builtIn ?? true), (model) => warnOnce(warned, model, options.warn));
}

// The process-wide (in k6: per-VU runtime) state of the plain `priceFor` function.
const warnedModels = new Set<string>();
let defaultTable: PriceTable | undefined;
const mergedTables = new WeakMap<object, PriceTable>();
const silent = () => {};

/**
 * The price of `model` from the built-in table, or from `table` merged over it (a plain object of
 * entries). Resolves dated snapshot ids to their family (see `resolveModel`). An unknown model
 * gives `undefined` and one warning per model per process (per VU in k6, where each VU has its own
 * runtime) through `options.warn`, never a made-up price. A table from `createPriceTable` is asked
 * directly and warns through its own `warn`. Call it at init: a plain-object table is validated
 * and merged on first use, then cached by identity.
 */
export function priceFor(
  model: string,
  table?: PriceEntries | PriceTable,
  options: { warn?: (message: string) => void } = {},
): Price | undefined {
  if (isPriceTable(table)) return table.priceFor(model);
  const price = lookupTable(table).priceFor(model);
  if (price === undefined) warnOnce(warnedModels, model, options.warn);
  return price;
}

function lookupTable(table: PriceEntries | undefined): PriceTable {
  if (table === undefined) {
    defaultTable ??= makeTable(buildEntries(undefined, true), silent);
    return defaultTable;
  }
  let merged = mergedTables.get(table);
  if (!merged) {
    merged = makeTable(buildEntries(table, true), silent);
    mergedTables.set(table, merged);
  }
  return merged;
}

function isPriceTable(value: unknown): value is PriceTable {
  const candidate = value as PriceTable | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.priceFor === 'function' &&
    typeof candidate.resolve === 'function'
  );
}
