// ShareGPT-style conversation dumps: `{ id?, conversations: [{ from, value }] }` records, as a JSON
// array or one per line. The load test replays each conversation up to its last human turn; the
// recorded answer to that turn sizes the expected output.
import type { ChatMessage } from '../providers/types';
import { isRecord } from '../internal/values';
import { addRow, normalizeRow, RowError, untilLastUserTurn, type CorpusRow, type ParsedCorpus } from './corpus-row';
import { parseLines } from './line-framing';

/** Speaker names seen in ShareGPT-derived datasets, mapped to chat roles. */
const SPEAKERS: Record<string, ChatMessage['role']> = {
  human: 'user',
  user: 'user',
  gpt: 'assistant',
  chatgpt: 'assistant',
  bard: 'assistant',
  bing: 'assistant',
  assistant: 'assistant',
  model: 'assistant',
  system: 'system',
};

/** True when a record looks like ShareGPT (it has a `conversations` array). */
export function isShareGPTRecord(value: unknown): boolean {
  return isRecord(value) && Array.isArray(value.conversations);
}

/** One ShareGPT record as a corpus row. System turns join `system`; empty turns are dropped. Throws `RowError`. */
export function shareGPTRow(value: unknown): CorpusRow {
  if (!isShareGPTRecord(value)) throw new RowError('invalid ShareGPT record: expected { conversations: [{ from, value }] }');
  const record = value as Record<string, unknown>;
  const turns = record.conversations as unknown[];
  const messages: ChatMessage[] = [];
  const system: string[] = [];
  turns.forEach((turn, i) => {
    const from = isRecord(turn) ? (turn.from ?? turn.role) : undefined;
    const text = isRecord(turn) ? (turn.value ?? turn.content) : undefined;
    const role = typeof from === 'string' ? SPEAKERS[from.toLowerCase()] : undefined;
    if (!role) throw new RowError(`invalid conversations[${i}].from: expected one of ${Object.keys(SPEAKERS).join(', ')}, got ${JSON.stringify(from)}`);
    if (typeof text !== 'string') throw new RowError(`invalid conversations[${i}].value: expected a string, got ${typeof text}`);
    if (text.trim() === '') return;
    if (role === 'system') system.push(text);
    else messages.push({ role, content: text });
  });
  const cut = untilLastUserTurn(messages);
  // Other scalar fields (id, lang, ...) become tags as in every other format.
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(record)) if (key !== 'conversations') rest[key] = record[key];
  const row = normalizeRow({ ...rest, messages: cut.messages, system: system.join('\n\n') || undefined });
  if (cut.expectedOutputTokens !== undefined) row.expectedOutputTokens = cut.expectedOutputTokens;
  return row;
}

/** A record of a JSON Lines or JSON array corpus: a ShareGPT record, or a row of the common shape. */
export function anyRow(value: unknown): CorpusRow {
  return isShareGPTRecord(value) ? shareGPTRow(value) : normalizeRow(value);
}

/** A ShareGPT dump: a JSON array of records, or JSON Lines with one record per line. */
export function parseShareGPT(text: string): ParsedCorpus {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trimStart().startsWith('[')) {
    let records: unknown;
    try {
      records = JSON.parse(body);
    } catch (err) {
      return { rows: [], issues: [{ message: `invalid JSON: ${(err as Error).message}` }] };
    }
    const parsed: ParsedCorpus = { rows: [], issues: [] };
    (records as unknown[]).forEach((record, i) => addRow(parsed, shareGPTRow, record, { record: i + 1 }));
    return parsed;
  }
  return parseLines(body, shareGPTRow);
}
