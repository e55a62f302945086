import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planAnswer, type Answer } from '../../../node/mock/answer';
import { planChunks } from '../../../node/mock/exchange';
import { chunkSizes } from '../../../node/mock/latency';
import type { MockRequest } from '../../../node/mock/prompt';
import { createRandom } from '../../../node/mock/random';
import type { MockServer } from '../../../node/mock/server';
import { getJson, groundTruth, post, splitNDJSON, splitSSE, sseJson, start, userChat } from './helpers';

let server: MockServer;
beforeAll(async () => {
  server = await start();
});
afterAll(() => server.close());

/** Five reasoning tokens before the twelve visible ones the fast test server makes. */
const THINK = { 'x-mock-reasoning-tokens': '5' };
const words = (text: string): number => text.trim().split(/\s+/).length;

describe('reasoning on OpenAI Chat (llama.cpp / vLLM style)', () => {
  it('streams delta.reasoning_content before the content and counts it in completion_tokens', async () => {
    const res = await post(server, '/v1/chat/completions', userChat('Think', { stream: true, stream_options: { include_usage: true } }), THINK);
    const deltas = sseJson(res.text).slice(1, -2).map((c) => c.choices[0].delta);
    expect(deltas.map((d) => Object.keys(d).join())).toEqual([...Array(5).fill('reasoning_content'), ...Array(12).fill('content')]);
    const usage = sseJson(res.text).pop().usage;
    expect(usage.completion_tokens).toBe(17);
    expect(usage.total_tokens).toBe(usage.prompt_tokens + 17);
    expect(usage.completion_tokens_details.reasoning_tokens).toBe(5);
  });

  it('returns message.reasoning_content beside the content when not streamed', async () => {
    const body = JSON.parse((await post(server, '/v1/chat/completions', userChat('Think'), THINK)).text);
    expect(words(body.choices[0].message.reasoning_content)).toBeGreaterThanOrEqual(4);
    expect(body.choices[0].message.content.length).toBeGreaterThan(0);
    expect(body.usage.completion_tokens_details.reasoning_tokens).toBe(5);
  });

  it('keeps the visible words the same whatever the reasoning length', async () => {
    const text = async (headers: Record<string, string>): Promise<string> =>
      JSON.parse((await post(server, '/v1/chat/completions', userChat('Same words'), headers)).text).choices[0].message.content;
    expect(await text(THINK)).toBe(await text({}));
  });

  it('spends the cap on reasoning first: max_tokens 3 gives three reasoning tokens, no content, and length', async () => {
    const res = await post(server, '/v1/chat/completions', userChat('Think', { stream: true, max_tokens: 3 }), THINK);
    const chunks = sseJson(res.text);
    expect(chunks.filter((c) => c.choices[0]?.delta?.reasoning_content)).toHaveLength(3);
    expect(chunks.filter((c) => c.choices[0]?.delta?.content)).toHaveLength(0);
    expect(chunks[chunks.length - 1].choices[0].finish_reason).toBe('length');
  });
});

describe('reasoning on OpenAI Responses', () => {
  it('streams a reasoning item with reasoning_text deltas before the message item', async () => {
    const res = await post(server, '/v1/responses', { model: 'gpt-5-mini', input: 'Think', stream: true }, THINK);
    const events = splitSSE(res.text);
    expect(events.map((e) => e.event)).toEqual([
      'response.created', 'response.in_progress',
      'response.output_item.added', 'response.content_part.added', ...Array(5).fill('response.reasoning_text.delta'),
      'response.reasoning_text.done', 'response.content_part.done', 'response.output_item.done',
      'response.output_item.added', 'response.content_part.added', ...Array(12).fill('response.output_text.delta'),
      'response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed',
    ]);
    const payloads = events.map((e) => JSON.parse(e.data));
    expect(payloads[2].item).toMatchObject({ type: 'reasoning', status: 'in_progress', summary: [] });
    expect(payloads[2].output_index).toBe(0);
    const thinking = payloads.filter((p) => p.type === 'response.reasoning_text.delta').map((p) => p.delta).join('');
    expect(payloads.find((p) => p.type === 'response.reasoning_text.done').text).toBe(thinking);
    expect(payloads.find((p) => p.type === 'response.output_text.delta').output_index).toBe(1);
    const done = payloads[payloads.length - 1].response;
    expect(done.output.map((o: any) => o.type)).toEqual(['reasoning', 'message']);
    expect(done.output[0].content).toEqual([{ type: 'reasoning_text', text: thinking }]);
    expect(done.usage).toMatchObject({ output_tokens: 17, output_tokens_details: { reasoning_tokens: 5 } });
  });

  it('ends incomplete with only the reasoning item when max_output_tokens is spent on reasoning', async () => {
    const res = await post(server, '/v1/responses', { model: 'm', input: 'Think', max_output_tokens: 4 }, THINK);
    const body = JSON.parse(res.text);
    expect(body.status).toBe('incomplete');
    expect(body.output.map((o: any) => o.type)).toEqual(['reasoning']);
    expect(body.usage.output_tokens_details.reasoning_tokens).toBe(4);
  });
});

describe('reasoning on Anthropic Messages', () => {
  const body = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'Think' }], ...extra,
  });

  it('streams a thinking block (thinking_delta, then signature_delta) before the text block', async () => {
    const res = await post(server, '/v1/messages', body({ stream: true }), { ...THINK, 'x-mock-output-tokens': '4' });
    const events = splitSSE(res.text).map((e) => JSON.parse(e.data));
    const shape = events.map((e) => (e.type === 'content_block_delta' ? `${e.index}:${e.delta.type}` : e.index === undefined ? e.type : `${e.index}:${e.type}`));
    expect(shape).toEqual([
      'message_start', '0:content_block_start', 'ping', ...Array(5).fill('0:thinking_delta'), '0:signature_delta', '0:content_block_stop',
      '1:content_block_start', ...Array(4).fill('1:text_delta'), '1:content_block_stop', 'message_delta', 'message_stop',
    ]);
    expect(events[1].content_block).toEqual({ type: 'thinking', thinking: '', signature: '' });
    expect(events[8].delta.signature.length).toBeGreaterThan(10);
    expect(events[10].content_block).toEqual({ type: 'text', text: '' });
    expect(events[events.length - 2].usage.output_tokens).toBe(9);
  });

  it('returns thinking and text blocks when not streamed, output_tokens counting both', async () => {
    const message = JSON.parse((await post(server, '/v1/messages', body(), { ...THINK, 'x-mock-output-tokens': '12' })).text);
    expect(message.content.map((b: any) => b.type)).toEqual(['thinking', 'text']);
    expect(words(message.content[0].thinking)).toBeGreaterThanOrEqual(4);
    expect(typeof message.content[0].signature).toBe('string');
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.output_tokens).toBe(17);
  });

  it('closes the thinking block and opens a tool_use block when reasoning precedes a tool call', async () => {
    const res = await post(server, '/v1/messages', body({
      stream: true, tools: [{ name: 'lookup', input_schema: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] } }], tool_choice: { type: 'any' },
    }), THINK);
    const events = splitSSE(res.text).map((e) => JSON.parse(e.data));
    const starts = events.filter((e) => e.type === 'content_block_start').map((e) => [e.index, e.content_block.type]);
    expect(starts).toEqual([[0, 'thinking'], [1, 'tool_use']]);
    const args = events.filter((e) => e.delta?.type === 'input_json_delta').map((e) => e.delta.partial_json).join('');
    expect(typeof JSON.parse(args).q).toBe('string');
    expect(events.find((e) => e.type === 'message_delta').delta.stop_reason).toBe('tool_use');
  });
});

describe('reasoning on Gemini', () => {
  it('streams parts with thought: true first and reports thoughtsTokenCount apart from candidatesTokenCount', async () => {
    const res = await post(server, '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse', { contents: [{ parts: [{ text: 'Think' }] }] }, THINK);
    const chunks = sseJson(res.text);
    expect(chunks).toHaveLength(17);
    expect(chunks.map((c) => c.candidates[0].content.parts[0].thought === true)).toEqual([...Array(5).fill(true), ...Array(12).fill(false)]);
    expect(chunks[0].usageMetadata).not.toHaveProperty('candidatesTokenCount');
    const last = chunks[16].usageMetadata;
    expect(last).toMatchObject({ candidatesTokenCount: 12, thoughtsTokenCount: 5 });
    expect(last.totalTokenCount).toBe(last.promptTokenCount + 17);
  });

  it('returns a thought part before the text part when not streamed', async () => {
    const res = await post(server, '/v1beta/models/g:generateContent', { contents: [{ parts: [{ text: 'Think' }] }] }, THINK);
    const reply = JSON.parse(res.text);
    const parts = reply.candidates[0].content.parts;
    expect(parts.map((p: any) => p.thought === true)).toEqual([true, false]);
    expect(reply.usageMetadata).toMatchObject({ candidatesTokenCount: 12, thoughtsTokenCount: 5 });
  });
});

describe('reasoning on Ollama and the own service', () => {
  it('streams Ollama message.thinking lines before content lines; eval_count counts both', async () => {
    const res = await post(server, '/api/chat', { model: 'qwen3', messages: [{ role: 'user', content: 'Think' }] }, { ...THINK, authorization: '' });
    const lines = splitNDJSON(res.text);
    const parts = lines.filter((l) => !l.done).map((l) => (l.message.thinking ? 'thinking' : 'content'));
    expect(parts).toEqual([...Array(5).fill('thinking'), ...Array(12).fill('content')]);
    expect(lines.slice(0, 5).every((l) => l.message.content === '')).toBe(true);
    expect(lines[lines.length - 1].eval_count).toBe(17);
    const whole = JSON.parse((await post(server, '/api/chat', { model: 'qwen3', stream: false, messages: [{ role: 'user', content: 'Think' }] }, { ...THINK, authorization: '' })).text);
    expect(words(whole.message.thinking)).toBeGreaterThanOrEqual(4);
  });

  it('streams {"reasoning"} events before {"delta"} events on /api/stream and reports reasoning_tokens', async () => {
    const payloads = sseJson((await post(server, '/api/stream', { message: 'Think' }, THINK)).text);
    expect(payloads.slice(0, 17).map((p) => Object.keys(p).join())).toEqual([...Array(5).fill('reasoning'), ...Array(12).fill('delta')]);
    expect(payloads[17].usage).toMatchObject({ completion_tokens: 17, completion_tokens_details: { reasoning_tokens: 5 } });
  });
});

describe('reasoning in the ground truth and the options', () => {
  it('marks the reasoning chunks and counts reasoningTokens within outputTokens', async () => {
    const res = await post(server, '/v1/chat/completions', userChat('Think', { stream: true }), { ...THINK, 'x-mock-tokens-per-chunk': '2' });
    const truth = await groundTruth(server, res.id);
    expect(truth).toMatchObject({ outputTokens: 17, reasoningTokens: 5 });
    expect(truth.chunks.map((c) => [c.tokens, c.reasoning === true])).toEqual([
      [2, true], [2, true], [1, true], [2, false], [2, false], [2, false], [2, false], [2, false], [2, false],
    ]);
  });

  it('takes reasoningTokens from the server options, and x-mock-reasoning-tokens: 0 turns it off', async () => {
    const thinker = await start({ reasoningTokens: 3 });
    try {
      expect((await getJson(`${thinker.url}/_mock/config`)).reasoningTokens).toBe(3);
      const on = JSON.parse((await post(thinker, '/v1/chat/completions', userChat('x'))).text);
      expect(on.usage.completion_tokens_details.reasoning_tokens).toBe(3);
      const off = JSON.parse((await post(thinker, '/v1/chat/completions', userChat('x'), { 'x-mock-reasoning-tokens': '0' })).text);
      expect(off.usage.completion_tokens_details.reasoning_tokens).toBe(0);
      expect(off.choices[0].message).not.toHaveProperty('reasoning_content');
    } finally {
      await thinker.close();
    }
  });

  const request = (maxTokens: number | undefined): MockRequest => ({
    model: 'm', stream: true, maxTokens, promptParts: ['x'], lastRole: 'user', tools: [], toolChoice: 'none', includeUsage: false, structured: undefined,
  });
  const plan = (maxTokens: number | undefined, mode: 'fill' | 'cap') => planAnswer({
    request: request(maxTokens), tool: undefined, refusal: false, reasoningTokens: 6, outputTokensOverride: undefined,
    options: { outputTokens: 10, maxTokensMode: mode }, content: createRandom(1), thoughts: createRandom(2), variation: createRandom(3),
  });

  it.each([
    [undefined, 'fill', 16, 6, false],
    [20, 'fill', 20, 6, true],
    [20, 'cap', 16, 6, false],
    [12, 'cap', 12, 6, true],
    [4, 'fill', 4, 4, true],
  ] as const)('plans max %s in %s mode as %i tokens, %i of them reasoning, capped %s', (maxTokens, mode, total, reasoning, capped) => {
    const p = plan(maxTokens, mode);
    expect(p.pieces).toHaveLength(total);
    expect(p.reasoningTokens).toBe(reasoning);
    expect(p.capped).toBe(capped);
  });

  it('never puts reasoning and visible tokens in one stream event', () => {
    const answer = { pieces: Array(10).fill('w'), usage: { reasoningTokens: 3 }, tool: undefined } as unknown as Answer;
    expect(planChunks(answer, 4, false)).toEqual([3, 4, 3]);
    expect(planChunks({ ...answer, tool: { name: 't', args: {}, json: '{}' } }, 4, true)).toEqual([3, 7]);
  });

  it('plans every write as chunkSizes would list them, reasoning and visible apart', () => {
    for (let reasoning = 0; reasoning <= 9; reasoning++) {
      for (const visible of [0, 1, 5, 12]) {
        for (const perChunk of [1, 2, 3, 7]) {
          const answer = { pieces: Array(reasoning + visible).fill('w'), usage: { reasoningTokens: reasoning }, tool: undefined } as unknown as Answer;
          expect(planChunks(answer, perChunk, false)).toEqual([...chunkSizes(reasoning, perChunk), ...chunkSizes(visible, perChunk)]);
        }
      }
    }
  });
});
