import type { Completion, Provider, ProviderName } from '../providers/index';
import type { Price, PriceEntries, PriceTable } from '../cost/index';
import type { ProviderConfig } from '../providers/index';
import type { RetryInput } from '../retry/options';
import type { RateLimitState } from '../retry/rate-limit-headers';
import type { Timings } from '../timing/index';
import type { Transport } from '../transports/types';
import type { ValidationReport, Validator } from '../validate/index';

/** Service-level objectives a request must meet to count toward `llm_goodput`. */
export interface Slo {
  ttftMs?: number;
  tpotMs?: number;
  e2eMs?: number;
}

/** Options of `createClient`. All but `provider` and `model` are optional; defaults live in `CLIENT_DEFAULTS`. */
export interface ClientOptions {
  /** A provider name (`openai-chat`, `openai-responses`, `anthropic`, `gemini`, `ollama`) or a provider object (`customProvider(...)`). */
  provider: ProviderName | Provider;
  model: string;
  /**
   * Base URL of the API. Defaults to the provider's public endpoint (e.g. `https://api.openai.com/v1`);
   * required for custom providers.
   */
  baseUrl?: string;
  /** Sent only in the provider's auth header; never in tags, logs, errors or summaries. Read it from `__ENV` or k6 secrets. */
  apiKey?: string;
  /** @default httpTransport() — buffered k6/http: TTFB and end-to-end time, no TTFT. Use `relayTransport()` (under `k6-llm run`) to measure tokens as they arrive. */
  transport?: Transport;
  /** Ask the server to stream. @default transport.perEvent (true for the relay transport, false for http) */
  stream?: boolean;
  /** `retry: 3`, `retry: false` or retry options. @default 2 retries, SDK-style backoff, honouring Retry-After */
  retry?: RetryInput;
  /** Validators run on every response (see `k6-llm/validate`). @default [] */
  validate?: Validator[];
  /** Goodput SLOs. @default {} (goodput = succeeded and valid) */
  slo?: Slo;
  /**
   * USD per million tokens, for every request of this client; `false` leaves its requests out of the cost (they count
   * as unpriced; a model that costs nothing is `{ input: 0, output: 0 }`). @default priceFor(model) from the built-in table, or `prices`
   */
  price?: Price | false;
  /** Extra or overriding price-table entries (or a table from `createPriceTable`), consulted before the built-in table. */
  prices?: PriceEntries | PriceTable;
  /**
   * Make a missing price an error: `createClient` throws at init when the client's model has no price (or
   * `price: false`), so a cost budget never passes on requests it did not count. A model a request names
   * (`request.model`) is checked by a threshold instead: `llm_unpriced: ['rate==0']` (docs/cost.md). Without it,
   * an unpriced model gets one warning per run and its requests are counted by `llm_unpriced`. @default false
   */
  requirePrice?: boolean;
  /** Tags added to every metric sample. Keys `provider`, `model`, `transport`, `output_bucket`, `status` are set by the client. */
  tags?: Record<string, string>;
  /** Upper edges of the output-length buckets. @default [64, 256, 1024] */
  outputBuckets?: number[];
  /** Whole-request timeout per attempt. @default 120000 */
  timeoutMs?: number;
  /** Abort a stream that sends nothing for this long (relay transport). @default 30000 */
  stallTimeoutMs?: number;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** Which header carries the key (e.g. `api-key` for Azure OpenAI). @default the provider's own */
  auth?: ProviderConfig['auth'];
  /** Query parameters added to every URL (e.g. Azure's `api-version`). */
  query?: Record<string, string>;
  /**
   * Client-side pacing to stay under a key's budget: each VU waits for its equal share of
   * `rpm` / `tpm` before sending (see docs/rate-limits.md). Waits are recorded as `llm_pacing_wait`
   * and are not part of any latency. @default undefined (no pacing)
   */
  rateLimit?: import('./pacing').RateLimitOptions;
  /** Record llm_* metrics. @default true */
  metrics?: boolean;
}

/** The result of `chat()`: the normalized Completion plus how it went. */
export interface LlmResult extends Completion {
  /** Succeeded: a 2xx status, a complete response and no error. Validation is separate (`validation.valid`). */
  ok: boolean;
  /** HTTP status of the last attempt; 0 when no response arrived. */
  status: number;
  /** Timings of the last attempt (what the server did). */
  timings: Timings;
  /** Wall time of the whole call, retries and waits included (what the caller felt). */
  requestDurationMs: number;
  costUsd?: number;
  attempts: number;
  retries: number;
  retryWaitMs: number;
  /** Time spent waiting for the client-side rate limit before the first attempt. */
  pacingWaitMs: number;
  /** Provider rate-limit state from the last response's headers. */
  rateLimit?: RateLimitState;
  /** Validation of the response content (not of the request): `checked` names every validator that ran. */
  validation?: ValidationReport & { checked: string[] };
  /** The failure class when `ok` is false: `http_429`, `timeout`, `stall`, `truncated`, a provider error type, ... */
  errorType?: string;
  /**
   * The provider's refusal signal (`source: 'provider'`, as in `Completion.refusal`), or, when there is none and a
   * `notRefused()` validator's text heuristic read the answer as a refusal, `{ source: 'heuristic', signal: 'text',
   * reason: <the phrase> }`. What `llm_refused` counts for this request.
   */
  refusal?: Completion['refusal'];
  /** Met every SLO, succeeded and passed validation. */
  goodput: boolean;
  outputBucket: string;
  /** Tags the metrics of this request carried. */
  tags: Record<string, string>;
}

export interface LlmClient {
  chat(request: import('../providers/index').ChatRequest): LlmResult;
  /** The normalized options, without the API key. */
  readonly config: Readonly<Record<string, unknown>>;
}
