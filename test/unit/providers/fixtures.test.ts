import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getProvider, type Provider } from '../../../lib/providers/index';
import { customFixtureProviders } from './custom-configs';
import { loadFixtures, readInChunks, splitAt, type Fixture } from './fixture-harness';

const BUILT_IN = ['openai-chat', 'openai-responses', 'anthropic', 'gemini', 'ollama'] as const;

function providerFor(fixture: Fixture): Provider {
  if (fixture.dir !== 'custom') return getProvider(fixture.dir);
  const provider = customFixtureProviders[fixture.base];
  if (!provider) throw new Error(`no custom provider config for fixture ${fixture.name}`);
  return provider;
}

const fixtures = [...BUILT_IN, 'custom'].flatMap((dir) => loadFixtures(dir));
const streamed = fixtures.filter((f) => f.stream);
const whole = fixtures.filter((f) => !f.stream);

describe('every stream fixture gives its expected Completion however it is chunked', () => {
  it.each(streamed.map((f) => [f.name, f] as const))('%s parsed whole by parseBody matches the expected Completion', (_, fixture) => {
    const provider = providerFor(fixture);
    expect(provider.parseBody(fixture.body, { stream: true })).toStrictEqual(fixture.expected);
  });

  it.each(streamed.map((f) => [f.name, f] as const))('%s fed one character at a time gives the same Completion and effects', (_, fixture) => {
    const provider = providerFor(fixture);
    const { completion, effects } = readInChunks(provider, fixture.body.split(''));
    expect(completion).toStrictEqual(fixture.expected);
    if (fixture.effects) expect(effects).toStrictEqual(fixture.effects);
  });

  it.each(streamed.map((f) => [f.name, f] as const))('%s fed in seeded random splits gives the same Completion', (_, fixture) => {
    const provider = providerFor(fixture);
    fc.assert(
      fc.property(fc.array(fc.nat({ max: fixture.body.length }), { maxLength: 12 }), (cuts) => {
        const { completion } = readInChunks(provider, splitAt(fixture.body, cuts));
        expect(completion).toStrictEqual(fixture.expected);
      }),
      { seed: 20261129, numRuns: 30 },
    );
  });

  it.each(streamed.map((f) => [f.name, f] as const))('%s with CRLF line ends gives the same Completion', (_, fixture) => {
    const provider = providerFor(fixture);
    expect(provider.parseBody(fixture.body.replace(/\n/g, '\r\n'), { stream: true })).toStrictEqual(fixture.expected);
  });
});

describe('every whole-body fixture gives its expected Completion', () => {
  it.each(whole.map((f) => [f.name, f] as const))('%s parsed by parseBody matches the expected Completion', (_, fixture) => {
    const provider = providerFor(fixture);
    expect(provider.parseBody(fixture.body, { stream: false })).toStrictEqual(fixture.expected);
  });
});

describe('fixture coverage', () => {
  it('has stream and whole-body fixtures for every provider', () => {
    for (const dir of [...BUILT_IN, 'custom']) {
      expect(streamed.filter((f) => f.dir === dir).length, dir).toBeGreaterThan(3);
      expect(whole.filter((f) => f.dir === dir).length, dir).toBeGreaterThan(1);
    }
  });

  it('has a refusal signalled by the provider in a stream and in a whole body of every provider whose format has one', () => {
    for (const dir of ['openai-chat', 'openai-responses', 'anthropic', 'gemini', 'custom']) {
      const refused = fixtures.filter((f) => f.dir === dir && f.expected.refusal?.source === 'provider');
      expect(refused.some((f) => f.stream), `${dir} stream`).toBe(true);
      expect(refused.some((f) => !f.stream), `${dir} whole body`).toBe(true);
    }
    // Ollama's format has no refusal signal: a refusal is only words.
    expect(fixtures.filter((f) => f.dir === 'ollama').every((f) => f.expected.refusal === undefined)).toBe(true);
  });

  it('names each provider signal in at least one fixture', () => {
    const signals = new Set(fixtures.map((f) => f.expected.refusal?.signal).filter((s) => s !== undefined));
    expect([...signals].sort()).toEqual(['anthropic.stop_reason', 'custom', 'gemini.block_reason', 'gemini.finish_reason', 'openai.content_filter', 'openai.refusal']);
  });
});
