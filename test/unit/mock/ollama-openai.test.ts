/**
 * The real-server variations of Ollama's OpenAI-compatible endpoint (issue 22 §2), each an option with a documented
 * default, each read by the library's OpenAI Chat reader (lib/providers) the way a streamed k6-llm client reads it:
 * write by write, as the body's HTTP chunks (one per mock write) arrive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providers, responseDecoder } from '../../../lib/providers/index';
import type { Completion, EventEffect } from '../../../lib/providers/index';
import { MockOptionsError, normalizeOptions, type MockOptions } from '../../../node/mock/options';
import type { MockServer } from '../../../node/mock/server';
import { post, postChunks, sseJson, start, userChat } from './helpers';

/** Feeds each write to the library's decoder; returns the effects per write and the completion. */
function decode(chunks: string[]): { effects: EventEffect[][]; completion: Completion } {
  const effects: EventEffect[][] = [];
  let current: EventEffect[] = [];
  const decoder = responseDecoder(providers['openai-chat']).open((effect) => current.push(effect));
  for (const chunk of chunks) {
    current = [];
    decoder.feed(chunk);
    effects.push(current);
  }
  return { effects, completion: decoder.finish() };
}

const servers: MockServer[] = [];
async function serve(options: MockOptions): Promise<MockServer> {
  const server = await start(options);
  servers.push(server);
  return server;
}
afterAll(() => Promise.all(servers.map((s) => s.close())));

describe('options and the ollama-openai profile', () => {
  it('defaults to OpenAI’s own behaviour', () => {
    expect(normalizeOptions({})).toMatchObject({
      profile: 'default', chatRole: 'first-chunk', streamUsage: 'requested', finishWrite: 'with-last-token', ignoreMaxCompletionTokens: false,
    });
  });

  it('turns all four on with profile ollama-openai, and an explicit option wins over the profile', () => {
    expect(normalizeOptions({ profile: 'ollama-openai' })).toMatchObject({
      chatRole: 'every-delta', streamUsage: 'requested', finishWrite: 'apart', ignoreMaxCompletionTokens: true,
    });
    expect(normalizeOptions({ profile: 'ollama-openai', finishWrite: 'with-last-token' }).finishWrite).toBe('with-last-token');
  });

  it.each([
    [{ profile: 'vllm' }, /^invalid profile: expected one of default, ollama-openai, got "vllm"$/],
    [{ chatRole: 'last' }, /^invalid chatRole: expected "first-chunk" or "every-delta", got "last"$/],
    [{ streamUsage: 'never' }, /^invalid streamUsage/],
    [{ finishWrite: 'late' }, /^invalid finishWrite/],
    [{ ignoreMaxCompletionTokens: 'yes' }, /^invalid ignoreMaxCompletionTokens/],
  ])('rejects %j', (options, message) => {
    expect(() => normalizeOptions(options as MockOptions)).toThrow(MockOptionsError);
    expect(() => normalizeOptions(options as MockOptions)).toThrow(message);
  });
});

describe('chatRole', () => {
  let openai: MockServer;
  let ollama: MockServer;
  beforeAll(async () => {
    openai = await serve({});
    ollama = await serve({ chatRole: 'every-delta' });
  });

  it('first-chunk (default): a role-only first chunk the reader does not count as content', async () => {
    const { chunks } = await postChunks(openai, '/v1/chat/completions', userChat('Say hello', { stream: true }));
    expect(sseJson(chunks[0]!)[0].choices[0].delta).toEqual({ role: 'assistant', content: '', refusal: null });
    const { effects, completion } = decode(chunks);
    expect(effects[0]!.map((e) => e.content)).toEqual([false]);
    expect(effects[1]!.map((e) => e.content)).toEqual([true]);
    expect(completion).toMatchObject({ complete: true, finishReason: 'stop', contentEvents: 12 });
  });

  it('every-delta: no role-only chunk, the role in every delta, and the first event is content', async () => {
    const { chunks } = await postChunks(ollama, '/v1/chat/completions', userChat('Say hello', { stream: true }));
    const events = chunks.flatMap((c) => sseJson(c));
    expect(events.every((e) => e.choices[0].delta.role === 'assistant')).toBe(true);
    expect(events.slice(0, -1).every((e) => typeof e.choices[0].delta.content === 'string' && e.choices[0].delta.content !== '')).toBe(true);
    expect(events.at(-1).choices[0]).toMatchObject({ delta: { role: 'assistant', content: '' }, finish_reason: 'stop' });
    const { effects, completion } = decode(chunks);
    expect(effects[0]!.map((e) => e.content)).toEqual([true]);
    const whole = providers['openai-chat'].parseBody((await post(ollama, '/v1/chat/completions', userChat('Say hello'))).text, { stream: false });
    expect(completion).toMatchObject({ complete: true, finishReason: 'stop', contentEvents: 12, text: whole.text });
  });
});

describe('streamUsage', () => {
  let requested: MockServer;
  let always: MockServer;
  beforeAll(async () => {
    requested = await serve({});
    always = await serve({ streamUsage: 'always' });
  });

  it('requested (default): no usage unless stream_options.include_usage asks, so the reader reports none', async () => {
    const { chunks } = await postChunks(requested, '/v1/chat/completions', userChat('Say hello', { stream: true }));
    expect(chunks.flatMap((c) => sseJson(c)).some((e) => 'usage' in e)).toBe(false);
    const { completion } = decode(chunks);
    expect(completion.usage).toEqual({ source: 'none' });
    const asked = decode((await postChunks(requested, '/v1/chat/completions', userChat('Say hello', { stream: true, stream_options: { include_usage: true } }))).chunks);
    expect(asked.completion.usage).toMatchObject({ inputTokens: 3, outputTokens: 12, source: 'server' });
  });

  it('always: the usage chunk comes unasked, and the reader takes its counts', async () => {
    const { chunks } = await postChunks(always, '/v1/chat/completions', userChat('Say hello', { stream: true }));
    const events = chunks.flatMap((c) => sseJson(c));
    expect(events.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: 12 } });
    expect(decode(chunks).completion.usage).toMatchObject({ outputTokens: 12, source: 'server' });
  });
});

describe('finishWrite', () => {
  let together: MockServer;
  let apart: MockServer;
  beforeAll(async () => {
    together = await serve({});
    apart = await serve({ finishWrite: 'apart' });
  });
  const body = userChat('Say hello', { stream: true, stream_options: { include_usage: true } });

  it('with-last-token (default): the last tokens, finish, usage and [DONE] leave in one write', async () => {
    const { chunks } = await postChunks(together, '/v1/chat/completions', body);
    const last = chunks.at(-1)!;
    expect(sseJson(last).map((e) => e.choices[0]?.delta?.content !== undefined && e.choices[0]?.finish_reason === null)).toEqual([true, false, false]);
    expect(last.endsWith('data: [DONE]\n\n')).toBe(true);
    const { effects, completion } = decode(chunks);
    expect(effects.at(-1)!.map((e) => [e.content, e.terminal])).toEqual([[true, false], [false, false], [false, false], [false, true]]);
    expect(completion).toMatchObject({ complete: true, finishReason: 'stop', usage: { outputTokens: 12 } });
  });

  it('apart: finish, usage and [DONE] arrive together in a write of their own after the last token', async () => {
    const { chunks } = await postChunks(apart, '/v1/chat/completions', body);
    const last = sseJson(chunks.at(-1)!);
    expect(last.map((e) => e.choices[0]?.finish_reason ?? (e.usage ? 'usage' : null))).toEqual(['stop', 'usage']);
    expect(chunks.at(-1)!.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(sseJson(chunks.at(-2)!).map((e) => e.choices[0].delta.content.length > 0)).toEqual([true]);
    const { effects, completion } = decode(chunks);
    expect(effects.at(-1)!.map((e) => [e.content, e.terminal])).toEqual([[false, false], [false, false], [false, true]]);
    expect(completion).toMatchObject({ complete: true, finishReason: 'stop', contentEvents: 12, usage: { outputTokens: 12 } });
  });

  it('apart, when the cap cut the answer: finish_reason length in its own write', async () => {
    const { chunks } = await postChunks(apart, '/v1/chat/completions', { ...body, max_tokens: 4 });
    expect(sseJson(chunks.at(-1)!)[0].choices[0].finish_reason).toBe('length');
    expect(decode(chunks).completion).toMatchObject({ complete: true, finishReason: 'length', contentEvents: 4, usage: { outputTokens: 4 } });
  });
});

describe('ignoreMaxCompletionTokens', () => {
  let ollama: MockServer;
  beforeAll(async () => {
    ollama = await serve({ profile: 'ollama-openai', outputTokens: 12 });
  });

  async function ask(request: Parameters<(typeof providers)['openai-chat']['buildRequest']>[0]): Promise<Completion> {
    const spec = providers['openai-chat'].buildRequest({ stream: true, ...request }, { baseUrl: `${ollama.url}/v1`, model: 'llama3.2', apiKey: 'k' });
    const res = await fetch(spec.url, { method: spec.method, headers: spec.headers, body: spec.body });
    return providers['openai-chat'].parseBody(await res.text(), { stream: true });
  }

  it('honours the max_tokens k6-llm sends', async () => {
    expect(await ask({ prompt: 'Write a long essay.', maxTokens: 4 })).toMatchObject({ finishReason: 'length', contentEvents: 4, complete: true });
  });

  it('ignores max_completion_tokens, so a cap sent only that way does not cut the answer', async () => {
    const completion = await ask({ prompt: 'Write a long essay.', extra: { max_completion_tokens: 4 } });
    expect(completion).toMatchObject({ finishReason: 'stop', contentEvents: 12, complete: true, usage: { outputTokens: 12 } });
  });

  it('reads max_completion_tokens when the option is off (default)', async () => {
    const server = await serve({});
    const res = await post(server, '/v1/chat/completions', userChat('Write', { max_completion_tokens: 4 }));
    expect(providers['openai-chat'].parseBody(res.text, { stream: false })).toMatchObject({ finishReason: 'length', usage: { outputTokens: 4 } });
  });
});
