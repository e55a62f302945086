// Validation results as k6 checks, so they show in the checks section of the summary
// and can be thresholded with `checks{check:...}` like any other check.
import { check } from 'k6';
import type { LlmResult } from './types';

/**
 * Records one k6 check per validator the client ran (`valid <name>`), plus `request ok`
 * unless `{ ok: false }`. Returns true when every recorded check passed. Tags are the
 * result's own, so checks split by model and output bucket like the llm_* metrics.
 */
export function checkValidation(result: LlmResult, options: { ok?: boolean; validators?: readonly string[] } = {}): boolean {
  const sets: Record<string, (r: LlmResult) => boolean> = {};
  if (options.ok !== false) sets['request ok'] = (r) => r.ok;
  const names = options.validators ?? result.validation?.checked ?? [];
  for (const name of names) sets[`valid ${name}`] = (r) => r.validation !== undefined && !r.validation.failed.includes(name);
  return check(result, sets, result.tags);
}
