// Sending one request: the pacer's wait, then attempts through the transport under the retry policy until one is
// not worth retrying. Each attempt's rate limiting is recorded as it happens; everything else once, at the end.
import { sleep } from 'k6';
import { isSuccessStatus } from '../internal/http-status';
import type { ChatRequest } from '../providers/index';
import { parseRateLimitHeaders } from '../retry/rate-limit-headers';
import type { RateLimitState } from '../retry/rate-limit-headers';
import type { AttemptOutcome } from '../retry/retryable';
import { withRetry } from '../retry/with-retry';
import { recordAttempt } from '../metrics/record';
import type { AttemptResult } from '../transports/types';
import type { ClientSetup } from './options';
import { promptTokens } from './usage';

/** How one request went out. */
export interface Sent {
  /** The last attempt. */
  attempt: AttemptResult;
  attempts: number;
  retries: number;
  retryWaitMs: number;
  /** Time waited for the pacer before the first attempt. */
  pacingWaitMs: number;
  /** Tokens reserved against a tokens-per-minute budget, settled once the usage is known. */
  reservedTokens: number;
  /** The last attempt's rate-limit headers. */
  rateLimit: RateLimitState;
  /** When the first attempt started (after pacing). */
  startedAt: number;
}

export function send(setup: ClientSetup, request: ChatRequest, model: string): Sent {
  const spec = setup.provider.buildRequest(request, setup.providerConfig);
  // Tokens reserved against a tokens-per-minute budget: the prompt plus the output cap.
  const reservedTokens = setup.pacer ? promptTokens(request) + (request.maxTokens ?? 256) : 0;
  const pacingWaitMs = setup.pacer ? setup.pacer.acquire(reservedTokens) : 0;
  const startedAt = Date.now();
  const tags = { ...setup.baseTags, model };
  const httpTags = { ...tags, name: `${setup.provider.name} ${model}` };
  let rateLimit: RateLimitState = {};
  const loop = withRetry(
    (attempt): AttemptOutcome & { attemptResult: AttemptResult } => {
      const last = attempt >= setup.retry.maxRetries;
      const result = setup.transport.send(spec, {
        decoder: setup.decoder,
        stream: request.stream === true,
        timeoutMs: setup.timeoutMs,
        stallTimeoutMs: setup.stallTimeoutMs,
        tags: httpTags,
        // A status about to be retried is not a failed request; on the last attempt it is.
        lenientStatuses: last ? [] : setup.retryableStatuses,
      });
      rateLimit = parseRateLimitHeaders(result.headers);
      if (setup.metrics) recordAttempt(result, tags, rateLimit);
      const outcome: AttemptOutcome & { attemptResult: AttemptResult } = { status: result.status, headers: result.headers, attemptResult: result };
      const error = result.completion.error;
      if (!isSuccessStatus(result.status)) outcome.body = result.errorBody;
      else if (error && !result.errorCode) {
        outcome.inStreamError = { type: error.type, message: error.message, beforeOutput: result.completion.contentEvents === 0 };
      }
      return outcome;
    },
    { retry: setup.retry, sleep: (ms) => sleep(ms / 1000) },
  );
  return {
    attempt: loop.result.attemptResult,
    attempts: loop.attempts,
    retries: loop.retries,
    retryWaitMs: loop.waitedMs,
    pacingWaitMs,
    reservedTokens,
    rateLimit,
    startedAt,
  };
}
