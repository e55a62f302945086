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
} from './types';
export type { FinishOptions, JsonSchemaOptions, JsonTextOptions, LengthOptions, ToolCallOptions } from './validators';
export type { SchemaCompilerInstance } from './schema-check';
export { finish, isJSON, lengthBetween, matches, notMatches, requiredFields, streamIntegrity } from './validators';
export { all, any, formatIssues, named, runValidators } from './compose';
export { DEFAULT_FINISH_REASONS, REFUSAL_PATTERN, TRUNCATION_FINISH_REASONS } from './constants';
export { unwrapFence } from './json-answer';
export { notRefused, type NotRefusedOptions } from './refusal';
