// Synthetic prompts of a chosen token length. Pure: where the request sits in the test (VU,
// iteration) and the nonce are passed in by the k6 edge. Length is measured the way the
// library and the mock estimate tokens: about 4 characters of English-like text per token,
// which is also what common English words cost in real BPE tokenizers.
import { hashSeed, seededRandom, type RandomSource } from './seeded-random';

/** Characters per token of the generated text. */
export const CHARS_PER_TOKEN = 4;

const WORDS = (
  'the of and to in is that for it as with was on be by at this are from or have an not which but all they ' +
  'can were one their there what about when more will would make like time just know take people into year ' +
  'good some could them see other than then now look only come over think also back after use two how our ' +
  'work first well way even new want because any these give day most system load test model request answer ' +
  'token server latency stream cache query result report service user data value number network memory ' +
  'process support review change design market policy account order product customer price table window ' +
  'summary question history example research problem method measure budget schedule project team plan ' +
  'explain describe compare list write draft short long simple clear quick careful detailed recent final'
).split(' ');

/** What `syntheticPrompt` takes. */
export interface SyntheticPromptOptions {
  /** Target prompt length in tokens (about 4 characters each). */
  inputTokens: number;
  /** Makes the words reproducible: the same seed, VU, iteration and call give the same body. */
  seed?: number;
  /**
   * Put a unique marker (VU, iteration, call, random) in front of the varying text, so a provider's prefix cache
   * cannot serve it and flatter time to first token. With `sharedPrefixTokens` the marker follows the shared prefix.
   * @default true
   */
  cacheBust?: boolean;
  /** Start every prompt with the same text of this many tokens, identical across VUs, iterations and runs: for testing a prefix cache on purpose. */
  sharedPrefixTokens?: number;
}

/** Where a prompt is made, so it can be unique: filled in by the k6 edge. */
export interface PromptPosition {
  vu: number;
  iteration: number;
  /** Prompts already made in this iteration. */
  call: number;
  /** Random text that differs between runs. */
  nonce: string;
}

function words(random: RandomSource, chars: number): string {
  let out = '';
  let inSentence = 0;
  while (out.length < chars) {
    let word = WORDS[Math.floor(random() * WORDS.length)] as string;
    if (inSentence === 0) word = word.charAt(0).toUpperCase() + word.slice(1);
    inSentence++;
    const end = inSentence >= 8 && random() < 0.2;
    out += word + (end ? '. ' : ' ');
    if (end) inSentence = 0;
  }
  return out.slice(0, chars);
}

const sharedPrefixes = new Map<string, string>();

/** The shared prefix for a seed and length: the same text every time, kept per VU after the first build. */
export function sharedPrefix(tokens: number, seed = 0): string {
  const key = `${seed}:${tokens}`;
  let text = sharedPrefixes.get(key);
  if (text === undefined) {
    text = words(seededRandom(hashSeed('shared-prefix', seed, tokens)), tokens * CHARS_PER_TOKEN);
    sharedPrefixes.set(key, text);
  }
  return text;
}

function checkTokens(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new Error(`invalid ${name}: expected an integer >= ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Builds the prompt text for one position: [shared prefix][cache-bust marker][words], `inputTokens * 4` characters in all. */
export function composeSyntheticPrompt(options: SyntheticPromptOptions, at: PromptPosition): string {
  const inputTokens = checkTokens('inputTokens', options?.inputTokens, 1);
  const shared = options.sharedPrefixTokens === undefined ? 0 : checkTokens('sharedPrefixTokens', options.sharedPrefixTokens, 0);
  if (shared > inputTokens) throw new Error(`invalid sharedPrefixTokens: expected at most inputTokens (${inputTokens}), got ${shared}`);
  const total = inputTokens * CHARS_PER_TOKEN;
  let text = shared > 0 ? sharedPrefix(shared, options.seed ?? 0) : '';
  if (options.cacheBust ?? true) text += `[req ${at.vu}-${at.iteration}-${at.call}-${at.nonce}] `;
  const random =
    options.seed !== undefined ? seededRandom(hashSeed(options.seed, at.vu, at.iteration, at.call)) : seededRandom(hashSeed(at.nonce, at.call));
  if (text.length < total) text += words(random, total - text.length);
  return text;
}
