// Everything both entry points export: all but the two validators that compile schemas.
export type {
  JsonSchema,
  PrecompiledSchema,
  SchemaError,
  ValidationContext,
  ValidationIssue,
  ValidationReport,
  ValidationResult,
  ValidationTarget,
  Validator,
} from './types.js';
export type { FinishOptions, JsonSchemaOptions, JsonTextOptions, LengthOptions, ToolCallOptions } from './validators.js';
export type { SchemaCompilerInstance } from './schema-check.js';
export { finish, isJSON, lengthBetween, matches, notMatches, requiredFields, streamIntegrity } from './validators.js';
export { all, any, formatIssues, named, runValidators } from './compose.js';
export { DEFAULT_FINISH_REASONS, REFUSAL_PATTERN, TRUNCATION_FINISH_REASONS } from './constants.js';
export { unwrapFence } from './json-answer.js';
export { notRefused, type NotRefusedOptions } from './refusal.js';
