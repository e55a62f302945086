// The client's options, checked and normalized once, at init, into everything a request needs: misuse throws here,
// "invalid X: expected Y, got Z", and never from chat().
import { sleep } from 'k6';
import exec from 'k6/execution';
import type { Price } from '../cost/index';
import { DEFAULT_OUTPUT_BUCKETS } from '../internal/output-buckets';
import { redactionOf } from '../internal/redact';
import { describe } from '../internal/values';
import { getProvider, responseDecoder } from '../providers/index';
import type { Provider, ProviderConfig, ResponseDecoder } from '../providers/index';
import { normalizeRetryOptions } from '../retry/options';
import type { ResolvedRetryOptions } from '../retry/options';
import { retryableStatusList } from '../retry/retryable';
import { httpTransport } from '../transports/http';
import type { Transport } from '../transports/types';
import type { Validator } from '../validate/index';
import { createPacer, normalizeRateLimit, type Pacer } from './pacing';
import { createPricing } from './pricing';
import type { ClientOptions, Slo } from './types';

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
/** Tags the client sets itself. */
const RESERVED_TAGS = ['provider', 'model', 'transport', 'output_bucket', 'status', 'error_type', 'usage_source', 'refused_by'];
const SLO_KEYS = ['ttftMs', 'tpotMs', 'e2eMs'];

/** A client's options, normalized: what every request of it needs, built once. */
export interface ClientSetup {
  provider: Provider;
  providerConfig: ProviderConfig;
  /** Decodes the provider's responses, redacting the API key from error messages. */
  decoder: ResponseDecoder;
  transport: Transport;
  stream: boolean;
  retry: ResolvedRetryOptions;
  /**
   * The statuses an attempt may answer without counting as `http_req_failed`, because they are retried. Frozen:
   * transports may keep what they derive from it by identity (the http transport's status callback).
   */
  retryableStatuses: readonly number[];
  validators: Validator[];
  validatorNames: string[];
  slo: Slo;
  price: Price | undefined;
  /** The price of a model a request names instead of the client's (`request.model`), looked up once per model. */
  priceOf: (model: string) => Price | undefined;
  /** The user's tags. */
  tags: Record<string, string>;
  /** The user's tags with `provider`, `model` and `transport`: on every sample of this client. */
  baseTags: Record<string, string>;
  outputBuckets: readonly number[];
  timeoutMs: number;
  stallTimeoutMs: number;
  metrics: boolean;
  pacer: Pacer | undefined;
}

function invalid(what: string, expected: string, got: unknown): Error {
  return new Error(`invalid ${what}: expected ${expected}, got ${describe(got)}`);
}

function positiveMs(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) throw invalid(name, 'a non-negative number of milliseconds', value);
  return value;
}

export function clientSetup(options: ClientOptions): ClientSetup {
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
    if (!SLO_KEYS.includes(key)) throw invalid('slo', 'keys ttftMs, tpotMs, e2eMs', key);
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
  for (const value of Object.values(tags)) {
    if (apiKey && value.includes(apiKey)) throw new Error('invalid tags: a tag value contains the API key');
  }

  const providerConfig: ProviderConfig = { baseUrl: baseUrl.replace(/\/+$/, ''), model: options.model };
  if (apiKey !== undefined) providerConfig.apiKey = apiKey;
  if (options.headers) providerConfig.headers = { ...options.headers };
  if (options.auth !== undefined) providerConfig.auth = options.auth;
  if (options.query) providerConfig.query = { ...options.query };
  const retry = normalizeRetryOptions(options.retry);
  return {
    provider,
    providerConfig,
    decoder: responseDecoder(provider, { redact: redactionOf([apiKey]) }),
    transport,
    stream: options.stream ?? transport.perEvent,
    retry,
    retryableStatuses: Object.freeze(retry.maxRetries > 0 ? retryableStatusList(retry) : []),
    validators,
    validatorNames: validators.map((v) => v.name),
    slo,
    price,
    priceOf,
    tags,
    baseTags: { ...tags, provider: provider.name, model: options.model, transport: transport.name },
    outputBuckets: buckets,
    timeoutMs: positiveMs('timeoutMs', options.timeoutMs, CLIENT_DEFAULTS.timeoutMs),
    stallTimeoutMs: positiveMs('stallTimeoutMs', options.stallTimeoutMs, CLIENT_DEFAULTS.stallTimeoutMs),
    metrics: options.metrics ?? CLIENT_DEFAULTS.metrics,
    pacer: pacerFor(normalizeRateLimit(options.rateLimit)),
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

/** The normalized options as `LlmClient.config` shows them: the API key as `[redacted]`. */
export function publicConfig(setup: ClientSetup): Readonly<Record<string, unknown>> {
  return Object.freeze({
    provider: setup.provider.name,
    model: setup.providerConfig.model,
    baseUrl: setup.providerConfig.baseUrl,
    transport: setup.transport.name,
    stream: setup.stream,
    retry: setup.retry,
    slo: setup.slo,
    price: setup.price,
    tags: setup.tags,
    outputBuckets: setup.outputBuckets,
    timeoutMs: setup.timeoutMs,
    stallTimeoutMs: setup.stallTimeoutMs,
    apiKey: setup.providerConfig.apiKey ? '[redacted]' : undefined,
  });
}
