import { createRequire } from 'node:module';
import Ajv, { type Format, type FormatDefinition, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addFastFormats, createAjv } from '../../../lib/validate/ajv-compile';
import { FORMAT_FAST_PATHS, withFastPath } from '../../../lib/validate/ajv-fast-paths';
import { countCodePoints } from '../../../lib/validate/code-points';
import { all, any, isJSON, jsonSchema, lengthBetween, named, requiredFields, runValidators } from '../../../lib/validate/index';
import { FORMAT_CASES } from '../../../bench/validate/format-cases';
import { answer20, SCHEMA_20 } from '../../../bench/validate/schema-20';
import { text } from './fixtures';

// ajv's own code point counter, the reference for ours.
const ucs2length = (createRequire(import.meta.url)('ajv/dist/runtime/ucs2length.js') as { default: (s: string) => number }).default;

/** ajv-formats' full check of a format, as a function. */
function fullCheck(name: string): (value: string) => boolean {
  const format = (fullFormats as Record<string, unknown>)[name];
  if (typeof format === 'function') return format as (value: string) => boolean;
  return (format as { validate: (value: string) => boolean }).validate;
}

/** Our check of a format: the fast path in front of ajv-formats'. */
function fastCheck(name: string): (value: string) => boolean {
  return (withFastPath(FORMAT_FAST_PATHS[name] as RegExp, (fullFormats as Record<string, Format>)[name]) as { validate: (value: string) => boolean }).validate;
}

const c = String.fromCharCode;
// Lone and paired surrogates, astral and BMP characters, in every order.
const UNITS = fc.constantFrom('a', 'é', '€', '😀', '𠮷', c(0xd800), c(0xdbff), c(0xdc00), c(0xdfff), ' ');
const tricky = fc.array(UNITS, { maxLength: 12 }).map((units) => units.join(''));

describe('countCodePoints', () => {
  it.each([
    ['', 0],
    ['plain', 5],
    ['😀😀😀', 3],
    ['a😀b', 3],
    [c(0xd800), 1],
    [c(0xdc00, 0xd800), 2],
    [c(0xd800, 0xd800, 0xdc00), 2],
    [`x${c(0xd83d)}y`, 3],
  ])('counts %j as %i code points, as ajv does', (value, expected) => {
    expect(countCodePoints(value)).toBe(expected);
    expect(ucs2length(value)).toBe(expected);
  });

  it('gives ajv\'s count on any mix of surrogates, astral and BMP characters', () => {
    fc.assert(fc.property(tricky, (value) => countCodePoints(value) === ucs2length(value)), { numRuns: 2000, seed: 11 });
  });
});

describe('maxLength and minLength, counting only when the length cannot decide', () => {
  const limits = fc.integer({ min: 0, max: 6 });

  it('give ajv\'s errors, in ajv\'s order, for any string and limits', () => {
    const ours = createAjv();
    const plain = new Ajv({ allErrors: true });
    fc.assert(
      fc.property(tricky, limits, limits, (value, max, min) => {
        const schema = { $id: `len-${max}-${min}`, type: 'string', maxLength: max, minLength: min, pattern: '^a' };
        const [fast, theirs] = [ours, plain].map((a) => a.getSchema(schema.$id) ?? a.compile(schema)) as [ValidateFunction, ValidateFunction];
        expect(fast(value)).toBe(theirs(value));
        expect(fast.errors).toEqual(theirs.errors);
      }),
      { numRuns: 2000, seed: 3 },
    );
  });

  it('count only a string longer than maxLength or shorter than twice minLength', () => {
    const source = createAjv({ code: { source: true } }).compile({ type: 'string', maxLength: 80, minLength: 1 }).source?.validateCode ?? '';
    const conditions = [...source.matchAll(/if\(([^{]*\.length[^{]*)\)\{/g)].map((m) => m[1]);
    expect(conditions).toEqual([
      expect.stringMatching(/^data\.length > 80 && func\d+\(data\) > 80$/),
      expect.stringMatching(/^data\.length < 2 \* 1 && func\d+\(data\) < 1$/),
    ]);
  });
});

describe('format fast paths', () => {
  it('has a fast path for each format it names, all RE2-compatible (no lookaround, no backreference)', () => {
    expect(Object.keys(FORMAT_FAST_PATHS).sort()).toEqual(['date', 'date-time', 'time', 'uri']);
    for (const re of Object.values(FORMAT_FAST_PATHS)) expect(re.source).not.toMatch(/\(\?[=!<]|\\[1-9]/);
  });

  it.each(Object.keys(FORMAT_CASES))('gives ajv-formats\' answer for %s on valid, invalid and corner-case values', (name) => {
    const ours = fastCheck(name);
    const theirs = fullCheck(name);
    for (const value of FORMAT_CASES[name] as string[]) expect([value, ours(value)]).toEqual([value, theirs(value)]);
  });

  it.each(Object.keys(FORMAT_FAST_PATHS))('lets through only values ajv-formats accepts as %s (generated from the fast regex itself)', (name) => {
    const fast = FORMAT_FAST_PATHS[name] as RegExp;
    const full = fullCheck(name);
    fc.assert(fc.property(fc.stringMatching(fast), (value) => full(value)), { numRuns: 3000, seed: 5 });
  });

  it.each(Object.keys(FORMAT_CASES))('agrees with ajv-formats on near-misses of valid %s values', (name) => {
    const ours = fastCheck(name);
    const theirs = fullCheck(name);
    const valid = (FORMAT_CASES[name] as string[]).filter((v) => theirs(v));
    const mutated = fc
      .tuple(fc.constantFrom(...valid), fc.nat(40), fc.constantFrom('0', '9', '3', ':', '-', 'T', ' ', 'Z', '+', '.', '/', '%', '@', '[', 'é', ''))
      .map(([v, at, ch]) => v.slice(0, at % (v.length + 1)) + ch + v.slice((at % (v.length + 1)) + (at % 2)));
    fc.assert(fc.property(mutated, (value) => ours(value) === theirs(value)), { numRuns: 2000, seed: 9 });
  });

  it('keeps ajv-formats\' compare function for formatMaximum and friends', () => {
    const ours = withFastPath(FORMAT_FAST_PATHS['date-time'] as RegExp, fullFormats['date-time']);
    expect(ours?.compare).toBe((fullFormats['date-time'] as FormatDefinition<string>).compare);
  });
});

describe('the module\'s ajv against plain ajv + ajv-formats', () => {
  const plain = new Ajv({ allErrors: true });
  addFormats(plain);
  const fast = createAjv();
  addFastFormats(fast);
  const theirs = plain.compile(SCHEMA_20);
  const ours = fast.compile(SCHEMA_20);

  it('gives the same errors on the 20-property answer with any field replaced', () => {
    const keys = Object.keys(SCHEMA_20.properties);
    const field = fc.oneof(
      fc.constantFrom('2025-02-29T10:00:00Z', '2024-02-29T10:00:00+01', 'https://x.y/%20', 'urn:a:b', 'a😀b', c(0xd800), 'GBR', 'ab', '', 'x'.repeat(1001)),
      fc.string({ maxLength: 30 }),
      fc.integer(),
      fc.constant(null),
    );
    fc.assert(
      fc.property(fc.constantFrom(...keys), field, (key, value) => {
        const answer = { ...answer20(), [key]: value };
        expect(ours(answer)).toBe(theirs(answer));
        expect(ours.errors).toEqual(theirs.errors);
      }),
      { numRuns: 1000, seed: 21 },
    );
  });
});

describe('lengthBetween counts only when the length cannot decide', () => {
  it('gives the same answer as counting every time, on any text', () => {
    fc.assert(
      fc.property(tricky, fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), (value, a, b) => {
        const [minChars, maxChars] = a <= b ? [a, b] : [b, a];
        const chars = ucs2length(value);
        const r = lengthBetween({ minChars, maxChars }).validate(text(value));
        expect(r.issues.map((i) => i.keyword)).toEqual([...(chars < minChars ? ['minChars'] : []), ...(chars > maxChars ? ['maxChars'] : [])]);
      }),
      { numRuns: 1000, seed: 13 },
    );
  });
});

describe('requiredFields on names that plain objects inherit', () => {
  it('finds them when the answer has them as its own fields, and misses them otherwise', () => {
    const own = requiredFields(['constructor', 'a.toString', 'a.__proto__', 'hasOwnProperty']);
    expect(own.validate(text('{"constructor":1,"a":{"toString":null,"__proto__":2},"hasOwnProperty":false}')).valid).toBe(true);
    expect(own.validate(text('{"a":{}}')).issues.map((i) => i.path)).toEqual(['/constructor', '/a/toString', '/a/__proto__', '/hasOwnProperty']);
  });
});

describe('the parseJson option', () => {
  const counting = () => {
    const calls: string[] = [];
    const parse = (t: string) => {
      calls.push(t);
      return JSON.parse(t) as unknown;
    };
    return { calls, parse };
  };

  it('parses each answer once with the given parser, shared by isJSON, jsonSchema and requiredFields', () => {
    const { calls, parse } = counting();
    const validators = [isJSON({ parseJson: parse }), jsonSchema({ type: 'object', required: ['a'] }, { parseJson: parse }), requiredFields(['a.b'], { parseJson: parse })];
    const answers = ['{"a":{"b":1}}', '{"a":{"b":2}}', '{"c":3}'];
    const reports = answers.map((t) => runValidators(validators, text(t)));
    expect(calls).toEqual(answers);
    expect(reports.map((r) => r.failed)).toEqual([[], [], ['jsonSchema', 'requiredFields']]);
  });

  it('leaves a text the parser declines or throws on to JSON.parse, so issues and messages are JSON.parse\'s', () => {
    const declines = isJSON({ parseJson: () => undefined });
    const throws = isJSON({
      parseJson: () => {
        throw new Error('not mine');
      },
    });
    const plain = isJSON();
    // Three texts per case that trim to the same JSON: the same issue, but no validator reads another's memo.
    for (const t of ['{"declined": true}', '{"broken": ', '[1, 2] trailing']) {
      const expected = plain.validate(text(t));
      expect(declines.validate(text(`${t} `))).toEqual(expected);
      expect(throws.validate(text(` ${t}`))).toEqual(expected);
      expect(expected.valid).toBe(t.startsWith('{"declined"'));
    }
  });

  it("takes the run's parser from runValidators' context, through all/any/named; a validator's own option wins", () => {
    const run = counting();
    const own = counting();
    const validators = [
      all([isJSON(), named('schema', jsonSchema({ type: 'object', required: ['a'] }))]),
      any([requiredFields(['a.b'])]),
    ];
    const report = runValidators(validators, text('{"a":{"b":1}}'), { parseJson: run.parse });
    expect(report.valid).toBe(true);
    expect(run.calls).toEqual(['{"a":{"b":1}}']);
    runValidators([isJSON({ parseJson: own.parse })], text('{"own":1}'), { parseJson: run.parse });
    expect(own.calls).toEqual(['{"own":1}']);
    expect(run.calls).toHaveLength(1);
    // Not a function: ignored, JSON.parse alone, the same report.
    expect(runValidators(validators, text('{"a":{"b":2}}'), { parseJson: 'fast' as never }).valid).toBe(true);
    // A parser that declines changes nothing in the issues.
    const declined = runValidators([isJSON()], text('{"broken": '), { parseJson: () => undefined });
    expect(declined).toEqual(runValidators([isJSON()], text(' {"broken": ')));
  });

  it('throws at construction when parseJson is not a function', () => {
    expect(() => isJSON({ parseJson: 'fast' as never })).toThrow('invalid isJSON option parseJson: expected a function, got string');
    expect(() => jsonSchema({}, { parseJson: null as never })).toThrow('invalid jsonSchema option parseJson: expected a function, got null');
    expect(() => requiredFields('a', { parseJson: 1 as never })).toThrow('invalid requiredFields option parseJson: expected a function, got number');
  });
});
