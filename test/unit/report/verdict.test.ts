import { describe, expect, it } from 'vitest';
import { trustVerdict, type TrustCode } from '../../../lib/report/index';
import { counter, craft, rate, summary, trend } from './fixtures';

const codes = (data: Parameters<typeof trustVerdict>[0], limits = {}) => trustVerdict(data, limits).warnings.map((w) => w.code);

describe('trustVerdict on recorded runs', () => {
  it('finds nothing to warn about in the quickstart run against the mock', () => {
    expect(trustVerdict(summary('quickstart'))).toEqual({ level: 'ok', warnings: [] });
  });

  it('warns that the buffered http transport measured no TTFT', () => {
    const v = trustVerdict(summary('http-default-stats'));
    expect(v.level).toBe('warn');
    expect(v.warnings.map((w) => w.code)).toEqual(['no_ttft']);
    expect(v.warnings[0]?.reason).toContain('use relayTransport() under `k6-llm run`');
  });

  it('warns that ITL is per event when the mock sent four tokens per event', () => {
    const v = trustVerdict(summary('chunked'));
    expect(v.warnings.map((w) => w.code)).toEqual(['chunks_not_tokens']);
    expect(v.warnings[0]?.message).toBe('a stream event carries 4.0 output tokens at the median');
    expect(v.warnings[0]?.reason).toContain('llm_tpot');
  });

  it('warns about the injected failures and 429s of the breakdown run', () => {
    const v = trustVerdict(summary('breakdown'));
    expect(v.warnings.map((w) => w.code)).toEqual(['high_error_share', 'rate_limited']);
    expect(v.warnings[0]?.message).toBe('4 of 44 requests failed (9.1%)');
    expect(v.warnings[1]?.message).toBe('12.5% of attempts were answered 429 (6 of 48)');
  });
});

describe('trustVerdict on crafted summaries, one condition each', () => {
  it.each<[string, Parameters<typeof craft>[0], TrustCode, 'warn' | 'bad', string]>([
    ['no request was recorded', { llm_requests: counter(0) }, 'no_requests', 'bad', 'no LLM request was recorded'],
    ['k6 dropped iterations', { dropped_iterations: counter(3), iterations: counter(97) }, 'dropped_iterations', 'warn', '3 iterations were dropped (3.0% of those planned) with 10 VUs allocated'],
    ['k6 dropped many iterations', { dropped_iterations: counter(40), iterations: counter(60) }, 'dropped_iterations', 'bad', '40 iterations were dropped (40.0% of those planned)'],
    ['the median ITL is under 2 ms', { llm_itl: trend({ avg: 1.1, med: 0.8, 'p(95)': 3, max: 9 }) }, 'itl_resolution', 'warn', 'median inter-token latency is 0.80 ms, under 2 ms'],
    ['events carry several tokens', { llm_tokens_per_event: trend({ avg: 3, med: 3, max: 3 }, false) }, 'chunks_not_tokens', 'warn', 'a stream event carries 3.0 output tokens'],
    ['usage was estimated', { llm_estimated_usage: rate(4, 12) }, 'usage_estimated', 'warn', '25.0% of responses reported no token usage'],
    ['usage is missing', { llm_output_tokens: undefined }, 'usage_missing', 'warn', '15 requests succeeded but no output token count was recorded'],
    ['no TTFT sample exists', { llm_ttft: undefined }, 'no_ttft', 'warn', '15 requests succeeded but no time to first token was measured'],
    [
      'retries stretch the request duration past the attempt',
      { llm_retries: counter(5), llm_request_duration: trend({ med: 2200, 'p(95)': 4300 }), llm_e2e: trend({ med: 2100, 'p(95)': 2120 }) },
      'retries_inflate_latency',
      'warn',
      '5 retries; p95 request duration 4,300 ms is 2.0x the p95 of one attempt (2,120 ms)',
    ],
    ['more than 5% of requests failed', { llm_errors: counter(2) }, 'high_error_share', 'warn', '2 of 15 requests failed (13.3%)'],
    ['most requests failed', { llm_errors: counter(12) }, 'high_error_share', 'bad', '12 of 15 requests failed (80.0%)'],
    ['many attempts were answered 429', { llm_rate_limited: rate(3, 13) }, 'rate_limited', 'warn', '18.8% of attempts were answered 429 (3 of 16)'],
    ['requests waited on the load generator', { http_req_blocked: trend({ avg: 40, med: 35, 'p(95)': 80 }) }, 'generator_blocked', 'warn', 'half the requests waited over 35.0 ms before being sent'],
  ])('flags the run when %s', (_what, metrics, code, level, message) => {
    const v = trustVerdict(craft(metrics));
    const found = v.warnings.find((w) => w.code === code);
    expect(found, JSON.stringify(v)).toBeDefined();
    expect(found?.level).toBe(level);
    expect(found?.message).toContain(message);
    expect(found?.reason.length).toBeGreaterThan(40);
    expect(v.level).toBe(level);
  });

  it('says the relay clock is sub-millisecond and that batching, not the clock, makes tiny gaps untrustworthy', () => {
    const v = trustVerdict(craft({ llm_itl: trend({ med: 0.5 }) }));
    expect(v.warnings[0]?.reason).toMatch(/sub-millisecond clock, but .* batches/);
  });

  it("warns when the relay's event loop ran late enough to inflate TTFT or ITL, and says by how much", () => {
    const late = craft({ llm_relay_loop_delay: trend({ avg: 9, med: 8, 'p(95)': 30, max: 41 }), llm_ttft: trend({ med: 200 }), llm_itl: trend({ med: 20 }) });
    const v = trustVerdict(late);
    const w = v.warnings.find((x) => x.code === 'relay_clock_late');
    expect(w?.level).toBe('warn');
    expect(w?.message).toBe(
      "the relay's event loop ran up to 30.0 ms late while requests were in flight (p95 of each request's worst delay; worst 41.0 ms): " +
        'stamps could be that late, inflating TTFT (median 200.0 ms) by up to 15.0% and ITL (median 20.0 ms) by up to 150.0%',
    );
    // Under the timers' resolution, or small against both figures, it is no warning.
    expect(codes(craft({ llm_relay_loop_delay: trend({ 'p(95)': 1.8, max: 3 }), llm_itl: trend({ med: 1.9 }) }))).not.toContain('relay_clock_late');
    expect(codes(craft({ llm_relay_loop_delay: trend({ 'p(95)': 3, max: 5 }), llm_ttft: trend({ med: 200 }), llm_itl: trend({ med: 40 }) }))).toEqual([]);
    // An idle relay's worst timer sample reaches several ms on a shared machine (the flagship at 10 VUs: p95 2.7 and
    // 6.4 ms, ITL 20 ms, its stamps within 0.5 ms of the server's writes): under the 10 ms floor it says nothing,
    // whatever its share of ITL.
    expect(codes(craft({ llm_relay_loop_delay: trend({ 'p(95)': 6.4, max: 19 }), llm_ttft: trend({ med: 200 }), llm_itl: trend({ med: 20 }) }))).toEqual([]);
    expect(codes(craft({ llm_relay_loop_delay: trend({ 'p(95)': 6.4 }), llm_itl: trend({ med: 20 }) }), { relayDelayFloorMs: 2 })).toContain('relay_clock_late');
    // As late as the first token itself: the TTFT figures say nothing.
    expect(trustVerdict(craft({ llm_relay_loop_delay: trend({ 'p(95)': 250 }), llm_ttft: trend({ med: 200 }) })).level).toBe('bad');
  });

  it('does not flag retries whose waits leave the p95 close to one attempt', () => {
    const data = craft({ llm_retries: counter(1), llm_request_duration: trend({ 'p(95)': 2200 }), llm_e2e: trend({ 'p(95)': 2120 }) });
    expect(codes(data)).toEqual([]);
  });

  it('takes 0 ms gaps as data when TTFT shows the stream was timed, and as "no samples" when it was not', () => {
    const zeros = { avg: 0, min: 0, med: 0, max: 0, 'p(95)': 0 };
    expect(codes(craft({ llm_itl: trend(zeros) }))).toEqual(['itl_resolution']);
    expect(codes(craft({ llm_itl: trend(zeros), llm_ttft: trend(zeros) }))).toEqual(['no_ttft']);
  });

  it('lets every limit be configured', () => {
    const data = craft({ llm_errors: counter(2), llm_itl: trend({ med: 4 }), llm_rate_limited: rate(1, 15) });
    expect(codes(data)).toEqual(['high_error_share', 'rate_limited']);
    expect(codes(data, { errorShare: 0.2, rateLimitedShare: 0.1, itlResolutionMs: 5 })).toEqual(['itl_resolution']);
    expect(trustVerdict(data, { errorShareBad: 0.1 }).level).toBe('bad');
  });

  it('reads a summary without llm_* metrics without throwing', () => {
    expect(trustVerdict({ metrics: {} })).toEqual({
      level: 'bad',
      warnings: [expect.objectContaining({ code: 'no_requests', level: 'bad' })],
    });
  });
});
