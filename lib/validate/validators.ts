import { countCodePoints } from './code-points';
import { DEFAULT_FINISH_REASONS, TRUNCATION_FINISH_REASONS } from './constants';
import { missingAt, parseFieldPath, toPointer, valueAt, type FieldPath } from './field-path';
import { checkParser, parseAnswer, quote, type JsonParser } from './json-answer';
import { checkSchema, type SchemaCompiler, type SchemaCompilerInstance } from './schema-check';
import type { JsonSchema, PrecompiledSchema, ValidationContext, ValidationIssue, ValidationResult, ValidationTarget, Validator } from './types';

/** Options of the validators that read the text as JSON. */
export interface JsonTextOptions {
  /**
   * Accept a text that is one fenced code block (```json or bare ```) and read what is inside.
   * @default true
   */
  unwrapFence?: boolean;
  /**
   * A faster JSON parser to try before `JSON.parse`, if the script has one. It must build what `JSON.parse` builds; a text it
   * declines (returns undefined) or throws on goes to `JSON.parse`, so issues and messages stay the same.
   * @default undefined (JSON.parse only)
   */
  parseJson?: (text: string) => unknown;
}

export interface JsonSchemaOptions extends JsonTextOptions {
  /**
   * The ajv instance to compile with, used as it is (add ajv-formats yourself if the schema uses
   * `format`). By default `k6-llm/validate` uses its own instance (`allErrors: true`, ajv-formats
   * added when needed). The parsed answer is shared with the validators that run after this one on
   * the same text, so an instance with `useDefaults`, `coerceTypes` or `removeAdditional` changes
   * what they see.
   */
  ajv?: SchemaCompilerInstance;
}

export interface LengthOptions {
  /** Least visible characters (Unicode code points, as JSON Schema's `minLength` counts). */
  minChars?: number;
  maxChars?: number;
  /** Least output tokens, from `usage.outputTokens` (reasoning tokens included, as the providers count them). */
  minTokens?: number;
  maxTokens?: number;
  /**
   * When a token bound is set and the server reported no output token count, pass instead of
   * reporting an issue with keyword `unknown`.
   * @default false
   */
  allowUnknown?: boolean;
}

export interface ToolCallOptions {
  /** Only calls to this tool count. By default every call counts. */
  name?: string;
  /** JSON Schema (or precompiled validate function) that the arguments of every counted call must satisfy; compiled once, now. */
  argsSchema?: JsonSchema | PrecompiledSchema;
  /**
   * At least one counted call must be present. When false, a response without one passes, but any
   * counted call must still have valid arguments.
   * @default true
   */
  required?: boolean;
  /** The ajv instance for `argsSchema`, as in `jsonSchema()`. */
  ajv?: SchemaCompilerInstance;
}

export interface FinishOptions {
  /**
   * Finish reasons that pass, compared exactly.
   * @default DEFAULT_FINISH_REASONS
   */
  allow?: readonly string[];
  /**
   * Pass when the response reported no finish reason, instead of reporting an issue with keyword `unknown`.
   * @default false
   */
  allowUnknown?: boolean;
}

function result(issues: ValidationIssue[]): ValidationResult {
  return { valid: issues.length === 0, issues };
}

function textOf(completion: ValidationTarget): string {
  return typeof completion?.text === 'string' ? completion.text : '';
}

/**
 * Reads the text as JSON, or gives the `json` issue saying why it is not. The validator's own `parseJson` option wins
 * over the run's (`ValidationContext.parseJson`, from the client's transport).
 */
function readJson(
  completion: ValidationTarget,
  unwrap: boolean,
  validator: string,
  parseJson: JsonParser | undefined,
  context: ValidationContext | undefined,
): { value: unknown } | { issue: ValidationIssue } {
  const parser = parseJson ?? (typeof context?.parseJson === 'function' ? context.parseJson : undefined);
  const parsed = parseAnswer(textOf(completion), unwrap, parser);
  if (parsed.ok) return { value: parsed.value };
  return { issue: { validator, path: '/text', keyword: 'json', message: parsed.message } };
}

/** The text parses as JSON (after unwrapping one fenced block, unless `unwrapFence: false`). Issue keyword: `json`. */
export function isJSON(options: JsonTextOptions = {}): Validator {
  const unwrap = options?.unwrapFence ?? true;
  const parseJson = checkParser(options?.parseJson, 'isJSON');
  return {
    name: 'isJSON',
    validate(completion, context) {
      const read = readJson(completion, unwrap, 'isJSON', parseJson, context);
      return result('issue' in read ? [read.issue] : []);
    },
  };
}

/** `jsonSchema()` with the entry point's compiler (see index.ts and precompiled.ts). */
export function jsonSchemaWith(compile: SchemaCompiler, schema: JsonSchema | PrecompiledSchema, options: JsonSchemaOptions = {}): Validator {
  const check = compile(schema, options?.ajv);
  const unwrap = options?.unwrapFence ?? true;
  const parseJson = checkParser(options?.parseJson, 'jsonSchema');
  return {
    name: 'jsonSchema',
    validate(completion, context) {
      const read = readJson(completion, unwrap, 'jsonSchema', parseJson, context);
      if ('issue' in read) return result([read.issue]);
      return result(checkSchema(check, read.value, 'jsonSchema', ''));
    },
  };
}

/**
 * The text parses as JSON and has every field named by `paths`: dot-paths (`user.address.city`,
 * `items[0].id`) or JSON pointers (`/user/address/city`). A field whose value is `null` is present.
 * Throws on a malformed path. Issue keyword: `required`, path = the missing field's pointer.
 */
export function requiredFields(paths: string | readonly string[], options: JsonTextOptions = {}): Validator {
  if (typeof paths !== 'string' && !Array.isArray(paths)) {
    throw new TypeError(`invalid requiredFields paths: expected a path or an array of paths, got ${paths === null ? 'null' : typeof paths}`);
  }
  const fields = (typeof paths === 'string' ? [paths] : [...paths]).map(parseFieldPath);
  const unwrap = options?.unwrapFence ?? true;
  const parseJson = checkParser(options?.parseJson, 'requiredFields');
  return {
    name: 'requiredFields',
    validate(completion, context) {
      const read = readJson(completion, unwrap, 'requiredFields', parseJson, context);
      if ('issue' in read) return result([read.issue]);
      const issues: ValidationIssue[] = [];
      for (let i = 0; i < fields.length; i++) {
        const field = fields[i] as FieldPath;
        const depth = missingAt(read.value, field);
        if (depth < 0) continue;
        const parent = valueAt(read.value, field, depth);
        const at = toPointer(field.segments.slice(0, depth)) || '(root)';
        const why = parent !== null && typeof parent === 'object'
          ? `${at} has no ${JSON.stringify(field.segments[depth])}`
          : `${at} is ${parent === null ? 'null' : typeof parent}`;
        issues.push({ validator: 'requiredFields', path: field.pointer, keyword: 'required', message: `missing required field ${JSON.stringify(field.source)}: ${why}` });
      }
      return result(issues);
    },
  };
}

function checkBound(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
    throw new TypeError(`invalid lengthBetween option ${name}: expected a number >= 0, got ${String(value)}`);
  }
}

/**
 * The visible text has between `minChars` and `maxChars` characters (code points), and the response
 * between `minTokens` and `maxTokens` output tokens (`usage.outputTokens`). Bounds are inclusive.
 * When a token bound is set and the count is unknown, the issue has keyword `unknown` (not a silent
 * pass) unless `allowUnknown`. Keywords: `minChars`, `maxChars`, `minTokens`, `maxTokens`, `unknown`.
 */
export function lengthBetween(options: LengthOptions): Validator {
  const opts = options ?? {};
  const { minChars, maxChars, minTokens, maxTokens } = opts;
  for (const [name, value] of Object.entries({ minChars, maxChars, minTokens, maxTokens })) checkBound(name, value);
  if (minChars === undefined && maxChars === undefined && minTokens === undefined && maxTokens === undefined) {
    throw new TypeError('invalid lengthBetween options: expected at least one of minChars, maxChars, minTokens, maxTokens, got none');
  }
  if ((minChars ?? 0) > (maxChars ?? Infinity) || (minTokens ?? 0) > (maxTokens ?? Infinity)) {
    throw new TypeError('invalid lengthBetween options: expected min <= max');
  }
  const allowUnknown = opts.allowUnknown ?? false;
  const wantsTokens = minTokens !== undefined || maxTokens !== undefined;
  return {
    name: 'lengthBetween',
    validate(completion) {
      const issues: ValidationIssue[] = [];
      const text = textOf(completion);
      // A text's UTF-16 length bounds its code points (length / 2 <= points <= length): most texts need no count.
      if ((maxChars !== undefined && text.length > maxChars) || (minChars !== undefined && text.length < 2 * minChars)) {
        const chars = countCodePoints(text);
        if (minChars !== undefined && chars < minChars) {
          issues.push({ validator: 'lengthBetween', path: '/text', keyword: 'minChars', message: `too short: expected at least ${minChars} characters, got ${chars}` });
        }
        if (maxChars !== undefined && chars > maxChars) {
          issues.push({ validator: 'lengthBetween', path: '/text', keyword: 'maxChars', message: `too long: expected at most ${maxChars} characters, got ${chars}` });
        }
      }
      if (wantsTokens) {
        const tokens = completion?.usage?.outputTokens;
        if (typeof tokens !== 'number') {
          if (!allowUnknown) {
            issues.push({ validator: 'lengthBetween', path: '/usage/outputTokens', keyword: 'unknown', message: 'output tokens unknown: the response reported no output token count' });
          }
        } else {
          if (minTokens !== undefined && tokens < minTokens) {
            issues.push({ validator: 'lengthBetween', path: '/usage/outputTokens', keyword: 'minTokens', message: `too short: expected at least ${minTokens} output tokens, got ${tokens}` });
          }
          if (maxTokens !== undefined && tokens > maxTokens) {
            issues.push({ validator: 'lengthBetween', path: '/usage/outputTokens', keyword: 'maxTokens', message: `too long: expected at most ${maxTokens} output tokens, got ${tokens}` });
          }
        }
      }
      return result(issues);
    },
  };
}

/** A copy without the `g` and `y` flags: with them `test()` keeps `lastIndex` between responses and skips matches. */
function statelessRegExp(pattern: RegExp | string, validator: string): RegExp {
  if (typeof pattern === 'string') return new RegExp(pattern);
  if (!(pattern instanceof RegExp)) {
    throw new TypeError(`invalid ${validator} pattern: expected a RegExp or string, got ${pattern === null ? 'null' : typeof pattern}`);
  }
  return new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
}

/** The visible text matches `pattern` (a string is compiled as a RegExp, no flags). Issue keyword: `pattern`. */
export function matches(pattern: RegExp | string): Validator {
  const re = statelessRegExp(pattern, 'matches');
  return {
    name: 'matches',
    validate(completion) {
      const text = textOf(completion);
      if (re.test(text)) return result([]);
      return result([{ validator: 'matches', path: '/text', keyword: 'pattern', message: `no match: expected text matching ${String(re)}, got ${quote(text)}` }]);
    },
  };
}

/** The visible text does not match `pattern`, e.g. `notMatches(REFUSAL_PATTERN)`. Issue keyword: `notPattern`. */
export function notMatches(pattern: RegExp | string): Validator {
  const re = statelessRegExp(pattern, 'notMatches');
  return {
    name: 'notMatches',
    validate(completion) {
      const m = re.exec(textOf(completion));
      if (m === null) return result([]);
      return result([{ validator: 'notMatches', path: '/text', keyword: 'notPattern', message: `unwanted match: expected no match of ${String(re)}, got ${quote(m[0])} at ${m.index}` }]);
    },
  };
}

/** `toolCall()` with the entry point's compiler. */
export function toolCallWith(compile: SchemaCompiler, options: ToolCallOptions = {}): Validator {
  const { name } = options ?? {};
  const check = options?.argsSchema === undefined ? undefined : compile(options.argsSchema, options.ajv);
  const required = options?.required ?? true;
  return {
    name: 'toolCall',
    validate(completion) {
      const calls = Array.isArray(completion?.toolCalls) ? completion.toolCalls : [];
      const issues: ValidationIssue[] = [];
      let counted = 0;
      calls.forEach((call, i) => {
        if (name !== undefined && call?.name !== name) return;
        counted++;
        const path = `/toolCalls/${i}/arguments`;
        const raw = typeof call?.arguments === 'string' ? call.arguments : '';
        let args: unknown = {};
        if (raw.trim() !== '') {
          try {
            args = JSON.parse(raw);
          } catch (err) {
            const reason = err instanceof Error ? err.message : String(err);
            issues.push({ validator: 'toolCall', path, keyword: 'json', message: `invalid tool arguments: expected JSON, got ${quote(raw)} (${reason})` });
            return;
          }
        }
        if (check) issues.push(...checkSchema(check, args, 'toolCall', path));
      });
      if (counted === 0 && required) {
        const got = calls.length === 0 ? 'none' : `calls to ${calls.map((c) => JSON.stringify(c?.name)).join(', ')}`;
        issues.push({ validator: 'toolCall', path: '/toolCalls', keyword: 'toolCall', message: `missing tool call: expected a call${name === undefined ? '' : ` to ${JSON.stringify(name)}`}, got ${got}` });
      }
      return result(issues);
    },
  };
}

/**
 * The finish reason is one of `allow`, so a response cut off by a token limit is caught. A
 * truncation reason (`TRUNCATION_FINISH_REASONS`) not in `allow` gives keyword `truncated`, any
 * other gives `finishReason`, none reported gives `unknown` (unless `allowUnknown`).
 */
export function finish(options: FinishOptions = {}): Validator {
  if (options?.allow !== undefined && !Array.isArray(options.allow)) {
    throw new TypeError(`invalid finish option allow: expected an array of finish reasons, got ${typeof options.allow}`);
  }
  const allow = new Set(options?.allow ?? DEFAULT_FINISH_REASONS);
  const allowUnknown = options?.allowUnknown ?? false;
  const expected = [...allow].join(', ');
  return {
    name: 'finish',
    validate(completion) {
      const reason = completion?.finishReason;
      if (reason === undefined || reason === null || reason === '') {
        return result(allowUnknown ? [] : [{ validator: 'finish', path: '/finishReason', keyword: 'unknown', message: 'finish reason unknown: the response reported none' }]);
      }
      if (allow.has(reason)) return result([]);
      if (TRUNCATION_FINISH_REASONS.includes(reason)) {
        return result([{ validator: 'finish', path: '/finishReason', keyword: 'truncated', message: `truncated output: finish reason ${JSON.stringify(reason)} means a token or context limit cut the answer off` }]);
      }
      return result([{ validator: 'finish', path: '/finishReason', keyword: 'finishReason', message: `unexpected finish reason: expected one of ${expected}, got ${JSON.stringify(reason)}` }]);
    },
  };
}

/**
 * The response ended the way its protocol ends a finished response (`complete`) and carried no
 * error event. Keywords: `incomplete` (at `/complete`), `error` (at `/error`).
 */
export function streamIntegrity(): Validator {
  return {
    name: 'streamIntegrity',
    validate(completion) {
      const issues: ValidationIssue[] = [];
      if (completion?.complete !== true) {
        issues.push({ validator: 'streamIntegrity', path: '/complete', keyword: 'incomplete', message: 'incomplete response: it did not end the way its protocol ends a finished response' });
      }
      const error = completion?.error;
      if (error) {
        issues.push({ validator: 'streamIntegrity', path: '/error', keyword: 'error', message: `error in response: ${error.type}: ${error.message}` });
      }
      return result(issues);
    },
  };
}
