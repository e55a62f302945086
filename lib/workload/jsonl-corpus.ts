// JSONL corpora: one prompt per line, as a string, a `{ prompt | messages, ... }` object
// (chat fine-tuning files fit as they are) or a ShareGPT record.
import type { ParsedCorpus } from './corpus-row';
import { parseLines } from './line-framing';
import { anyRow } from './sharegpt-corpus';

/** Parses JSON Lines; blank lines are skipped, a malformed or unusable line is an issue carrying its line number. */
export function parseJSONL(text: string): ParsedCorpus {
  return parseLines(text, anyRow);
}
