import { quote } from './json-answer';
import { detectRefusalText } from './refusal-text';
import type { ValidationIssue, ValidationResult, Validator } from './types';

export interface NotRefusedOptions {
  /**
   * When the provider signalled no refusal, also read the text for one (English; precision and recall measured in
   * docs/validation.md). `false` keeps only the provider's signals, which cost nothing to check.
   * @default true
   */
  heuristic?: boolean;
}

/** The issue keyword when the provider signalled the refusal (`Completion.refusal`). */
export const PROVIDER_REFUSAL = 'providerRefusal';
/** The issue keyword when the text heuristic read the answer as a refusal. */
export const TEXT_REFUSAL = 'textRefusal';

/**
 * The model did not refuse. A refusal the provider signalled (`Completion.refusal`: OpenAI's `refusal` field and
 * `content_filter`, Anthropic's `stop_reason: "refusal"`, Gemini's safety finish and block reasons, ...) fails with
 * keyword `providerRefusal` at `/refusal`; otherwise, unless `heuristic: false`, an answer whose opening reads as a
 * refusal fails with keyword `textRefusal` at `/text`. Either issue carries the refusal as `params`
 * (`{ source: 'provider' | 'heuristic', signal, reason }`), and the client records it in `llm_refused`.
 */
export function notRefused(options: NotRefusedOptions = {}): Validator {
  const heuristic = options?.heuristic ?? true;
  if (typeof heuristic !== 'boolean') {
    throw new TypeError(`invalid notRefused option heuristic: expected a boolean, got ${typeof heuristic}`);
  }
  return {
    name: 'notRefused',
    validate(completion): ValidationResult {
      const signalled = completion?.refusal;
      if (signalled !== null && typeof signalled === 'object') {
        const refusal = { source: signalled.source, signal: signalled.signal, reason: signalled.reason };
        const by = signalled.source === 'heuristic' ? 'the text heuristic' : `the provider (${signalled.signal}: ${JSON.stringify(signalled.reason)})`;
        const keyword = signalled.source === 'heuristic' ? TEXT_REFUSAL : PROVIDER_REFUSAL;
        return invalid({ validator: 'notRefused', path: signalled.source === 'heuristic' ? '/text' : '/refusal', keyword, message: `refused: signalled by ${by}`, params: refusal });
      }
      if (!heuristic) return valid();
      const text = typeof completion?.text === 'string' ? completion.text : '';
      const match = detectRefusalText(text);
      if (match === undefined) return valid();
      return invalid({
        validator: 'notRefused',
        path: '/text',
        keyword: TEXT_REFUSAL,
        message: `refused: the text reads as a refusal (heuristic): ${quote(match.phrase)} at ${match.index} in ${quote(text, 80)}`,
        params: { source: 'heuristic', signal: 'text', reason: match.phrase },
      });
    },
  };
}

function valid(): ValidationResult {
  return { valid: true, issues: [] };
}

function invalid(issue: ValidationIssue): ValidationResult {
  return { valid: false, issues: [issue] };
}
