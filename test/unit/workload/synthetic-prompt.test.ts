import { describe, expect, it } from 'vitest';
import { state } from '../../fakes/k6-execution';
import { composeSyntheticPrompt, syntheticPrompt } from '../../../lib/workload/index';
import { estimateTokens } from '../../../lib/internal/token-estimate';

const at = (vu: number, iteration: number, call = 0, nonce = 'n0') => ({ vu, iteration, call, nonce });

describe('synthetic prompts', () => {
  it('comes within 10% of the target token count, from 50 to 32k tokens', () => {
    for (const target of [50, 128, 1000, 4096, 32_000]) {
      const text = composeSyntheticPrompt({ inputTokens: target }, at(1, 1));
      const tokens = estimateTokens(text);
      expect(Math.abs(tokens - target) / target, `target ${target}`).toBeLessThanOrEqual(0.1);
    }
    // Below that the cache-bust marker alone is longer than the target; without it the length is exact.
    expect(composeSyntheticPrompt({ inputTokens: 3 }, at(1, 1, 0, 'abc'))).toBe('[req 1-1-0-abc] ');
    expect(composeSyntheticPrompt({ inputTokens: 3, cacheBust: false }, at(1, 1))).toHaveLength(12);
    expect(estimateTokens(composeSyntheticPrompt({ inputTokens: 2000, sharedPrefixTokens: 1500 }, at(2, 9)))).toBe(2000);
  });

  it('reads like English words, not random characters', () => {
    const text = composeSyntheticPrompt({ inputTokens: 200, cacheBust: false, seed: 1 }, at(1, 1));
    const words = text.split(/\s+/).filter(Boolean);
    expect(words.length).toBeGreaterThan(100);
    expect(words.slice(0, -1).every((w) => /^[A-Za-z]+\.?$/.test(w))).toBe(true);
  });

  it('makes every prompt unique from its first characters when cache busting, even with one seed', () => {
    const prefixes = new Set<string>();
    for (let vu = 1; vu <= 5; vu++) {
      for (let it = 0; it < 20; it++) prefixes.add(composeSyntheticPrompt({ inputTokens: 100, seed: 42 }, at(vu, it)).slice(0, 24));
    }
    expect(prefixes.size).toBe(100);
    // The same position in another run differs by its nonce.
    const a = composeSyntheticPrompt({ inputTokens: 100, seed: 42 }, at(1, 1, 0, 'run1'));
    const b = composeSyntheticPrompt({ inputTokens: 100, seed: 42 }, at(1, 1, 0, 'run2'));
    expect(a.slice(0, 30)).not.toBe(b.slice(0, 30));
  });

  it('starts every prompt with the identical shared prefix, across VUs and iterations, and varies after it', () => {
    const texts = [at(1, 0), at(2, 5), at(9, 300)].map((p) => composeSyntheticPrompt({ inputTokens: 3000, sharedPrefixTokens: 2048 }, p));
    const prefix = (texts[0] as string).slice(0, 2048 * 4);
    expect(texts.every((t) => t.slice(0, 2048 * 4) === prefix)).toBe(true);
    expect(new Set(texts.map((t) => t.slice(2048 * 4))).size).toBe(3);
  });

  it('gives the same body for the same seed and position without cache busting, and a different one for another seed', () => {
    const one = composeSyntheticPrompt({ inputTokens: 300, seed: 1, cacheBust: false }, at(3, 4, 0, 'x'));
    const again = composeSyntheticPrompt({ inputTokens: 300, seed: 1, cacheBust: false }, at(3, 4, 0, 'y'));
    const other = composeSyntheticPrompt({ inputTokens: 300, seed: 2, cacheBust: false }, at(3, 4, 0, 'x'));
    expect(again).toBe(one);
    expect(other).not.toBe(one);
  });

  it('uses the VU and iteration from k6/execution and counts calls within an iteration', () => {
    state.vu.idInTest = 4;
    state.scenario.iterationInTest = 77;
    const a = syntheticPrompt({ inputTokens: 64 });
    const b = syntheticPrompt({ inputTokens: 64 });
    expect(a.startsWith('[req 4-77-0-')).toBe(true);
    expect(b.startsWith('[req 4-77-1-')).toBe(true);
    state.vu.idInTest = 1;
    state.scenario.iterationInTest = 0;
  });

  it('refuses a non-integer length and a shared prefix longer than the prompt', () => {
    expect(() => composeSyntheticPrompt({ inputTokens: 0 }, at(1, 1))).toThrow('invalid inputTokens: expected an integer >= 1, got 0');
    expect(() => composeSyntheticPrompt({ inputTokens: 10, sharedPrefixTokens: 11 }, at(1, 1))).toThrow(
      'invalid sharedPrefixTokens: expected at most inputTokens (10), got 11',
    );
  });
});
