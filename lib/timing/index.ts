// Pure timing arithmetic: from arrival times to the figures k6-llm reports.
// DESIGN.md "Honest timing" is the law here.

/** Arrival times one transport observed for one attempt, all in epoch milliseconds (fractions allowed). */
export interface ObservedTimes {
  /** The request was handed to the network. */
  startMs: number;
  /** The response head arrived (status line and headers). */
  headMs?: number;
  /** The body ended (or the attempt failed). */
  endMs: number;
  /** Time to first byte as the transport measured it (k6/http: `timings.waiting`). */
  ttfbMs?: number;
  /** Arrival time of every event that carried output content, in order. Empty when arrivals were not observed. */
  contentTimes: number[];
  /** Arrival time of the first event with visible (non-reasoning) output. */
  firstVisibleMs?: number;
  /** Whether the transport observed per-event arrival (the relay transport does; buffered k6/http does not). */
  perEvent: boolean;
  /** How late any of these stamps could have been taken, ms: the relay's worst event-loop delay during the attempt. */
  stampDelayMs?: number;
}

export interface Timings {
  ttfbMs?: number;
  /** First output content (text, reasoning or tool-call fragment). Only when per-event arrival was observed. */
  ttftMs?: number;
  /** First visible, non-reasoning output. */
  ttfoMs?: number;
  /** Gaps between consecutive content events. */
  itlMs: number[];
  /** (e2e − ttft) / (outputTokens − 1), from the token count. */
  tpotMs?: number;
  e2eMs: number;
  /**
   * How late the stamps behind these figures could have been, ms (the relay's worst event-loop delay while the
   * request was in flight). TTFT and each ITL gap may be inflated by up to this much. Absent over buffered http.
   */
  stampDelayMs?: number;
}

export function computeTimings(t: ObservedTimes, outputTokens: number | undefined): Timings {
  const e2eMs = Math.max(0, t.endMs - t.startMs);
  const out: Timings = { itlMs: [], e2eMs };
  if (t.stampDelayMs !== undefined) out.stampDelayMs = t.stampDelayMs;
  if (t.ttfbMs !== undefined) out.ttfbMs = t.ttfbMs;
  else if (t.headMs !== undefined) out.ttfbMs = Math.max(0, t.headMs - t.startMs);
  if (!t.perEvent || t.contentTimes.length === 0) return out;
  const first = t.contentTimes[0] as number;
  out.ttftMs = Math.max(0, first - t.startMs);
  if (t.firstVisibleMs !== undefined) out.ttfoMs = Math.max(0, t.firstVisibleMs - t.startMs);
  const times = t.contentTimes;
  const gaps = out.itlMs;
  for (let i = 1; i < times.length; i++) gaps[i - 1] = (times[i] as number) - (times[i - 1] as number);
  if (outputTokens !== undefined && outputTokens > 1) {
    out.tpotMs = Math.max(0, e2eMs - out.ttftMs) / (outputTokens - 1);
  }
  return out;
}
