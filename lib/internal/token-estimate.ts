// Token counts estimated from text, for responses and prompts the server gave none for.

/**
 * A rough token count for text when the server reports none: about four characters per
 * token for English under BPE tokenizers. Results built on it are labelled `estimated`.
 */
export function estimateTokens(text: string): number {
  if (text.length === 0) return 0;
  return Math.max(1, Math.round(text.length / 4));
}
