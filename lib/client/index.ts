// createClient: the one object scripts use. It builds the provider's request, sends it
// through a transport with the retry policy around each attempt, times it, prices it,
// validates it, records the llm_* metrics and returns an LlmResult. Misuse throws at
// init; a bad response never throws from chat().
import { sleep } from 'k6';
import exec from 'k6/execution';
import { costOf, cacheHitRatio } from '../cost/index';
import type { Price } from '../cost/index';
import { getProvider, responseDecoder } from '../providers/index';
import type { ChatRequest, Completion, Provider, ProviderConfig, Refusal, ResponseDecoder } from '../providers/index';
import { normalizeRetryOptions, parseRateLimitHeaders, withRetry } from '../retry/index';
import type { AttemptOutcome, RateLimitState, ResolvedRetryOptions } from '../retry/index';
import { DEFAULT_OUTPUT_BUCKETS, outputBucket } from '../internal/output-buckets';
import { estimateTokens } from '../internal/token-estimate';
import { computeTimings } from '../timing/index';
import { redactionOf, type Redact } from '../internal/redact';
import { describe } from '../internal/values';
import { isSuccessStatus } from '../internal/http-status';
import { httpTransport } from '../transports/http';
import type { AttemptResult, Transport } from '../transports/types';
import { runValidators } from '../validate/index';
import { TEXT_REFUSAL } from '../validate/refusal';
import type { ValidationReport, Validator } from '../validate/index';
import { createPacer, normalizeRateLimit } from './pacing';
import { createPricing } from './pricing';
import type { Pacer } from './pacing';
import { recordResult, recordAttempt } from './record';
import type { ClientOptions, LlmClient, LlmResult, Slo } from './types';

export type { ClientOptions, LlmClient, LlmResult, Slo } from './types';

/** The one place the client's defaults are written (each is also `@default` on `ClientOptions`). */
export const CLIENT_DEFAULTS = {
  timeoutMs: 120_000,
  stallTimeoutMs: 30_000,
  outputBuckets: DEFAULT_OUTPUT_BUCKETS,
  metrics: true,
} as const;

const OPTION_KEYS = [
  'provider', 'model', 'baseUrl', 'apiKey', 'transport', 'stream', 'retry', 'validate', 'slo', 'price',
  'prices', 'requirePrice', 'tags', 'outputBuckets', 'timeoutMs', 'stallTimeoutMs', 'headers', 'metrics', 'rateLimit', 'auth', 'query',
];
/**
 * The statuses the SDK rule retries (408, 409, 429 and every 5xx), as a list for expected-status
 * callbacks. Built per client, not at import: each k6 VU is its own runtime and pays for what a
 * module builds at import, and a client without retries needs none of it.
 */
function sdkRetryableStatuses(): number[] {
  const statuses = [408, 409, 429];
  for (let status = 500; status < 600; status++) statuses.push(status);
  return statuses;
}
const RESERVED_TAGS = ['provider', 'model', 'transport', 'output_bucket', 'status', 'error_type', 'usage_source', 'refused_by'];

interface Normalized {
  provider: Provider;
  providerConfig: ProviderConfig;
  transport: Transport;
  stream: boolean;
  retry: ResolvedRetryOptions;
  validators: Validator[];
  slo: Slo;
  price: Price | undefined;
  /** The price of a model a request names instead of the client's (`request.model`), looked up once per model. */
  priceOf: (model: string) => Price | undefined;
  tags: Record<string, string>;
  outputBuckets: readonly number[];
  timeoutMs: number;
  stallTimeoutMs: number;
  metrics: boolean;
  pacer: Pacer | undefined;
  /** Applied to every Completion's error message: the API key never reaches a result. */
  redact: Redact | undefined;
}

function invalid(what: string, expected: string, got: unknown): Error {
  return new Error(`invalid ${what}: expected ${expected}, got ${describe(got)}`);
}

function positiveMs(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) throw invalid(name, 'a non-negative number of milliseconds', value);
  return value;
}

function normalize(options: ClientOptions): Normalized {
  if (!options || typeof options !== 'object') throw invalid('client options', 'an object', options);
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key)) throw invalid('client option', `one of ${OPTION_KEYS.join(', ')}`, key);
  }
  const provider = getProvider(options.provider);
  if (typeof options.model !== 'string' || options.model === '') throw invalid('model', 'a non-empty string', options.model);
  const baseUrl = options.baseUrl ?? provider.defaultBaseUrl;
  if (typeof baseUrl !== 'string' || !/^https?:\/\//.test(baseUrl)) {
    throw invalid('baseUrl', `an http(s) URL${provider.defaultBaseUrl ? '' : ' (required for this provider)'}`, baseUrl);
  }
  if (options.apiKey !== undefined && typeof options.apiKey !== 'string') throw invalid('apiKey', 'a string', '(not shown)');
  const apiKey = options.apiKey === '' ? undefined : options.apiKey;
  const transport = options.transport ?? httpTransport();
  if (!transport || typeof transport.send !== 'function') throw invalid('transport', 'httpTransport() or relayTransport()', transport);
  const validators = options.validate ?? [];
  if (!Array.isArray(validators) || !validators.every((v) => v && typeof v.validate === 'function')) {
    throw invalid('validate', 'an array of validators from k6-llm/validate', validators);
  }
  const slo = options.slo ?? {};
  for (const key of Object.keys(slo) as Array<keyof Slo>) {
    if (!['ttftMs', 'tpotMs', 'e2eMs'].includes(key)) throw invalid('slo', 'keys ttftMs, tpotMs, e2eMs', key);
    positiveMs(`slo.${key}`, slo[key], 0);
  }
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.tags ?? {})) {
    if (RESERVED_TAGS.includes(key)) throw invalid('tags', `no reserved tag (${RESERVED_TAGS.join(', ')})`, key);
    tags[key] = String(value);
  }
  const buckets = options.outputBuckets ?? CLIENT_DEFAULTS.outputBuckets;
  if (!Array.isArray(buckets) || !buckets.every((b, i) => Number.isInteger(b) && b >= 0 && (i === 0 || b > (buckets[i - 1] as number)))) {
    throw invalid('outputBuckets', 'ascending non-negative integers', buckets);
  }
  const { price, priceOf } = createPricing(options);

  const providerConfig: ProviderConfig = { baseUrl: baseUrl.replace(/\/+$/, ''), model: options.model };
  if (apiKey !== undefined) providerConfig.apiKey = apiKey;
  if (options.headers) providerConfig.headers = { ...options.headers };
  if (options.auth !== undefined) providerConfig.auth = options.auth;
  if (options.query) providerConfig.query = { ...options.query };
  for (const value of Object.values(tags)) {
    if (apiKey && value.includes(apiKey)) throw new Error('invalid tags: a tag value contains the API key');
  }
  return {
    provider,
    providerConfig,
    transport,
    stream: options.stream ?? transport.perEvent,
    retry: normalizeRetryOptions(options.retry),
    validators,
    slo,
    price,
    priceOf,
    tags,
    outputBuckets: buckets,
    timeoutMs: positiveMs('timeoutMs', options.timeoutMs, CLIENT_DEFAULTS.timeoutMs),
    stallTimeoutMs: positiveMs('stallTimeoutMs', options.stallTimeoutMs, CLIENT_DEFAULTS.stallTimeoutMs),
    metrics: options.metrics ?? CLIENT_DEFAULTS.metrics,
    pacer: pacerFor(normalizeRateLimit(options.rateLimit)),
    redact: redactionOf([apiKey]),
  };
}

function pacerFor(limit: ReturnType<typeof normalizeRateLimit>): Pacer | undefined {
  if (!limit) return undefined;
  return createPacer(limit, {
    now: () => Date.now(),
    sleep: (ms) => sleep(ms / 1000),
    vus: () => exec.instance.vusInitialized,
  });
}

function promptTokens(request: ChatRequest): number {
  let text = (request.system ?? '') + (request.prompt ?? '');
  for (const message of request.messages ?? []) text += message.content;
  return estimateTokens(text);
}

/** The failure class of an attempt, or undefined when it succeeded. */
export function errorTypeOf(attempt: Pick<AttemptResult, 'status' | 'errorCode' | 'completion'>): string | undefined {
  if (attempt.errorCode) return attempt.errorCode;
  if (attempt.status === 429) return 'rate_limited';
  if (!isSuccessStatus(attempt.status)) return `http_${attempt.status}`;
  if (attempt.completion.error) return attempt.completion.error.type;
  if (!attempt.completion.complete) return 'incomplete';
  return undefined;
}

function fillUsage(completion: Completion, request: ChatRequest): boolean {
  const usage = completion.usage;
  if (usage.outputTokens !== undefined) return false;
  if (completion.text === '' && completion.reasoningText === '' && completion.toolCalls.length === 0) return false;
  usage.outputTokens = estimateTokens(completion.text) + estimateTokens(completion.reasoningText) +
    completion.toolCalls.reduce((sum, call) => sum + estimateTokens(call.name) + estimateTokens(call.arguments), 0);
  if (usage.inputTokens === undefined) usage.inputTokens = promptTokens(request);
  usage.source = 'estimated';
  return true;
}

/**
 * The refusal a `notRefused()` validator's text heuristic found (its issue's `params`), for `LlmResult.refusal` and
 * `llm_refused`. Only read when validation failed, so a valid response costs nothing here.
 */
function heuristicRefusal(validation: ValidationReport): Refusal | undefined {
  const issues = validation.issues;
  for (let i = 0; i < issues.length; i++) {
    const issue = issues[i] as ValidationReport['issues'][number];
    if (issue.keyword !== TEXT_REFUSAL || !issue.params) continue;
    const reason = issue.params.reason;
    return { source: 'heuristic', signal: 'text', reason: typeof reason === 'string' ? reason : '' };
  }
  return undefined;
}

export function createClient(options: ClientOptions): LlmClient {
  const o = normalize(options);
  const baseTags: Record<string, string> = {
    ...o.tags,
    provider: o.provider.name,
    model: o.providerConfig.model,
    transport: o.transport.name,
  };
  const validatorNames = o.validators.map((v) => v.name);
  const decoder: ResponseDecoder = responseDecoder(o.provider, { redact: o.redact });
  // Frozen: transports may keep what they derive from it by identity (the http transport's status callback).
  const retryableStatuses: readonly number[] = Object.freeze(o.retry.maxRetries > 0 ? (o.retry.statuses ? [...o.retry.statuses] : sdkRetryableStatuses()) : []);

  function chat(request: ChatRequest): LlmResult {
    const req: ChatRequest = { ...request, stream: request.stream ?? o.stream };
    const model = req.model ?? o.providerConfig.model;
    const spec = o.provider.buildRequest(req, o.providerConfig);
    // Tokens reserved against a tokens-per-minute budget: the prompt plus the output cap.
    const reserved = o.pacer ? promptTokens(req) + (req.maxTokens ?? 256) : 0;
    const pacingWaitMs = o.pacer ? o.pacer.acquire(reserved) : 0;
    const startedAt = Date.now();
    const httpTags = { ...baseTags, model, name: `${o.provider.name} ${model}` };

    let lastRateLimit: RateLimitState = {};
    const loop = withRetry(
      (attempt): AttemptOutcome & { attemptResult: AttemptResult } => {
        const last = attempt >= o.retry.maxRetries;
        const result = o.transport.send(spec, {
          decoder,
          stream: req.stream === true,
          timeoutMs: o.timeoutMs,
          stallTimeoutMs: o.stallTimeoutMs,
          tags: httpTags,
          // A status about to be retried is not a failed request; on the last attempt it is.
          lenientStatuses: last ? [] : retryableStatuses,
        });
        lastRateLimit = parseRateLimitHeaders(result.headers);
        if (o.metrics) recordAttempt(result, { ...baseTags, model }, lastRateLimit);
        const c = result.completion;
        const outcome: AttemptOutcome & { attemptResult: AttemptResult } = {
          status: result.status,
          headers: result.headers,
          attemptResult: result,
        };
        if (!isSuccessStatus(result.status)) outcome.body = result.errorBody;
        else if (c.error && !result.errorCode) {
          outcome.inStreamError = { type: c.error.type, message: c.error.message, beforeOutput: c.contentEvents === 0 };
        }
        return outcome;
      },
      { retry: o.retry, sleep: (ms) => sleep(ms / 1000) },
    );

    const attempt = loop.result.attemptResult;
    const completion = attempt.completion;
    const estimated = fillUsage(completion, req);
    if (o.pacer) {
      const u = completion.usage;
      o.pacer.settle(reserved, u.inputTokens !== undefined || u.outputTokens !== undefined ? (u.inputTokens ?? 0) + (u.outputTokens ?? 0) : undefined);
    }
    const timings = computeTimings(attempt.times, completion.usage.outputTokens);
    const errorType = errorTypeOf(attempt);
    const ok = errorType === undefined;
    const bucket = outputBucket(completion.usage.outputTokens, o.outputBuckets);
    const tags: Record<string, string> = { ...baseTags, model, output_bucket: bucket, status: String(attempt.status) };
    if (estimated) tags.usage_source = 'estimated';
    const price = o.priceOf(model);
    const costUsd = price ? costOf(completion.usage, price) : undefined;
    const validation = o.validators.length > 0 ? runValidators(o.validators, completion) : undefined;
    const sloMet =
      (o.slo.ttftMs === undefined || (timings.ttftMs !== undefined && timings.ttftMs <= o.slo.ttftMs)) &&
      (o.slo.tpotMs === undefined || (timings.tpotMs !== undefined && timings.tpotMs <= o.slo.tpotMs)) &&
      (o.slo.e2eMs === undefined || timings.e2eMs <= o.slo.e2eMs);

    const result: LlmResult = {
      ...completion,
      ok,
      status: attempt.status,
      timings,
      requestDurationMs: Date.now() - startedAt,
      attempts: loop.attempts,
      retries: loop.retries,
      retryWaitMs: loop.waitedMs,
      pacingWaitMs,
      goodput: ok && (validation?.valid ?? true) && sloMet,
      outputBucket: bucket,
      tags,
    };
    if (costUsd !== undefined) result.costUsd = costUsd;
    if (errorType !== undefined) result.errorType = errorType;
    if (validation) result.validation = { ...validation, checked: validatorNames };
    if (result.refusal === undefined && validation !== undefined && !validation.valid) {
      const found = heuristicRefusal(validation);
      if (found) result.refusal = found;
    }
    const rateLimit = lastRateLimit;
    if (rateLimit.requests || rateLimit.tokens || rateLimit.inputTokens || rateLimit.outputTokens) result.rateLimit = rateLimit;
    if (o.metrics) recordResult(result, { cacheHitRatio: cacheHitRatio(completion.usage), perEvent: attempt.times.perEvent, validators: validatorNames, priced: price !== undefined });
    return result;
  }

  const config = Object.freeze({
    provider: o.provider.name,
    model: o.providerConfig.model,
    baseUrl: o.providerConfig.baseUrl,
    transport: o.transport.name,
    stream: o.stream,
    retry: o.retry,
    slo: o.slo,
    price: o.price,
    tags: o.tags,
    outputBuckets: o.outputBuckets,
    timeoutMs: o.timeoutMs,
    stallTimeoutMs: o.stallTimeoutMs,
    apiKey: o.providerConfig.apiKey ? '[redacted]' : undefined,
  });
  return { chat, config };
}
