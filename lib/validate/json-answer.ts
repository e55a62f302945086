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

/** A JSON parser used before `JSON.parse`: it returns what `JSON.parse` would, or undefined to leave the text to it. */
export type JsonParser = (text: string) => unknown;

/**
 * Parses a response text as JSON, unwrapping one fence when asked. Never throws. `parseJson`, when given, is tried
 * first; what it declines (undefined) or throws on goes to `JSON.parse`, so every error message is JSON.parse's.
 * The memo does not key on the parser: any parser given must build what JSON.parse builds.
 */
export function parseAnswer(text: string, unwrap: boolean, parseJson?: JsonParser): ParsedAnswer {
  if (text === memoText && unwrap === memoUnwrap) return memoResult;
  const source = unwrap ? unwrapFence(text) : text;
  let result: ParsedAnswer;
  // unwrapFence has trimmed the text already.
  if ((unwrap ? source : source.trim()) === '') {
    result = { ok: false, message: 'invalid JSON: expected a JSON value, got empty text' };
  } else {
    try {
      let value = parseJson === undefined ? undefined : tryParse(parseJson, source);
      if (value === undefined) value = JSON.parse(source);
      result = { ok: true, value };
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

function tryParse(parseJson: JsonParser, source: string): unknown {
  try {
    return parseJson(source);
  } catch {
    return undefined;
  }
}

/** Checks a `parseJson` option when a validator is built: a script error, not a response problem. */
export function checkParser(parseJson: unknown, where: string): JsonParser | undefined {
  if (parseJson === undefined || typeof parseJson === 'function') return parseJson as JsonParser | undefined;
  throw new TypeError(`invalid ${where} option parseJson: expected a function, got ${parseJson === null ? 'null' : typeof parseJson}`);
}

/** A short, quoted excerpt of a text for messages. */
export function quote(text: string, max = 60): string {
  const excerpt = text.length > max ? `${text.slice(0, max)}...` : text;
  return JSON.stringify(excerpt);
}
