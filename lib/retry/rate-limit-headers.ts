import { parseDuration } from '../internal/durations';
import { lookupIn, lowerCaseHeaders, type HeaderMap } from '../internal/headers';
import { parseRfc3339 } from './timestamps';

/** One rate-limit bucket as the server reported it. A field the server did not send is `undefined`. */
export interface RateLimitWindow {
  /** The bucket's size. */
  limit?: number;
  /**
   * What is left, exactly as reported. Negative values (including `-1`) are kept: Azure OpenAI has
   * sent `-1`, `0` and negative remaining counts, and hiding them would hide that quirk from the report.
   */
  remaining?: number;
  /** Milliseconds from the response until the bucket is fully replenished (not a retry-after), never below 0. */
  resetMs?: number;
}

/**
 * The rate-limit state one response reported. A bucket the server sent no header for is `undefined`.
 * OpenAI reports `requests` and `tokens`; Anthropic reports all four.
 */
export interface RateLimitState {
  requests?: RateLimitWindow;
  tokens?: RateLimitWindow;
  inputTokens?: RateLimitWindow;
  outputTokens?: RateLimitWindow;
}

type Bucket = keyof RateLimitState;

// Header name stems per bucket: OpenAI's `x-ratelimit-<field>-<stem>` and Anthropic's
// `anthropic-ratelimit-<stem>-<field>`. OpenAI has no separate input/output buckets.
const BUCKETS: ReadonlyArray<readonly [Bucket, string | undefined, string]> = [
  ['requests', 'requests', 'requests'],
  ['tokens', 'tokens', 'tokens'],
  ['inputTokens', undefined, 'input-tokens'],
  ['outputTokens', undefined, 'output-tokens'],
];

const NUMBER = /^-?(\d+\.?\d*|\.\d+)$/;
// Every header this module reads has this in its name (`x-ratelimit-…`, `anthropic-ratelimit-…`).
const RATE_LIMIT_NAME = /ratelimit/i;

/**
 * Reads OpenAI's `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` headers (resets are Go
 * durations such as `6m0s`) and Anthropic's `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}`
 * headers (resets are RFC 3339 timestamps, turned into milliseconds from `nowMs`, never below 0).
 * Where both vendors' headers are present for a bucket, OpenAI's win field by field.
 * A header whose value does not parse is treated as absent.
 */
export function parseRateLimitHeaders(headers: HeaderMap | undefined, nowMs: number = Date.now()): RateLimitState {
  // This runs on every response of a load test: one pass keeps only the rate-limit headers (most responses carry
  // none, and are answered without a lookup table).
  const byName = lowerCaseHeaders(headers, RATE_LIMIT_NAME);
  if (byName === undefined) return {};
  const header = lookupIn(byName);
  const state: RateLimitState = {};
  for (let i = 0; i < BUCKETS.length; i++) {
    const entry = BUCKETS[i] as (typeof BUCKETS)[number];
    const bucket = entry[0];
    const openaiStem = entry[1];
    const anthropicStem = entry[2];
    const window: RateLimitWindow = {};
    const limit =
      numberOf(openaiStem && header(`x-ratelimit-limit-${openaiStem}`)) ??
      numberOf(header(`anthropic-ratelimit-${anthropicStem}-limit`));
    const remaining =
      numberOf(openaiStem && header(`x-ratelimit-remaining-${openaiStem}`)) ??
      numberOf(header(`anthropic-ratelimit-${anthropicStem}-remaining`));
    const reset = openaiStem ? header(`x-ratelimit-reset-${openaiStem}`) : undefined;
    const resetMs = (reset === undefined ? undefined : parseDuration(reset)) ?? untilTimestamp(header(`anthropic-ratelimit-${anthropicStem}-reset`), nowMs);
    if (limit !== undefined) window.limit = limit;
    if (remaining !== undefined) window.remaining = remaining;
    if (resetMs !== undefined) window.resetMs = resetMs;
    if (limit !== undefined || remaining !== undefined || resetMs !== undefined) state[bucket] = window;
  }
  return state;
}

function numberOf(text: string | undefined): number | undefined {
  return text !== undefined && NUMBER.test(text) ? Number(text) : undefined;
}

function untilTimestamp(text: string | undefined, nowMs: number): number | undefined {
  if (text === undefined) return undefined;
  const at = parseRfc3339(text);
  return at === undefined ? undefined : Math.max(0, at - nowMs);
}
