// Hand-written parsers rather than Date.parse: Date.parse accepts whatever the engine likes
// (k6's runtime and Node differ), and "accepts garbage" is exactly what a retry policy must not do.

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
// RFC 9110 §5.6.7: a recipient MUST accept all three HTTP-date forms, though senders use only the first. Written as
// literals: k6 compiles a literal once for every VU, where `new RegExp(text)` is compiled again in each VU.
const IMF_FIXDATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC850_DATE =
  /^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\d{2})-(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME_DATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ( \d|\d{2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Parses an HTTP-date (RFC 9110 §5.6.7): the IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, and the
 * obsolete RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`) forms.
 * Returns epoch milliseconds, or `undefined` for anything else, including impossible dates.
 * `nowMs` places an RFC 850 two-digit year: one more than 50 years ahead is taken as the past century.
 */
export function parseHttpDate(text: string, nowMs: number = Date.now()): number | undefined {
  let match = IMF_FIXDATE.exec(text);
  if (match) return utc(+match[3]!, match[2]!, +match[1]!, match[4]!, match[5]!, match[6]!);
  match = RFC850_DATE.exec(text);
  if (match) {
    const nowYear = new Date(nowMs).getUTCFullYear();
    let year = Math.floor(nowYear / 100) * 100 + Number(match[3]);
    if (year > nowYear + 50) year -= 100;
    return utc(year, match[2]!, +match[1]!, match[4]!, match[5]!, match[6]!);
  }
  match = ASCTIME_DATE.exec(text);
  if (match) return utc(+match[6]!, match[1]!, +match[2]!.trim(), match[3]!, match[4]!, match[5]!);
  return undefined;
}

/**
 * Parses an RFC 3339 timestamp (`2025-08-21T12:40:59Z`, `2025-08-21T12:40:59.5+02:00`), the form
 * of Anthropic's `anthropic-ratelimit-*-reset` headers, into epoch milliseconds; `undefined` otherwise.
 */
export function parseRfc3339(text: string): number | undefined {
  const match = RFC3339.exec(text);
  if (!match) return undefined;
  // Indexed, not destructured: array destructuring steps an iterator, which costs in k6's runtime.
  const fraction = match[7];
  const zone = match[8];
  const base = utcNumeric(+match[1]!, +match[2]! - 1, +match[3]!, +match[4]!, +match[5]!, +match[6]!);
  if (base === undefined) return undefined;
  const fractionMs = fraction ? Number(`0${fraction}`) * 1000 : 0;
  let offsetMs = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone!.startsWith('-') ? -1 : 1;
    const hours = Number(zone!.slice(1, 3));
    const minutes = Number(zone!.slice(4, 6));
    if (hours > 23 || minutes > 59) return undefined;
    offsetMs = sign * (hours * 60 + minutes) * 60_000;
  }
  return base + fractionMs - offsetMs;
}

function utc(year: number, monthName: string, day: number, hour: string, minute: string, second: string): number | undefined {
  return utcNumeric(year, MONTHS.indexOf(monthName.toLowerCase()), day, +hour, +minute, +second);
}

// Date.UTC rolls 31 Feb over into March; a date that does not survive the round trip is refused.
// A leap second (:60) is refused too: HTTP-date allows it in grammar, no server sends it.
function utcNumeric(year: number, month: number, day: number, hour: number, minute: number, second: number): number | undefined {
  if (month < 0 || month > 11 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = Date.UTC(year, month, day, hour, minute, second);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month || check.getUTCDate() !== day) return undefined;
  return ms;
}
