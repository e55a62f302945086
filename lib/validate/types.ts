/**
 * What validators read: a normalized `Completion` from `k6-llm/providers`, or any object with the
 * fields a validator needs. Every field is optional so a script can validate `{ text }` alone;
 * a validator that needs a missing field reports an issue rather than throwing.
 */
export interface ValidationTarget {
  /** Visible output text. */
  text?: string;
  toolCalls?: ReadonlyArray<{ id?: string; name: string; arguments: string }>;
  usage?: { outputTokens?: number };
  finishReason?: string;
  complete?: boolean;
  error?: { type: string; message: string };
  /** A refusal the provider signalled (`Completion.refusal`), read by `notRefused()`. */
  refusal?: { source: string; signal: string; reason: string };
}

/** One problem with a response, shaped like ajv's `ErrorObject`. */
export interface ValidationIssue {
  /** Name of the validator that found it. */
  validator: string;
  /**
   * JSON pointer. For checks of the parsed JSON answer (`jsonSchema`, `requiredFields`) it points into
   * the parsed value (`""` is its root, as ajv's `instancePath`); for the other checks it points into
   * the completion (`/text`, `/finishReason`, `/toolCalls/0/arguments/city`).
   */
  path: string;
  /** What kind of check failed: an ajv keyword (`type`, `required`, ...) or one of this module's (`json`, `exception`, ...). */
  keyword: string;
  message: string;
  /**
   * Data about the issue, as ajv's `params`: `notRefused()` puts the refusal here
   * (`{ source, signal, reason }`), which is how the client tells what detected it.
   */
  params?: Record<string, unknown>;
}

export interface ValidationResult {
  valid: boolean;
  issues: ValidationIssue[];
}

/** How a run of validators may do its work; nothing in it changes a result. */
export interface ValidationContext {
  /**
   * A JSON parser to try before `JSON.parse`, which gets what it declines (undefined) or throws on. A validator's own
   * `parseJson` option wins.
   */
  parseJson?: (text: string) => unknown;
}

/** A named check of a response's content. Build one with a factory (`isJSON()`, `jsonSchema(schema)`, ...) in the init context. */
export interface Validator {
  /** Reported in `ValidationIssue.validator` and `ValidationReport.failed`; rename with `named()`. */
  readonly name: string;
  /**
   * Pure; returns data and does not throw on any response (`runValidators` catches it if a custom one does).
   * `context` is optional to read: a validator that ignores it is correct.
   */
  validate(completion: ValidationTarget, context?: ValidationContext): ValidationResult;
}

/** What `runValidators` returns. */
export interface ValidationReport extends ValidationResult {
  /** Names of the validators that failed, in order, each once. */
  failed: string[];
}

/**
 * A validate function compiled ahead of time: ajv's `ValidateFunction` or one exported by the module
 * `compileSchemaModule()` generates. Like ajv's, it returns whether the data is valid and leaves
 * the reasons in `errors`.
 */
export interface PrecompiledSchema {
  (data: unknown): boolean;
  errors?: ReadonlyArray<SchemaError> | null;
}

/** The part of ajv's `ErrorObject` this module reads. */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** A JSON Schema object (or boolean schema), as ajv takes it. */
export type JsonSchema = Record<string, unknown> | boolean;
