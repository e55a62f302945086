/**
 * Common English refusals: "I can't help with", "I cannot assist", "I'm sorry, but I cannot",
 * "I apologize, but I can't", "I must decline", "As an AI (language model)". Case-insensitive.
 * A heuristic for `notMatches(REFUSAL_PATTERN)`: it misses refusals in other words or languages,
 * and an answer that quotes a refusal also matches. Kept as it is for scripts that use it; `notRefused()` reads the
 * provider's own refusal signal first and then a text heuristic that reads only the opening and checks each match for
 * quotes, idioms and hedges (precision 1.000 / recall 0.995 against this pattern's 0.779 / 0.650 on the same labelled
 * answers, docs/validation.md).
 *
 * The alternatives, with `’` standing for either apostrophe (models write both) and CANNOT for "I can't | I cannot |
 * I can not | I won't | I am unable | I am not able | I'm unable | I'm not able":
 * "I'm / I am [really|very|so] sorry[,] [but] CANNOT", "I apologi[sz]e[,] [but] CANNOT", "CANNOT [to] help | assist |
 * comply | provide | fulfil | do that | share | create | generate | support | engage | answer | write",
 * "I must [respectfully] decline | refuse", "As an AI [language model | assistant]". One literal, not a RegExp built
 * from these parts: k6 compiles a literal once for all VUs, and a `new RegExp(...)` again in every VU (~40 KiB each
 * at 1,000 VUs for three such patterns, measured).
 */
export const REFUSAL_PATTERN =
  /\bI(?:['’]m| am) (?:really |very |so )?sorry,? (?:but )?I(?: can(?:not| not|['’]t)| won['’]t| am (?:unable|not able)|['’]m (?:unable|not able))|\bI apologi[sz]e,? (?:but )?I(?: can(?:not| not|['’]t)| won['’]t| am (?:unable|not able)|['’]m (?:unable|not able))|\bI(?: can(?:not| not|['’]t)| won['’]t| am (?:unable|not able)|['’]m (?:unable|not able))(?: to)? (?:help|assist|comply|provide|fulfil|do that|share|create|generate|support|engage|answer|write)|\bI must (?:respectfully )?(?:decline|refuse)|\bAs an AI(?: language model| assistant)?\b/i;

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
