/** Limits per API key per minute; 0 turns a limit off. */
export interface RateLimits {
  rpm: number;
  tpm: number;
  itpm: number;
  otpm: number;
}

export type BucketName = 'requests' | 'tokens' | 'input-tokens' | 'output-tokens';

export interface BucketState {
  limit: number;
  /** Whole units left after this request (or before it, when it was refused). */
  remaining: number;
  /** Until the bucket is full again, ms. */
  resetMs: number;
}

export interface RateDecision {
  allowed: boolean;
  /** When refused: until every refusing bucket holds enough, ms. */
  retryAfterMs: number;
  /** The first bucket that refused. */
  limitedBy: BucketName | undefined;
  buckets: Partial<Record<BucketName, BucketState>>;
}

/** What one request takes from each bucket. */
export interface RateCost {
  inputTokens: number;
  outputTokens: number;
}

const MINUTE_MS = 60_000;

/**
 * A token bucket that refills continuously at `limit` per minute: the same steady rate a sliding minute allows,
 * without keeping a log of past requests.
 */
class Bucket {
  private level: number;
  private updated: number;

  constructor(readonly limit: number, now: number) {
    this.level = limit;
    this.updated = now;
  }

  refill(now: number): void {
    this.level = Math.min(this.limit, this.level + ((now - this.updated) * this.limit) / MINUTE_MS);
    this.updated = now;
  }

  has(amount: number): boolean {
    return this.level >= amount;
  }

  take(amount: number): void {
    this.level -= amount;
  }

  waitFor(amount: number): number {
    const missing = Math.min(amount, this.limit) - this.level;
    return missing <= 0 ? 0 : (missing * MINUTE_MS) / this.limit;
  }

  state(): BucketState {
    return {
      limit: this.limit,
      remaining: Math.max(0, Math.floor(this.level)),
      resetMs: ((this.limit - this.level) * MINUTE_MS) / this.limit,
    };
  }
}

/** Per-key buckets for requests, tokens, input tokens and output tokens per minute; the key map stays bounded. */
export class RateLimiter {
  private readonly keys = new Map<string, Map<BucketName, Bucket>>();
  private readonly configured: [BucketName, number][];

  constructor(limits: RateLimits, private readonly maxKeys = 10_000) {
    const all: [BucketName, number][] = [
      ['requests', limits.rpm],
      ['tokens', limits.tpm],
      ['input-tokens', limits.itpm],
      ['output-tokens', limits.otpm],
    ];
    this.configured = all.filter(([, limit]) => limit > 0);
  }

  get enabled(): boolean {
    return this.configured.length > 0;
  }

  /** Takes the request's cost from every bucket of `key` when all hold enough; otherwise takes nothing. */
  check(key: string, cost: RateCost, now: number): RateDecision {
    const decision: RateDecision = { allowed: true, retryAfterMs: 0, limitedBy: undefined, buckets: {} };
    if (!this.enabled) return decision;
    let buckets = this.keys.get(key);
    if (buckets === undefined) {
      buckets = new Map(this.configured.map(([name, limit]) => [name, new Bucket(limit, now)]));
      this.keys.set(key, buckets);
      if (this.keys.size > this.maxKeys) {
        const oldest = this.keys.keys().next();
        if (!oldest.done) this.keys.delete(oldest.value);
      }
    }
    const amounts: Record<BucketName, number> = {
      requests: 1,
      tokens: cost.inputTokens + cost.outputTokens,
      'input-tokens': cost.inputTokens,
      'output-tokens': cost.outputTokens,
    };
    for (const [name, bucket] of buckets) {
      bucket.refill(now);
      if (!bucket.has(amounts[name])) {
        decision.allowed = false;
        decision.limitedBy ??= name;
        decision.retryAfterMs = Math.max(decision.retryAfterMs, bucket.waitFor(amounts[name]));
      }
    }
    for (const [name, bucket] of buckets) {
      if (decision.allowed) bucket.take(amounts[name]);
      decision.buckets[name] = bucket.state();
    }
    return decision;
  }

  clear(): void {
    this.keys.clear();
  }
}

function trimFixed(value: number, digits: number): string {
  return value.toFixed(digits).replace(/\.?0+$/, '');
}

/**
 * A duration as Go's `time.Duration.String()` writes it, which is what OpenAI's `x-ratelimit-reset-*` headers carry:
 * `547ms`, `1s`, `33.023s`, `6m0s`, `1h30m0s`. Rounded to whole milliseconds.
 */
export function formatGoDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  if (total === 0) return '0s';
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = trimFixed((total % 60_000) / 1000, 3);
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

/** An RFC 3339 UTC timestamp to the second, rounded up, as Anthropic's `anthropic-ratelimit-*-reset` headers carry. */
export function formatRfc3339(epochMs: number): string {
  return new Date(Math.ceil(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** OpenAI's `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` for the configured buckets. */
export function openAiRateHeaders(decision: RateDecision): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of ['requests', 'tokens'] as const) {
    const state = decision.buckets[name];
    if (state === undefined) continue;
    headers[`x-ratelimit-limit-${name}`] = String(state.limit);
    headers[`x-ratelimit-remaining-${name}`] = String(state.remaining);
    headers[`x-ratelimit-reset-${name}`] = formatGoDuration(state.resetMs);
  }
  return headers;
}

/** Anthropic's `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}`. */
export function anthropicRateHeaders(decision: RateDecision, now: number): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of ['requests', 'tokens', 'input-tokens', 'output-tokens'] as const) {
    const state = decision.buckets[name];
    if (state === undefined) continue;
    headers[`anthropic-ratelimit-${name}-limit`] = String(state.limit);
    headers[`anthropic-ratelimit-${name}-remaining`] = String(state.remaining);
    headers[`anthropic-ratelimit-${name}-reset`] = formatRfc3339(now + state.resetMs);
  }
  return headers;
}

/** `retry-after` in whole seconds (rounded up, at least 1 when any wait is due) and the precise `retry-after-ms`. */
export function retryAfterHeaders(waitMs: number): Record<string, string> {
  const ms = Math.max(0, Math.ceil(waitMs));
  return { 'retry-after': String(Math.ceil(ms / 1000)), 'retry-after-ms': String(ms) };
}
