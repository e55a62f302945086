import { createHash, type Hash } from 'node:crypto';
import { CHARS_PER_TOKEN } from './prompt';

/** Providers cache prompts in blocks; 1,024 tokens is OpenAI's and Anthropic's minimum cacheable prefix. */
export const CACHE_BLOCK_TOKENS = 1024;

export interface CacheResult {
  /** Prompt tokens read from the cache (a prefix seen before and not expired). */
  cachedTokens: number;
  /** Prompt tokens newly written (the aligned prefix beyond what was read). */
  writeTokens: number;
}

/**
 * Emulates automatic prefix caching: the prompt text is cut at every 1,024-token boundary (4 characters per token),
 * each prefix is hashed incrementally, and the longest prefix seen before (within the TTL) counts as cached. Every
 * boundary of this prompt is then stored, so the next request that shares the prefix reads it. Entries live in an
 * insertion-ordered Map used as an LRU, so memory stays bounded.
 */
export class PromptCache {
  private readonly entries = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 50_000,
  ) {}

  lookup(scope: string, parts: readonly string[], inputTokens: number, now: number): CacheResult {
    const text = parts.join('\n');
    const blockChars = CACHE_BLOCK_TOKENS * CHARS_PER_TOKEN;
    const blocks = Math.min(Math.floor(inputTokens / CACHE_BLOCK_TOKENS), Math.floor(text.length / blockChars));
    if (blocks < 1) return { cachedTokens: 0, writeTokens: 0 };
    const hash: Hash = createHash('sha256').update(scope).update('\u0000');
    const keys: string[] = [];
    for (let k = 1; k <= blocks; k++) {
      hash.update(text.slice((k - 1) * blockChars, k * blockChars));
      keys.push(hash.copy().digest('base64'));
    }
    let hitBlocks = 0;
    for (let k = blocks; k >= 1; k--) {
      const key = keys[k - 1];
      const expires = key === undefined ? undefined : this.entries.get(key);
      if (expires !== undefined && expires > now) {
        hitBlocks = k;
        break;
      }
    }
    for (const key of keys) {
      this.entries.delete(key);
      this.entries.set(key, now + this.ttlMs);
    }
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    return {
      cachedTokens: hitBlocks * CACHE_BLOCK_TOKENS,
      writeTokens: (blocks - hitBlocks) * CACHE_BLOCK_TOKENS,
    };
  }

  clear(): void {
    this.entries.clear();
  }
}
