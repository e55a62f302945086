// JSON Lines framing shared by the JSONL and ShareGPT readers: one JSON value per line.
import { addRow, type CorpusRow, type ParsedCorpus } from './corpus-row';

/** JSON Lines: one JSON value per line; blank lines are skipped, a bad line is an issue with its number. */
export function parseLines(text: string, toRow: (value: unknown) => CorpusRow): ParsedCorpus {
  const parsed: ParsedCorpus = { rows: [], issues: [] };
  const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split('\n');
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      parsed.issues.push({ line: i + 1, message: `invalid JSON: ${(err as Error).message}` });
      return;
    }
    addRow(parsed, toRow, value, { line: i + 1 });
  });
  return parsed;
}
