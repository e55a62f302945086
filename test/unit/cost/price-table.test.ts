import { describe, expect, it, vi } from 'vitest';
import { normalizePrice } from '../../../lib/cost/price';
import { createPriceTable, priceFor, resolveModel } from '../../../lib/cost/price-table';
import { BUILT_IN_PRICES, builtInPriceData } from '../../../lib/cost/built-in-prices';

const table = createPriceTable();

describe('the built-in price table', () => {
  it.each(Object.keys(BUILT_IN_PRICES))('dates, sources and validates %s', (model) => {
    const entry = BUILT_IN_PRICES[model]!;
    expect(entry.asOf).toMatch(/^20\d\d-\d\d-\d\d$/);
    expect(entry.source.length).toBeGreaterThan(10);
    expect(normalizePrice(entry, model)).toEqual(entry);
  });

  it.each([
    ['gpt-4o', 2.5, 1.25, undefined, 10],
    ['gpt-4o-mini', 0.15, 0.075, undefined, 0.6],
    ['gpt-4.1', 2, 0.5, undefined, 8],
    ['gpt-4.1-mini', 0.4, 0.1, undefined, 1.6],
    ['gpt-5', 1.25, 0.125, undefined, 10],
    ['gpt-5-mini', 0.25, 0.025, undefined, 2],
    ['gpt-5-nano', 0.05, 0.005, undefined, 0.4],
    ['gpt-5.1', 1.25, 0.125, undefined, 10],
    ['gpt-5.2', 1.75, 0.175, undefined, 14],
    ['gpt-5.4', 2.5, 0.25, undefined, 15],
    ['gpt-5.5', 5, 0.5, undefined, 30],
    ['claude-opus-4-5', 5, 0.5, 6.25, 25],
    ['claude-opus-4-1', 15, 1.5, 18.75, 75],
    ['claude-opus-4', 15, 1.5, 18.75, 75],
    ['claude-sonnet-4-5', 3, 0.3, 3.75, 15],
    ['claude-sonnet-4', 3, 0.3, 3.75, 15],
    ['claude-haiku-4-5', 1, 0.1, 1.25, 5],
    ['claude-3-5-haiku', 0.8, 0.08, 1, 4],
    ['claude-3-haiku', 0.25, 0.03, 0.3, 1.25],
    ['gemini-2.5-pro', 1.25, 0.125, undefined, 10],
    ['gemini-2.5-flash', 0.3, 0.03, undefined, 2.5],
    ['gemini-2.5-flash-lite', 0.1, 0.01, undefined, 0.4],
  ])('lists %s at input %s, cached %s, cache write %s, output %s per million tokens', (model, input, cachedInput, cacheWrite, output) => {
    const price = priceFor(model)!;
    expect({ input: price.input, cachedInput: price.cachedInput, cacheWrite: price.cacheWrite, output: price.output }).toEqual({
      input,
      cachedInput,
      cacheWrite,
      output,
    });
  });

  it('prices every Anthropic cache write at 1.25x input and every cache read at 0.1x input, except Haiku 3’s rounded list prices', () => {
    // Anthropic lists Claude Haiku 3 at $0.30 write and $0.03 read, not the exact 0.3125 and 0.025.
    expect([BUILT_IN_PRICES['claude-3-haiku']!.cacheWrite, BUILT_IN_PRICES['claude-3-haiku']!.cachedInput]).toEqual([0.3, 0.03]);
    const exact = Object.entries(BUILT_IN_PRICES).filter(([m]) => m.startsWith('claude') && m !== 'claude-3-haiku');
    expect(exact.length).toBe(13);
    for (const [model, price] of exact) {
      expect([model, price.cacheWrite]).toEqual([model, price.input * 1.25]);
      expect(price.cachedInput).toBeCloseTo(price.input * 0.1, 12);
    }
  });
});

describe('the lazily read built-in table', () => {
  it('gives every built-in model the price BUILT_IN_PRICES lists, validated and frozen', () => {
    for (const [model, entry] of Object.entries(BUILT_IN_PRICES)) {
      const price = createPriceTable().priceFor(model)!;
      expect([model, price]).toEqual([model, normalizePrice(entry, model)]);
      expect(Object.isFrozen(price)).toBe(true);
    }
  });

  it('keeps its keys lower-case and trimmed, as lookups expect', () => {
    for (const key of Object.keys(builtInPriceData())) expect(key).toBe(key.trim().toLowerCase());
  });

  it('builds fresh data on each call, so no caller can change what the next lookup reads', () => {
    const first = builtInPriceData();
    first['gpt-4o']!.input = 999;
    expect(builtInPriceData()['gpt-4o']!.input).toBe(2.5);
    expect(priceFor('gpt-4o')?.input).toBe(2.5);
  });

  it('lists the same entries, in the same order, as a table built eagerly would', () => {
    const entries = createPriceTable().entries;
    expect(Object.keys(entries)).toEqual(Object.keys(BUILT_IN_PRICES));
    expect(entries).toEqual(Object.fromEntries(Object.entries(BUILT_IN_PRICES).map(([m, p]) => [m, normalizePrice(p, m)])));
    expect(Object.isFrozen(entries)).toBe(true);
    expect(createPriceTable().entries['gpt-4o']).toBe(entries['gpt-4o']);
  });

  it('keeps a user entry that replaces a built-in one in the built-in place of entries, new keys last', () => {
    const keys = Object.keys(createPriceTable({ 'acme-chat': { input: 1, output: 1 }, 'GPT-4o': { input: 2, output: 8 } }).entries);
    expect(keys).toEqual([...Object.keys(BUILT_IN_PRICES), 'acme-chat']);
    expect(createPriceTable({ 'GPT-4o': { input: 2, output: 8 } }).entries['gpt-4o']).toEqual({ input: 2, output: 8 });
  });
});

describe('model id matching', () => {
  it.each([
    ['gpt-4o-2024-08-06', 'gpt-4o'],
    ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
    ['gpt-4.1-mini-2025-04-14', 'gpt-4.1-mini'],
    ['gpt-4.1-2025-04-14', 'gpt-4.1'],
    ['gpt-5-2025-08-07', 'gpt-5'],
    ['gpt-5-mini-2025-08-07', 'gpt-5-mini'],
    ['gpt-5-nano-2025-08-07', 'gpt-5-nano'],
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['claude-sonnet-4-20250514', 'claude-sonnet-4'],
    ['claude-opus-4-1-20250805', 'claude-opus-4-1'],
    ['claude-opus-4-20250514', 'claude-opus-4'],
    ['claude-haiku-4-5-20251001', 'claude-haiku-4-5'],
    ['claude-3-5-haiku-20241022', 'claude-3-5-haiku'],
    ['claude-3-5-haiku-latest', 'claude-3-5-haiku'],
    ['claude-3-haiku-20240307', 'claude-3-haiku'],
    ['claude-sonnet-4-5@20250929', 'claude-sonnet-4-5'],
    ['models/gemini-2.5-flash', 'gemini-2.5-flash'],
    ['models/gemini-2.5-flash-lite', 'gemini-2.5-flash-lite'],
    ['gemini-2.5-pro-001', 'gemini-2.5-pro'],
    ['GPT-4o', 'gpt-4o'],
    [' gpt-4o ', 'gpt-4o'],
  ])('resolves %s to %s', (model, key) => {
    expect(table.resolve(model)).toBe(key);
    expect(priceFor(key)).toBeDefined();
    expect(priceFor(model)).toBe(priceFor(key));
  });

  it.each([
    ['gpt-4o-audio-preview-2024-12-17'],
    ['gpt-4o-realtime-preview'],
    ['gpt-5-pro'],
    ['gpt-5-codex'],
    ['gpt-4'],
    ['claude-opus-4-9'],
    ['claude-sonnet-4-5-thinking'],
    ['gemini-2.5-flash-image'],
    ['gemini-2.5-flash-preview-05-20'],
    ['gpt-4o-2024'],
    ['llama3.2'],
    [''],
  ])('does not guess a price for %j, a different model than any family it starts with', (model) => {
    expect(table.resolve(model)).toBeUndefined();
  });

  it('never resolves gpt-4o-mini snapshots to gpt-4o, even in a table without gpt-4o-mini', () => {
    const entries = { 'gpt-4o': { input: 2.5, output: 10 } };
    expect(resolveModel('gpt-4o-mini-2024-07-18', entries)).toBeUndefined();
    expect(resolveModel('gpt-4o-2024-08-06', entries)).toBe('gpt-4o');
  });

  it('prefers the longest family when several keys prefix the id', () => {
    const entries = { 'my-model': { input: 1, output: 1 }, 'my-model-large': { input: 2, output: 2 } };
    expect(resolveModel('my-model-large-2026-01-01', entries)).toBe('my-model-large');
    expect(resolveModel('my-model-2026-01-01', entries)).toBe('my-model');
  });
});

describe('unknown models', () => {
  it('warns once per model through the injected warn function and returns undefined', () => {
    const warn = vi.fn();
    const own = createPriceTable({}, { warn });
    expect(own.priceFor('mystery-model')).toBeUndefined();
    expect(own.priceFor('mystery-model')).toBeUndefined();
    expect(own.priceFor('other-mystery')).toBeUndefined();
    expect(warn.mock.calls).toEqual([
      [
        'k6-llm: no price for model "mystery-model"; its cost is not recorded. Pass price: { input, output } (USD per million tokens) or extend the table with createPriceTable().',
      ],
      [
        'k6-llm: no price for model "other-mystery"; its cost is not recorded. Pass price: { input, output } (USD per million tokens) or extend the table with createPriceTable().',
      ],
    ]);
  });

  it('warns once per model per process from the plain priceFor, whatever table or warn function is passed', () => {
    const warn = vi.fn();
    expect(priceFor('unknown-for-priceFor-test', undefined, { warn })).toBeUndefined();
    expect(priceFor('unknown-for-priceFor-test', undefined, { warn })).toBeUndefined();
    expect(priceFor('unknown-for-priceFor-test', { 'x-model': { input: 1, output: 1 } }, { warn })).toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toContain('"unknown-for-priceFor-test"');
  });

  it('does not warn for a model it knows', () => {
    const warn = vi.fn();
    expect(createPriceTable({}, { warn }).priceFor('gpt-4o-2024-08-06')?.input).toBe(2.5);
    expect(warn).not.toHaveBeenCalled();
  });

  it('defaults to console.warn', () => {
    const spy = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      createPriceTable().priceFor('console-warned-model');
      expect(spy.mock.calls).toEqual([[expect.stringContaining('"console-warned-model"')]]);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('user prices', () => {
  const mine = { 'gpt-4o': { input: 2, output: 8 }, 'acme-chat': { input: 0.5, output: 1.5, cachedInput: 0.05 } };

  it('merges a plain table over the built-in one in priceFor', () => {
    expect(priceFor('gpt-4o-2024-08-06', mine)).toEqual({ input: 2, output: 8 });
    expect(priceFor('acme-chat', mine)).toEqual({ input: 0.5, output: 1.5, cachedInput: 0.05 });
    expect(priceFor('acme-chat-2026-02-01', mine)?.input).toBe(0.5);
    expect(priceFor('gpt-5', mine)?.input).toBe(1.25);
  });

  it('builds the same merge once with createPriceTable', () => {
    const merged = createPriceTable(mine);
    expect(merged.priceFor('gpt-4o')).toEqual({ input: 2, output: 8 });
    expect(merged.priceFor('claude-haiku-4-5')?.output).toBe(5);
    expect(priceFor('acme-chat', merged)?.output).toBe(1.5);
  });

  it('can leave out the built-in prices', () => {
    const warn = vi.fn();
    const alone = createPriceTable(mine, { builtIn: false, warn });
    expect(Object.keys(alone.entries)).toEqual(['gpt-4o', 'acme-chat']);
    expect(alone.priceFor('gpt-5')).toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('lower-cases user keys so ids match whatever their case', () => {
    expect(createPriceTable({ 'Acme-Chat': { input: 1, output: 2 } }).priceFor('ACME-CHAT')?.output).toBe(2);
  });

  it('refuses an invalid user entry at init, naming the model', () => {
    expect(() => createPriceTable({ 'acme-chat': { input: 1 } as never })).toThrow(
      'invalid price for "acme-chat": expected non-negative numbers for input and output, got {"input":1}',
    );
    expect(() => priceFor('x', { bad: { input: -1, output: 1 } })).toThrow('invalid price for "bad"');
  });

  it('hands out frozen prices, so one caller cannot change another caller’s price', () => {
    expect(Object.isFrozen(BUILT_IN_PRICES)).toBe(true);
    expect(Object.isFrozen(BUILT_IN_PRICES['gpt-4o'])).toBe(true);
    const price = priceFor('gemini-2.5-pro')!;
    expect(Object.isFrozen(price)).toBe(true);
    expect(Object.isFrozen(price.tiers)).toBe(true);
    expect(Object.isFrozen(price.tiers![0])).toBe(true);
  });
});
