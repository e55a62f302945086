// The k6 edge for metrics: every llm_* metric is created here, when the module is
// imported (k6's init context), so a threshold on any of them always resolves.
import { Counter, Gauge, Rate, Trend } from 'k6/metrics';
import { METRIC_NAMES } from './names';

export { METRIC_NAMES } from './names';
export type { MetricKey } from './names';

const n = METRIC_NAMES;

/** The k6 metric objects, for scripts that add their own samples (e.g. a custom transport). */
export const llmMetrics = {
  ttft: new Trend(n.ttft, true),
  ttfo: new Trend(n.ttfo, true),
  ttfb: new Trend(n.ttfb, true),
  itl: new Trend(n.itl, true),
  tpot: new Trend(n.tpot, true),
  e2e: new Trend(n.e2e, true),
  requestDuration: new Trend(n.requestDuration, true),
  outputTokensPerS: new Trend(n.outputTokensPerS),
  tokensPerEvent: new Trend(n.tokensPerEvent),
  inputTokens: new Counter(n.inputTokens),
  outputTokens: new Counter(n.outputTokens),
  cachedInputTokens: new Counter(n.cachedInputTokens),
  cacheWriteInputTokens: new Counter(n.cacheWriteInputTokens),
  reasoningTokens: new Counter(n.reasoningTokens),
  cacheHitRatio: new Trend(n.cacheHitRatio),
  costUsd: new Counter(n.costUsd),
  unpriced: new Rate(n.unpriced),
  requests: new Counter(n.requests),
  errors: new Counter(n.errors),
  rateLimited: new Rate(n.rateLimited),
  retries: new Counter(n.retries),
  attempts: new Trend(n.attempts),
  retryWait: new Trend(n.retryWait, true),
  pacingWait: new Trend(n.pacingWait, true),
  validationFailed: new Rate(n.validationFailed),
  goodput: new Rate(n.goodput),
  incomplete: new Rate(n.incomplete),
  refused: new Rate(n.refused),
  estimatedUsage: new Rate(n.estimatedUsage),
  rateLimitRemainingRequests: new Gauge(n.rateLimitRemainingRequests),
  rateLimitRemainingTokens: new Gauge(n.rateLimitRemainingTokens),
  sessionDuration: new Trend(n.sessionDuration, true),
  sessionSteps: new Trend(n.sessionSteps),
  sessionToolCalls: new Trend(n.sessionToolCalls),
  sessionGoodput: new Rate(n.sessionGoodput),
  toolLatency: new Trend(n.toolLatency, true),
  relayLoopDelay: new Trend(n.relayLoopDelay, true),
};
