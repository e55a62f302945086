/**
 * `k6-llm/report`: end-of-test reports from k6's handleSummary(data), pure (no k6 import), so the
 * same code runs in k6 and in Node. Text, JSON, JUnit and one self-contained HTML file, each with
 * the run-trust verdict; plus the latency-vs-load aggregation behind `k6-llm report`.
 */
export { llmTextSummary, renderText, type TextSummaryOptions } from './text';
export { llmJSON } from './json';
export { llmJUnit, type JUnitOptions } from './junit';
export { llmHtmlReport, renderHtml, type HtmlReportOptions } from './html';
export {
  llmReport,
  LATENCY_METRICS,
  REPORT_SCHEMA,
  type BreakdownRow,
  type LatencyRow,
  type LlmReport,
  type ReportOptions,
  type ThresholdResult,
} from './report';
export { trustVerdict, DEFAULT_TRUST_LIMITS, type TrustCode, type TrustLevel, type TrustLimits, type TrustVerdict, type TrustWarning } from './verdict';
export {
  llmThresholdsForBreakdown,
  isNoOpThreshold,
  bucketLabels,
  COMMON_ERROR_TYPES,
  MODEL_BREAKDOWN_METRICS,
  BUCKET_BREAKDOWN_METRICS,
  type BreakdownOptions,
} from './breakdown-thresholds';
export { parseMetricKey, type K6MetricSummary, type K6SummaryData, type TrendStats } from './summary-data';
export {
  createLoadCurveAggregator,
  type LoadCurve,
  type LoadCurveAggregator,
  type LoadCurveBucket,
  type LoadCurveOptions,
  type BucketLatency,
} from './load-curve';
export { loadCurveHtml, type LoadCurveHtmlOptions } from './load-curve-html';
