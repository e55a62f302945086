import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { isJSON, jsonSchema, requiredFields, unwrapFence } from '../../../lib/validate/index';
import { answer20, REQUIRED_20, SCHEMA_20 } from '../../../bench/validate/schema-20';
import { completion, text } from './fixtures';

const keywords = (r: { issues: Array<{ keyword: string }> }) => r.issues.map((i) => i.keyword);
const paths = (r: { issues: Array<{ path: string }> }) => r.issues.map((i) => i.path);

describe('unwrapFence', () => {
  it.each([
    ['a ```json fence', '```json\n{"a":1}\n```', '{"a":1}'],
    ['an upper-case ```JSON fence', '```JSON\n[1,2]\n```', '[1,2]'],
    ['a bare ``` fence', '```\n{"a":1}\n```', '{"a":1}'],
    ['a fence with CRLF line ends and outer blank lines', '\r\n```json\r\n{"a":1}\r\n```\r\n', '{"a":1}'],
    ['a fence on one line', '```{"a":1}```', '{"a":1}'],
  ])('returns the body of %s', (_name, input, expected) => {
    expect(unwrapFence(input)).toBe(expected);
  });

  it.each([
    ['prose before the fence', 'Here you go:\n```json\n{"a":1}\n```'],
    ['prose after the fence', '```json\n{"a":1}\n```\nAnything else?'],
  ])('leaves text with %s as it is (trimmed)', (_name, input) => {
    expect(unwrapFence(input)).toBe(input.trim());
  });

  it('keeps the info string of a fence in another language, so the text does not parse as JSON', () => {
    expect(unwrapFence('```python\nprint(1)\n```')).toBe('python\nprint(1)');
  });
});

describe('isJSON', () => {
  it('accepts a JSON object, array, string and number', () => {
    const v = isJSON();
    for (const t of ['{"a":1}', ' [1, 2] ', '"hi"', '42']) expect(v.validate(text(t))).toEqual({ valid: true, issues: [] });
  });

  it('accepts JSON wrapped in a ```json fence by default', () => {
    expect(isJSON().validate(text('```json\n{"answer": 42}\n```')).valid).toBe(true);
  });

  it('rejects a fenced answer when unwrapFence is false', () => {
    const r = isJSON({ unwrapFence: false }).validate(text('```json\n{"answer": 42}\n```'));
    expect(r.valid).toBe(false);
    expect(r.issues[0]).toMatchObject({ validator: 'isJSON', path: '/text', keyword: 'json' });
  });

  it('rejects JSON followed by trailing prose, naming the text in the message', () => {
    const r = isJSON().validate(text('{"a": 1}\nLet me know if you need anything else!'));
    expect(r.valid).toBe(false);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]?.message).toMatch(/^invalid JSON: expected a JSON value, got "\{\\"a\\": 1\}\\nLet me know/);
  });

  it('rejects prose that merely contains a fenced block', () => {
    expect(isJSON().validate(text('Sure! ```json\n{"a":1}\n```')).valid).toBe(false);
  });

  it('reports an empty or whitespace-only text as empty, not as a parse error', () => {
    for (const t of ['', '   \n', '```json\n```']) {
      const r = isJSON().validate(text(t));
      expect(r.issues).toEqual([{ validator: 'isJSON', path: '/text', keyword: 'json', message: 'invalid JSON: expected a JSON value, got empty text' }]);
    }
  });

  it('treats a completion without text as empty text', () => {
    expect(isJSON().validate({}).issues[0]?.message).toBe('invalid JSON: expected a JSON value, got empty text');
  });

  it('gives the same answer for the same text when it alternates with other texts (the parse memo never leaks)', () => {
    const v = isJSON();
    const seq = ['{"a":1}', 'nope', '{"a":1}', '{"a":1}', 'nope'].map((t) => v.validate(text(t)).valid);
    expect(seq).toEqual([true, false, true, true, false]);
  });
});

describe('jsonSchema', () => {
  const schema = {
    type: 'object',
    required: ['name', 'age'],
    additionalProperties: false,
    properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 }, email: { type: 'string', format: 'email' } },
  };

  it('passes an answer that satisfies the schema', () => {
    expect(jsonSchema(schema).validate(text('{"name":"Ada","age":36,"email":"ada@example.com"}'))).toEqual({ valid: true, issues: [] });
  });

  it('maps every ajv error to an issue with instancePath, keyword and message', () => {
    const r = jsonSchema(schema).validate(text('{"name":7,"age":-1,"email":"nope","extra":true}'));
    expect(r.valid).toBe(false);
    expect(r.issues).toEqual([
      { validator: 'jsonSchema', path: '', keyword: 'additionalProperties', message: 'must NOT have additional properties: "extra"' },
      { validator: 'jsonSchema', path: '/name', keyword: 'type', message: 'must be string' },
      { validator: 'jsonSchema', path: '/age', keyword: 'minimum', message: 'must be >= 0' },
      { validator: 'jsonSchema', path: '/email', keyword: 'format', message: 'must match format "email"' },
    ]);
  });

  it('reports a missing required property at the parent path, as ajv does', () => {
    const r = jsonSchema(schema).validate(text('{"name":"Ada"}'));
    expect(r.issues).toEqual([{ validator: 'jsonSchema', path: '', keyword: 'required', message: "must have required property 'age'" }]);
  });

  it('reports text that is not JSON with keyword json at /text, without running the schema', () => {
    const r = jsonSchema(schema).validate(text('{"name":"Ada", "age": 36} trailing'));
    expect(keywords(r)).toEqual(['json']);
    expect(paths(r)).toEqual(['/text']);
  });

  it('validates a fenced answer, and reads the fence literally when unwrapFence is false', () => {
    const fenced = text('```json\n{"name":"Ada","age":36}\n```');
    expect(jsonSchema(schema).validate(fenced).valid).toBe(true);
    expect(keywords(jsonSchema(schema, { unwrapFence: false }).validate(fenced))).toEqual(['json']);
  });

  it('checks date-time, uri and uuid formats of the 20-property schema', () => {
    const v = jsonSchema(SCHEMA_20);
    const good = answer20();
    expect(v.validate(text(JSON.stringify(good, null, 2))).valid).toBe(true);
    const bad = { ...good, createdAt: '2025-13-45 25:61', website: 'not a uri', id: 'x' };
    expect(v.validate(text(JSON.stringify(bad))).issues.map((i) => `${i.path} ${i.keyword}`)).toEqual(['/id format', '/createdAt format', '/website format']);
  });

  it('uses a caller-provided ajv instance as it is', () => {
    const ajv = new Ajv({ allErrors: false });
    const r = jsonSchema({ type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } } }, { ajv }).validate(text('{"a":1,"b":2}'));
    expect(paths(r)).toEqual(['/a']);
  });

  it('accepts a boolean schema', () => {
    expect(jsonSchema(true).validate(text('1')).valid).toBe(true);
    expect(keywords(jsonSchema(false).validate(text('1')))).toEqual(['false schema']);
  });

  it('throws when the schema is invalid, at construction', () => {
    expect(() => jsonSchema({ type: 'strin' })).toThrow(/type/);
    expect(() => jsonSchema(null as never)).toThrow('invalid schema: expected a JSON Schema object or a compiled validate function, got null');
  });

  it('explains a precompiled function that fails without errors with one schema issue', () => {
    const fn = Object.assign(() => false, { errors: null });
    expect(jsonSchema(fn).validate(text('{}')).issues).toEqual([{ validator: 'jsonSchema', path: '', keyword: 'schema', message: 'does not match the schema' }]);
  });
});

describe('requiredFields', () => {
  const answer = JSON.stringify({ user: { name: 'Ada', address: { city: 'London', zip: null } }, items: [{ id: 1 }, { id: 2 }], 'a/b': { '~k': 1 } });

  it('passes when every dot-path, bracket path and JSON pointer is present (null counts as present)', () => {
    const v = requiredFields(['user.name', 'user.address.city', 'user.address.zip', 'items[1].id', 'items.0.id', '/user/address/city', '/a~1b/~0k']);
    expect(v.validate(text(answer))).toEqual({ valid: true, issues: [] });
  });

  it('reports each missing nested field at its pointer, saying where the lookup stopped', () => {
    const r = requiredFields(['user.address.country', 'items[2].id', 'user.name.first', 'orders.0']).validate(text(answer));
    expect(r.issues).toEqual([
      { validator: 'requiredFields', path: '/user/address/country', keyword: 'required', message: 'missing required field "user.address.country": /user/address has no "country"' },
      { validator: 'requiredFields', path: '/items/2/id', keyword: 'required', message: 'missing required field "items[2].id": /items has no "2"' },
      { validator: 'requiredFields', path: '/user/name/first', keyword: 'required', message: 'missing required field "user.name.first": /user/name is string' },
      { validator: 'requiredFields', path: '/orders/0', keyword: 'required', message: 'missing required field "orders.0": (root) has no "orders"' },
    ]);
  });

  it('does not read inherited properties or array methods as fields', () => {
    const r = requiredFields(['toString', 'items.length', 'items.01']).validate(text(answer));
    expect(paths(r)).toEqual(['/toString', '/items/length', '/items/01']);
  });

  it('accepts a single path as a string', () => {
    expect(requiredFields('user.name').validate(text(answer)).valid).toBe(true);
  });

  it('reports a non-JSON text once, with keyword json', () => {
    expect(keywords(requiredFields(['a', 'b']).validate(text('not json')))).toEqual(['json']);
  });

  it('checks the bench fields on the 20-property answer', () => {
    expect(requiredFields(REQUIRED_20).validate(completion({ text: JSON.stringify(answer20()) })).valid).toBe(true);
  });

  it.each([[''], ['a..b'], ['a[x]'], ['.a']])('throws at construction on the malformed path %j', (path) => {
    expect(() => requiredFields([path])).toThrow(/^invalid field path/);
  });
});
