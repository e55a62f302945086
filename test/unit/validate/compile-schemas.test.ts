import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { build } from 'esbuild';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as full from '../../../lib/validate/index';
import * as precompiled from '../../../lib/validate/precompiled';
import { compileSchemaModule } from '../../../lib/validate/compile-schemas';
import type { PrecompiledSchema } from '../../../lib/validate/index';
import { answer20, SCHEMA_20 } from '../../../bench/validate/schema-20';
import { text, toolCalls } from './fixtures';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const WEATHER = {
  type: 'object',
  required: ['city'],
  additionalProperties: false,
  properties: { city: { type: 'string', minLength: 1, maxLength: 5 }, at: { type: 'string', format: 'date' }, tags: { type: 'array', uniqueItems: true } },
};
const SCHEMAS = { schema20: SCHEMA_20 as unknown as Record<string, unknown>, weather: WEATHER };

// The module's imports of ajv's runtime helpers resolve from its folder, so it lives inside the project.
let dir: string;
let generated: Record<string, PrecompiledSchema>;
let source: string;

beforeAll(async () => {
  dir = mkdtempSync(join(ROOT, 'test/unit/validate/.generated-'));
  source = compileSchemaModule(SCHEMAS);
  const file = join(dir, 'schemas.js');
  writeFileSync(file, source);
  generated = await import(/* @vite-ignore */ file);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('compileSchemaModule', () => {
  it('writes an ES module exporting one validate function per schema name, with imports instead of require', () => {
    expect(Object.keys(generated).sort()).toEqual(['schema20', 'weather']);
    expect(typeof generated.schema20).toBe('function');
    expect(source).not.toMatch(/\brequire\(/);
    expect(source).toMatch(/^import \* as __k6llmModule\d from "ajv\/dist\/runtime\/ucs2length\.js";$/m);
    expect(source).toMatch(/^import \* as __k6llmModule\d from "ajv-formats\/dist\/formats\.js";$/m);
  });

  it('validates the same as the runtime compile on fixed valid and invalid answers', () => {
    const runtime = full.jsonSchema(SCHEMA_20);
    const built = full.jsonSchema(generated.schema20 as PrecompiledSchema);
    const good = answer20();
    const answers = [
      good,
      { ...good, email: 'nope', createdAt: 'yesterday', website: '::', id: 'x' },
      { ...good, age: 1.5, status: 'gone', tags: ['a', 'a'], extra: 1 },
      { ...good, address: { city: 'x' }, items: [] },
      { ...good, country: 'GBR', phone: 'call me', summary: 'x'.repeat(1001) },
      [],
    ];
    for (const a of answers) {
      const t = text(JSON.stringify(a));
      expect(built.validate(t)).toEqual(runtime.validate(t));
    }
    expect(built.validate(text(JSON.stringify(answers[1]))).issues.map((i) => i.path)).toEqual(['/id', '/email', '/createdAt', '/website']);
  });

  it('validates the same as the runtime compile on generated tool arguments', () => {
    const runtime = full.toolCall({ argsSchema: WEATHER });
    const built = full.toolCall({ argsSchema: generated.weather as PrecompiledSchema });
    const args = fc.record(
      { city: fc.oneof(fc.string({ maxLength: 7 }), fc.integer()), at: fc.oneof(fc.constant('2025-02-30'), fc.constant('2025-01-15'), fc.string()), tags: fc.array(fc.oneof(fc.integer({ max: 3 }), fc.constantFrom('a', 'b'))), more: fc.anything() },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(args, (value) => {
        const c = toolCalls({ name: 'get_weather', arguments: JSON.stringify(value) ?? '' });
        expect(built.validate(c)).toEqual(runtime.validate(c));
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('throws on a name that is not a JavaScript identifier and on no schemas', () => {
    expect(() => compileSchemaModule({ 'my-schema': {} })).toThrow('invalid schema name: expected a JavaScript identifier, got "my-schema"');
    expect(() => compileSchemaModule({ default: {} })).toThrow('invalid schema name: expected a JavaScript identifier, got "default"');
    expect(() => compileSchemaModule({})).toThrow('invalid schemas: expected at least one named schema, got none');
  });

  it('compiles a schema without formats or runtime helpers to a module without imports', () => {
    const code = compileSchemaModule({ plain: { type: 'object', required: ['a'] } });
    expect(code).not.toMatch(/\bimport\b|\brequire\(/);
    expect(code).toMatch(/export const plain = validate\d+;/);
  });

  it('names exports by their keys, not by the schemas\' $id', () => {
    const code = compileSchemaModule({ a: { $id: 'https://example.com/x', type: 'string' }, b: { $id: 'y', type: 'number' } });
    expect(code).toMatch(/export const a = /);
    expect(code).toMatch(/export const b = /);
  });
});

describe('k6-llm/validate/precompiled', () => {
  it('exports the same names as k6-llm/validate', () => {
    expect(Object.keys(precompiled).sort()).toEqual(Object.keys(full).sort());
  });

  it('takes a build-time compiled function and reports the same issues as the full entry', () => {
    const t = text(JSON.stringify({ ...answer20(), email: 'nope' }));
    expect(precompiled.jsonSchema(generated.schema20 as PrecompiledSchema).validate(t)).toEqual(full.jsonSchema(SCHEMA_20).validate(t));
  });

  it('throws on a schema object, naming the two ways out', () => {
    expect(() => precompiled.jsonSchema({ type: 'object' })).toThrow(
      'invalid schema: expected a precompiled validate function (k6-llm/validate/precompiled bundles no schema compiler; pass { ajv } or import k6-llm/validate), got object',
    );
    expect(() => precompiled.toolCall({ argsSchema: { type: 'object' } })).toThrow(/^invalid schema: expected a precompiled validate function/);
  });

  it('compiles a schema object with an ajv instance the caller passes', () => {
    const v = precompiled.jsonSchema({ type: 'object', required: ['a'] }, { ajv: new Ajv() });
    expect([v.validate(text('{"a":1}')).valid, v.validate(text('{}')).valid]).toEqual([true, false]);
  });

  it('leaves ajv\'s compiler out of its bundle, while the full entry bundles it', async () => {
    const inputsOf = async (entry: string) => {
      const result = await build({
        entryPoints: [join(ROOT, entry)],
        bundle: true,
        write: false,
        metafile: true,
        format: 'esm',
        platform: 'neutral',
        mainFields: ['module', 'main'],
        target: 'es2017',
        logLevel: 'silent',
      });
      return Object.keys(result.metafile.inputs);
    };
    const lean = await inputsOf('lib/validate/precompiled.ts');
    const fat = await inputsOf('lib/validate/index.ts');
    expect(lean.filter((f) => f.includes('node_modules/'))).toEqual([]);
    expect(fat).toContain('node_modules/ajv/dist/core.js');
    expect(fat).toContain('node_modules/ajv-formats/dist/formats.js');
  });
});
