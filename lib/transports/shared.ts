import { isSuccessStatus } from '../internal/http-status';
import { headerValue } from '../internal/headers';
import type { Completion } from '../providers/types';

/** A Completion for a response that carried nothing parseable. */
export function emptyCompletion(error?: { type: string; message: string }): Completion {
  const c: Completion = {
    text: '',
    reasoningText: '',
    toolCalls: [],
    usage: { source: 'none' },
    complete: false,
    contentEvents: 0,
  };
  if (error) c.error = error;
  return c;
}

/** A response that is a whole JSON document rather than the stream that was asked for (errors, servers that ignore `stream`). */
export function isWholeJson(headers: Record<string, string>): boolean {
  const type = headerValue(headers, 'content-type') ?? '';
  return type.includes('application/json') && !type.includes('ndjson');
}

/** The part of an error body worth keeping for the retry policy. */
export function errorBodyOf(status: number, body: string): string | undefined {
  if (isSuccessStatus(status)) return undefined;
  return body.length > 65_536 ? body.slice(0, 65_536) : body;
}
