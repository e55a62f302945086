/**
 * The `k6-llm/validate` API without ajv in the bundle: `jsonSchema()` and `toolCall({ argsSchema })`
 * take validate functions compiled at build time by `compileSchemaModule()` (or an ajv instance
 * passed as `{ ajv }`), and throw on a schema object. Measured on a 20-property schema: no compile
 * work at VU init and a bundle about 240 KB smaller (docs/validation.md).
 */
import { precompiledOnly } from './schema-check';
import type { JsonSchema, PrecompiledSchema, Validator } from './types';
import { jsonSchemaWith, toolCallWith, type JsonSchemaOptions, type ToolCallOptions } from './validators';

export * from './common';

/** As `jsonSchema()` of `k6-llm/validate`, but `schema` must be a precompiled validate function unless `options.ajv` is given. */
export function jsonSchema(schema: JsonSchema | PrecompiledSchema, options: JsonSchemaOptions = {}): Validator {
  return jsonSchemaWith(precompiledOnly, schema, options);
}

/** As `toolCall()` of `k6-llm/validate`, but `argsSchema` must be a precompiled validate function unless `options.ajv` is given. */
export function toolCall(options: ToolCallOptions = {}): Validator {
  return toolCallWith(precompiledOnly, options);
}
