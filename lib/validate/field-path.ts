/** A field path parsed once: its segments and its JSON pointer form. */
export interface FieldPath {
  /** As the user wrote it, for messages. */
  source: string;
  segments: string[];
  /** Per segment, its value as a canonical array index (`0`, `12`; not `01`), or -1: worked out here, not per response. */
  indexes: number[];
  /** Per segment, whether plain objects inherit a property of that name (`toString`, `constructor`...). */
  inherited: boolean[];
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
  return { source: path, segments, indexes: segments.map(toIndex), inherited: segments.map((s) => s in Object.prototype), pointer: toPointer(segments) };
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

function toIndex(segment: string): number {
  return /^(?:0|[1-9]\d*)$/.test(segment) ? Number(segment) : -1;
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Index of the first segment of `path` that `value` lacks, or -1 when all are present. Only own properties count.
 * `value` is parsed JSON, so a property read as undefined is absent, and only a name plain objects inherit needs
 * the (in Sobek, costlier) own-property check.
 */
export function missingAt(value: unknown, path: FieldPath): number {
  const { segments, indexes, inherited } = path;
  let current = value;
  for (let i = 0; i < segments.length; i++) {
    if (Array.isArray(current)) {
      const index = indexes[i] as number;
      if (index < 0 || index >= current.length) return i;
      current = current[index];
    } else if (current !== null && typeof current === 'object') {
      const key = segments[i] as string;
      const next = (current as Record<string, unknown>)[key];
      if (next === undefined || (inherited[i] && !hasOwn.call(current, key))) return i;
      current = next;
    } else {
      return i;
    }
  }
  return -1;
}

/** The value at the first `depth` segments of `path`, all of them present (`depth` <= what `missingAt` returned). */
export function valueAt(value: unknown, path: FieldPath, depth: number): unknown {
  let current = value;
  for (let i = 0; i < depth; i++) {
    current = Array.isArray(current) ? current[path.indexes[i] as number] : (current as Record<string, unknown>)[path.segments[i] as string];
  }
  return current;
}
