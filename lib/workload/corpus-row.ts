// The one normalized shape every corpus format becomes, and the checks that make a raw
// record into it. Parsers report a bad record as an issue with its line; they never throw.
import type { ChatMessage } from '../providers/types';
import { describe, isRecord } from '../internal/values';
import { estimateTokens } from '../internal/token-estimate';

/** One prompt of a corpus, whatever the file format. */
export interface CorpusRow {
  /** A single user message. A row has `prompt` or `messages`, never both. */
  prompt?: string;
  /** A conversation ending in the user turn to answer. */
  messages?: ChatMessage[];
  system?: string;
  /** How long an answer to this prompt usually is (e.g. the recorded answer's length), in tokens. */
  expectedOutputTokens?: number;
  /** An output cap to send with this prompt. */
  maxTokens?: number;
  /** Every other scalar field of the record, as strings (a category, an id, a weight...). */
  tags?: Record<string, string>;
}

/** A record that could not be used, and where it is: `line` for JSONL and CSV, `record` (1-based) for a JSON array. */
export interface CorpusIssue {
  line?: number;
  record?: number;
  message: string;
}

/** What a parser returns: the usable rows, and an issue for every record it skipped. */
export interface ParsedCorpus {
  rows: CorpusRow[];
  issues: CorpusIssue[];
}

const ROLES = ['system', 'user', 'assistant', 'tool'];
const KNOWN_FIELDS = new Set([
  'prompt', 'messages', 'system', 'tags', 'expectedOutputTokens', 'expected_output_tokens', 'maxTokens', 'max_tokens',
]);

/** A row-level problem; parsers turn it into an issue with the record's location. */
export class RowError extends Error {
  readonly type = 'invalid-row';
}

/**
 * Turns a record into a row and adds it to `parsed`; a record `toRow` rejects (a `RowError`) becomes an issue at
 * `where` instead. Any other error is a bug and is thrown.
 */
export function addRow(parsed: ParsedCorpus, toRow: (value: unknown) => CorpusRow, value: unknown, where: Omit<CorpusIssue, 'message'>): void {
  try {
    parsed.rows.push(toRow(value));
  } catch (err) {
    if (!(err instanceof RowError)) throw err;
    parsed.issues.push({ ...where, message: err.message });
  }
}

/** A positive integer from a number or a numeric string (CSV cells are strings); undefined when absent or empty. */
export function tokenCount(field: string, value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'string' ? Number(value.trim()) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) {
    throw new RowError(`invalid ${field}: expected a positive integer, got ${describe(value)}`);
  }
  return n;
}

function chatMessage(value: unknown, i: number): ChatMessage {
  if (!isRecord(value) || typeof value.role !== 'string' || !ROLES.includes(value.role)) {
    throw new RowError(`invalid messages[${i}]: expected { role: ${ROLES.join(' | ')}, content }, got ${describe(value)}`);
  }
  if (typeof value.content !== 'string') {
    throw new RowError(`invalid messages[${i}].content: expected a string, got ${describe(value.content)}`);
  }
  const message: ChatMessage = { role: value.role as ChatMessage['role'], content: value.content };
  if (typeof value.name === 'string') message.name = value.name;
  if (typeof value.tool_call_id === 'string') message.toolCallId = value.tool_call_id;
  if (typeof value.toolCallId === 'string') message.toolCallId = value.toolCallId;
  return message;
}

/**
 * Cuts a recorded conversation after its last user turn: that is the turn the load test asks the
 * model to answer. The recorded answer after it, if any, sizes the expected output.
 */
export function untilLastUserTurn(messages: ChatMessage[]): { messages: ChatMessage[]; expectedOutputTokens?: number } {
  let last = -1;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]?.role === 'user') {
      last = i;
      break;
    }
  }
  if (last < 0) throw new RowError('invalid messages: expected a user turn, got none');
  const answer = messages[last + 1];
  const out: { messages: ChatMessage[]; expectedOutputTokens?: number } = { messages: messages.slice(0, last + 1) };
  if (answer && answer.role === 'assistant' && answer.content !== '') out.expectedOutputTokens = estimateTokens(answer.content);
  return out;
}

/** Scalar fields other than the known ones become string tags; explicit `tags` win over them. */
function collectTags(record: Record<string, unknown>): Record<string, string> | undefined {
  const tags: Record<string, string> = {};
  let any = false;
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (KNOWN_FIELDS.has(key) || value === null || value === undefined || value === '') continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      tags[key] = String(value);
      any = true;
    }
  }
  if (record.tags !== undefined) {
    if (!isRecord(record.tags)) throw new RowError(`invalid tags: expected an object, got ${describe(record.tags)}`);
    for (const key of Object.keys(record.tags)) {
      tags[key] = String(record.tags[key]);
      any = true;
    }
  }
  return any ? tags : undefined;
}

/**
 * Normalizes one record: a string (a prompt), or an object with `prompt` or `messages` and optional `system`,
 * `expectedOutputTokens` (`expected_output_tokens`), `maxTokens` (`max_tokens`) and `tags`. Throws `RowError`.
 */
export function normalizeRow(value: unknown): CorpusRow {
  if (typeof value === 'string') {
    if (value.trim() === '') throw new RowError('invalid prompt: expected a non-empty string, got ""');
    return { prompt: value };
  }
  if (!isRecord(value)) throw new RowError(`invalid row: expected an object or a string, got ${describe(value)}`);
  const row: CorpusRow = {};
  const hasPrompt = value.prompt !== undefined && value.prompt !== '';
  const hasMessages = value.messages !== undefined;
  if (hasPrompt && hasMessages) throw new RowError('invalid row: expected prompt or messages, got both');
  if (hasPrompt) {
    if (typeof value.prompt !== 'string') throw new RowError(`invalid prompt: expected a string, got ${describe(value.prompt)}`);
    row.prompt = value.prompt;
  } else if (hasMessages) {
    if (!Array.isArray(value.messages)) throw new RowError(`invalid messages: expected an array, got ${describe(value.messages)}`);
    const cut = untilLastUserTurn(value.messages.map(chatMessage));
    row.messages = cut.messages;
    if (cut.expectedOutputTokens !== undefined) row.expectedOutputTokens = cut.expectedOutputTokens;
  } else {
    throw new RowError('invalid row: expected a prompt or messages, got neither');
  }
  if (value.system !== undefined && value.system !== '') {
    if (typeof value.system !== 'string') throw new RowError(`invalid system: expected a string, got ${describe(value.system)}`);
    row.system = value.system;
  }
  const expected = tokenCount('expectedOutputTokens', value.expectedOutputTokens ?? value.expected_output_tokens);
  if (expected !== undefined) row.expectedOutputTokens = expected;
  const maxTokens = tokenCount('maxTokens', value.maxTokens ?? value.max_tokens);
  if (maxTokens !== undefined) row.maxTokens = maxTokens;
  const tags = collectTags(value);
  if (tags) row.tags = tags;
  return row;
}
