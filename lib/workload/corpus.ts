// The k6 edge of corpora: k6's open() reads the file and a SharedArray holds the parsed rows,
// both in the init context. The factory runs once per test process and every VU reads the same
// memory, so a large corpus costs its size once, not once per VU.
import { SharedArray } from 'k6/data';
import type { CorpusRow } from './corpus-row';
import { formatIssues, parseCorpus, type CorpusFormat } from './corpus-format';

/** Options of `loadCorpus`. */
export interface LoadCorpusOptions {
  /** @default 'auto' (by file extension, then by content) */
  format?: CorpusFormat;
  /**
   * What an unusable record does. `throw` stops the test in the init context, naming the lines, since a
   * silently smaller corpus skews the traffic mix; `skip` drops such records with one warning.
   * @default 'throw'
   */
  invalid?: 'throw' | 'skip';
  /** Keep only the first `limit` rows. */
  limit?: number;
}

/** A corpus source: a path for k6's `open()` (relative to the script file), or the text itself. */
export type CorpusSource = string | { path: string } | { text: string };

// A path never starts like JSON or spans lines; corpus text (CSV needs a header line) always does one or the other.
function looksLikeText(source: string): boolean {
  return source.includes('\n') || /^\s*[[{"]/.test(source);
}

/** Reads and parses the corpus; pure apart from `open`, so the edge stays one line. */
export function readCorpus(name: string, source: CorpusSource, options: LoadCorpusOptions, read: (path: string) => string): CorpusRow[] {
  let text: string;
  let path: string | undefined;
  if (typeof source === 'string') {
    if (looksLikeText(source)) text = source;
    else text = read((path = source));
  } else if (source && typeof (source as { path?: unknown }).path === 'string') {
    path = (source as { path: string }).path;
    text = read(path);
  } else if (source && typeof (source as { text?: unknown }).text === 'string') {
    text = (source as { text: string }).text;
  } else {
    throw new Error(`invalid corpus source for "${name}": expected a path, { path } or { text }, got ${typeof source}`);
  }
  const { rows, issues } = parseCorpus(text, options.format ?? 'auto', path);
  const where = path ? ` (${path})` : '';
  if (issues.length > 0) {
    const report = `corpus "${name}"${where}: ${issues.length} unusable record(s)\n${formatIssues(issues)}`;
    if ((options.invalid ?? 'throw') === 'throw') throw new Error(`invalid ${report}`);
    console.warn(`skipping ${report}`);
  }
  if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit <= 0)) {
    throw new Error(`invalid limit: expected a positive integer, got ${String(options.limit)}`);
  }
  const kept = options.limit !== undefined ? rows.slice(0, options.limit) : rows;
  if (kept.length === 0) throw new Error(`invalid corpus "${name}"${where}: expected at least one usable row, got none`);
  return kept;
}

/**
 * Loads a prompt corpus into a k6 `SharedArray` of normalized rows. Call it in the init context (top level of the
 * script). The name must be unique per script: k6 shares arrays between VUs by name.
 */
export function loadCorpus(name: string, source: CorpusSource, options: LoadCorpusOptions = {}): readonly CorpusRow[] {
  return new SharedArray<CorpusRow>(name, () => readCorpus(name, source, options, (path) => open(path)));
}
