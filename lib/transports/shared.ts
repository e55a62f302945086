import { isSuccessStatus } from '../internal/http-status';
import { headerValue } from '../internal/headers';

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
