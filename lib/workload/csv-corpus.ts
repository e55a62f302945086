// CSV corpora, RFC 4180: comma-separated fields, fields in double quotes may hold commas,
// line breaks and doubled quotes (""). The first record is the header. LF line ends are
// accepted as well as the RFC's CRLF, since most tools write LF.
import { addRow, normalizeRow, RowError, type CorpusIssue, type CorpusRow, type ParsedCorpus } from './corpus-row';

/** One CSV record and the line it starts on (1-based). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** Splits CSV text into records. A record that breaks the quoting rules is an issue, and reading goes on at the next line. */
export function parseCSVRecords(text: string): { records: CsvRecord[]; issues: CorpusIssue[] } {
  const records: CsvRecord[] = [];
  const issues: CorpusIssue[] = [];
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let i = 0;
  let line = 1;
  while (i < src.length) {
    const startLine = line;
    const fields: string[] = [];
    let field = '';
    let error: string | undefined;
    let quoted = false;
    let atFieldStart = true;
    let endOfRecord = false;
    while (i < src.length && !endOfRecord) {
      const c = src[i] as string;
      if (quoted) {
        if (c === '"') {
          if (src[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          quoted = false;
          i++;
          const next = src[i];
          if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
            error = `invalid CSV: expected a comma or a line end after a closing quote, got ${JSON.stringify(next)}`;
          }
          continue;
        }
        if (c === '\n') line++;
        field += c;
        i++;
        continue;
      }
      if (c === '"' && atFieldStart) {
        quoted = true;
        atFieldStart = false;
        i++;
      } else if (c === ',') {
        fields.push(field);
        field = '';
        atFieldStart = true;
        i++;
      } else if (c === '\n' || c === '\r') {
        i += c === '\r' && src[i + 1] === '\n' ? 2 : 1;
        line++;
        endOfRecord = true;
      } else {
        field += c;
        atFieldStart = false;
        i++;
      }
    }
    if (quoted) error = 'invalid CSV: a quoted field is not closed before the end of the file';
    fields.push(field);
    if (error) {
      issues.push({ line: startLine, message: error });
      if (quoted) break;
      continue;
    }
    // A blank line is no record (RFC 4180 has none; editors leave them, trailing ones especially).
    if (fields.length === 1 && fields[0] === '') continue;
    records.push({ line: startLine, fields });
  }
  return { records, issues };
}

const NUMERIC_COLUMNS = new Set(['expectedOutputTokens', 'expected_output_tokens', 'maxTokens', 'max_tokens']);

/**
 * A CSV corpus: a header with a `prompt` column (or `messages`, a JSON array per cell), and optional `system`,
 * `expected_output_tokens`, `max_tokens`; every other column becomes a tag. Empty cells are absent values.
 */
export function parseCSV(text: string): ParsedCorpus {
  const { records, issues } = parseCSVRecords(text);
  const parsed: ParsedCorpus = { rows: [], issues };
  const header = records[0];
  if (!header) return { rows: [], issues: issues.length ? issues : [{ message: 'invalid CSV: expected a header row, got an empty file' }] };
  const columns = header.fields.map((name) => name.trim());
  if (!columns.includes('prompt') && !columns.includes('messages')) {
    issues.push({ line: header.line, message: `invalid CSV header: expected a "prompt" or "messages" column, got ${columns.join(', ')}` });
    return parsed;
  }
  for (const record of records.slice(1)) {
    if (record.fields.length !== columns.length) {
      issues.push({ line: record.line, message: `invalid CSV record: expected ${columns.length} fields, got ${record.fields.length}` });
      continue;
    }
    addRow(parsed, (fields) => csvRow(columns, fields as string[]), record.fields, { line: record.line });
  }
  return parsed;
}

/** One record's cells under their column names, as a row. Throws `RowError`. */
function csvRow(columns: readonly string[], fields: readonly string[]): CorpusRow {
  const value: Record<string, unknown> = {};
  columns.forEach((name, k) => {
    const cell = fields[k] as string;
    if (cell === '') return;
    if (name === 'messages') {
      try {
        value.messages = JSON.parse(cell);
      } catch {
        throw new RowError('invalid messages: expected a JSON array in the cell, got text that is not JSON');
      }
    } else value[name] = NUMERIC_COLUMNS.has(name) ? cell.trim() : cell;
  });
  return normalizeRow(value);
}
