import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cacheHitRatio, costBreakdown, costOf } from '../../../lib/cost/cost';
import { normalizePrice, ratesFor, type Price } from '../../../lib/cost/price';
import { priceFor } from '../../../lib/cost/price-table';
import type { Usage } from '../../../lib/providers/types';

const price = (model: string): Price => {
  const found = priceFor(model);
  if (!found) throw new Error(`test setup: no built-in price for ${model}`);
  return found;
};

describe('costOf', () => {
  const flat: Price = { input: 2, output: 10, cachedInput: 0.5, cacheWrite: 2.5 };

  it.each<[string, Omit<Usage, 'source'>, number]>([
    ['uncached input and output', { inputTokens: 1_000_000, outputTokens: 1_000_000 }, 12],
    ['cached input at the cached rate', { inputTokens: 1_000_000, cachedInputTokens: 600_000, outputTokens: 0 }, 0.8 + 0.3],
    ['cache writes at the write rate', { inputTokens: 1_000_000, cacheWriteInputTokens: 400_000, outputTokens: 0 }, 1.2 + 1],
    ['all three kinds of input', { inputTokens: 1_000_000, cachedInputTokens: 500_000, cacheWriteInputTokens: 250_000, outputTokens: 0 }, 0.5 + 0.25 + 0.625],
    ['reasoning as part of output, never twice', { inputTokens: 0, outputTokens: 1_000_000, reasoningTokens: 800_000 }, 10],
    ['output alone', { outputTokens: 500_000 }, 5],
    ['input alone', { inputTokens: 500_000 }, 1],
    ['zero tokens as a known $0', { inputTokens: 0, outputTokens: 0 }, 0],
    ['cached counts above input without billing negative input', { inputTokens: 100, cachedInputTokens: 150, outputTokens: 0 }, 150 * 0.5e-6],
  ])('bills %s', (_what, usage, usd) => {
    expect(costOf({ ...usage }, flat)).toBeCloseTo(usd, 12);
  });

  it.each<[Omit<Usage, 'source'>]>([[{}], [{ cachedInputTokens: 10 }], [{ reasoningTokens: 10 }]])(
    'gives undefined, not $0, when usage reports neither input nor output: %j',
    (usage) => {
      expect(costOf(usage, flat)).toBeUndefined();
      expect(costBreakdown(usage, flat)).toBeUndefined();
    },
  );

  it('bills cached input and cache writes at the input rate when the price has no such rates', () => {
    expect(costOf({ inputTokens: 1_000_000, cachedInputTokens: 300_000, cacheWriteInputTokens: 200_000, outputTokens: 0 }, { input: 3, output: 15 })).toBeCloseTo(3, 12);
  });

  it('breaks the cost down by kind of token, summing to the total', () => {
    expect(costBreakdown({ inputTokens: 2_000_000, cachedInputTokens: 500_000, cacheWriteInputTokens: 500_000, outputTokens: 100_000 }, flat)).toEqual({
      inputUsd: 2,
      cachedInputUsd: 0.25,
      cacheWriteUsd: 1.25,
      outputUsd: 1,
      totalUsd: 4.5,
    });
  });

  it('is never negative and grows with every kind of token', () => {
    const count = fc.nat(10_000_000);
    fc.assert(
      fc.property(count, count, count, count, (input, cached, writes, output) => {
        const usage = { inputTokens: input, cachedInputTokens: cached, cacheWriteInputTokens: writes, outputTokens: output };
        const usd = costOf(usage, flat)!;
        expect(usd).toBeGreaterThanOrEqual(0);
        expect(costOf({ ...usage, outputTokens: output + 1000 }, flat)!).toBeGreaterThan(usd);
      }),
    );
  });
});

describe('costOf with each provider usage, end to end as normalized Usage', () => {
  it('bills an Anthropic cache write at 1.25x input (Claude Sonnet 4.5)', () => {
    // Wire: input_tokens 50, cache_creation_input_tokens 10000, cache_read_input_tokens 0, output_tokens 200.
    // Normalized: input counts every prompt token, cache writes included.
    const usage: Usage = { inputTokens: 10_050, cacheWriteInputTokens: 10_000, cachedInputTokens: 0, outputTokens: 200, source: 'server' };
    const breakdown = costBreakdown(usage, price('claude-sonnet-4-5-20250929'))!;
    expect(breakdown.cacheWriteUsd).toBeCloseTo(10_000 * 3 * 1.25 * 1e-6, 12);
    expect(breakdown.inputUsd).toBeCloseTo(50 * 3e-6, 12);
    expect(breakdown.outputUsd).toBeCloseTo(200 * 15e-6, 12);
    expect(breakdown.totalUsd).toBeCloseTo(0.04065, 12);
  });

  it('bills the Anthropic cache read that follows at 0.1x input', () => {
    // Wire: input_tokens 50, cache_read_input_tokens 10000, output_tokens 200.
    const usage: Usage = { inputTokens: 10_050, cachedInputTokens: 10_000, cacheWriteInputTokens: 0, outputTokens: 200, source: 'server' };
    expect(costOf(usage, price('claude-sonnet-4-5'))).toBeCloseTo(50 * 3e-6 + 10_000 * 0.3e-6 + 200 * 15e-6, 12);
    expect(costOf(usage, price('claude-sonnet-4-5'))).toBeCloseTo(0.00615, 12);
  });

  it('bills an OpenAI cached prefix at 0.5x input on gpt-4o', () => {
    // Wire: prompt_tokens 2000, prompt_tokens_details.cached_tokens 1024, completion_tokens 300.
    const usage: Usage = { inputTokens: 2000, cachedInputTokens: 1024, outputTokens: 300, reasoningTokens: 0, source: 'server' };
    expect(price('gpt-4o').cachedInput).toBe(price('gpt-4o').input * 0.5);
    expect(costOf(usage, price('gpt-4o-2024-08-06'))).toBeCloseTo(976 * 2.5e-6 + 1024 * 1.25e-6 + 300 * 10e-6, 12);
    expect(costOf(usage, price('gpt-4o-2024-08-06'))).toBeCloseTo(0.00672, 12);
  });

  it('bills an OpenAI cached prefix at 0.1x input on gpt-5, with reasoning inside output', () => {
    // Wire: prompt_tokens 2000 (1024 cached), completion_tokens 500 of which reasoning_tokens 384.
    const usage: Usage = { inputTokens: 2000, cachedInputTokens: 1024, outputTokens: 500, reasoningTokens: 384, source: 'server' };
    expect(price('gpt-5').cachedInput).toBeCloseTo(price('gpt-5').input * 0.1, 12);
    expect(costOf(usage, price('gpt-5'))).toBeCloseTo(976 * 1.25e-6 + 1024 * 0.125e-6 + 500 * 10e-6, 12);
    expect(costOf(usage, price('gpt-5'))).toBeCloseTo(0.006348, 12);
  });

  it('bills Gemini thoughts as output (Gemini 2.5 Flash)', () => {
    // Wire: promptTokenCount 1000, candidatesTokenCount 100, thoughtsTokenCount 400; normalized output = 100 + 400.
    const usage: Usage = { inputTokens: 1000, outputTokens: 500, reasoningTokens: 400, source: 'server' };
    expect(costOf(usage, price('models/gemini-2.5-flash'))).toBeCloseTo(1000 * 0.3e-6 + 500 * 2.5e-6, 12);
    expect(costOf(usage, price('models/gemini-2.5-flash'))).toBeCloseTo(0.00155, 12);
  });

  it('bills a Gemini context-cache hit at the cached rate, as a subset of the prompt', () => {
    // Wire: promptTokenCount 100000 including cachedContentTokenCount 80000, candidatesTokenCount 1000.
    const usage: Usage = { inputTokens: 100_000, cachedInputTokens: 80_000, outputTokens: 1000, source: 'server' };
    expect(costOf(usage, price('gemini-2.5-pro'))).toBeCloseTo(20_000 * 1.25e-6 + 80_000 * 0.125e-6 + 1000 * 10e-6, 12);
  });
});

describe('long-context tiers', () => {
  it.each([
    ['gemini-2.5-pro', 200_000, 200_000 * 1.25e-6 + 1000 * 10e-6],
    ['gemini-2.5-pro', 200_001, 200_001 * 2.5e-6 + 1000 * 15e-6],
    ['claude-sonnet-4-5', 200_000, 200_000 * 3e-6 + 1000 * 15e-6],
    ['claude-sonnet-4-5', 250_000, 250_000 * 6e-6 + 1000 * 22.5e-6],
    ['gpt-5.4', 272_000, 272_000 * 2.5e-6 + 1000 * 15e-6],
    ['gpt-5.4', 300_000, 300_000 * 5e-6 + 1000 * 22.5e-6],
    ['gpt-5.5', 300_000, 300_000 * 10e-6 + 1000 * 45e-6],
    ['claude-sonnet-4-6', 500_000, 500_000 * 3e-6 + 1000 * 15e-6],
  ])('bills all of a %s request with %d input tokens at the tier its input size falls in', (model, inputTokens, usd) => {
    expect(costOf({ inputTokens, outputTokens: 1000 }, price(model))).toBeCloseTo(usd, 12);
  });

  it('counts cached and cache-written tokens toward the threshold and bills them at the tier rates', () => {
    const usage = { inputTokens: 210_000, cachedInputTokens: 150_000, cacheWriteInputTokens: 50_000, outputTokens: 0 };
    expect(costOf(usage, price('claude-sonnet-4'))).toBeCloseTo(10_000 * 6e-6 + 150_000 * 0.6e-6 + 50_000 * 7.5e-6, 12);
  });

  it('falls back to the tier input rate for a rate the tier leaves out, not to the base price', () => {
    const tiered: Price = { input: 1, output: 2, cachedInput: 0.1, tiers: [{ aboveInputTokens: 100, input: 4, output: 8 }] };
    expect(costOf({ inputTokens: 1000, cachedInputTokens: 1000, outputTokens: 0 }, tiered)).toBeCloseTo(1000 * 4e-6, 12);
  });

  it('picks the highest threshold exceeded, whatever order the tiers are in', () => {
    const tiered: Price = {
      input: 1,
      output: 1,
      tiers: [
        { aboveInputTokens: 1000, input: 3, output: 3 },
        { aboveInputTokens: 100, input: 2, output: 2 },
      ],
    };
    expect(ratesFor(tiered, 50).input).toBe(1);
    expect(ratesFor(tiered, 500).input).toBe(2);
    expect(ratesFor(tiered, 5000).input).toBe(3);
    expect(ratesFor(tiered, undefined).input).toBe(1);
  });
});

describe('normalizePrice', () => {
  it('returns a clean copy with tiers sorted by threshold', () => {
    const raw = {
      input: 1,
      output: 2,
      cacheWrite: 1.25,
      extra: 'ignored',
      tiers: [
        { aboveInputTokens: 500, input: 3, output: 4 },
        { aboveInputTokens: 100, input: 2, output: 3, cachedInput: 0.2 },
      ],
      asOf: '2026-01-01',
      source: 'test',
    };
    expect(normalizePrice(raw)).toEqual({
      input: 1,
      output: 2,
      cacheWrite: 1.25,
      tiers: [
        { aboveInputTokens: 100, input: 2, output: 3, cachedInput: 0.2 },
        { aboveInputTokens: 500, input: 3, output: 4 },
      ],
      asOf: '2026-01-01',
      source: 'test',
    });
  });

  it.each<[unknown, string]>([
    [{ input: -1, output: 2 }, 'invalid price: expected non-negative numbers for input and output, got {"input":-1,"output":2}'],
    [{ input: 1 }, 'invalid price: expected non-negative numbers for input and output, got {"input":1}'],
    [{ input: '1', output: 2 }, 'invalid price: expected non-negative numbers for input and output, got {"input":"1","output":2}'],
    [{ input: NaN, output: 2 }, 'invalid price: expected non-negative numbers for input and output, got {"input":null,"output":2}'],
    [{ input: 1, output: Infinity }, 'invalid price: expected non-negative numbers for input and output, got {"input":1,"output":null}'],
    [null, 'invalid price: expected non-negative numbers for input and output, got null'],
    [3, 'invalid price: expected non-negative numbers for input and output, got 3'],
    [undefined, 'invalid price: expected non-negative numbers for input and output, got undefined'],
    [{ input: 1, output: 2, cachedInput: -0.5 }, 'invalid price: expected a non-negative number for cachedInput, got -0.5'],
    [{ input: 1, output: 2, cacheWrite: 'x' }, 'invalid price: expected a non-negative number for cacheWrite, got "x"'],
    [{ input: 1, output: 2, tiers: {} }, 'invalid price: expected tiers to be an array of { aboveInputTokens, input, output }, got {}'],
    [{ input: 1, output: 2, tiers: [{ input: 1, output: 2 }] }, "invalid price: expected each tier's aboveInputTokens to be a non-negative number, got {\"input\":1,\"output\":2}"],
    [{ input: 1, output: 2, tiers: [{ aboveInputTokens: 10, input: 1 }] }, 'invalid price: expected non-negative numbers for input and output, got {"aboveInputTokens":10,"input":1}'],
  ])('refuses %j with a message that says what was expected', (input, message) => {
    expect(() => normalizePrice(input)).toThrow(message);
  });

  it('names the model in the message when given one', () => {
    expect(() => normalizePrice({ input: 1 }, 'my-model')).toThrow('invalid price for "my-model": expected non-negative numbers for input and output, got {"input":1}');
  });
});

describe('cacheHitRatio', () => {
  it.each<[Omit<Usage, 'source'>, number | undefined]>([
    [{ inputTokens: 1000, cachedInputTokens: 250 }, 0.25],
    [{ inputTokens: 1000, cachedInputTokens: 0 }, 0],
    [{ inputTokens: 1000, cachedInputTokens: 1000 }, 1],
    [{ inputTokens: 1000 }, undefined],
    [{ inputTokens: 0, cachedInputTokens: 0 }, undefined],
    [{ cachedInputTokens: 10 }, undefined],
    [{}, undefined],
  ])('gives %j the ratio %j', (usage, ratio) => {
    expect(cacheHitRatio(usage)).toBe(ratio);
  });
});
