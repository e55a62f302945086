import type { Completion, HttpRequestSpec, ResponseDecoder } from '../providers/types';
import type { ObservedTimes } from '../timing/index';

/** What the client hands a transport for one attempt. */
export interface SendContext {
  /** Decodes the response; built by the client from the provider (transports never see provider modules). */
  decoder: ResponseDecoder;
  /** The request asked the server to stream. */
  stream: boolean;
  timeoutMs: number;
  /** Abort a streamed body when no byte arrives for this long. 0 = never. */
  stallTimeoutMs: number;
  /** Tags for k6's own http_* metrics of this request. Never contain the API key. */
  tags: Record<string, string>;
  /** Statuses that do not count as `http_req_failed` for this attempt (a 429 about to be retried). */
  lenientStatuses: readonly number[];
}

/** One attempt's outcome. Transports never throw for a bad response; they report it here. */
export interface AttemptResult {
  /** HTTP status; 0 when no response arrived. */
  status: number;
  /** Response headers as the transport got them (k6 canonicalizes names). */
  headers: Record<string, string>;
  completion: Completion;
  times: ObservedTimes;
  /**
   * Transport-level failure: `timeout`, `stall`, `reset`, `refused`, `truncated`, `network`, `dns`, `tls`,
   * `too_large`, `aborted`, or one of the relay's own (`relay_unavailable`, `relay_auth`, ...).
   */
  errorCode?: string;
  errorMessage?: string;
  /** Response body bytes received. */
  bytes: number;
  /**
   * The body of a non-2xx response (cut to 64 KiB), for the retry policy: Google's RetryInfo
   * delay and Anthropic's spend-limit code live there.
   */
  errorBody?: string;
}

export interface Transport {
  /** `http` (buffered k6/http) or `relay` (streamed through the k6-llm relay). Used as the `transport` tag. */
  readonly name: string;
  /** Whether it observes each event's arrival (and so can measure TTFT and ITL). */
  readonly perEvent: boolean;
  send(spec: HttpRequestSpec, ctx: SendContext): AttemptResult;
}
