import { normalizePrice, type Price } from './price';
import { builtInPriceData } from './built-in-prices';

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
// listed family gets no price and a warning, never a guess. Compiled on first need, not at import:
// a VU's first RegExp makes Sobek build the whole RegExp built-in (~15 KiB of heap), and an exact
// model id never needs it.
let snapshotSuffix: RegExp | undefined;

function hasOwn(entries: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(entries, key);
}

/** A user's entries, validated and frozen, keys lower-cased: done at once, so a mistake throws at init. */
function userEntries(user: PriceEntries | undefined): Record<string, Price> {
  const entries: Record<string, Price> = {};
  if (user === undefined) return entries;
  if (typeof user !== 'object' || user === null || Array.isArray(user)) {
    throw new Error(`invalid price table: expected an object of model id -> { input, output }, got ${typeof user}`);
  }
  for (const key of Object.keys(user)) entries[key.trim().toLowerCase()] = freeze(normalizePrice(user[key], key));
  return entries;
}

function freeze(price: Price): Price {
  if (price.tiers) price.tiers.forEach((tier) => Object.freeze(tier));
  if (price.tiers) Object.freeze(price.tiers);
  return Object.freeze(price);
}

// The built-in prices are validated and frozen one model at a time, on first lookup, and shared by
// every table of the VU: each k6 VU is its own runtime, and the whole table built on the first
// lookup cost ~180 KiB of peak RSS per VU where a client needs one or two models (bench/memory).
let builtInKeys: readonly string[] | undefined;
const builtInPrices: Record<string, Price> = {};

/** The built-in table's keys, in its order (they are written lower-case). */
function builtInKeyList(): readonly string[] {
  builtInKeys ??= Object.keys(builtInPriceData());
  return builtInKeys;
}

function builtInPrice(key: string, data?: Record<string, Price>): Price {
  if (!hasOwn(builtInPrices, key)) builtInPrices[key] = freeze(normalizePrice((data ?? builtInPriceData())[key], key));
  return builtInPrices[key] as Price;
}

/** What a table looks models up in: `own` entries over the built-in ones when `builtIn`. */
interface KeySource {
  own: PriceEntries;
  builtIn: boolean;
  /** Every key, longest first; computed when a snapshot id first needs them. */
  keysLongestFirst?: readonly string[];
}

function hasKey(source: KeySource, key: string): boolean {
  return hasOwn(source.own, key) || (source.builtIn && builtInKeyList().indexOf(key) !== -1);
}

function priceOfKey(source: KeySource, key: string): Price {
  return hasOwn(source.own, key) ? (source.own[key] as Price) : builtInPrice(key);
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
  const source: KeySource = { own: entries, builtIn: false };
  if (keysLongestFirst !== undefined) source.keysLongestFirst = keysLongestFirst;
  return resolveKey(model, source);
}

function resolveKey(model: string, source: KeySource): string | undefined {
  if (typeof model !== 'string') return undefined;
  const id = model.trim().toLowerCase();
  if (id === '') return undefined;
  if (hasKey(source, id)) return id;
  const bare = id.slice(id.lastIndexOf('/') + 1);
  if (hasKey(source, bare)) return bare;
  source.keysLongestFirst ??= (source.builtIn ? builtInKeyList().filter((key) => !hasOwn(source.own, key)) : [])
    .concat(Object.keys(source.own))
    .sort((a, b) => b.length - a.length);
  snapshotSuffix ??= /^(?:[-@](?:\d{4}-\d{2}-\d{2}|\d{8}|\d{3}|latest))+$/;
  for (const key of source.keysLongestFirst) {
    if (bare.length > key.length && bare.startsWith(key) && snapshotSuffix.test(bare.slice(key.length))) return key;
  }
  return undefined;
}

function noPriceMessage(model: string): string {
  return (
    `k6-llm: no price for model ${JSON.stringify(model)}; its cost is not recorded. ` +
    'Pass price: { input, output } (USD per million tokens) or extend the table with createPriceTable().'
  );
}

/** A table of the user's (validated) entries over the built-in ones, if `builtIn`; `entries` is built when first read. */
function makeTable(own: Record<string, Price>, builtIn: boolean, onMissing: (model: string) => void): PriceTable {
  const source: KeySource = { own, builtIn };
  let entries: PriceEntries | undefined;
  const resolve = (model: string) => resolveKey(model, source);
  return {
    get entries() {
      if (entries === undefined) {
        // The built-in order, then the user's new keys; a user entry replaces a built-in one in place.
        const all: Record<string, Price> = {};
        const data = builtIn ? builtInPriceData() : {};
        for (const key of Object.keys(data)) all[key] = hasOwn(own, key) ? (own[key] as Price) : builtInPrice(key, data);
        for (const key of Object.keys(own)) all[key] = own[key] as Price;
        entries = Object.freeze(all);
      }
      return entries;
    },
    resolve,
    priceFor(model) {
      const key = resolve(model);
      if (key === undefined) {
        onMissing(model);
        return undefined;
      }
      return priceOfKey(source, key);
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
  let warned: Set<string> | undefined;
  return makeTable(userEntries(entries), options.builtIn ?? true, (model) => warnOnce((warned ??= new Set()), model, options.warn));
}

// The process-wide (in k6: per-VU runtime) state of the plain `priceFor` function, created on
// first need: a VU's first Set or WeakMap makes Sobek build that whole built-in (~11 and ~3 KiB of heap).
let warnedModels: Set<string> | undefined;
let defaultTable: PriceTable | undefined;
let mergedTables: WeakMap<object, PriceTable> | undefined;
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
  if (price === undefined) warnOnce((warnedModels ??= new Set()), model, options.warn);
  return price;
}

function lookupTable(table: PriceEntries | undefined): PriceTable {
  if (table === undefined) {
    defaultTable ??= makeTable({}, true, silent);
    return defaultTable;
  }
  mergedTables ??= new WeakMap();
  let merged = mergedTables.get(table);
  if (!merged) {
    merged = makeTable(userEntries(table), true, silent);
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
