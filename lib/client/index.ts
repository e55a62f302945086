// createClient: the one object scripts use. chat() is the flow of one request, in steps: send it (pacing, then the
// retry policy around each attempt through the transport), finalize its usage, measure it (timings, bucket, cost),
// judge it (errors, validation, SLOs, goodput), record its llm_* metrics, and return the LlmResult. Misuse throws at
// init (options.ts); a bad response never throws from chat().
import { recordResult } from '../metrics/record';
import type { ChatRequest } from '../providers/index';
import { judge } from './judge';
import { measure } from './measure';
import { clientSetup, publicConfig } from './options';
import { send } from './send';
import type { ClientOptions, LlmClient, LlmResult } from './types';
import { finalizeUsage } from './usage';

export { CLIENT_DEFAULTS } from './options';
export { errorTypeOf } from './errors';
export type { ClientOptions, LlmClient, LlmResult, Slo } from './types';

export function createClient(options: ClientOptions): LlmClient {
  const setup = clientSetup(options);

  function chat(request: ChatRequest): LlmResult {
    const req: ChatRequest = { ...request, stream: request.stream ?? setup.stream };
    const model = req.model ?? setup.providerConfig.model;

    const sent = send(setup, req, model);
    const { attempt } = sent;
    const completion = attempt.completion;
    const estimated = finalizeUsage(completion, req, setup.pacer, sent.reservedTokens);
    const measured = measure(setup, attempt, model);
    const judged = judge(setup, attempt, measured.timings);

    const tags: Record<string, string> = { ...setup.baseTags, model, output_bucket: measured.outputBucket, status: String(attempt.status) };
    if (estimated) tags.usage_source = 'estimated';
    const result: LlmResult = {
      ...completion,
      ok: judged.ok,
      status: attempt.status,
      timings: measured.timings,
      requestDurationMs: Date.now() - sent.startedAt,
      attempts: sent.attempts,
      retries: sent.retries,
      retryWaitMs: sent.retryWaitMs,
      pacingWaitMs: sent.pacingWaitMs,
      goodput: judged.goodput,
      outputBucket: measured.outputBucket,
      tags,
    };
    if (measured.costUsd !== undefined) result.costUsd = measured.costUsd;
    if (judged.errorType !== undefined) result.errorType = judged.errorType;
    if (judged.validation) result.validation = judged.validation;
    if (judged.refusal) result.refusal = judged.refusal;
    const rateLimit = sent.rateLimit;
    if (rateLimit.requests || rateLimit.tokens || rateLimit.inputTokens || rateLimit.outputTokens) result.rateLimit = rateLimit;

    if (setup.metrics) {
      recordResult(result, { cacheHitRatio: measured.cacheHitRatio, perEvent: attempt.times.perEvent, validators: setup.validatorNames, priced: measured.priced });
    }
    return result;
  }

  return { chat, config: publicConfig(setup) };
}
