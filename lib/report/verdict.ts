// Can the run's numbers be trusted? Each check reads the summary for a known way a load test
// misleads, and says why it matters: a verdict without its reason would only be an alarm.
import { coverageOf, describeModels, NAME_MODELS_HINT, thresholdCoverage, thresholdsOn, TOKEN_DERIVED_METRICS } from './coverage';
import { formatMs } from './format';
import { counterTotal, normalizeSummaryData, rateOf, trendStats, type K6SummaryData } from './summary-data';

/** Limits of the run-trust checks. Every field optional; defaults in `DEFAULT_TRUST_LIMITS`. */
export interface TrustLimits {
  /** Median `llm_itl` (ms) under which gaps are at the resolution of event batching. @default 2 */
  itlResolutionMs?: number;
  /** Median `llm_tokens_per_event` above which ITL is per event, not per token. @default 1.5 */
  tokensPerEvent?: number;
  /** Share of requests with estimated usage above which it warns. @default 0 */
  estimatedUsageShare?: number;
  /** `llm_request_duration` p95 over `llm_e2e` p95 above which retries inflate latency. @default 1.2 */
  retryInflation?: number;
  /** `llm_errors / llm_requests` above which the run is suspect. @default 0.05 */
  errorShare?: number;
  /** Error share above which the run is `bad`, not only `warn`. @default 0.5 */
  errorShareBad?: number;
  /** Share of attempts answered 429 above which it warns. @default 0.05 */
  rateLimitedShare?: number;
  /** Dropped share of planned iterations above which the run is `bad`. @default 0.1 */
  droppedShareBad?: number;
  /** Median `http_req_blocked` (ms) above which requests waited on the load generator. @default 10 */
  blockedMs?: number;
  /**
   * Share of the median TTFT or ITL above which the relay's event-loop delay (`llm_relay_loop_delay` p95) makes the
   * stamps suspect. @default 0.1
   */
  relayDelayShare?: number;
  /**
   * Relay event-loop delay (ms) under which it never warns. The figure is each request's worst timer lateness, and an
   * idle relay's timers already fire 5–20 ms late now and then on a shared machine (the OS's and the hypervisor's
   * scheduling, Node's millisecond timers) while its reads stay on time. @default 10
   */
  relayDelayFloorMs?: number;
}

export const DEFAULT_TRUST_LIMITS: Readonly<Required<TrustLimits>> = {
  itlResolutionMs: 2,
  tokensPerEvent: 1.5,
  estimatedUsageShare: 0,
  retryInflation: 1.2,
  errorShare: 0.05,
  errorShareBad: 0.5,
  rateLimitedShare: 0.05,
  droppedShareBad: 0.1,
  blockedMs: 10,
  relayDelayShare: 0.1,
  relayDelayFloorMs: 10,
};

export type TrustLevel = 'ok' | 'warn' | 'bad';

export type TrustCode =
  | 'no_requests'
  | 'dropped_iterations'
  | 'itl_resolution'
  | 'chunks_not_tokens'
  | 'usage_estimated'
  | 'cost_unpriced'
  | 'usage_missing'
  | 'no_ttft'
  | 'retries_inflate_latency'
  | 'high_error_share'
  | 'rate_limited'
  | 'generator_blocked'
  | 'relay_clock_late';

export interface TrustWarning {
  code: TrustCode;
  level: 'warn' | 'bad';
  /** What was seen, with the figures. */
  message: string;
  /** Why it makes the numbers less trustworthy, and what to do. */
  reason: string;
}

export interface TrustVerdict {
  /** `ok` without warnings, `bad` when any warning is, `warn` otherwise. */
  level: TrustLevel;
  warnings: TrustWarning[];
}

const pct = (share: number) => `${(share * 100).toFixed(1)}%`;

/** Checks a run's summary for the ways a load test of an LLM API misleads. Pure; never throws on missing metrics. */
export function trustVerdict(data: K6SummaryData, limits: TrustLimits = {}): TrustVerdict {
  const l = { ...DEFAULT_TRUST_LIMITS, ...definedOnly(limits) };
  const m = normalizeSummaryData(data).metrics;
  const warnings: TrustWarning[] = [];
  const requests = counterTotal(m.llm_requests) ?? 0;
  const errors = counterTotal(m.llm_errors) ?? 0;

  if (requests === 0) {
    warnings.push({
      code: 'no_requests',
      level: 'bad',
      message: 'no LLM request was recorded (llm_requests is 0 or absent)',
      reason: 'every llm_* figure is empty: the script did not call client.chat(), its metrics were turned off, or every iteration failed before the request',
    });
  }

  const dropped = counterTotal(m.dropped_iterations) ?? 0;
  if (dropped > 0) {
    const iterations = counterTotal(m.iterations) ?? 0;
    const share = dropped / (dropped + iterations);
    const vus = m.vus_max?.values.value;
    warnings.push({
      code: 'dropped_iterations',
      level: share > l.droppedShareBad ? 'bad' : 'warn',
      message: `${dropped} iterations were dropped (${pct(share)} of those planned)${vus !== undefined ? ` with ${vus} VUs allocated` : ''}`,
      reason: 'the load generator could not keep the configured arrival rate: every VU was busy waiting on slow responses, so the server saw less load than planned and the latency under the planned load is unknown; raise preAllocatedVUs/maxVUs',
    });
  }

  const itl = trendStats(m.llm_itl, trendStats(m.llm_ttft) !== undefined);
  if (itl?.p50 !== undefined && itl.p50 < l.itlResolutionMs) {
    warnings.push({
      code: 'itl_resolution',
      level: 'warn',
      message: `median inter-token latency is ${formatMs(itl.p50)} ms, under ${l.itlResolutionMs} ms`,
      reason: 'the relay stamps each read with a sub-millisecond clock, but servers, proxies and TCP deliver events in batches, so gaps this small measure batching rather than generation; read llm_tpot for the per-token pace',
    });
  }

  const perEvent = trendStats(m.llm_tokens_per_event);
  if (perEvent?.p50 !== undefined && perEvent.p50 > l.tokensPerEvent) {
    warnings.push({
      code: 'chunks_not_tokens',
      level: 'warn',
      message: `a stream event carries ${perEvent.p50.toFixed(1)} output tokens at the median`,
      reason: 'llm_itl is the gap between events, not between tokens: with several tokens per event it overstates the per-token gap; llm_tpot divides by the server\'s token count and is the per-token figure',
    });
  }

  const estimated = coverageOf(data, 'llm_estimated_usage');
  if (estimated && estimated.share > l.estimatedUsageShare) {
    // A threshold on a figure built from these counts judged an estimate; on nothing but estimates, the run is bad.
    const judged = thresholdsOn(data, TOKEN_DERIVED_METRICS, (key) => thresholdCoverage(data, key, undefined, estimated).estimatedShare !== undefined);
    const all = estimated.marked === estimated.requests;
    let message = `${pct(estimated.share)} of responses reported no token usage (${estimated.marked} of ${estimated.requests}); their counts were estimated`;
    if (estimated.models.length > 0) message += `: ${describeModels(estimated)}`;
    if (judged.length > 0) message += `. Thresholds judged ${all ? 'only ' : ''}these estimates: ${judged.join(', ')}`;
    warnings.push({
      code: 'usage_estimated',
      level: judged.length > 0 && all ? 'bad' : 'warn',
      message,
      reason:
        'estimated counts (about four characters per token) can be off by tens of percent, and so can tokens/s, TPOT and cost built on them' +
        `${judged.length > 0 ? ', so a token or cost threshold can pass on counts no server reported' : ''}; ask the server for usage (OpenAI streams need stream_options.include_usage)`,
    });
  }

  const unpriced = coverageOf(data, 'llm_unpriced');
  // Budgets that left requests out: a threshold on a priced model's own cost (llm_cost_usd{model:x}) counted all of its.
  const budgets = thresholdsOn(data, ['llm_cost_usd'], (key) => unpriced !== undefined && thresholdCoverage(data, key, unpriced, undefined).unpriced !== undefined);
  if (unpriced && unpriced.marked > 0 && budgets.length > 0) {
    const priced = unpriced.requests - unpriced.marked;
    const none = priced === 0;
    const named = `; no price for ${describeModels(unpriced)}`;
    warnings.push({
      code: 'cost_unpriced',
      level: none ? 'bad' : 'warn',
      message:
        (none
          ? `none of the ${unpriced.requests} requests had a price, so ${budgets.join(', ')} judged a cost that counted nothing`
          : `${budgets.join(', ')} judged the cost of ${priced} of ${unpriced.requests} requests: ${unpriced.marked} had no price`) + named,
      reason:
        'llm_cost_usd adds up priced requests only, so a budget can pass on money it never counted. Price each model with ' +
        "createClient's price: { input, output } or prices: { '<model>': { input, output } } (USD per million tokens); to fail such a run, " +
        "set requirePrice: true on the client or add the threshold llm_unpriced: ['rate==0']" +
        (unpriced.unnamed > 0 ? `. ${NAME_MODELS_HINT}` : ''),
    });
  }

  const succeeded = requests - errors;
  const outputTokens = counterTotal(m.llm_output_tokens);
  if (succeeded > 0 && outputTokens === undefined) {
    warnings.push({
      code: 'usage_missing',
      level: 'warn',
      message: `${succeeded} requests succeeded but no output token count was recorded`,
      reason: 'without token counts there is no tokens/s, TPOT or cost; the responses carried neither usage nor text to estimate it from',
    });
  }

  if (succeeded > 0 && trendStats(m.llm_ttft) === undefined) {
    warnings.push({
      code: 'no_ttft',
      level: 'warn',
      message: `${succeeded} requests succeeded but no time to first token was measured`,
      reason: 'a buffered transport (httpTransport) receives the whole body at once, so k6 sees only the first byte of the response (llm_ttfb), which many servers send before the first token; use relayTransport() under `k6-llm run` to time tokens as they arrive',
    });
  }

  const retries = counterTotal(m.llm_retries) ?? 0;
  const requestP95 = trendStats(m.llm_request_duration)?.p95;
  const e2eP95 = trendStats(m.llm_e2e)?.p95;
  if (retries > 0 && requestP95 !== undefined && e2eP95 !== undefined && e2eP95 > 0 && requestP95 > e2eP95 * l.retryInflation) {
    warnings.push({
      code: 'retries_inflate_latency',
      level: 'warn',
      message: `${retries} retries; p95 request duration ${formatMs(requestP95)} ms is ${(requestP95 / e2eP95).toFixed(1)}x the p95 of one attempt (${formatMs(e2eP95)} ms)`,
      reason: 'llm_e2e and the token timings describe the last attempt only, while callers waited through every retry and back-off: quote llm_request_duration for what users felt',
    });
  }

  if (requests > 0 && errors / requests > l.errorShare) {
    const share = errors / requests;
    warnings.push({
      code: 'high_error_share',
      level: share > l.errorShareBad ? 'bad' : 'warn',
      message: `${errors} of ${requests} requests failed (${pct(share)})`,
      reason: 'latency percentiles cover the successful requests only, and a server that fails fast sheds the load that would have slowed the rest: the figures describe a lighter load than was offered',
    });
  }

  const limited = rateOf(m.llm_rate_limited);
  if (limited && limited.rate > l.rateLimitedShare) {
    warnings.push({
      code: 'rate_limited',
      level: 'warn',
      message: `${pct(limited.rate)} of attempts were answered 429 (${limited.passes} of ${limited.samples})`,
      reason: 'the provider\'s rate limiter, not its capacity, set the pace: the run measured your quota and the retry policy, so lower the rate or raise the limit to measure the model',
    });
  }

  const blocked = trendStats(m.http_req_blocked)?.p50;
  if (blocked !== undefined && blocked > l.blockedMs) {
    warnings.push({
      code: 'generator_blocked',
      level: 'warn',
      message: `half the requests waited over ${formatMs(blocked)} ms before being sent (http_req_blocked median)`,
      reason: 'time blocked is spent on the load generator (a free connection slot, DNS, TCP/TLS setup) before the server is involved: a saturated generator or a new connection per request inflates every latency figure',
    });
  }

  const delay = trendStats(m.llm_relay_loop_delay);
  const late = delay?.p95 ?? delay?.p90 ?? delay?.max;
  if (late !== undefined && late > l.relayDelayFloorMs) {
    const ttft = trendStats(m.llm_ttft)?.p50;
    const gap = itl?.p50;
    const ttftShare = ttft !== undefined && ttft > 0 ? late / ttft : 0;
    const itlShare = gap !== undefined && gap > 0 ? late / gap : 0;
    if (ttftShare > l.relayDelayShare || itlShare > l.relayDelayShare) {
      const parts: string[] = [];
      if (ttft !== undefined) parts.push(`TTFT (median ${formatMs(ttft)} ms) by up to ${pct(ttftShare)}`);
      if (gap !== undefined) parts.push(`ITL (median ${formatMs(gap)} ms) by up to ${pct(itlShare)}`);
      warnings.push({
        code: 'relay_clock_late',
        level: ttft !== undefined && late >= ttft ? 'bad' : 'warn',
        message:
          `the relay's event loop ran up to ${formatMs(late)} ms late while requests were in flight (p95 of each request's worst delay` +
          `${delay?.max !== undefined ? `; worst ${formatMs(delay.max)} ms` : ''}): stamps could be that late, inflating ${parts.join(' and ')}`,
        reason: 'the relay stamps a read when its event loop gets to it; while the loop is busy (many open streams, a loaded machine, k6 competing for the same cores) reads wait and their stamps are late; run fewer streams per relay, keep k6 at a lower priority than the relay (k6-llm run does), or spread the load over more load generators',
      });
    }
  }

  const level: TrustLevel = warnings.some((w) => w.level === 'bad') ? 'bad' : warnings.length > 0 ? 'warn' : 'ok';
  return { level, warnings };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] !== undefined) out[key] = value[key];
  return out;
}
