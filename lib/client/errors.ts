// The failure class of an attempt: the `error_type` tag of `llm_errors` and `LlmResult.errorType`.
import { isSuccessStatus } from '../internal/http-status';
import type { AttemptResult } from '../transports/types';

/** The failure class of an attempt, or undefined when it succeeded. */
export function errorTypeOf(attempt: Pick<AttemptResult, 'status' | 'errorCode' | 'completion'>): string | undefined {
  if (attempt.errorCode) return attempt.errorCode;
  if (attempt.status === 429) return 'rate_limited';
  if (!isSuccessStatus(attempt.status)) return `http_${attempt.status}`;
  if (attempt.completion.error) return attempt.completion.error.type;
  if (!attempt.completion.complete) return 'incomplete';
  return undefined;
}
