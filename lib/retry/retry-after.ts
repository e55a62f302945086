import { parseDuration } from '../internal/durations';
import { headerLookup, type HeaderMap } from '../internal/headers';
import { parseHttpDate } from './timestamps';

// A plain non-negative decimal: RFC 9110's delay-seconds is `1*DIGIT`, the SDKs parseFloat and so
// accept fractions; this accepts fractions but not what parseFloat would also swallow ("1.5s", "1e3", "-1").
const NON_NEGATIVE_DECIMAL = /^(\d+\.?\d*|\.\d+)$/;

/**
 * The delay a server asked for, in milliseconds, or `undefined` when it asked for none.
 *
 * Precedence follows the official OpenAI and Anthropic SDKs: the non-standard `retry-after-ms`
 * first (a float; an explicit `0` is honoured, as openai-node does), then `Retry-After` as
 * delay-seconds (fractions allowed) or as an HTTP-date, which gives `date - nowMs`, never below 0.
 * A header that is not one of those forms is ignored, so garbage gives `undefined` rather than 0.
 * No cap here: capping is the policy's business (`backoffMs`'s `maxRetryAfterMs`).
 */
export function retryAfterMs(headers: HeaderMap | undefined, nowMs: number = Date.now()): number | undefined {
  const header = headerLookup(headers);
  const ms = header('retry-after-ms');
  if (ms !== undefined && NON_NEGATIVE_DECIMAL.test(ms)) return Number(ms);
  const after = header('retry-after');
  if (after === undefined) return undefined;
  if (NON_NEGATIVE_DECIMAL.test(after)) return Number(after) * 1000;
  const date = parseHttpDate(after, nowMs);
  return date === undefined ? undefined : Math.max(0, date - nowMs);
}

/**
 * The delay in a Google error body's `google.rpc.RetryInfo` detail (`"retryDelay": "27s"`, a
 * protobuf Duration), in milliseconds; Gemini sends it with 429 `RESOURCE_EXHAUSTED` instead of
 * a `Retry-After` header. Takes the body as text or parsed JSON; `undefined` when there is none.
 */
export function retryInfoDelayMs(body: unknown): number | undefined {
  const parsed = typeof body === 'string' ? parseJson(body) : body;
  const details = (parsed as { error?: { details?: unknown } } | undefined)?.error?.details;
  if (!Array.isArray(details)) return undefined;
  for (const detail of details) {
    const record = detail as { '@type'?: unknown; retryDelay?: unknown } | null;
    if (
      record &&
      typeof record['@type'] === 'string' &&
      record['@type'].endsWith('google.rpc.RetryInfo') &&
      typeof record.retryDelay === 'string'
    ) {
      return parseDuration(record.retryDelay);
    }
  }
  return undefined;
}

/** Parses JSON text, or `undefined` when it is not JSON. Bodies of failed responses often are not. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
