import { describe, expect, it } from 'vitest';
import { bucketLabels, COMMON_ERROR_TYPES, isNoOpThreshold, llmThresholdsForBreakdown, parseMetricKey } from '../../../lib/report/index';

describe('llmThresholdsForBreakdown', () => {
  it('names every per-model metric with the no-op expression its metric type accepts', () => {
    const t = llmThresholdsForBreakdown({ models: ['gpt-4o'], buckets: false, errorTypes: [], refusals: false });
    expect(t).toEqual({
      'llm_ttft{model:gpt-4o}': ['p(95)>=0'],
      'llm_itl{model:gpt-4o}': ['p(95)>=0'],
      'llm_tpot{model:gpt-4o}': ['p(95)>=0'],
      'llm_e2e{model:gpt-4o}': ['p(95)>=0'],
      'llm_output_tokens_per_s{model:gpt-4o}': ['p(95)>=0'],
      'llm_requests{model:gpt-4o}': ['count>=0'],
      'llm_errors{model:gpt-4o}': ['count>=0'],
      'llm_output_tokens{model:gpt-4o}': ['count>=0'],
      'llm_cost_usd{model:gpt-4o}': ['count>=0'],
      'llm_unpriced{model:gpt-4o}': ['rate>=0'],
      'llm_estimated_usage{model:gpt-4o}': ['rate>=0'],
      'llm_goodput{model:gpt-4o}': ['rate>=0'],
    });
  });

  it('breaks down by the default output buckets and the unknown bucket of failures unless told otherwise', () => {
    const t = llmThresholdsForBreakdown({ errorTypes: [] });
    expect(t['llm_ttft{output_bucket:0-64}']).toEqual(['p(95)>=0']);
    expect(Object.keys(t).filter((k) => k.startsWith('llm_requests{')).sort()).toEqual([
      'llm_requests{output_bucket:0-64}',
      'llm_requests{output_bucket:1025+}',
      'llm_requests{output_bucket:257-1024}',
      'llm_requests{output_bucket:65-256}',
      'llm_requests{output_bucket:unknown}',
    ]);
    const custom = llmThresholdsForBreakdown({ outputBuckets: [100, 500], errorTypes: [] });
    expect(Object.keys(custom).filter((k) => k.startsWith('llm_ttft{'))).toEqual([
      'llm_ttft{output_bucket:0-100}',
      'llm_ttft{output_bucket:101-500}',
      'llm_ttft{output_bucket:501+}',
      'llm_ttft{output_bucket:unknown}',
    ]);
  });

  it('adds error-type and validator submetrics', () => {
    const t = llmThresholdsForBreakdown({ buckets: false, validators: ['json'] });
    expect(t['llm_errors{error_type:rate_limited}']).toEqual(['count>=0']);
    expect(Object.keys(t).filter((k) => k.startsWith('llm_errors{error_type:'))).toHaveLength(COMMON_ERROR_TYPES.length);
    expect(t['llm_validation_failed{validator:json}']).toEqual(['rate>=0']);
  });

  it('splits llm_refused by what detected each refusal, unless told not to', () => {
    const t = llmThresholdsForBreakdown({ buckets: false, errorTypes: [] });
    expect(t).toEqual({ 'llm_refused{refused_by:provider}': ['rate>=0'], 'llm_refused{refused_by:heuristic}': ['rate>=0'] });
    expect(llmThresholdsForBreakdown({ buckets: false, errorTypes: [], refusals: false })).toEqual({});
  });

  it('merges into the script\'s own thresholds, keeping them and adding the no-op once', () => {
    const own = { 'llm_ttft{model:a}': ['p(95)<2000', { threshold: 'p(95)>=0', abortOnFail: false }], llm_errors: ['count<5'] };
    const t = llmThresholdsForBreakdown({ models: ['a'], buckets: false, errorTypes: [] }, own);
    expect(t['llm_ttft{model:a}']).toEqual(['p(95)<2000', { threshold: 'p(95)>=0', abortOnFail: false }]);
    expect(t.llm_errors).toEqual(['count<5']);
    expect(t['llm_e2e{model:a}']).toEqual(['p(95)>=0']);
    expect(own['llm_ttft{model:a}']).toHaveLength(2);
  });

  it('recognises only expressions that hold for every value as no-ops', () => {
    expect(['p(95)>=0', 'count>=0', 'rate >= 0', 'p(99.9)>=0', 'max>=0'].map(isNoOpThreshold)).toEqual([true, true, true, true, true]);
    expect(['p(95)>=1', 'count>0', 'rate<=0', 'p(95)<2000', 'avg>=0.5'].map(isNoOpThreshold)).toEqual([false, false, false, false, false]);
  });

  it('labels buckets the way the client tags them', () => {
    expect(bucketLabels([64, 256, 1024])).toEqual(['0-64', '65-256', '257-1024', '1025+']);
  });
});

describe('parseMetricKey', () => {
  it('splits submetric keys into name and tags, with colons kept inside values', () => {
    expect(parseMetricKey('llm_ttft')).toEqual({ name: 'llm_ttft', tags: {} });
    expect(parseMetricKey('llm_ttft{model:gpt-4o}')).toEqual({ name: 'llm_ttft', tags: { model: 'gpt-4o' } });
    expect(parseMetricKey('llm_ttft{model: "ns:m1", output_bucket:0-64}')).toEqual({ name: 'llm_ttft', tags: { model: 'ns:m1', output_bucket: '0-64' } });
  });
});
