// k6-llm: the barrel. Public names only; feature subpaths (k6-llm/sse, k6-llm/cost, ...)
// let a script import just what it uses.
export { createClient, CLIENT_DEFAULTS } from './client/index';
export type { ClientOptions, LlmClient, LlmResult, Slo } from './client/index';
export { checkValidation } from './client/checks';
export type { RateLimitOptions } from './client/pacing';
export { httpTransport } from './transports/http';
export type { Transport, AttemptResult, SendContext } from './transports/types';
export { llmMetrics, METRIC_NAMES } from './metrics/index';
export { providers, customProvider, getProvider, DEFAULT_BASE_URLS } from './providers/index';
export type { ChatRequest, ChatMessage, Completion, Usage, ToolCall, ToolSpec, Provider, ProviderConfig } from './providers/index';
export { costOf, priceFor, projectCost, estimateRunCost, cacheHitRatio } from './cost/index';
export type { Price } from './cost/index';
export { computeTimings } from './timing/index';
export { outputBucket, DEFAULT_OUTPUT_BUCKETS } from './internal/output-buckets';
export { estimateTokens } from './internal/token-estimate';
export type { Timings } from './timing/index';
