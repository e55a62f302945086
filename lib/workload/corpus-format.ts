// Which parser a corpus needs, and the dispatch to it. Pure: the k6 edge reads the file.
import { addRow, type CorpusIssue, type ParsedCorpus } from './corpus-row';
import { parseCSV } from './csv-corpus';
import { parseJSONL } from './jsonl-corpus';
import { anyRow, parseShareGPT } from './sharegpt-corpus';

/** Corpus file formats. `json` is a JSON array of rows; `auto` picks by file extension, then by content. */
export type CorpusFormat = 'jsonl' | 'csv' | 'sharegpt' | 'json' | 'auto';

const EXTENSIONS: Record<string, Exclude<CorpusFormat, 'auto'>> = { jsonl: 'jsonl', ndjson: 'jsonl', csv: 'csv' };

/** The format of a corpus from its path's extension and, failing that, its first non-blank character. */
export function detectFormat(text: string, path?: string): Exclude<CorpusFormat, 'auto'> {
  const ext = path ? /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() : undefined;
  const byExt = ext ? EXTENSIONS[ext] : undefined;
  if (byExt) return byExt;
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('[')) return /^\[\s*\{[^]*?"conversations"\s*:/.test(start.slice(0, 4096)) ? 'sharegpt' : 'json';
  if (start.startsWith('{') || start.startsWith('"')) return 'jsonl';
  return 'csv';
}

/** A JSON array of rows (strings, `{ prompt | messages, ... }` objects or ShareGPT records). */
export function parseJSONArray(text: string): ParsedCorpus {
  let values: unknown;
  try {
    values = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return { rows: [], issues: [{ message: `invalid JSON: ${(err as Error).message}` }] };
  }
  if (!Array.isArray(values)) return { rows: [], issues: [{ message: 'invalid JSON corpus: expected an array of rows' }] };
  const parsed: ParsedCorpus = { rows: [], issues: [] };
  values.forEach((value, i) => addRow(parsed, anyRow, value, { record: i + 1 }));
  return parsed;
}

const PARSERS: Record<Exclude<CorpusFormat, 'auto'>, (text: string) => ParsedCorpus> = {
  jsonl: parseJSONL,
  csv: parseCSV,
  sharegpt: parseShareGPT,
  json: parseJSONArray,
};

/** Parses corpus text in the given format (`auto` detects it, using `path` when known). */
export function parseCorpus(text: string, format: CorpusFormat = 'auto', path?: string): ParsedCorpus {
  const parser = PARSERS[format === 'auto' ? detectFormat(text, path) : format];
  if (!parser) throw new Error(`invalid corpus format: expected one of jsonl, csv, sharegpt, json, auto, got ${JSON.stringify(format)}`);
  return parser(text);
}

/** One line per issue, for an init-time error or a warning: `line 4: invalid JSON: ...`. */
export function formatIssues(issues: readonly CorpusIssue[], max = 5): string {
  const lines = issues.slice(0, max).map((issue) => {
    const where = issue.line !== undefined ? `line ${issue.line}: ` : issue.record !== undefined ? `record ${issue.record}: ` : '';
    return `${where}${issue.message}`;
  });
  if (issues.length > max) lines.push(`... and ${issues.length - max} more`);
  return lines.join('\n');
}
