// The metrics floor for the overhead bench, with no k6-llm import: the llm_* metric objects declared by hand with
// k6-llm's names and types, and the samples k6-llm's client records for one successful request (see
// lib/client/record.ts), with the same tags set on the VU the same way. Whatever this costs a script, a library
// that keeps DESIGN.md's metrics cannot cost less. Values are plausible constants or read from the response: a
// sample costs k6 the same whatever its value.
import exec from 'k6/execution';
import { Counter, Gauge, Rate, Trend } from 'k6/metrics';

const time = (name) => new Trend(name, true);
const m = {
  ttft: time('llm_ttft'), ttfo: time('llm_ttfo'), ttfb: time('llm_ttfb'), itl: time('llm_itl'), tpot: time('llm_tpot'),
  e2e: time('llm_e2e'), requestDuration: time('llm_request_duration'), outputTokensPerS: new Trend('llm_output_tokens_per_s'),
  tokensPerEvent: new Trend('llm_tokens_per_event'), inputTokens: new Counter('llm_input_tokens'), outputTokens: new Counter('llm_output_tokens'),
  cachedInputTokens: new Counter('llm_cached_input_tokens'), cacheWriteInputTokens: new Counter('llm_cache_write_input_tokens'),
  reasoningTokens: new Counter('llm_reasoning_tokens'), cacheHitRatio: new Trend('llm_cache_hit_ratio'), costUsd: new Counter('llm_cost_usd'),
  requests: new Counter('llm_requests'), errors: new Counter('llm_errors'), rateLimited: new Rate('llm_rate_limited'), retries: new Counter('llm_retries'),
  attempts: new Trend('llm_attempts'), retryWait: time('llm_retry_wait'), pacingWait: time('llm_pacing_wait'),
  validationFailed: new Rate('llm_validation_failed'), goodput: new Rate('llm_goodput'), incomplete: new Rate('llm_incomplete'),
  estimatedUsage: new Rate('llm_estimated_usage'), rateLimitRemainingRequests: new Gauge('llm_ratelimit_remaining_requests'),
  rateLimitRemainingTokens: new Gauge('llm_ratelimit_remaining_tokens'), sessionDuration: time('llm_session_duration'),
  sessionSteps: new Trend('llm_session_steps'), sessionToolCalls: new Trend('llm_session_tool_calls'),
  sessionGoodput: new Rate('llm_session_goodput'), toolLatency: time('llm_tool_latency'),
  unpriced: new Rate('llm_unpriced'), refused: new Rate('llm_refused'), relayLoopDelay: time('llm_relay_loop_delay'),
};

/** The tags k6-llm's client puts on k6's own http_* metrics of a request. */
export const HTTP_TAGS = { provider: 'openai-chat', model: 'gpt-4o-mini', transport: 'http', name: 'openai-chat gpt-4o-mini' };

let view;
function withTags(tags, record) {
  view ??= exec.vu.metrics.tags;
  for (const key in tags) view[key] = tags[key];
  record();
  for (const key in tags) delete view[key];
}

/**
 * One successful request's samples. `streamed`: `{ ttftMs, gapsMs, contentEvents }` for a stream, undefined for a
 * buffered answer. Validators as in the client scripts: isJSON (fails on the mock's words) and finish.
 */
export function recordRequest({ transport, durationMs, ttfbMs, inputTokens, outputTokens, streamed, loopDelayMs }) {
  const attemptTags = { provider: 'openai-chat', model: 'gpt-4o-mini', transport };
  withTags(attemptTags, () => {
    m.rateLimited.add(false);
    m.rateLimitRemainingRequests.add(9999);
    m.rateLimitRemainingTokens.add(199000);
  });
  withTags({ ...attemptTags, output_bucket: '33-64', status: '200' }, () => {
    m.requests.add(1);
    m.incomplete.add(false);
    m.attempts.add(1);
    m.requestDuration.add(durationMs);
    m.ttfb.add(ttfbMs);
    m.e2e.add(durationMs);
    if (streamed) {
      m.ttft.add(streamed.ttftMs);
      m.ttfo.add(streamed.ttftMs);
      for (const gap of streamed.gapsMs) m.itl.add(gap);
      m.tpot.add((durationMs - streamed.ttftMs) / Math.max(1, outputTokens - 1));
      m.outputTokensPerS.add((outputTokens / Math.max(1, durationMs - streamed.ttftMs)) * 1000);
      m.tokensPerEvent.add(outputTokens / Math.max(1, streamed.contentEvents));
    } else {
      m.outputTokensPerS.add((outputTokens / Math.max(1, durationMs)) * 1000);
    }
    m.inputTokens.add(inputTokens);
    m.outputTokens.add(outputTokens);
    m.costUsd.add(inputTokens * 0.15e-6 + outputTokens * 0.6e-6);
    m.estimatedUsage.add(false);
    m.unpriced.add(false);
    m.refused.add(false);
    if (loopDelayMs !== undefined) m.relayLoopDelay.add(loopDelayMs);
    if (transport !== 'relay') {
      m.validationFailed.add(true, { validator: 'isJSON' });
      m.validationFailed.add(false, { validator: 'finish' });
    }
    m.goodput.add(transport === 'relay');
  });
}
