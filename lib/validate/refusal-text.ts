// The text heuristic behind notRefused(): does an English answer read as the model declining the request?
// Measured on the labelled sets in test/fixtures/refusals (figures, method and cost in docs/validation.md).
//
// Cost. k6's JS runtime (Sobek) runs a regular expression on Go's regexp engine, which tries every alternative of a
// pattern at every character unless the pattern starts with a literal, which it finds by a fast scan instead. So the
// window is lower-cased once, `’` folded to `'`, and every pattern is case-sensitive and starts with a literal (or is
// run only when an indexOf finds its literal). Measured in k6 v2.2 on 400 characters: about 8 µs for one
// case-insensitive pattern, about that much again for each alternative of an alternation, and about 1.3 µs for a
// case-sensitive pattern led by a literal (bench/validate/k6-refusal.js times the whole heuristic).

/**
 * How many characters from the start the heuristic reads. Models decline in their first sentence or two; a decline
 * phrase further on is most often quoted, drafted for the user or part of an answer. Reading a bounded window also
 * bounds the cost per response, whatever the answer's length.
 */
export const REFUSAL_WINDOW = 400;

/**
 * First-person decline clauses, with the verb after them in group 1: "I can't write", "I won't be able to help",
 * "I'm not able to provide", "I'm unable to", "I'm not going to", "I refuse to", "I must respectfully decline",
 * "I'll have to decline", "I'd have to say no", "I can't in good conscience help"; between the clause and the verb
 * may come an adverb ("in good conscience", "really", ...), "and won't", "be able to", "to" or "be". The verb is
 * checked in code against NOT_REFUSING. Or (group 2) first-person phrases that need no verb check: "I'm not / I'd be
 * un- comfortable", "I don't feel comfortable", "I'd rather / prefer not", "I don't think I should", "I don't
 * provide / write / ...", "I'm (just) a language model / text-based AI ... can't / don't have the ability", "I'm not
 * the right resource for". Two literals, one led by "i " and one by "i'", so that each starts with a two-character
 * literal (written out, not built with `new RegExp`: k6 compiles a literal once for all VUs, a built one in every
 * VU); the word boundary before `i` is checked in code.
 */
const FIRST_PERSON: readonly RegExp[] = [
  /i (?:(?:can(?:not|'t| not)|won't|will not|am (?:not (?:able|allowed|permitted|going|programmed|designed|in a position|willing|prepared)|unable|unwilling)|(?:refuse|decline) to\b|would have to (?:decline|refuse|say no)|(?:will|am going to|must|need to|have to)(?: have to)?(?: respectfully| politely)? (?:decline|refuse|say no|pass(?: on)?|hold off(?: on)?)\b)(?:,? (?:in good conscience|really|simply|honestly|ethically|responsibly|personally|actually|currently),?)?(?: and (?:will not|won't)\b)?(?: be able to\b)?(?: to\b)?(?: be\b)?(?: ([a-z]+))?|((?:am|would be) (?:not |un)comfortable\b|(?:don't|do not) feel comfortable\b|would (?:rather|prefer) not\b|(?:don't|do not) think i (?:should|can)\b|(?:don't|do not) (?:provide|produce|create|generate|write|give|offer|engage in|assist with|help with|share|discuss|support)\b|am (?:just |only )?an? (?:text-based |large )?(?:ai|language model)\b[^.!?\n]{0,40}?(?:can't|cannot|unable|not able|(?:don't|do not) have the (?:ability|capacity))\b|am not the right (?:resource|person|place|one|assistant|tool) for\b))/g,
  /i'(?:(?:m (?:not (?:able|allowed|permitted|going|programmed|designed|in a position|willing|prepared)|unable|unwilling)|d have to (?:decline|refuse|say no)|(?:ll|m going to)(?: have to)?(?: respectfully| politely)? (?:decline|refuse|say no|pass(?: on)?|hold off(?: on)?)\b)(?:,? (?:in good conscience|really|simply|honestly|ethically|responsibly|personally|actually|currently),?)?(?: and (?:will not|won't)\b)?(?: be able to\b)?(?: to\b)?(?: be\b)?(?: ([a-z]+))?|((?:m|d be) (?:not |un)comfortable\b|d (?:rather|prefer) not\b|m (?:just |only )?an? (?:text-based |large )?(?:ai|language model)\b[^.!?\n]{0,40}?(?:can't|cannot|unable|not able|(?:don't|do not) have the (?:ability|capacity))\b|m not the right (?:resource|person|place|one|assistant|tool) for\b))/g,
];

/** What may follow a subject-less decline: as after FIRST_PERSON's clauses, then the verb (group 1). */
const AFTER_CLAUSE =
  /^(?:,? (?:in good conscience|really|simply|honestly|ethically|responsibly|personally|actually|currently),?)?(?: and (?:will not|won't)\b)?(?: be able to\b)?(?: to\b)?(?: be\b)?(?: ([a-z]+))?/;

/** A sentence that opens with the decline, without "I": "Can't help with that one.", "Sorry, not able to assist." */
const SUBJECTLESS_CUES = ["can't", 'cannot', 'not able to', 'unable to'];

/** What may come between the start of a sentence and a subject-less decline. */
const LEAD_IN = /^(?:(?:sorry|no|unfortunately),? )?$/;

/**
 * Decline phrases not led by "I", each run only when an indexOf finds its literal (`''`: always, the pattern starting
 * with a literal of its own): "not something / a request / a task ... I", "something I'm not able / can't", "outside /
 * beyond what I ... / my guidelines", "against my guidelines", "appropriate / right for me to", "(my guidelines)
 * don't allow me to", "sit this one out", "let's not go there", Gemini's "still learning how to answer".
 */
const OTHER_PHRASES: ReadonlyArray<readonly [gate: string, pattern: RegExp, wordStart: boolean]> = [
  ['', /not (?:something|anything|a (?:request|task|topic|question|thing)|one) (?:that )?i\b/g, true],
  ['', /n't (?:something|anything|a (?:request|task|topic|question|thing)|one) (?:that )?i\b/g, false],
  ['something i', /something i(?:(?:'m| am) not (?:able|willing|comfortable|going)| (?:can't|cannot|won't))\b/g, true],
  ['outside', /outside (?:of )?(?:what i\b|my (?:guidelines|capabilities|abilities|scope|remit)\b)/g, true],
  ['beyond', /beyond (?:of )?(?:what i\b|my (?:guidelines|capabilities|abilities|scope|remit)\b)/g, true],
  ['against my', /against my (?:guidelines|programming|principles|policies|policy|values)\b/g, true],
  [' for me to', /(?:appropriate|right|ethical|responsible) for me to\b/g, true],
  [' me to', /(?:don't|do not|doesn't|does not|won't|will not) (?:allow|permit|let) me to\b/g, true],
  ['sit this one out', /sit this one out\b/g, true],
  ["let's not go there", /let's not go there\b/g, true],
  ['still learning how to', /still learning how to (?:answer|help|do)\b/g, true],
];

/**
 * Words after a decline clause that make it something else: cognition and perception ("I can't remember / believe /
 * see your screen"), certainty ("I can't be sure / guarantee"), limits the answer then works around ("I can't run
 * code / access the internet"), scope ("I won't repeat / go into every option"), plans in a drafted message ("I can't
 * make / attend Friday") and idioms ("I can't wait / stress / imagine", "I won't lie / bore you").
 */
const NOT_REFUSING = new Set([
  'believe', 'remember', 'recall', 'imagine', 'think', 'know', 'understand', 'fathom', 'decide', 'say', 'see',
  'hear', 'view', 'read', 'find', 'reproduce', 'verify', 'confirm', 'predict', 'be', 'sure', 'certain', 'guarantee',
  'promise', 'vouch', 'seem', 'access', 'browse', 'open', 'run', 'execute', 'load', 'download', 'check', 'look', 'wait',
  'stress', 'emphasize', 'emphasise', 'overstate', 'overemphasize', 'thank', 'agree', 'disagree', 'deny', 'argue',
  'resist', 'stand', 'get', 'lie', 'sugarcoat', 'bore', 'repeat', 'cover', 'list', 'go', 'paste', 'include', 'rewrite',
  'detail', 'make', 'attend', 'come', 'join', 'take', 'afford', 'recommend', 'worry', 'complain', 'speak',
]);

/** After the verb, within its sentence: "I can't thank you enough", "I can't recommend it highly enough". */
const ENOUGH = /\benough\b/;

/** After "tell": cognition, not an answer withheld ("I can't tell if", "I can't tell you how often"). */
const TELL_IDIOM = /^\s+(?:you )?(?:how (?:much|many|often|glad|happy)|if|whether|from|which|what|the difference)\b/;

/** After "help": "but" or a gerund makes an idiom ("I can't help but notice", "I can't help feeling"). */
const HELP_IDIOM = /^\s+(?:but\b|\w+ing\b)/;

/**
 * In the rest of the sentence: the decline is a hedge about certainty, or a limitation the sentence goes on to work
 * around with the answer ("I can't give medical advice, but in general …", "I can't vouch for it, but the docs look
 * solid", "I won't share my opinion, but here's each side's position").
 */
const HEDGE =
  /\b(?:for (?:certain|sure)|with certainty|definitive|without (?:more|seeing|knowing|further|additional|the full|full|access|looking))\b|,? (?:but|so|and) (?:here(?:'s| is| are)|the|based on|from (?:your|what|the)|in general|generally|historically|as of|last i|reading|looking at|judging)\b/;

/** A phrase the heuristic read as a refusal, and where it starts in the text. */
export interface RefusalMatch {
  phrase: string;
  index: number;
}

/**
 * The first decline phrase in the opening `REFUSAL_WINDOW` characters that is not quoted, not an idiom, not a hedge
 * and does not introduce what follows, or undefined. English only.
 */
export function detectRefusalText(text: string): RefusalMatch | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  const original = text.length > REFUSAL_WINDOW ? text.slice(0, REFUSAL_WINDOW) : text;
  const w = foldCase(original);
  let best = -1;
  let bestEnd = -1;
  // Module-level global RegExps: each k6 VU has its own runtime, and lastIndex is reset before every scan.
  for (let i = 0; i < FIRST_PERSON.length; i++) {
    const pattern = FIRST_PERSON[i] as RegExp;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(w); m !== null; m = pattern.exec(w)) {
      if (best !== -1 && m.index >= best) break;
      if (!startsWord(w, m.index)) continue;
      const end = m.index + m[0].length;
      if ((m[2] !== undefined || acceptsVerb(w, m[1], end)) && isDeclined(original, w, m.index, end)) {
        best = m.index;
        bestEnd = end;
      }
    }
  }
  for (let i = 0; i < SUBJECTLESS_CUES.length; i++) {
    const cue = SUBJECTLESS_CUES[i] as string;
    for (let at = w.indexOf(cue); at !== -1 && (best === -1 || at < best); at = w.indexOf(cue, at + 1)) {
      const start = sentenceStart(w, at);
      if (start === -1 || !isWordEnd(w, at + cue.length)) continue;
      const tail = AFTER_CLAUSE.exec(w.slice(at + cue.length)) as RegExpExecArray;
      const end = at + cue.length + tail[0].length;
      if (acceptsVerb(w, tail[1], end) && isDeclined(original, w, start, end)) {
        best = start;
        bestEnd = end;
      }
    }
  }
  for (let i = 0; i < OTHER_PHRASES.length; i++) {
    // Indexed, not destructured: destructuring an array steps an iterator in k6's runtime.
    const entry = OTHER_PHRASES[i] as (typeof OTHER_PHRASES)[number];
    const gate = entry[0];
    const pattern = entry[1];
    const wordStart = entry[2];
    if (gate !== '' && w.indexOf(gate) === -1) continue;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(w); m !== null; m = pattern.exec(w)) {
      if (best !== -1 && m.index >= best) break;
      if (wordStart && !startsWord(w, m.index)) continue;
      const end = m.index + m[0].length;
      if (isDeclined(original, w, m.index, end)) {
        best = m.index;
        bestEnd = end;
      }
    }
  }
  if (best === -1) return undefined;
  return { phrase: original.slice(best, bestEnd), index: best };
}

/**
 * Where the sentence holding a subject-less decline at `at` starts, when only a lead-in ("Sorry, ", "No, ") comes
 * between them; -1 otherwise.
 */
function sentenceStart(w: string, at: number): number {
  let start = at;
  while (start > 0 && !isSentenceEnd(w.charCodeAt(start - 1))) start--;
  while (start < at && isSpace(w.charCodeAt(start))) start++;
  return LEAD_IN.test(w.slice(start, at)) ? start : -1;
}

function isSentenceEnd(c: number): boolean {
  return c === 46 || c === 33 || c === 63 || c === 10; // . ! ? \n
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** No letter, digit or `_` at `index`: the `\b` after a literal. */
function isWordEnd(text: string, index: number): boolean {
  return index >= text.length || startsWord(text, index + 1);
}

/**
 * Lower case with `’` as `'`, index for index. `toLowerCase()` keeps the length of all but a few characters
 * (`İ` becomes two); when it does not, each character is lowered alone.
 */
function foldCase(text: string): string {
  let lower = text.toLowerCase();
  if (lower.length !== text.length) {
    const chars: string[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = (text[i] as string).toLowerCase();
      chars.push(c.length === 1 ? c : (text[i] as string));
    }
    lower = chars.join('');
  }
  return lower.indexOf('’') === -1 ? lower : lower.split('’').join("'");
}

/** No letter, digit or `_` right before `index`: the `\b` the patterns leave out to start with a literal. */
function startsWord(text: string, index: number): boolean {
  if (index === 0) return true;
  const c = text.charCodeAt(index - 1);
  return !((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || (c >= 65 && c <= 90));
}

/** Whether the verb after a decline clause keeps it a refusal ("I can't write that", not "I can't wait"). */
function acceptsVerb(w: string, verb: string | undefined, end: number): boolean {
  if (verb === undefined) return true;
  if (NOT_REFUSING.has(verb)) return false;
  if (verb === 'help' && HELP_IDIOM.test(w.slice(end, end + 24))) return false;
  if (verb === 'tell' && TELL_IDIOM.test(w.slice(end, end + 32))) return false;
  return !ENOUGH.test(sentenceRest(w, end));
}

/**
 * A decline phrase counts unless it is quoted (read on the original text: curly quotes and apostrophes differ), a
 * hedge, or a clause that introduces what follows (its sentence ends in a colon: "I won't pretend this is easy: …",
 * "I can't fit it in one message, so here's part 1:").
 */
function isDeclined(original: string, w: string, start: number, end: number): boolean {
  if (isQuoted(original, w, start)) return false;
  const rest = sentenceRest(w, end);
  return !rest.endsWith(':') && !HEDGE.test(rest);
}

/** A character that can open a quotation, or a straight apostrophe after a non-letter (in the folded text). */
const QUOTE_OPENER = /["`“«‘]|(?:^|[^a-z])'/;

/** A letter for the apostrophe rule: ASCII letters, and anything past Latin-1's symbols but punctuation (—, ’, “). */
function isLetterCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 0xc0 && c !== 0xd7 && c !== 0xf7 && !(c >= 0x2000 && c <= 0x206f));
}

/** The characters the quotation state depends on. */
const QUOTE_CHARS = /["`“”«»‘'’]/g;

/**
 * Whether `index` lies inside a quotation opened before it: straight or curly double quotes, backticks, guillemets,
 * or a single quote that opens (not a letter before it, a letter after it) and is not closed. An apostrophe inside a
 * word ("can't") is neither. Nothing before `index` that can open a quotation (the common case) answers at once;
 * otherwise only the quote characters are visited (a loop over every character costs about 0.3 µs each in k6).
 */
function isQuoted(original: string, w: string, index: number): boolean {
  if (!QUOTE_OPENER.test(w.slice(0, index))) return false;
  let double = false;
  let tick = false;
  let curly = 0;
  let single = 0;
  QUOTE_CHARS.lastIndex = 0;
  for (let m = QUOTE_CHARS.exec(original); m !== null && m.index < index; m = QUOTE_CHARS.exec(original)) {
    const i = m.index;
    const c = original.charCodeAt(i);
    if (c === 34) double = !double; // "
    else if (c === 96) tick = !tick; // `
    else if (c === 0x201c || c === 0xab) curly++; // “ «
    else if (c === 0x201d || c === 0xbb) curly = Math.max(0, curly - 1); // ” »
    else if (c === 0x2018) single++; // ‘
    else {
      // ' or ’
      const before = i > 0 && isLetterCode(original.charCodeAt(i - 1));
      const after = i + 1 < original.length && isLetterCode(original.charCodeAt(i + 1));
      if (!before && after && c === 39) single++;
      else if (!after && single > 0) single--;
    }
  }
  return double || tick || curly > 0 || single > 0;
}

/** From `start` to the end of its sentence (`.`, `!`, `?`, `;`, `:` or a line break), the end mark included. */
function sentenceRest(text: string, start: number): string {
  const rest = /[.!?;:\n]/.exec(text.slice(start));
  return rest === null ? text.slice(start) : text.slice(start, start + rest.index + 1);
}
