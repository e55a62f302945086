import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PromptCache } from '../../../node/mock/prompt-cache';
import type { MockServer } from '../../../node/mock/server';
import { groundTruth, post, splitSSE, start } from './helpers';

let server: MockServer;
beforeAll(async () => {
  server = await start({ prefillMsPerToken: 0.01 });
});
afterAll(() => server.close());

// 8,192 characters = 2,048 tokens: two cache blocks. Each test uses its own prefix so they do not share entries.
const longSystem = (tag: string): string => `${tag} `.repeat(8192).slice(0, 8192);

describe('prompt cache emulation', () => {
  it('reports OpenAI cached_tokens for a repeated 1,024-aligned prefix and cuts prefill from TTFT', async () => {
    const body = (q: string) => ({ model: 'gpt-4o-mini', messages: [{ role: 'system', content: longSystem('oa') }, { role: 'user', content: q }] });
    const first = JSON.parse((await post(server, '/v1/chat/completions', body('question one'))).text);
    expect(first.usage.prompt_tokens).toBe(2048 + 3);
    expect(first.usage.prompt_tokens_details.cached_tokens).toBe(0);
    const second = await post(server, '/v1/chat/completions', body('another question'));
    const usage = JSON.parse(second.text).usage;
    expect(usage.prompt_tokens).toBe(2048 + 4);
    expect(usage.prompt_tokens_details.cached_tokens).toBe(2048);
    const truth = await groundTruth(server, second.id);
    expect(truth.cachedTokens).toBe(2048);
    expect(truth.plan?.ttftMs).toBeCloseTo(2 + 4 * 0.01, 6);
  });

  it('reports Anthropic cache writes on first use and cache reads after, with input_tokens the uncached rest', async () => {
    const body = { model: 'claude', max_tokens: 3, system: longSystem('an'), messages: [{ role: 'user', content: 'hello' }] };
    const first = JSON.parse((await post(server, '/v1/messages', body)).text).usage;
    expect(first).toMatchObject({ input_tokens: 2, cache_creation_input_tokens: 2048, cache_read_input_tokens: 0 });
    expect(first.cache_creation).toEqual({ ephemeral_5m_input_tokens: 2048, ephemeral_1h_input_tokens: 0 });
    const streamed = await post(server, '/v1/messages', { ...body, stream: true });
    const start = JSON.parse(splitSSE(streamed.text)[0]!.data).message.usage;
    expect(start).toMatchObject({ input_tokens: 2, cache_creation_input_tokens: 0, cache_read_input_tokens: 2048 });
    const delta = JSON.parse(splitSSE(streamed.text).find((e) => e.event === 'message_delta')!.data).usage;
    expect(delta).toMatchObject({ input_tokens: 2, cache_read_input_tokens: 2048, output_tokens: 3 });
  });

  it('reports Gemini cachedContentTokenCount and Responses cached_tokens on a repeat', async () => {
    const gBody = { contents: [{ parts: [{ text: longSystem('ge') }] }] };
    const g1 = JSON.parse((await post(server, '/v1beta/models/g:generateContent', gBody)).text).usageMetadata;
    expect(g1.cachedContentTokenCount).toBeUndefined();
    const g2 = JSON.parse((await post(server, '/v1beta/models/g:generateContent', gBody)).text).usageMetadata;
    expect(g2.cachedContentTokenCount).toBe(2048);
    expect(g2.promptTokenCount).toBe(2048);
    const rBody = { model: 'm', input: longSystem('re') };
    await post(server, '/v1/responses', rBody);
    const r2 = JSON.parse((await post(server, '/v1/responses', rBody)).text).usage;
    expect(r2.input_tokens_details.cached_tokens).toBe(2048);
  });

  it('caches nothing below 1,024 tokens, across models, or with x-mock-cache: off', async () => {
    const short = { model: 'm', messages: [{ role: 'user', content: 'x'.repeat(4000) }] };
    await post(server, '/v1/chat/completions', short);
    expect(JSON.parse((await post(server, '/v1/chat/completions', short)).text).usage.prompt_tokens_details.cached_tokens).toBe(0);
    const long = { model: 'model-a', messages: [{ role: 'user', content: longSystem('mo') }] };
    await post(server, '/v1/chat/completions', long);
    const otherModel = JSON.parse((await post(server, '/v1/chat/completions', { ...long, model: 'model-b' })).text);
    expect(otherModel.usage.prompt_tokens_details.cached_tokens).toBe(0);
    const off = JSON.parse((await post(server, '/v1/chat/completions', long, { 'x-mock-cache': 'off' })).text);
    expect(off.usage.prompt_tokens_details.cached_tokens).toBe(0);
  });
});

describe('PromptCache', () => {
  it('hits the longest shared aligned prefix and writes only the new blocks', () => {
    const cache = new PromptCache(1000);
    const a = 'a'.repeat(4096);
    const b = 'b'.repeat(4096);
    expect(cache.lookup('s', [a + b], 2048, 0)).toEqual({ cachedTokens: 0, writeTokens: 2048 });
    expect(cache.lookup('s', [a + 'c'.repeat(8192)], 3072, 1)).toEqual({ cachedTokens: 1024, writeTokens: 2048 });
    expect(cache.lookup('s', [a + b], 2048, 2)).toEqual({ cachedTokens: 2048, writeTokens: 0 });
  });

  it('forgets a prefix after its TTL and keeps at most maxEntries', () => {
    const cache = new PromptCache(100, 2);
    const text = (ch: string): string => ch.repeat(4096);
    cache.lookup('s', [text('a')], 1024, 0);
    expect(cache.lookup('s', [text('a')], 1024, 50).cachedTokens).toBe(1024);
    expect(cache.lookup('s', [text('a')], 1024, 151).cachedTokens).toBe(0);
    cache.lookup('s', [text('b')], 1024, 200);
    cache.lookup('s', [text('c')], 1024, 200);
    expect(cache.lookup('s', [text('a')], 1024, 200).cachedTokens).toBe(0);
  });
});
