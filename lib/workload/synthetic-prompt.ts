// The k6 edge of synthetic prompts: reads the VU and iteration from k6/execution and draws a nonce.
import exec from 'k6/execution';
import { composeSyntheticPrompt, type SyntheticPromptOptions } from './prompt-composer';

let lastIteration = -1;
let calls = 0;

function position(): { vu: number; iteration: number } {
  // k6/execution has no VU or scenario in the init context; a prompt built there is position 0.
  try {
    return { vu: exec.vu.idInTest, iteration: exec.scenario.iterationInTest };
  } catch {
    return { vu: 0, iteration: 0 };
  }
}

/**
 * A prompt of about `inputTokens` tokens of English-like words. By default each call is unique (VU, iteration,
 * call and a random nonce up front), so prefix caches cannot flatter TTFT; `sharedPrefixTokens` starts every
 * prompt with the same text to test caching on purpose.
 */
export function syntheticPrompt(options: SyntheticPromptOptions): string {
  const { vu, iteration } = position();
  if (iteration !== lastIteration) {
    lastIteration = iteration;
    calls = 0;
  }
  const nonce = Math.floor(Math.random() * 0x7fffffff).toString(36);
  return composeSyntheticPrompt(options, { vu, iteration, call: calls++, nonce });
}
