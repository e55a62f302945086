/**
 * `k6-llm/validate`: structural checks of an LLM response's content, as data. Pure (no k6 import):
 * build validators in the init context, run them per response. Bundles ajv to compile schemas at
 * run time; `k6-llm/validate/precompiled` is the same API without it, for build-time compiled schemas.
 */
import { compileSchema } from './ajv-compile';
import type { JsonSchema, PrecompiledSchema, Validator } from './types';
import { jsonSchemaWith, toolCallWith, type JsonSchemaOptions, type ToolCallOptions } from './validators';

export * from './common';

/**
 * The text parses as JSON (after unwrapping one fenced block, unless `unwrapFence: false`) and
 * satisfies `schema`. A schema object is compiled here, once, with ajv (`allErrors: true`,
 * ajv-formats added when the schema uses `format`), so call this in the init context; a
 * precompiled validate function (ajv's, or one from `compileSchemaModule()`) is used as it is.
 * Throws on an invalid schema. Issues carry ajv's keyword and message, `path` = ajv's `instancePath`
 * into the parsed value; a text that is not JSON gives keyword `json` at `/text`.
 */
export function jsonSchema(schema: JsonSchema | PrecompiledSchema, options: JsonSchemaOptions = {}): Validator {
  return jsonSchemaWith(compileSchema, schema, options);
}

/**
 * The response made a tool call (named `name`, when given) and the arguments of every such call
 * parse as JSON and satisfy `argsSchema` (compiled once, here, as in `jsonSchema()`). Empty
 * arguments read as `{}`: some streams send none for a call without parameters. Keywords:
 * `toolCall` (no such call, at `/toolCalls`), `json`, and ajv's at `/toolCalls/<i>/arguments<instancePath>`.
 */
export function toolCall(options: ToolCallOptions = {}): Validator {
  return toolCallWith(compileSchema, options);
}
