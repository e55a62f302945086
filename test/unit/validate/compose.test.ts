import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  all,
  any,
  finish,
  formatIssues,
  isJSON,
  jsonSchema,
  lengthBetween,
  matches,
  named,
  notMatches,
  REFUSAL_PATTERN,
  requiredFields,
  runValidators,
  streamIntegrity,
  toolCall,
  type Validator,
} from '../../../lib/validate/index';
import { completion, text } from './fixtures';

const throwing: Validator = {
  name: 'boom',
  validate() {
    throw new RangeError('kaput');
  },
};

describe('runValidators', () => {
  it('is valid with no issues and no failures when every validator passes', () => {
    expect(runValidators([isJSON(), matches(/a/)], text('{"a":1}'))).toEqual({ valid: true, issues: [], failed: [] });
  });

  it('collects issues in validator order and names each failed validator once', () => {
    const r = runValidators([isJSON(), requiredFields(['a', 'b']), finish(), notMatches(REFUSAL_PATTERN)], completion({ text: '{}', finishReason: 'length' }));
    expect(r.valid).toBe(false);
    expect(r.failed).toEqual(['requiredFields', 'finish']);
    expect(r.issues.map((i) => `${i.validator} ${i.keyword} ${i.path}`)).toEqual(['requiredFields required /a', 'requiredFields required /b', 'finish truncated /finishReason']);
  });

  it('accepts a single validator', () => {
    expect(runValidators(isJSON(), text('x')).failed).toEqual(['isJSON']);
  });

  it('turns a throwing validator into an exception issue and still runs the others', () => {
    const r = runValidators([throwing, isJSON()], text('nope'));
    expect(r.failed).toEqual(['boom', 'isJSON']);
    expect(r.issues[0]).toEqual({ validator: 'boom', path: '', keyword: 'exception', message: 'validator threw: RangeError: kaput' });
  });

  it('turns a thrown non-Error value into an exception issue', () => {
    const r = runValidators([{ name: 'odd', validate: () => { throw 'plain string'; } }], text(''));
    expect(r.issues).toEqual([{ validator: 'odd', path: '', keyword: 'exception', message: 'validator threw: plain string' }]);
  });

  it('reports a factory passed without calling it, instead of throwing', () => {
    const r = runValidators([isJSON as unknown as Validator], text('{}'));
    expect(r.failed).toEqual(['unknown']);
    expect(r.issues[0]?.message).toBe('invalid validator: expected { name, validate() }, got the function isJSON (call the factory: isJSON())');
  });

  it('reports a malformed result as an exception issue', () => {
    const r = runValidators([{ name: 'bad', validate: () => 'yes' as never }], text(''));
    expect(r.issues).toEqual([{ validator: 'bad', path: '', keyword: 'exception', message: 'invalid validator result: expected { valid, issues }, got "yes"' }]);
  });

  it('explains a custom invalid result that has no issues', () => {
    const r = runValidators([{ name: 'terse', validate: () => ({ valid: false, issues: [] }) }], text(''));
    expect(r).toEqual({ valid: false, failed: ['terse'], issues: [{ validator: 'terse', path: '', keyword: 'invalid', message: 'invalid response: the validator gave no reason' }] });
  });

  it('never throws, whatever the completion is', () => {
    const validators = [
      isJSON(),
      jsonSchema({ type: 'object', required: ['a'] }),
      requiredFields(['a.b']),
      lengthBetween({ minChars: 1, maxTokens: 5 }),
      matches(/x/),
      notMatches(REFUSAL_PATTERN),
      toolCall({ argsSchema: { type: 'object' } }),
      finish(),
      streamIntegrity(),
    ];
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const r = runValidators(validators, value as never);
        return typeof r.valid === 'boolean' && Array.isArray(r.issues) && r.valid === (r.failed.length === 0) && r.issues.every((i) => typeof i.message === 'string');
      }),
      { numRuns: 300 },
    );
  });

  it('reports the same issues for the same completion on every run (validators keep no state between responses)', () => {
    const validators = [isJSON(), requiredFields(['a']), matches(/a/g)];
    const texts = fc.sample(fc.oneof(fc.json(), fc.string()), { numRuns: 50, seed: 42 });
    const first = texts.map((t) => runValidators(validators, text(t)));
    const again = [...texts].reverse().map((t) => runValidators(validators, text(t))).reverse();
    expect(again).toEqual(first);
  });
});

describe('all', () => {
  it('is valid when every validator is and reports issues from every failing one', () => {
    const v = all([isJSON(), matches(/ok/), lengthBetween({ maxChars: 4 })]);
    expect(v.name).toBe('all');
    expect(v.validate(text('"ok"')).valid).toBe(true);
    expect(v.validate(text('nope!')).issues.map((i) => `${i.validator}:${i.keyword}`)).toEqual(['isJSON:json', 'matches:pattern', 'lengthBetween:maxChars']);
  });

  it('is valid for an empty list', () => {
    expect(all([]).validate(text(''))).toEqual({ valid: true, issues: [] });
  });

  it('turns a throwing member into an exception issue and keeps the others', () => {
    const r = all([throwing, matches(/z/)]).validate(text('a'));
    expect(r.issues.map((i) => i.keyword)).toEqual(['exception', 'pattern']);
  });

  it('throws at construction on a non-validator member', () => {
    expect(() => all([isJSON(), {} as Validator])).toThrow('invalid all validator at 1: expected { name, validate() }, got {}');
    expect(() => all(isJSON() as never)).toThrow('invalid all argument: expected an array of validators, got {"name":"isJSON"}');
  });
});

describe('any', () => {
  const jsonOrToolCall = any([isJSON(), toolCall()]);

  it('is valid when one validator is, with no issues', () => {
    expect(jsonOrToolCall.validate(text('{"a":1}'))).toEqual({ valid: true, issues: [] });
    expect(jsonOrToolCall.validate(completion({ text: 'calling', toolCalls: [{ id: '1', name: 'x', arguments: '{}' }] }))).toEqual({ valid: true, issues: [] });
  });

  it('reports issues from all validators when none is valid', () => {
    const r = jsonOrToolCall.validate(text('plain prose'));
    expect(r.valid).toBe(false);
    expect(r.issues.map((i) => `${i.validator}:${i.keyword}`)).toEqual(['isJSON:json', 'toolCall:toolCall']);
  });

  it('stops at the first valid validator', () => {
    let calls = 0;
    const counting: Validator = { name: 'counting', validate: () => { calls++; return { valid: true, issues: [] }; } };
    expect(any([matches(/a/), counting]).validate(text('a')).valid).toBe(true);
    expect(calls).toBe(0);
  });

  it('is valid when a later validator passes after one threw', () => {
    expect(any([throwing, matches(/a/)]).validate(text('a'))).toEqual({ valid: true, issues: [] });
  });

  it('throws at construction on an empty list', () => {
    expect(() => any([])).toThrow('invalid any argument: expected at least one validator, got none');
  });

  it('nests inside all', () => {
    const v = all([any([matches(/^yes/), matches(/^no/)]), lengthBetween({ maxChars: 10 })]);
    expect(['yes', 'no', 'maybe'].map((t) => v.validate(text(t)).valid)).toEqual([true, true, false]);
  });
});

describe('named', () => {
  it('renames the validator and its own issues, in results and in failed', () => {
    const v = named('no_refusal', notMatches(REFUSAL_PATTERN));
    const r = runValidators([v], text("I'm sorry, but I can't help with that."));
    expect(r.failed).toEqual(['no_refusal']);
    expect(r.issues.map((i) => i.validator)).toEqual(['no_refusal']);
  });

  it('keeps the names of inner validators of a composition', () => {
    const r = named('shape', all([isJSON(), matches(/x/)])).validate(text('nope'));
    expect(r.issues.map((i) => i.validator)).toEqual(['isJSON', 'matches']);
  });

  it('throws on an empty name', () => {
    expect(() => named('', isJSON())).toThrow('invalid name: expected a non-empty string, got ""');
  });
});

describe('formatIssues', () => {
  it('writes one line per issue as validator, path, [keyword] and message', () => {
    const r = runValidators([jsonSchema({ type: 'object', required: ['a'], properties: { b: { type: 'integer' } } }), finish()], completion({ text: '{"b":"x"}', finishReason: 'length' }));
    expect(formatIssues(r).split('\n')).toEqual([
      "jsonSchema (root) [required] must have required property 'a'",
      'jsonSchema /b [type] must be integer',
      'finish /finishReason [truncated] truncated output: finish reason "length" means a token or context limit cut the answer off',
    ]);
  });

  it('is empty for a valid result and for no result', () => {
    expect(formatIssues({ issues: [] })).toBe('');
    expect(formatIssues(undefined)).toBe('');
  });
});
