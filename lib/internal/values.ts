// Values of unknown type: what every module that takes untrusted input or options needs to ask of them.

/** A plain object (not null, not an array): what a JSON object parses to. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A misused value as the "got X" of an error message ("invalid X: expected Y, got Z"): a string quoted, a number or
 * boolean as written, `null` and `undefined` as such, a function by its name, an array or plain object as compact
 * JSON, any other object by its class (`a Uint8Array`). Cut to 80 characters, so a huge value never floods a log.
 */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(cut(value, 60));
  if (typeof value === 'function') return value.name ? `the function ${value.name}` : 'a function';
  if (typeof value !== 'object' || value === null) return String(value);
  const proto: unknown = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name !== '' ? `a ${name}` : 'an object';
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    // a cycle or a BigInt inside
  }
  return text === undefined ? (Array.isArray(value) ? 'an array' : 'an object') : cut(text, 80);
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
