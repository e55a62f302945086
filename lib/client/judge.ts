// Whether a response is what the test wanted: it succeeded, its content passed the validators, and it met the SLOs;
// goodput is all three. A refusal that a `notRefused()` validator's text heuristic read is kept beside the
// provider's own signal.
import type { Refusal } from '../providers/index';
import type { Timings } from '../timing/index';
import type { AttemptResult } from '../transports/types';
import { runValidators } from '../validate/index';
import type { ValidationReport } from '../validate/index';
import { TEXT_REFUSAL } from '../validate/refusal';
import { errorTypeOf } from './errors';
import type { ClientSetup } from './options';
import { meetsSlo } from './slo';

export interface Judgement {
  /** The failure class, when the request failed. */
  errorType?: string;
  ok: boolean;
  validation?: ValidationReport & { checked: string[] };
  /** The provider's refusal signal, else the text heuristic's finding. */
  refusal?: Refusal;
  goodput: boolean;
}

export function judge(setup: ClientSetup, attempt: AttemptResult, timings: Timings): Judgement {
  const completion = attempt.completion;
  const errorType = errorTypeOf(attempt);
  const ok = errorType === undefined;
  const validation = setup.validators.length > 0 ? runValidators(setup.validators, completion) : undefined;
  const judgement: Judgement = { ok, goodput: ok && (validation?.valid ?? true) && meetsSlo(setup.slo, timings) };
  if (errorType !== undefined) judgement.errorType = errorType;
  if (validation) judgement.validation = { ...validation, checked: setup.validatorNames };
  const refusal = completion.refusal ?? (validation !== undefined && !validation.valid ? heuristicRefusal(validation) : undefined);
  if (refusal) judgement.refusal = refusal;
  return judgement;
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
