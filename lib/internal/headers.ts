// Response headers by name, whatever their case: the one reader every module uses.
/**
 * Response headers as k6 and Node hand them over: names in any case (k6 canonicalizes them to
 * `Retry-After`, `X-Ratelimit-Remaining-Requests`...), a value or a list of values.
 */
export type HeaderMap = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Returns a lookup that finds a header by name regardless of case. Build it once per response:
 * it lower-cases the names a single time, so reading a dozen rate-limit headers stays one pass.
 * A repeated header (a list) yields its first value.
 */
export function headerLookup(headers: HeaderMap | undefined): (name: string) => string | undefined {
  return lookupIn(lowerCaseHeaders(headers) ?? {});
}

/**
 * The headers by lower-cased name, each with its first value trimmed; only names that match `only` when it is given.
 * Undefined when none is kept, so a caller can skip a response that has none of the headers it reads.
 */
export function lowerCaseHeaders(headers: HeaderMap | undefined, only?: RegExp): Record<string, string> | undefined {
  let byLowerName: Record<string, string> | undefined;
  if (!headers) return byLowerName;
  // for-in, not for-of over Object.keys: this runs on every response, and iterators cost in k6's runtime.
  for (const name in headers) {
    if (!Object.prototype.hasOwnProperty.call(headers, name) || (only !== undefined && !only.test(name))) continue;
    const value = headers[name];
    const first = typeof value === 'string' ? value : Array.isArray(value) ? value[0] : undefined;
    if (typeof first === 'string') {
      const key = name.toLowerCase();
      byLowerName ??= {};
      // Two spellings of one name ("retry-after" and "Retry-After"): keep the first seen, as a list would.
      if (!Object.prototype.hasOwnProperty.call(byLowerName, key)) byLowerName[key] = first.trim();
    }
  }
  return byLowerName;
}

/** A case-insensitive lookup over `lowerCaseHeaders`' result. */
export function lookupIn(byLowerName: Record<string, string>): (name: string) => string | undefined {
  return (name) => {
    const key = name.toLowerCase();
    return Object.prototype.hasOwnProperty.call(byLowerName, key) ? byLowerName[key] : undefined;
  };
}

/**
 * One header by name, case-insensitively, trimmed; a repeated header (a list) gives its first value. For one or two
 * reads of a response; `headerLookup` is cheaper for many.
 */
export function headerValue(headers: HeaderMap | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const lower = name.toLowerCase();
  for (const key in headers) {
    if (!Object.prototype.hasOwnProperty.call(headers, key) || key.toLowerCase() !== lower) continue;
    const value = headers[key];
    const first = typeof value === 'string' ? value : Array.isArray(value) ? value[0] : undefined;
    if (typeof first === 'string') return first.trim();
  }
  return undefined;
}
