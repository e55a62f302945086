import Ajv, { type Options as AjvOptions } from 'ajv';
import addFormats from 'ajv-formats';
import { useFastFormats, useFastLengths } from './ajv-fast-paths';
import type { SchemaCompiler } from './schema-check';

/**
 * Options of every ajv instance this module creates, at run time and for `compileSchemaModule`, so
 * both report the same issues. `allErrors`: a failed response lists every problem, not the first.
 */
export const AJV_OPTIONS: AjvOptions = { allErrors: true };

/** An ajv instance as this module makes them: `AJV_OPTIONS` (plus `options`) and the cheaper length checks. */
export function createAjv(options: AjvOptions = {}): Ajv {
  const ajv = new Ajv({ ...AJV_OPTIONS, ...options });
  useFastLengths(ajv);
  return ajv;
}

/** ajv-formats' full formats, the common ones behind a one-regex fast path (ajv-fast-paths.ts). */
export function addFastFormats(ajv: Ajv): void {
  addFormats(ajv);
  useFastFormats(ajv);
}

let sharedAjv: Ajv | undefined;
let sharedHasFormats = false;

/**
 * k6 first evaluates the init context with `__VU === 0` (to read options; a throw there stops the
 * test), then once per VU. Checking a schema against the JSON Schema meta-schema is about half of its
 * compile cost in Sobek (20 VUs, 20-property schema: about 10.5 s -> 5.9 s CPU), so only that first pass
 * and Node check it; VUs compile the same, already checked schema. ajv's own keyword-value checks
 * and strict mode still run everywhere.
 */
function inK6Vu(): boolean {
  return typeof __VU === 'number' && __VU > 0;
}

/** The module's own ajv instance, created on first use; ajv-formats is added once a schema needs it. */
function defaultAjv(needsFormats: boolean): Ajv {
  sharedAjv ??= createAjv({ validateSchema: !inK6Vu() });
  if (needsFormats && !sharedHasFormats) {
    addFastFormats(sharedAjv);
    sharedHasFormats = true;
  }
  return sharedAjv;
}

/** True when any object in the schema has a string `format` (a property named "format" also counts; adding formats then costs nothing). */
export function usesFormat(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.some(usesFormat);
  if (schema === null || typeof schema !== 'object') return false;
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'format' && typeof value === 'string') return true;
    if (usesFormat(value)) return true;
  }
  return false;
}

/**
 * A schema compiled to a validate function: a given precompiled function as it is, or a schema
 * compiled now with `ajv` (the caller's instance, used as it is) or the module's own. Throws on an
 * invalid schema, in the init context where `jsonSchema()` is called.
 */
export const compileSchema: SchemaCompiler = (schema, ajv) => {
  if (typeof schema === 'function') return schema;
  if (typeof schema !== 'boolean' && (schema === null || typeof schema !== 'object')) {
    throw new TypeError(`invalid schema: expected a JSON Schema object or a compiled validate function, got ${schema === null ? 'null' : typeof schema}`);
  }
  return (ajv ?? defaultAjv(usesFormat(schema))).compile(schema);
};
