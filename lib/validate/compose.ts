import { describe } from '../internal/values';
import type { ValidationContext, ValidationIssue, ValidationReport, ValidationResult, ValidationTarget, Validator } from './types';

function isValidator(value: unknown): value is Validator {
  return value !== null && typeof value === 'object' && typeof (value as Validator).validate === 'function';
}

/** A validator factory passed uncalled (`isJSON` for `isJSON()`) is the usual mistake: the message says so. */
function describeValidator(value: unknown): string {
  if (typeof value === 'function') return `${describe(value)} (call the factory: ${value.name || 'it'}())`;
  return describe(value);
}

function nameOf(value: unknown): string {
  return isValidator(value) && typeof value.name === 'string' ? value.name : 'unknown';
}

function exceptionIssue(validator: string, message: string): ValidationIssue {
  return { validator, path: '', keyword: 'exception', message };
}

/**
 * Runs one validator and never throws: a throw, a non-validator or a malformed result becomes an
 * issue with keyword `exception`, so one broken custom check cannot end a VU's iteration.
 */
function runOne(validator: Validator, completion: ValidationTarget, context: ValidationContext | undefined): ValidationResult {
  // The name is only needed to explain a failure: worked out then (each function call costs ~1 µs in Sobek).
  if (!isValidator(validator)) {
    return { valid: false, issues: [exceptionIssue(nameOf(validator), `invalid validator: expected { name, validate() }, got ${describeValidator(validator)}`)] };
  }
  let outcome: ValidationResult;
  try {
    outcome = validator.validate(completion, context);
  } catch (err) {
    const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return { valid: false, issues: [exceptionIssue(nameOf(validator), `validator threw: ${reason}`)] };
  }
  if (outcome === null || typeof outcome !== 'object' || typeof outcome.valid !== 'boolean' || !Array.isArray(outcome.issues)) {
    return { valid: false, issues: [exceptionIssue(nameOf(validator), `invalid validator result: expected { valid, issues }, got ${describe(outcome)}`)] };
  }
  if (!outcome.valid && outcome.issues.length === 0) {
    // Keeps `valid === false` always explained by at least one issue.
    return { valid: false, issues: [{ validator: nameOf(validator), path: '', keyword: 'invalid', message: 'invalid response: the validator gave no reason' }] };
  }
  return outcome;
}

function assertValidators(validators: readonly Validator[], where: string): void {
  if (!Array.isArray(validators)) {
    throw new TypeError(`invalid ${where} argument: expected an array of validators, got ${describeValidator(validators)}`);
  }
  validators.forEach((v, i) => {
    if (!isValidator(v)) throw new TypeError(`invalid ${where} validator at ${i}: expected { name, validate() }, got ${describeValidator(v)}`);
  });
}

/** Valid when every validator is; issues from all of them (none is skipped after a failure). `all([])` is valid. */
export function all(validators: readonly Validator[]): Validator {
  assertValidators(validators, 'all');
  const list = [...validators];
  return {
    name: 'all',
    validate(completion, context) {
      const issues: ValidationIssue[] = [];
      let valid = true;
      for (let i = 0; i < list.length; i++) {
        const r = runOne(list[i] as Validator, completion, context);
        if (!r.valid) valid = false;
        if (r.issues.length > 0) issues.push(...r.issues);
      }
      return { valid, issues };
    },
  };
}

/** Valid when at least one validator is (checked in order, stopping at the first valid one, whose issues are dropped); when none is, issues from all. Throws on an empty list. */
export function any(validators: readonly Validator[]): Validator {
  assertValidators(validators, 'any');
  if (validators.length === 0) throw new TypeError('invalid any argument: expected at least one validator, got none');
  const list = [...validators];
  return {
    name: 'any',
    validate(completion, context) {
      const issues: ValidationIssue[] = [];
      for (let i = 0; i < list.length; i++) {
        const r = runOne(list[i] as Validator, completion, context);
        if (r.valid) return { valid: true, issues: [] };
        issues.push(...r.issues);
      }
      return { valid: false, issues };
    },
  };
}

/** The same check under another name, e.g. `named('no_refusal', notMatches(REFUSAL_PATTERN))`. Issues the validator reported under its own name are renamed too. */
export function named(name: string, validator: Validator): Validator {
  if (typeof name !== 'string' || name === '') throw new TypeError(`invalid name: expected a non-empty string, got ${JSON.stringify(name)}`);
  assertValidators([validator], 'named');
  const inner = validator.name;
  return {
    name,
    validate(completion, context) {
      const r = runOne(validator, completion, context);
      return { valid: r.valid, issues: r.issues.map((i) => (i.validator === inner ? { ...i, validator: name } : i)) };
    },
  };
}

/**
 * Runs validators on one response and never throws. `valid` is true when every validator passed;
 * `failed` names those that did not. The result describes the content only: a failed request
 * (HTTP status, transport error) is reported by the client, and validators still run on whatever
 * content arrived.
 */
export function runValidators(
  validators: Validator | readonly Validator[],
  completion: ValidationTarget,
  context?: ValidationContext,
): ValidationReport {
  const list: readonly Validator[] = Array.isArray(validators) ? validators : [validators as Validator];
  const issues: ValidationIssue[] = [];
  const failed: string[] = [];
  // Indexed loops and no spread of empty issue lists: Sobek builds an iterator result object per element of a
  // for-of or a spread (~5% of the isJSON + jsonSchema + requiredFields cost in bench/validate/k6-validate.js).
  for (let i = 0; i < list.length; i++) {
    const v = list[i] as Validator;
    const r = runOne(v, completion, context);
    if (r.issues.length > 0) issues.push(...r.issues);
    if (!r.valid) {
      const name = nameOf(v);
      if (!failed.includes(name)) failed.push(name);
    }
  }
  return { valid: failed.length === 0, issues, failed };
}

/** One line per issue, `validator path [keyword] message` (`(root)` for an empty path); `''` when there are none. */
export function formatIssues(result: { issues: readonly ValidationIssue[] } | null | undefined): string {
  if (!result || !Array.isArray(result.issues)) return '';
  return result.issues.map((i) => `${i.validator} ${i.path === '' ? '(root)' : i.path} [${i.keyword}] ${i.message}`).join('\n');
}
