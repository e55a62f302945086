/** Result of reading a response text as JSON. */
export type ParsedAnswer = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * Returns the body of one fenced code block when the whole (trimmed) text is that block, opened by
 * ```json (any case) or a bare ```; otherwise the trimmed text. Prose around a fence is not
 * stripped: "Here is the JSON: ```json ...```" is not a JSON answer.
 */
export function unwrapFence(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length < 6 || !trimmed.startsWith('```') || !trimmed.endsWith('```')) return trimmed;
  // The info string may only be `json` (or nothing): ```python is left alone and then fails to parse.
  return trimmed.slice(3, -3).replace(/^json\b/i, '').trim();
}

// One-entry memo: isJSON, jsonSchema and requiredFields usually run on the same text in a row, and
// JSON.parse is most of their cost. Each k6 VU has its own runtime, so this is per VU. Validators only
// read the parsed value (the module's ajv options never mutate data), so sharing it is safe.
let memoText: string | undefined;
let memoUnwrap = false;
let memoResult: ParsedAnswer = { ok: false, message: '' };

/** Parses a response text as JSON, unwrapping one fence when asked. Never throws. */
export function parseAnswer(text: string, unwrap: boolean): ParsedAnswer {
  if (text === memoText && unwrap === memoUnwrap) return memoResult;
  const source = unwrap ? unwrapFence(text) : text;
  let result: ParsedAnswer;
  if (source.trim() === '') {
    result = { ok: false, message: 'invalid JSON: expected a JSON value, got empty text' };
  } else {
    try {
      result = { ok: true, value: JSON.parse(source) };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      result = { ok: false, message: `invalid JSON: expected a JSON value, got ${quote(source)} (${reason})` };
    }
  }
  memoText = text;
  memoUnwrap = unwrap;
  memoResult = result;
  return result;
}

/** A short, quoted excerpt of a text for messages. */
export function quote(text: string, max = 60): string {
  const excerpt = text.length > max ? `${text.slice(0, max)}...` : text;
  return JSON.stringify(excerpt);
}
