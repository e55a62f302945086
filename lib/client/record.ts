// Turns one LlmResult into k6 samples. Every sample carries the request's tags; the
// per-attempt view (rate limiting) is recorded per attempt, the rest once per request.
import { llmMetrics as m } from '../metrics/index';
import type { AttemptResult } from '../transports/types';
import type { LlmResult } from './types';

export function recordAttempt(attempt: AttemptResult, tags: Record<string, string>): void {
  m.rateLimited.add(attempt.status === 429, tags);
  const rl = attempt.headers;
  // Latest remaining budget as the provider reports it, for a Gauge (last value wins).
  for (const key in rl) {
    const lower = key.toLowerCase();
    if (lower === 'x-ratelimit-remaining-requests' || lower === 'anthropic-ratelimit-requests-remaining') {
      const v = Number(rl[key]);
      if (Number.isFinite(v)) m.rateLimitRemainingRequests.add(v, tags);
    } else if (lower === 'x-ratelimit-remaining-tokens' || lower === 'anthropic-ratelimit-tokens-remaining') {
      const v = Number(rl[key]);
      if (Number.isFinite(v)) m.rateLimitRemainingTokens.add(v, tags);
    }
  }
}

export function recordResult(r: LlmResult, extra: { cacheHitRatio: number | undefined; perEvent: boolean; validators: readonly string[] }): void {
  const tags = r.tags;
  const t = r.timings;
  const u = r.usage;
  m.requests.add(1, tags);
  m.incomplete.add(!r.complete, tags);
  m.retries.add(r.retries, tags);
  m.attempts.add(r.attempts, tags);
  if (r.retryWaitMs > 0) m.retryWait.add(r.retryWaitMs, tags);
  if (r.pacingWaitMs > 0) m.pacingWait.add(r.pacingWaitMs, tags);
  m.requestDuration.add(r.requestDurationMs, tags);
  if (!r.ok) m.errors.add(1, { ...tags, error_type: r.errorType ?? 'unknown' });
  if (t.ttfbMs !== undefined) m.ttfb.add(t.ttfbMs, tags);
  m.e2e.add(t.e2eMs, tags);
  if (r.ok) {
    if (t.ttftMs !== undefined) m.ttft.add(t.ttftMs, tags);
    if (t.ttfoMs !== undefined) m.ttfo.add(t.ttfoMs, tags);
    for (const gap of t.itlMs) m.itl.add(gap, tags);
    if (t.tpotMs !== undefined) m.tpot.add(t.tpotMs, tags);
    const genMs = t.ttftMs !== undefined ? t.e2eMs - t.ttftMs : t.e2eMs;
    if (u.outputTokens !== undefined && u.outputTokens > 1 && genMs > 0) {
      m.outputTokensPerS.add((u.outputTokens / genMs) * 1000, tags);
    }
    if (extra.perEvent && t.ttftMs !== undefined && r.contentEvents > 0 && u.outputTokens !== undefined) {
      m.tokensPerEvent.add(u.outputTokens / r.contentEvents, tags);
    }
  }
  if (u.inputTokens !== undefined) m.inputTokens.add(u.inputTokens, tags);
  if (u.outputTokens !== undefined) m.outputTokens.add(u.outputTokens, tags);
  if (u.cachedInputTokens !== undefined) m.cachedInputTokens.add(u.cachedInputTokens, tags);
  if (u.cacheWriteInputTokens !== undefined) m.cacheWriteInputTokens.add(u.cacheWriteInputTokens, tags);
  if (u.reasoningTokens !== undefined) m.reasoningTokens.add(u.reasoningTokens, tags);
  if (extra.cacheHitRatio !== undefined) m.cacheHitRatio.add(extra.cacheHitRatio, tags);
  if (r.costUsd !== undefined) m.costUsd.add(r.costUsd, tags);
  m.estimatedUsage.add(u.source === 'estimated', tags);
  // One sample per validator per response, tagged by the validator: the rate is the share
  // of validator runs that failed, and `llm_validation_failed{validator:...}` isolates one.
  for (const name of extra.validators) {
    m.validationFailed.add(r.validation !== undefined && r.validation.failed.includes(name), { ...tags, validator: name });
  }
  m.goodput.add(r.goodput, tags);
}
