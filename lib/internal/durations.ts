// Durations as text: Go's `time.Duration` strings (rate-limit headers, Google's RetryInfo) and k6's durations
// (options and scenarios), which are Go's plus whole days and bare numbers.

// Nanoseconds per unit, as Go's time.ParseDuration defines them. Both micro signs are Go's:
// U+00B5 (micro sign) and U+03BC (Greek small letter mu).
const UNIT_NS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  '\u00b5s': 1e3,
  '\u03bcs': 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

// One "<number><unit>" element. `ms`/`us`/`ns`/`µs` come before `m`/`s` in the alternation so
// `547ms` is never read as 547 minutes followed by garbage.
const ELEMENT = /(\d+\.?\d*|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/y;

/**
 * Parses a Go `time.Duration` string, the format of OpenAI's `x-ratelimit-reset-*` headers
 * (`20ms`, `547ms`, `1s`, `33.023s`, `1m0s`, `2m52.8s`, `6m0s`, `1h30m`) and of Google's
 * `RetryInfo.retryDelay` (`3.700s`), into milliseconds.
 *
 * Accepts what Go accepts for non-negative values: a sequence of decimal numbers, each with a unit
 * among `h`, `m`, `s`, `ms`, `us`, `µs`, `ns`, and the bare `0`. Signs are refused, because no
 * header this library reads carries a negative duration. Surrounding whitespace is ignored.
 * Anything else (an empty string, a bare number, an unknown unit) gives `undefined`.
 */
export function parseDuration(text: string): number | undefined {
  if (typeof text !== 'string') return undefined;
  const input = text.trim();
  if (input === '0') return 0;
  if (input === '') return undefined;
  let totalNs = 0;
  let at = 0;
  ELEMENT.lastIndex = 0;
  while (at < input.length) {
    ELEMENT.lastIndex = at;
    const match = ELEMENT.exec(input);
    if (!match || match.index !== at) return undefined;
    // Indexed, not destructured: array destructuring steps an iterator, which costs in k6's runtime.
    totalNs += scaled(match[1] as string, UNIT_NS[match[2] as string] as number);
    at += (match[0] as string).length;
  }
  return totalNs / 1e6;
}

// Integer and fraction are scaled separately, as Go does, so `33.023s` is exactly 33023 ms
// rather than 33.023 * 1000 in binary floating point.
function scaled(number: string, unitNs: number): number {
  const dot = number.indexOf('.');
  if (dot < 0) return Number(number) * unitNs;
  const whole = number.slice(0, dot);
  const fraction = number.slice(dot + 1);
  const wholeNs = whole === '' ? 0 : Number(whole) * unitNs;
  if (fraction === '') return wholeNs;
  return wholeNs + (Number(fraction) * unitNs) / Math.pow(10, fraction.length);
}

/**
 * Parses a k6 duration as k6 does (`types.ParseExtendedDuration` and `GetDurationValue` in k6's lib/types): a Go
 * duration string (`30s`, `1m30s`, `2h`, `500ms`), optionally led by whole days (`1d12h`), or a bare number, given
 * as a number or a numeric string, which k6 reads as milliseconds. Returns milliseconds, or `undefined` when the
 * value is not a non-negative duration.
 */
export function parseK6Duration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^(\d+\.?\d*|\.\d+)$/.test(text)) return Number(text);
  const days = /^(\d+)d(.*)$/.exec(text);
  if (days) {
    const rest = days[2] === '' ? 0 : parseDuration(days[2] as string);
    return rest === undefined ? undefined : Number(days[1]) * 86_400_000 + rest;
  }
  return parseDuration(text);
}
