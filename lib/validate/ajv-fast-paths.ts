/**
 * Cheaper equivalents of ajv's most expensive checks in Sobek, k6's JavaScript engine, where a JavaScript loop
 * costs about 1 µs a character and one native regex test a few µs. Each gives exactly ajv's (and ajv-formats')
 * answer, error object and error order: it only skips work whose outcome is already known. On the 20-property
 * bench schema (bench/validate/schema-20.ts) they cut ajv's time per valid answer in k6 to about a third
 * (210–430 -> 70–140 µs); docs/validation.md, "Cost per validation in k6", has the breakdown.
 */
import type Ajv from 'ajv';
import { _, type CodeKeywordDefinition, type Format, type FormatDefinition, type KeywordCxt } from 'ajv';
import { countCodePoints } from './code-points';

/**
 * ajv counts a string's code points with a JavaScript loop before every `maxLength` / `minLength` check: ~170 µs
 * for the bench schema's three strings. The UTF-16 length bounds the count (length / 2 <= code points <= length),
 * so the count only runs when the length cannot decide: `maxLength` fails only if the length exceeds it, and
 * `minLength` passes whenever the length is at least twice it. Registered in ajv's place, before `pattern`, so
 * errors keep their order.
 */
export function useFastLengths(ajv: Ajv): void {
  const original = ajv.getKeyword('maxLength');
  if (typeof original !== 'object' || ajv.getKeyword('minLength') === false) return;
  ajv.removeKeyword('maxLength').removeKeyword('minLength');
  ajv.addKeyword({
    keyword: ['maxLength', 'minLength'],
    type: 'string',
    schemaType: 'number',
    $data: true,
    error: (original as CodeKeywordDefinition).error,
    before: 'pattern',
    code(cxt: KeywordCxt) {
      const { keyword, data, schemaCode, gen } = cxt;
      // Standalone code calls ajv's own counter (same count: test/unit/validate/fast-paths.test.ts); no k6-llm module needed.
      const count = gen.scopeValue('func', { ref: countCodePoints, code: _`require("ajv/dist/runtime/ucs2length").default` });
      cxt.fail$data(
        keyword === 'maxLength'
          ? _`${data}.length > ${schemaCode} && ${count}(${data}) > ${schemaCode}`
          : _`${data}.length < 2 * ${schemaCode} && ${count}(${data}) < ${schemaCode}`,
      );
    },
  });
}

/**
 * For each format, a regex (RE2-compatible, so Sobek runs it natively) that accepts only values ajv-formats' full
 * check accepts: the common shapes. A value it matches is valid with one test; any other value (an invalid one, a
 * leap day or leap second, an IPv6 host, a URI with user info...) goes to ajv-formats' own check, so the outcome
 * is always ajv-formats'. ajv-formats' `date-time` splits the string and runs two capturing regexes and date
 * arithmetic (~15-20 µs a value in Sobek), its `uri` two regexes, one of 3 KB (~8 µs); the fast tests take 1-2 µs.
 * `email` and `uuid` are already one RE2-compatible regex each and keep ajv-formats' check.
 *
 * Literals, not RegExps built from shared parts: k6 compiles a literal once for all VUs and a `new RegExp(...)` again
 * in every VU. A date is YYYY-MM-DD with days 29, 30 and 31 only in months that always have them; a time hh:mm:ss
 * with an optional fraction and a Z or ±hh[:mm] offset; a URI character unreserved, a sub-delim, ':', '@' or %XX.
 */
export const FORMAT_FAST_PATHS: Readonly<Record<string, RegExp>> = Object.freeze({
  date: /^\d{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)$/,
  time: /^(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:[Zz]|[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?)$/,
  'date-time': /^\d{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)[Tt ](?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:[Zz]|[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?)$/,
  // scheme://host[:port][/path][?query][#fragment], with a host of unreserved characters only.
  uri: /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[A-Za-z0-9._~-]+(?::\d+)?(?:\/(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})*)*(?:\?(?:(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})|[/?])*)?(?:#(?:(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})|[/?])*)?$/,
});

type StringCheck = (value: string) => boolean;

/** ajv-formats' check as a function, or undefined for a shape this module leaves alone. */
function checkOf(format: Format | undefined): StringCheck | undefined {
  if (typeof format === 'function') return format as StringCheck;
  if (format !== null && typeof format === 'object' && !(format instanceof RegExp) && typeof format.validate === 'function' && !format.async) {
    return format.validate as StringCheck;
  }
  return undefined;
}

/**
 * The format with `fast` tried first: `{ validate, compare? }`, the other fields kept. The standalone module
 * builds the same object with `__k6llmFastFormats` (compile-schemas.ts); keep the two in step.
 */
export function withFastPath(fast: RegExp, format: Format | undefined): FormatDefinition<string> | undefined {
  const full = checkOf(format);
  if (full === undefined) return undefined;
  const validate = (value: string): boolean => fast.test(value) || full(value);
  return typeof format === 'function' ? { validate } : { ...(format as FormatDefinition<string>), validate };
}

/** Puts the fast paths in front of the formats ajv-formats added to `ajv`. Call after `addFormats(ajv)`. */
export function useFastFormats(ajv: Ajv): void {
  for (const [name, fast] of Object.entries(FORMAT_FAST_PATHS)) {
    const format = withFastPath(fast, ajv.formats[name]);
    if (format) ajv.addFormat(name, format);
  }
}
