// Models write both the ASCII and the typographic apostrophe ("can’t").
const APOS = "['\u2019]";
// "I" followed by a form of "cannot": "I can't", "I cannot", "I won't", "I am unable", "I'm not able".
const I_CANNOT = `I(?: can(?:not| not|${APOS}t)| won${APOS}t| am (?:unable|not able)|${APOS}m (?:unable|not able))`;
const ACTS = '(?:help|assist|comply|provide|fulfil|do that|share|create|generate|support|engage|answer|write)';

/**
 * Common English refusals: "I can't help with", "I cannot assist", "I'm sorry, but I cannot",
 * "I apologize, but I can't", "I must decline", "As an AI (language model)". Case-insensitive.
 * A heuristic for `notMatches(REFUSAL_PATTERN)`: it misses refusals in other words or languages,
 * and an answer that quotes a refusal also matches.
 */
export const REFUSAL_PATTERN = new RegExp(
  [
    `\\bI(?:${APOS}m| am) (?:really |very |so )?sorry,? (?:but )?${I_CANNOT}`,
    `\\bI apologi[sz]e,? (?:but )?${I_CANNOT}`,
    `\\b${I_CANNOT}(?: to)? ${ACTS}`,
    `\\bI must (?:respectfully )?(?:decline|refuse)`,
    `\\bAs an AI(?: language model| assistant)?\\b`,
  ].join('|'),
  'i',
);

/**
 * Finish reasons that mean the model ended its turn on purpose, across providers: OpenAI Chat
 * (`stop`, `tool_calls`, legacy `function_call`), OpenAI Responses (`completed`), Anthropic
 * (`end_turn`, `tool_use`, `stop_sequence`), Gemini (`STOP`), Ollama (`stop`). The default of `finish()`.
 */
export const DEFAULT_FINISH_REASONS: readonly string[] = Object.freeze([
  'stop',
  'end_turn',
  'tool_calls',
  'tool_use',
  'function_call',
  'STOP',
  'stop_sequence',
  'completed',
]);

/**
 * Finish reasons that mean the output was cut off by a token or context limit: OpenAI Chat and
 * Ollama `length`, Anthropic `max_tokens` and `model_context_window_exceeded`, Gemini `MAX_TOKENS`,
 * OpenAI Responses `incomplete` / `max_output_tokens`. `finish()` reports them with keyword `truncated`.
 */
export const TRUNCATION_FINISH_REASONS: readonly string[] = Object.freeze([
  'length',
  'max_tokens',
  'MAX_TOKENS',
  'max_output_tokens',
  'model_context_window_exceeded',
  'incomplete',
]);
