// Client-side pacing to stay under a key's budget: a token bucket per VU, each VU owning
// an equal share of the requests- and tokens-per-minute budget. Pure: time and sleep are
// injected, so it is tested with a fake clock; the client passes Date.now and k6's sleep.

export interface RateLimitOptions {
  /** Requests per minute for the whole test (all VUs of this instance together). */
  rpm?: number;
  /** Tokens (input + output) per minute for the whole test. */
  tpm?: number;
  /**
   * How many VUs share the budget. @default the VUs k6 initialized in this instance
   * (`exec.instance.vusInitialized`), read at the first request.
   */
  vus?: number;
}

interface Bucket {
  /** Capacity and refill per ms of this VU's share. */
  capacity: number;
  perMs: number;
  level: number;
  at: number;
}

export interface Pacer {
  /** Waits until this VU may send a request that will use about `tokens` tokens; returns the ms waited. */
  acquire(tokens: number): number;
  /** Corrects the token bucket once the real usage is known (`actual - reserved`, may be negative). */
  settle(reservedTokens: number, actualTokens: number | undefined): void;
}

function bucket(perMinute: number, share: number, now: number): Bucket {
  const perVu = perMinute / share;
  // A VU may burst at most one second's worth of its share (at least one request's worth),
  // so a VU that idled does not fire a burst that would breach the minute budget.
  const capacity = Math.max(1, perVu / 60);
  return { capacity, perMs: perVu / 60_000, level: capacity, at: now };
}

function refill(b: Bucket, now: number): void {
  b.level = Math.min(b.capacity, b.level + (now - b.at) * b.perMs);
  b.at = now;
}

function waitFor(b: Bucket, amount: number): number {
  // A request larger than the burst capacity waits until the bucket is full, then goes
  // into debt: the next one waits longer. Total throughput stays at the share.
  const need = Math.min(amount, b.capacity);
  return b.level >= need ? 0 : (need - b.level) / b.perMs;
}

export function normalizeRateLimit(value: unknown): RateLimitOptions | undefined {
  if (value === undefined) return undefined;
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`invalid rateLimit: expected { rpm?, tpm?, vus? }, got ${JSON.stringify(value)}`);
  }
  const out: RateLimitOptions = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (!['rpm', 'tpm', 'vus'].includes(key)) throw new Error(`invalid rateLimit: expected keys rpm, tpm, vus, got ${JSON.stringify(key)}`);
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new Error(`invalid rateLimit.${key}: expected a positive number, got ${JSON.stringify(v)}`);
    out[key as keyof RateLimitOptions] = v;
  }
  if (out.rpm === undefined && out.tpm === undefined) throw new Error('invalid rateLimit: expected rpm or tpm, got neither');
  return out;
}

export function createPacer(options: RateLimitOptions, deps: { now: () => number; sleep: (ms: number) => void; vus: () => number }): Pacer {
  let requests: Bucket | undefined;
  let tokens: Bucket | undefined;
  let ready = false;
  const init = () => {
    const share = Math.max(1, options.vus ?? deps.vus());
    const now = deps.now();
    if (options.rpm !== undefined) requests = bucket(options.rpm, share, now);
    if (options.tpm !== undefined) tokens = bucket(options.tpm, share, now);
    ready = true;
  };
  return {
    acquire(amount: number): number {
      if (!ready) init();
      const refillAll = () => {
        const now = deps.now();
        if (requests) refill(requests, now);
        if (tokens) refill(tokens, now);
      };
      refillAll();
      const waited = Math.max(requests ? waitFor(requests, 1) : 0, tokens ? waitFor(tokens, amount) : 0);
      // One sleep of the computed length, then the token is taken: no re-check loop, so a
      // clock that did not move (or rounding) can never spin.
      if (waited > 0) {
        deps.sleep(waited);
        refillAll();
      }
      if (requests) requests.level -= 1;
      if (tokens) tokens.level -= amount;
      return waited;
    },
    settle(reserved: number, actual: number | undefined): void {
      if (tokens && actual !== undefined) tokens.level -= actual - reserved;
    },
  };
}
