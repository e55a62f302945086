import { describe as suite, expect, it } from 'vitest';
import { describe, isRecord } from '../../../lib/internal/values';

suite('describe', () => {
  function named() {}
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  it.each([
    ['a string, quoted', 'retries', '"retries"'],
    ['a long string, cut', 'x'.repeat(100), JSON.stringify('x'.repeat(59) + '…')],
    ['a number', 1.5, '1.5'],
    ['NaN', NaN, 'NaN'],
    ['a boolean', false, 'false'],
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
    ['a named function', named, 'the function named'],
    ['an anonymous function', (() => () => 1)(), 'a function'],
    ['an array, as JSON', [1, 'a'], '[1,"a"]'],
    ['a plain object, as JSON', { input: -1 }, '{"input":-1}'],
    ['a long object, cut at 80 characters', { text: 'y'.repeat(100) }, `{"text":"${'y'.repeat(70)}…`],
    ['an object JSON cannot write', cyclic, 'an object'],
    ['an instance, by its class', new Uint8Array(2), 'a Uint8Array'],
    ['an object without a prototype', Object.create(null) as object, '{}'],
  ])('renders %s', (_what, value, expected) => {
    expect(describe(value)).toBe(expected);
  });
});

suite('isRecord', () => {
  it('is true for plain objects only', () => {
    expect([{}, { a: 1 }, [], null, 'x', 1, undefined].map(isRecord)).toEqual([true, true, false, false, false, false, false]);
  });
});
