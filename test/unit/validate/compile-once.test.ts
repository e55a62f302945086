import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonSchema, runValidators, toolCall } from '../../../lib/validate/index';
import { answer20, SCHEMA_20 } from '../../../bench/validate/schema-20';
import { text, toolCalls } from './fixtures';

// Distinct texts, as a load test sees them.
const TEXTS = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ ...answer20(), name: `Customer ${i}`, age: i % 200 }));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('compile once', () => {
  it('compiles a schema once in jsonSchema(), never while validating 1,000 responses (caller ajv)', () => {
    const ajv = new Ajv({ allErrors: true });
    addFormats(ajv);
    const compile = vi.spyOn(ajv, 'compile');
    const v = jsonSchema(SCHEMA_20, { ajv });
    expect(compile).toHaveBeenCalledTimes(1);
    const valid = TEXTS.map((t) => v.validate(text(t)).valid);
    expect(compile).toHaveBeenCalledTimes(1);
    // age >= 151 fails the schema's maximum: 1,000 texts hold 49 * 5 = 245 of them.
    expect(valid.filter((ok) => !ok)).toHaveLength(TEXTS.filter((_, i) => i % 200 > 150).length);
  });

  it('compiles a schema once with the module ajv instance, across 1,000 validations', () => {
    const compile = vi.spyOn(Ajv.prototype, 'compile');
    const v = jsonSchema({ ...SCHEMA_20, title: 'module instance' });
    expect(compile).toHaveBeenCalledTimes(1);
    for (const t of TEXTS) runValidators([v], text(t));
    expect(compile).toHaveBeenCalledTimes(1);
  });

  it('compiles a tool argsSchema once in toolCall(), across 1,000 validations', () => {
    const compile = vi.spyOn(Ajv.prototype, 'compile');
    const v = toolCall({ name: 'f', argsSchema: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } } });
    expect(compile).toHaveBeenCalledTimes(1);
    const valid = Array.from({ length: 1000 }, (_, i) => v.validate(toolCalls({ name: 'f', arguments: i % 2 ? `{"n":${i}}` : '{"n":"x"}' })).valid);
    expect(compile).toHaveBeenCalledTimes(1);
    expect(valid.filter(Boolean)).toHaveLength(500);
  });

  it('checks schemas against the meta-schema in k6\'s first init pass (__VU 0) and in Node, but not again in each VU', async () => {
    const g = globalThis as { __VU?: number };
    const malformed = { type: 'object', properties: { a: 5 } };
    const load = async (vu: number | undefined) => {
      vi.resetModules();
      if (vu === undefined) delete g.__VU;
      else g.__VU = vu;
      return import('../../../lib/validate/index');
    };
    try {
      await expect(load(0).then((m) => m.jsonSchema(malformed))).rejects.toThrow('schema is invalid: data/properties/a must be object,boolean');
      await expect(load(undefined).then((m) => m.jsonSchema(malformed))).rejects.toThrow('schema is invalid');
      const inVu = (await load(3)).jsonSchema(malformed);
      expect(inVu.validate(text('{"a":1}')).valid).toBe(true);
      // ajv's own keyword checks still run in a VU.
      await expect(load(3).then((m) => m.jsonSchema({ type: 'strng' }))).rejects.toThrow('type must be JSONType or JSONType[]: strng');
    } finally {
      delete g.__VU;
      vi.resetModules();
    }
  });

  it('never compiles a precompiled validate function', () => {
    const compile = vi.spyOn(Ajv.prototype, 'compile');
    const fn = Object.assign((data: unknown) => data === 1, { errors: null });
    const v = jsonSchema(fn);
    expect([v.validate(text('1')).valid, v.validate(text('2')).valid]).toEqual([true, false]);
    expect(compile).not.toHaveBeenCalled();
  });
});
