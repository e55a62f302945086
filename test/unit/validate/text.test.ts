import { describe, expect, it } from 'vitest';
import { lengthBetween, matches, notMatches, REFUSAL_PATTERN } from '../../../lib/validate/index';
import { completion, text } from './fixtures';

describe('lengthBetween', () => {
  it('passes a text within inclusive character bounds', () => {
    const v = lengthBetween({ minChars: 3, maxChars: 5 });
    expect(['abc', 'abcde'].map((t) => v.validate(text(t)).valid)).toEqual([true, true]);
  });

  it('reports a text outside the character bounds with minChars / maxChars', () => {
    const v = lengthBetween({ minChars: 3, maxChars: 5 });
    expect(v.validate(text('ab')).issues).toEqual([{ validator: 'lengthBetween', path: '/text', keyword: 'minChars', message: 'too short: expected at least 3 characters, got 2' }]);
    expect(v.validate(text('abcdef')).issues).toEqual([{ validator: 'lengthBetween', path: '/text', keyword: 'maxChars', message: 'too long: expected at most 5 characters, got 6' }]);
  });

  it('counts Unicode code points: an emoji or astral CJK character is one character, as JSON Schema counts', () => {
    const v = lengthBetween({ maxChars: 3 });
    expect('😀😀😀'.length).toBe(6);
    expect(v.validate(text('😀😀😀')).valid).toBe(true);
    expect(v.validate(text('𠮷𠮷𠮷')).valid).toBe(true);
    expect(v.validate(text('héllo')).issues[0]?.message).toBe('too long: expected at most 3 characters, got 5');
    // A ZWJ family emoji is several code points: graphemes are not counted.
    expect(v.validate(text('👨‍👩‍👧')).issues[0]?.message).toBe('too long: expected at most 3 characters, got 5');
  });

  it('counts a lone surrogate as one character', () => {
    expect(lengthBetween({ minChars: 2 }).validate(text('\ud83dx')).valid).toBe(true);
  });

  it('checks output tokens from usage.outputTokens', () => {
    const v = lengthBetween({ minTokens: 10, maxTokens: 100 });
    const at = (n: number) => v.validate(completion({ usage: { source: 'server', outputTokens: n } }));
    expect(at(10).valid).toBe(true);
    expect(at(100).valid).toBe(true);
    expect(at(9).issues).toEqual([{ validator: 'lengthBetween', path: '/usage/outputTokens', keyword: 'minTokens', message: 'too short: expected at least 10 output tokens, got 9' }]);
    expect(at(101).issues[0]?.keyword).toBe('maxTokens');
  });

  it('reports unknown output tokens as an issue with keyword unknown, not a pass', () => {
    const r = lengthBetween({ maxTokens: 100 }).validate(completion({ usage: { source: 'none' } }));
    expect(r).toEqual({ valid: false, issues: [{ validator: 'lengthBetween', path: '/usage/outputTokens', keyword: 'unknown', message: 'output tokens unknown: the response reported no output token count' }] });
  });

  it('passes unknown output tokens when allowUnknown is set, still checking characters', () => {
    const v = lengthBetween({ maxTokens: 100, maxChars: 2, allowUnknown: true });
    expect(v.validate({ text: 'ab' })).toEqual({ valid: true, issues: [] });
    expect(v.validate({ text: 'abc' }).issues.map((i) => i.keyword)).toEqual(['maxChars']);
  });

  it('ignores token counts when only character bounds are set', () => {
    expect(lengthBetween({ minChars: 1 }).validate({ text: 'a' }).valid).toBe(true);
  });

  it('throws on no bounds, negative bounds and min above max', () => {
    expect(() => lengthBetween({})).toThrow('invalid lengthBetween options: expected at least one of minChars, maxChars, minTokens, maxTokens, got none');
    expect(() => lengthBetween({ minChars: -1 })).toThrow('invalid lengthBetween option minChars: expected a number >= 0, got -1');
    expect(() => lengthBetween({ minTokens: 5, maxTokens: 4 })).toThrow('invalid lengthBetween options: expected min <= max');
    expect(() => lengthBetween({ maxChars: Number.NaN })).toThrow(/maxChars/);
  });
});

describe('matches and notMatches', () => {
  it('matches passes when the text matches and reports keyword pattern otherwise', () => {
    const v = matches(/paris/i);
    expect(v.validate(text('The capital is Paris.')).valid).toBe(true);
    expect(v.validate(text('Lyon')).issues).toEqual([{ validator: 'matches', path: '/text', keyword: 'pattern', message: 'no match: expected text matching /paris/i, got "Lyon"' }]);
  });

  it('compiles a string pattern as a RegExp', () => {
    expect(matches('^\\d+$').validate(text('123')).valid).toBe(true);
    expect(matches('^\\d+$').validate(text('12a')).valid).toBe(false);
  });

  it('gives the same answer on every call for a global or sticky RegExp (no lastIndex carried over)', () => {
    for (const re of [/ok/g, /ok/y]) {
      const v = matches(re);
      expect([1, 2, 3].map(() => v.validate(text('ok')).valid)).toEqual([true, true, true]);
      const n = notMatches(re);
      expect([1, 2, 3].map(() => n.validate(text('ok')).valid)).toEqual([false, false, false]);
    }
  });

  it('notMatches reports the matched excerpt and its index with keyword notPattern', () => {
    const r = notMatches(/forbidden/).validate(text('this is forbidden here'));
    expect(r.issues).toEqual([{ validator: 'notMatches', path: '/text', keyword: 'notPattern', message: 'unwanted match: expected no match of /forbidden/, got "forbidden" at 8' }]);
  });

  it('throws on a pattern that is neither a RegExp nor a string', () => {
    expect(() => matches(42 as never)).toThrow('invalid matches pattern: expected a RegExp or string, got number');
  });
});

describe('REFUSAL_PATTERN', () => {
  it.each([
    "I can't help with that.",
    'I cannot assist with this request.',
    "I'm sorry, but I cannot provide that information.",
    'I’m sorry, but I can’t help with that.',
    "I'm sorry, I can't do that.",
    'I am sorry, but I am unable to comply.',
    "I'm unable to help with creating malware.",
    'I apologize, but I cannot fulfill this request.',
    "I won't be able to... no: I won't help with that.",
    'I must decline this request.',
    'As an AI language model, I do not have opinions.',
    'As an AI, I cannot browse the internet.',
    'Sure. Actually, I can not provide medical advice.',
  ])('flags the refusal %j', (refusal) => {
    expect(REFUSAL_PATTERN.test(refusal)).toBe(true);
    expect(notMatches(REFUSAL_PATTERN).validate(text(refusal)).valid).toBe(false);
  });

  it.each([
    'The capital of France is Paris.',
    'I can help with that! Here is the code.',
    "The CLI can't help with SSL errors unless you pass --insecure.",
    'Sorry for the delay: here are the results.',
    'I cannot wait to see the results.',
    'This was written as an aide-mémoire.',
  ])('does not flag the answer %j', (answer) => {
    expect(notMatches(REFUSAL_PATTERN).validate(text(answer))).toEqual({ valid: true, issues: [] });
  });
});
