import type { JsonSchema, PrecompiledSchema, SchemaError, ValidationIssue } from './types';

/** Compiles a schema for `jsonSchema()` / `toolCall()`; what the entry point provides (ajv, or precompiled functions only). */
export type SchemaCompiler = (schema: JsonSchema | PrecompiledSchema, ajv?: SchemaCompilerInstance) => PrecompiledSchema;

/** The part of an ajv instance this module calls. */
export interface SchemaCompilerInstance {
  compile(schema: any): PrecompiledSchema;
}

/** Takes a precompiled validate function, or compiles with the ajv instance the caller gave; there is no compiler of its own. */
export const precompiledOnly: SchemaCompiler = (schema, ajv) => {
  if (typeof schema === 'function') return schema;
  if (ajv) return ajv.compile(schema);
  throw new TypeError(
    `invalid schema: expected a precompiled validate function (k6-llm/validate/precompiled bundles no schema compiler; pass { ajv } or import k6-llm/validate), got ${schema === null ? 'null' : typeof schema}`,
  );
};

/** Runs a compiled schema and maps its errors to issues, each path prefixed with `pathPrefix`. */
export function checkSchema(check: PrecompiledSchema, data: unknown, validator: string, pathPrefix: string): ValidationIssue[] {
  if (check(data)) return [];
  const errors = check.errors ?? [];
  if (errors.length === 0) {
    return [{ validator, path: pathPrefix, keyword: 'schema', message: 'does not match the schema' }];
  }
  return errors.map((e) => toIssue(e, validator, pathPrefix));
}

function toIssue(error: SchemaError, validator: string, pathPrefix: string): ValidationIssue {
  let message = error.message ?? `failed keyword ${error.keyword}`;
  // ajv names the offending property in params only; a log line needs it in the message.
  const extra = error.params?.additionalProperty ?? error.params?.unevaluatedProperty;
  if (typeof extra === 'string') message += `: ${JSON.stringify(extra)}`;
  return { validator, path: pathPrefix + error.instancePath, keyword: error.keyword, message };
}
