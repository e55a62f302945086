// The client's prices and its one "no price" warning per model per run. k6 runs the init code once
// per VU, each in a runtime of its own, and again in VU-0 runtimes (options, setup, teardown,
// handleSummary): here every runtime is a fresh import of the module with its own __VU.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPriceTable } from '../../../lib/cost/index';
import { createClient } from '../../../lib/client/index';
import { createPricing, noPriceWarning } from '../../../lib/client/pricing';
import { resetSamples, samplesOf } from '../../fakes/k6-metrics';
import * as http from '../../fakes/k6-http';

const g = globalThis as { __VU?: number };

afterEach(() => {
  delete g.__VU;
  vi.restoreAllMocks();
});

/** Runs `init` the way k6 would in the runtime of VU `vu`: a fresh module instance, `__VU` set. */
async function inRuntime(vu: number, init: (pricing: typeof import('../../../lib/client/pricing')) => void): Promise<void> {
  vi.resetModules();
  g.__VU = vu;
  init(await import('../../../lib/client/pricing'));
}

describe('the no-price warning', () => {
  it('is printed once per run, by VU 1, whatever the number of VUs and VU-0 runtimes', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    // k6 run --vus 4 with setup() and handleSummary(): the options runtime, four VUs, setup, the summary.
    for (const vu of [0, 1, 2, 3, 4, 0, 0]) {
      await inRuntime(vu, ({ createPricing: create }) => {
        const pricing = create({ model: 'my-local-model' });
        expect(pricing.price).toBeUndefined();
        // Iterations name another unpriced model, and the client's own again.
        if (vu > 0) for (let i = 0; i < 3; i++) pricing.priceOf(i % 2 ? 'my-local-model' : 'request-model');
      });
    }
    expect(warn.mock.calls.map((call) => call[0])).toEqual([noPriceWarning('my-local-model'), noPriceWarning('request-model')]);
  });

  it('is printed once in a runtime that creates several clients for the same model', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await inRuntime(1, ({ createPricing: create }) => {
      create({ model: 'shared-local-model' });
      create({ model: 'shared-local-model' }).priceOf('shared-local-model');
    });
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('says how to price the model with the client options', () => {
    expect(noPriceWarning('tiny')).toBe(
      'k6-llm: no price for model "tiny": its requests are left out of llm_cost_usd and counted by llm_unpriced. ' +
        'Price it with createClient\'s price: { input, output } or prices: { "tiny": { input, output } } (USD per million tokens); ' +
        'requirePrice: true makes a missing price an error.',
    );
  });

  it('comes from the client alone when prices is a createPriceTable table, whose own warning would speak in every VU', () => {
    const tableWarn = vi.fn();
    const warn = vi.fn();
    const table = createPriceTable({ 'my-ft-model': { input: 1, output: 2 } }, { warn: tableWarn });
    const pricing = createPricing({ model: 'my-ft-model', prices: table }, warn);
    expect(pricing.price).toMatchObject({ input: 1, output: 2 });
    expect(pricing.priceOf('table-miss-model')).toBeUndefined();
    expect(pricing.priceOf('gpt-4o')).toMatchObject({ input: 2.5, output: 10 });
    expect(tableWarn).not.toHaveBeenCalled();
    expect(warn.mock.calls).toEqual([[noPriceWarning('table-miss-model')]]);
  });
});

describe('createPricing', () => {
  it('bills every model at an explicit price, and none with price: false, without a warning', () => {
    const warn = vi.fn();
    const fixed = createPricing({ model: 'unlisted-a', price: { input: 1, output: 3 } }, warn);
    expect(fixed.priceOf('unlisted-b')).toEqual({ input: 1, output: 3 });
    const off = createPricing({ model: 'gpt-4o', price: false }, warn);
    expect(off.price).toBeUndefined();
    expect(off.priceOf('gpt-4o')).toBeUndefined();
    expect(warn).not.toHaveBeenCalled();
  });

  it('prices a model from prices entries over the built-in table, dated snapshots included', () => {
    const pricing = createPricing({ model: 'gpt-4o-2024-08-06', prices: { 'gpt-4o': { input: 2, output: 8 } } }, vi.fn());
    expect(pricing.price).toMatchObject({ input: 2, output: 8 });
    expect(pricing.priceOf('gpt-4o-mini')).toMatchObject({ input: 0.15, output: 0.6 });
  });

  it('with requirePrice, throws at init for a model without a price and for price: false', () => {
    expect(() => createPricing({ model: 'tiny', requirePrice: true }, vi.fn())).toThrow(
      'invalid price for "tiny": expected price: { input, output } or a prices entry, since requirePrice is set, got no price in the built-in table or prices',
    );
    expect(() => createPricing({ model: 'gpt-4o', price: false, requirePrice: true }, vi.fn())).toThrow(
      'invalid price: expected a price, since requirePrice is set, got price: false',
    );
    expect(() => createPricing({ model: 'gpt-4o', requirePrice: 'yes' as never }, vi.fn())).toThrow('invalid requirePrice: expected true or false, got "yes"');
  });

  it('with requirePrice, accepts a model the table, prices or price covers, and warns about none', () => {
    const warn = vi.fn();
    expect(createPricing({ model: 'claude-haiku-4-5-20251001', requirePrice: true }, warn).price).toMatchObject({ input: 1, output: 5 });
    expect(createPricing({ model: 'tiny', prices: { tiny: { input: 0, output: 0 } }, requirePrice: true }, warn).price).toEqual({ input: 0, output: 0 });
    expect(createPricing({ model: 'tiny', price: { input: 0.1, output: 0.1 }, requirePrice: true }, warn).price).toEqual({ input: 0.1, output: 0.1 });
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('llm_unpriced, recorded by the client', () => {
  const body = JSON.stringify({
    id: 'x',
    object: 'chat.completion',
    model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 10, completion_tokens: 2 },
  });

  it('is true for a request whose model has no price and false for a priced one, tagged by model', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    resetSamples();
    http.queue.length = 0;
    const client = createClient({ provider: 'openai-chat', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'k', model: 'gpt-4o-mini' });
    for (let i = 0; i < 2; i++) http.queue.push({ status: 200, headers: { 'Content-Type': 'application/json' }, body });
    const priced = client.chat({ prompt: 'hi' });
    const unpriced = client.chat({ prompt: 'hi', model: 'unpriced-request-model' });
    expect(priced.costUsd).toBeCloseTo((10 * 0.15 + 2 * 0.6) / 1e6, 15);
    expect(unpriced.costUsd).toBeUndefined();
    expect(samplesOf('llm_unpriced').map((s) => [s.tags.model, s.value])).toEqual([
      ['gpt-4o-mini', 0],
      ['unpriced-request-model', 1],
    ]);
    expect(samplesOf('llm_cost_usd').map((s) => s.tags.model)).toEqual(['gpt-4o-mini']);
  });
});
