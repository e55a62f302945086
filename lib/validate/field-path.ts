/** A field path parsed once: its segments and its JSON pointer form. */
export interface FieldPath {
  /** As the user wrote it, for messages. */
  source: string;
  segments: string[];
  pointer: string;
}

/**
 * Parses a JSON pointer (`/a/b/0`, RFC 6901 escapes `~0` `~1`) or a dot-path (`a.b.0`, `a.b[0].c`).
 * Throws on an empty or malformed path: that is a script error, found in the init context.
 */
export function parseFieldPath(path: string): FieldPath {
  if (typeof path !== 'string' || path === '') {
    throw new TypeError(`invalid field path: expected a dot-path or JSON pointer, got ${JSON.stringify(path)}`);
  }
  const segments = path.startsWith('/') ? parsePointer(path) : parseDotPath(path);
  return { source: path, segments, pointer: toPointer(segments) };
}

function parsePointer(path: string): string[] {
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parseDotPath(path: string): string[] {
  const segments: string[] = [];
  for (const part of path.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m || (m[1] === '' && m[2] === '')) {
      throw new TypeError(`invalid field path: expected a dot-path like "a.b[0].c", got ${JSON.stringify(path)}`);
    }
    if (m[1] !== '') segments.push(m[1] as string);
    for (const index of (m[2] as string).match(/\d+/g) ?? []) segments.push(index);
  }
  return segments;
}

export function toPointer(segments: readonly string[]): string {
  return segments.map((s) => '/' + s.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** Where a lookup stopped: `missingAt` is the index of the first segment that is absent, or -1 when all are present. */
export function lookup(value: unknown, segments: readonly string[]): { missingAt: number; parent: unknown } {
  let current = value;
  for (let i = 0; i < segments.length; i++) {
    const key = segments[i] as string;
    if (Array.isArray(current)) {
      if (!/^(?:0|[1-9]\d*)$/.test(key) || Number(key) >= current.length) return { missingAt: i, parent: current };
      current = current[Number(key)];
    } else if (current !== null && typeof current === 'object' && Object.prototype.hasOwnProperty.call(current, key)) {
      current = (current as Record<string, unknown>)[key];
    } else {
      return { missingAt: i, parent: current };
    }
  }
  return { missingAt: -1, parent: undefined };
}
