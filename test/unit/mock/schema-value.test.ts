import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../node/mock/random';
import { valueForSchema } from '../../../node/mock/schema-value';

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);

const schemas: [string, Record<string, unknown>][] = [
  ['an object with required and optional properties', {
    type: 'object',
    properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0, maximum: 130 }, nick: { type: 'string' } },
    required: ['name', 'age'], additionalProperties: false,
  }],
  ['enums, const and booleans', {
    type: 'object', properties: { unit: { enum: ['c', 'f'] }, kind: { const: 'fixed' }, on: { type: 'boolean' } }, required: ['unit', 'kind', 'on'],
  }],
  ['string lengths and formats', {
    type: 'object',
    properties: {
      code: { type: 'string', minLength: 12, maxLength: 12 }, at: { type: 'string', format: 'date-time' }, day: { type: 'string', format: 'date' },
      mail: { type: 'string', format: 'email' }, link: { type: 'string', format: 'uri' }, id: { type: 'string', format: 'uuid' },
      ip: { type: 'string', format: 'ipv4' }, short: { type: 'string', maxLength: 2 },
    },
    required: ['code', 'at', 'day', 'mail', 'link', 'id', 'ip', 'short'],
  }],
  ['number bounds, exclusive bounds and multipleOf', {
    type: 'object',
    properties: {
      p: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 }, step: { type: 'number', multipleOf: 0.25, minimum: 1, maximum: 2 },
      even: { type: 'integer', multipleOf: 2, minimum: 3, maximum: 9 }, neg: { type: 'integer', maximum: -5 }, tight: { type: 'integer', minimum: 7, maximum: 7 },
    },
    required: ['p', 'step', 'even', 'neg', 'tight'],
  }],
  ['arrays with item counts and unique items', {
    type: 'object',
    properties: {
      tags: { type: 'array', items: { enum: ['a', 'b', 'c', 'd'] }, minItems: 2, maxItems: 4, uniqueItems: true },
      points: { type: 'array', items: { type: 'object', properties: { x: { type: 'number' }, y: { type: 'number' } }, required: ['x', 'y'] }, minItems: 1 },
      none: { type: 'array', maxItems: 0 },
    },
    required: ['tags', 'points', 'none'],
  }],
  ['$ref to $defs and definitions, with recursion', {
    type: 'object',
    $defs: { node: { type: 'object', properties: { value: { type: 'integer' }, children: { type: 'array', items: { $ref: '#/$defs/node' } } }, required: ['value'] } },
    definitions: { color: { enum: ['red', 'green'] } },
    properties: { root: { $ref: '#/$defs/node' }, color: { $ref: '#/definitions/color' } },
    required: ['root', 'color'],
  }],
  ['allOf, anyOf, oneOf and type lists', {
    type: 'object',
    properties: {
      merged: { allOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, { properties: { b: { type: 'integer' } }, required: ['b'] }] },
      either: { anyOf: [{ type: 'string', minLength: 3 }, { type: 'integer', minimum: 10 }] },
      one: { oneOf: [{ type: 'boolean' }, { type: 'string' }] },
      maybe: { type: ['string', 'null'] },
    },
    required: ['merged', 'either', 'one', 'maybe'],
  }],
  ['a required name without a property schema', { type: 'object', required: ['free'] }],
];

describe('valueForSchema', () => {
  it.each(schemas)('makes values valid against %s for 60 seeds', (_name, schema) => {
    const validate = ajv.compile(schema);
    for (let seed = 0; seed < 60; seed++) {
      const value = valueForSchema(schema, createRandom('schema', seed));
      const ok = validate(value);
      expect(ok, `seed ${seed}: ${JSON.stringify(value)} ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
  });

  it('gives the same value for the same seed and different values across seeds', () => {
    const schema = schemas[0]![1];
    const a = valueForSchema(schema, createRandom('same'));
    expect(valueForSchema(schema, createRandom('same'))).toEqual(a);
    const values = new Set(Array.from({ length: 20 }, (_, i) => JSON.stringify(valueForSchema(schema, createRandom('vary', i)))));
    expect(values.size).toBeGreaterThan(10);
  });

  it('honours draft-4 boolean exclusive bounds', () => {
    for (let seed = 0; seed < 60; seed++) {
      const value = valueForSchema({ type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true }, createRandom('d4', seed));
      expect(value).toBeGreaterThan(0);
      expect(value).toBeLessThan(1);
      const int = valueForSchema({ type: 'integer', minimum: 0, exclusiveMinimum: true, maximum: 2, exclusiveMaximum: true }, createRandom('d4', seed));
      expect(int).toBe(1);
    }
  });

  it('reads Gemini upper-case types', () => {
    const value = valueForSchema(
      { type: 'OBJECT', properties: { city: { type: 'STRING' }, n: { type: 'INTEGER', minimum: 1, maximum: 3 } }, required: ['city', 'n'] },
      createRandom('gemini'),
    ) as Record<string, unknown>;
    expect(typeof value.city).toBe('string');
    expect([1, 2, 3]).toContain(value.n);
  });

  it('makes an empty object for a tool without parameters', () => {
    expect(valueForSchema({ type: 'object' }, createRandom('empty'))).toEqual({});
  });
});
