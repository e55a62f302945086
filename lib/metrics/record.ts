// The one place llm_* samples are recorded: a client's requests (each attempt's rate limiting, then the request once)
// and an agent session's turns. One tag convention for all of them: the tags of what is recorded are set on the VU
// (exec.vu.metrics.tags) for the span of the recording and restored after, and only a tag of one sample (`error_type`,
// `validator`, `refused_by`, `tool`) is passed to its add(). k6 converts a tags object on each add(), which measured
// 15.6 µs per sample with six tags against 4.6 µs with the same tags set on the VU (bench/ in docs/benchmarks.md),
// and a streamed request records one ITL sample per token gap. Nothing else runs on the VU meanwhile, so no other
// sample picks the tags up.
import exec from 'k6/execution';
import { isSuccessStatus } from '../internal/http-status';
import type { Completion } from '../providers/types';
import type { RateLimitState } from '../retry/rate-limit-headers';
import type { Timings } from '../timing/index';
import type { AttemptResult } from '../transports/types';
import { llmMetrics as m } from './index';

/** What a request's record reads of its result (the client's `LlmResult`). */
export interface RequestRecord extends Pick<Completion, 'usage' | 'complete' | 'contentEvents' | 'refusal'> {
  /** The tags of every sample of the request. */
  tags: Record<string, string>;
  ok: boolean;
  status: number;
  errorType?: string;
  timings: Timings;
  requestDurationMs: number;
  attempts: number;
  retries: number;
  retryWaitMs: number;
  pacingWaitMs: number;
  costUsd?: number;
  validation?: { failed: readonly string[] };
  goodput: boolean;
}

/** What a turn's record reads of an agent session's turn (`TurnResult`). */
export interface TurnRecord {
  durationMs: number;
  steps: number;
  toolCalls: ReadonlyArray<{ name: string; latencyMs: number }>;
  goodput: boolean;
}

// Every read of `exec.vu` builds a new info object (~25 µs in k6 v2.2). Its `metrics.tags` is a live view of the
// VU's tags over the VU's one lib.State, which lasts as long as the VU: read once per VU, it stays right.
let vuTagsView: Record<string, string | number | boolean> | undefined;

function withVuTags(tags: Record<string, string>, record: () => void): void {
  vuTagsView ??= exec.vu.metrics.tags as Record<string, string | number | boolean>;
  const vuTags = vuTagsView;
  const saved: Record<string, string | number | boolean> = {};
  const had: string[] = [];
  for (const key in tags) {
    const previous = vuTags[key];
    if (previous !== undefined) {
      saved[key] = previous;
      had.push(key);
    }
    vuTags[key] = tags[key] as string;
  }
  try {
    record();
  } finally {
    for (const key in tags) {
      if (had.indexOf(key) !== -1) vuTags[key] = saved[key] as string;
      else delete vuTags[key];
    }
  }
}

/** What a result does not carry but its metrics need. */
interface RecordExtra {
  cacheHitRatio: number | undefined;
  perEvent: boolean;
  validators: readonly string[];
  /** The request's model had a price (false: left out of llm_cost_usd, counted by llm_unpriced). */
  priced: boolean;
}

export function recordAttempt(attempt: AttemptResult, tags: Record<string, string>, rateLimit: RateLimitState): void {
  withVuTags(tags, () => {
    m.rateLimited.add(attempt.status === 429);
    // Latest remaining budget as the provider reports it, for a Gauge (last value wins).
    const requests = rateLimit.requests?.remaining;
    const tokens = rateLimit.tokens?.remaining;
    if (requests !== undefined) m.rateLimitRemainingRequests.add(requests);
    if (tokens !== undefined) m.rateLimitRemainingTokens.add(tokens);
  });
}

export function recordResult(r: RequestRecord, extra: RecordExtra): void {
  withVuTags(r.tags, () => record(r, extra));
}

function record(r: RequestRecord, extra: RecordExtra): void {
  const t = r.timings;
  const u = r.usage;
  m.requests.add(1);
  m.incomplete.add(!r.complete);
  // Counters at 0 add nothing to their sum: skipped, they cost nothing.
  if (r.retries > 0) m.retries.add(r.retries);
  m.attempts.add(r.attempts);
  if (r.retryWaitMs > 0) m.retryWait.add(r.retryWaitMs);
  if (r.pacingWaitMs > 0) m.pacingWait.add(r.pacingWaitMs);
  m.requestDuration.add(r.requestDurationMs);
  if (!r.ok) m.errors.add(1, { error_type: r.errorType ?? 'unknown' });
  if (t.ttfbMs !== undefined) m.ttfb.add(t.ttfbMs);
  m.e2e.add(t.e2eMs);
  if (t.stampDelayMs !== undefined) m.relayLoopDelay.add(t.stampDelayMs);
  if (r.ok) {
    if (t.ttftMs !== undefined) m.ttft.add(t.ttftMs);
    if (t.ttfoMs !== undefined) m.ttfo.add(t.ttfoMs);
    // Indexed loops on the per-request path: a for-of steps an iterator, about 10x the cost in k6's runtime.
    const gaps = t.itlMs;
    for (let i = 0; i < gaps.length; i++) m.itl.add(gaps[i] as number);
    if (t.tpotMs !== undefined) m.tpot.add(t.tpotMs);
    const genMs = t.ttftMs !== undefined ? t.e2eMs - t.ttftMs : t.e2eMs;
    if (u.outputTokens !== undefined && u.outputTokens > 1 && genMs > 0) {
      m.outputTokensPerS.add((u.outputTokens / genMs) * 1000);
    }
    if (extra.perEvent && t.ttftMs !== undefined && r.contentEvents > 0 && u.outputTokens !== undefined) {
      m.tokensPerEvent.add(u.outputTokens / r.contentEvents);
    }
  }
  if (u.inputTokens) m.inputTokens.add(u.inputTokens);
  if (u.outputTokens) m.outputTokens.add(u.outputTokens);
  if (u.cachedInputTokens) m.cachedInputTokens.add(u.cachedInputTokens);
  if (u.cacheWriteInputTokens) m.cacheWriteInputTokens.add(u.cacheWriteInputTokens);
  if (u.reasoningTokens) m.reasoningTokens.add(u.reasoningTokens);
  if (extra.cacheHitRatio !== undefined) m.cacheHitRatio.add(extra.cacheHitRatio);
  if (r.costUsd !== undefined) m.costUsd.add(r.costUsd);
  m.unpriced.add(!extra.priced);
  m.estimatedUsage.add(u.source === 'estimated');
  // One sample per validator per response, tagged by the validator: the rate is the share
  // of validator runs that failed, and `llm_validation_failed{validator:...}` isolates one.
  const validators = extra.validators;
  for (let i = 0; i < validators.length; i++) {
    const name = validators[i] as string;
    m.validationFailed.add(r.validation !== undefined && r.validation.failed.includes(name), { validator: name });
  }
  m.goodput.add(r.goodput);
  // Answers only (a 2xx status): a 429 or a timeout is no answer, refused or not. The tag goes on refused samples
  // alone, so the common sample pays no per-sample tags object (see the top of this file).
  if (isSuccessStatus(r.status)) {
    if (r.refusal === undefined) m.refused.add(false);
    else m.refused.add(true, { refused_by: r.refusal.source });
  }
}

/** One agent session turn: its duration, steps, tool calls and goodput, and each tool call's latency. */
export function recordTurn(turn: TurnRecord, tags: Record<string, string>): void {
  withVuTags(tags, () => {
    m.sessionDuration.add(turn.durationMs);
    m.sessionSteps.add(turn.steps);
    m.sessionToolCalls.add(turn.toolCalls.length);
    m.sessionGoodput.add(turn.goodput);
    const calls = turn.toolCalls;
    for (let i = 0; i < calls.length; i++) {
      const call = calls[i] as TurnRecord['toolCalls'][number];
      m.toolLatency.add(call.latencyMs, { tool: call.name });
    }
  });
}
