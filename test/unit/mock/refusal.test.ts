import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../../../node/mock/server';
import { getProvider } from '../../../lib/providers/index';
import { groundTruth, post, splitNDJSON, splitSSE, sseJson, start, userChat } from './helpers';

const REFUSAL = "I'm sorry, but I can't help with that request.";
const REFUSE = { 'x-mock-refusal': '1' };

let server: MockServer;
beforeAll(async () => {
  server = await start();
});
afterAll(() => server.close());

describe('refusals on OpenAI Chat', () => {
  it('streams the refusal as delta.refusal pieces with content null, then finish_reason stop', async () => {
    const res = await post(server, '/v1/chat/completions', userChat('Do it', { stream: true, stream_options: { include_usage: true } }), REFUSE);
    const chunks = sseJson(res.text);
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: null, refusal: '' });
    const deltas = chunks.slice(1, -2).map((c) => c.choices[0].delta);
    expect(deltas.every((d) => Object.keys(d).join() === 'refusal')).toBe(true);
    expect(deltas.map((d) => d.refusal).join('')).toBe(REFUSAL);
    expect(chunks[chunks.length - 2].choices[0].finish_reason).toBe('stop');
    expect(chunks[chunks.length - 1].usage.completion_tokens).toBe(deltas.length);
  });

  it('returns message.refusal with content null when not streamed', async () => {
    const body = JSON.parse((await post(server, '/v1/chat/completions', userChat('Do it'), REFUSE)).text);
    expect(body.choices[0].message).toMatchObject({ role: 'assistant', content: null, refusal: REFUSAL });
    expect(body.choices[0].finish_reason).toBe('stop');
  });

  it('refuses instead of calling a required tool or writing the asked-for JSON', async () => {
    const tools = [{ type: 'function', function: { name: 'act', parameters: { type: 'object' } } }];
    const called = JSON.parse((await post(server, '/v1/chat/completions', userChat('Do it', { tools, tool_choice: 'required' }), REFUSE)).text);
    expect(called.choices[0].message.tool_calls).toBeUndefined();
    expect(called.choices[0].message.refusal).toBe(REFUSAL);
    const json = JSON.parse((await post(server, '/v1/chat/completions', userChat('Do it', { response_format: { type: 'json_object' } }), REFUSE)).text);
    expect(json.choices[0].message).toMatchObject({ content: null, refusal: REFUSAL });
  });

  it('cuts the refusal at a max_tokens below its length and finishes with length', async () => {
    const body = JSON.parse((await post(server, '/v1/chat/completions', userChat('Do it', { max_tokens: 4 }), REFUSE)).text);
    expect(body.choices[0].message.refusal).toBe("I'm sorry, but");
    expect(body.choices[0].finish_reason).toBe('length');
  });
});

describe('refusals on OpenAI Responses', () => {
  it('streams response.refusal.delta events in a refusal content part', async () => {
    const res = await post(server, '/v1/responses', { model: 'm', input: 'Do it', stream: true }, REFUSE);
    const payloads = splitSSE(res.text).map((e) => JSON.parse(e.data));
    expect(payloads.some((p) => p.type === 'response.output_text.delta')).toBe(false);
    expect(payloads.find((p) => p.type === 'response.content_part.added').part).toEqual({ type: 'refusal', refusal: '' });
    const text = payloads.filter((p) => p.type === 'response.refusal.delta').map((p) => p.delta).join('');
    expect(text).toBe(REFUSAL);
    expect(payloads.find((p) => p.type === 'response.refusal.done').refusal).toBe(REFUSAL);
    const done = payloads[payloads.length - 1];
    expect(done.type).toBe('response.completed');
    expect(done.response.output[0].content).toEqual([{ type: 'refusal', refusal: REFUSAL }]);
  });

  it('returns a refusal content part when not streamed', async () => {
    const body = JSON.parse((await post(server, '/v1/responses', { model: 'm', input: 'Do it' }, REFUSE)).text);
    expect(body.output[0].content).toEqual([{ type: 'refusal', refusal: REFUSAL }]);
  });
});

describe('refusals on Anthropic, Gemini, Ollama and the own service', () => {
  it('sends Anthropic the refusal as text with stop_reason refusal, streamed and not', async () => {
    const body = { model: 'c', max_tokens: 1024, messages: [{ role: 'user', content: 'Do it' }] };
    const res = await post(server, '/v1/messages', { ...body, stream: true }, REFUSE);
    const events = splitSSE(res.text).map((e) => JSON.parse(e.data));
    expect(events.filter((e) => e.type === 'content_block_delta').map((e) => e.delta.text).join('')).toBe(REFUSAL);
    expect(events.find((e) => e.type === 'message_delta').delta.stop_reason).toBe('refusal');
    const message = JSON.parse((await post(server, '/v1/messages', body, REFUSE)).text);
    expect(message.content).toEqual([{ type: 'text', text: REFUSAL }]);
    expect(message.stop_reason).toBe('refusal');
  });

  it('ends a Gemini refusal with finishReason SAFETY and the safety rating that blocked it, streamed and not', async () => {
    const body = { contents: [{ parts: [{ text: 'Do it' }] }] };
    const res = await post(server, '/v1beta/models/g:streamGenerateContent?alt=sse', body, REFUSE);
    const chunks = sseJson(res.text);
    expect(chunks.map((c) => c.candidates[0].content.parts[0].text).join('')).toBe(REFUSAL);
    const last = chunks[chunks.length - 1].candidates[0];
    expect(last.finishReason).toBe('SAFETY');
    expect(last.safetyRatings).toContainEqual({ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true });
    expect(chunks.slice(0, -1).every((c) => c.candidates[0].finishReason === undefined && c.candidates[0].safetyRatings === undefined)).toBe(true);
    const whole = JSON.parse((await post(server, '/v1beta/models/g:generateContent', body, REFUSE)).text);
    expect(whole.candidates[0].finishReason).toBe('SAFETY');
    // A refusal cut by the output cap ends at the cap, as any answer does.
    const capped = JSON.parse((await post(server, '/v1beta/models/g:generateContent', { ...body, generationConfig: { maxOutputTokens: 3 } }, REFUSE)).text);
    expect(capped.candidates[0]).toMatchObject({ finishReason: 'MAX_TOKENS' });
    expect(capped.candidates[0].safetyRatings).toBeUndefined();
  });

  it('sends Ollama the refusal as plain content with done_reason stop', async () => {
    const res = await post(server, '/api/chat', { model: 'l', messages: [{ role: 'user', content: 'Do it' }] }, { ...REFUSE, authorization: '' });
    const lines = splitNDJSON(res.text);
    expect(lines.filter((l) => !l.done).map((l) => l.message.content).join('')).toBe(REFUSAL);
    expect(lines[lines.length - 1].done_reason).toBe('stop');
  });

  it('answers /api/ask and /api/stream with the refusal as plain text', async () => {
    expect(JSON.parse((await post(server, '/api/ask', { message: 'Do it' }, REFUSE)).text).answer).toBe(REFUSAL);
    const payloads = sseJson((await post(server, '/api/stream', { message: 'Do it' }, REFUSE)).text);
    expect(payloads.filter((p) => 'delta' in p).map((p) => p.delta).join('')).toBe(REFUSAL);
  });
});

describe('the refusal probability', () => {
  it('refuses at the configured rate, lets x-mock-refusal: 0 override it, and records refusals', async () => {
    const moody = await start({ refusal: 0.5, seed: 3, ttftMs: 0, outputTokens: 2 });
    try {
      // The draws are the first 40 of the seeded sequence whatever the arrival order, so the count is fixed.
      const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => post(moody, '/v1/chat/completions', userChat(`n${i}`))));
      const count = replies.filter((r) => JSON.parse(r.text).choices[0].message.refusal !== null).length;
      expect(count).toBeGreaterThan(10);
      expect(count).toBeLessThan(30);
      const off = await post(moody, '/v1/chat/completions', userChat('x'), { 'x-mock-refusal': '0' });
      expect(JSON.parse(off.text).choices[0].message.refusal).toBeNull();
      expect((await groundTruth(moody, off.id)).refusal).toBe(false);
    } finally {
      await moody.close();
    }
  });

  it('marks a refused answer in the ground truth', async () => {
    const res = await post(server, '/v1/chat/completions', userChat('Do it', { stream: true }), REFUSE);
    const truth = await groundTruth(server, res.id);
    expect(truth).toMatchObject({ refusal: true, finishReason: 'stop', outputTokens: 11, outcome: 'complete' });
    expect(truth.chunks).toHaveLength(11);
  });
});

describe('what the library reads from the mock\'s refusals', () => {
  const chat = userChat('Do it');
  const cases = [
    ['openai-chat', '/v1/chat/completions', chat, { ...chat, stream: true }, { signal: 'openai.refusal', reason: 'refusal' }],
    ['openai-responses', '/v1/responses', { model: 'm', input: 'Do it' }, { model: 'm', input: 'Do it', stream: true }, { signal: 'openai.refusal', reason: 'refusal' }],
    ['anthropic', '/v1/messages', { model: 'c', max_tokens: 64, messages: [{ role: 'user', content: 'Do it' }] }, { model: 'c', max_tokens: 64, messages: [{ role: 'user', content: 'Do it' }], stream: true }, { signal: 'anthropic.stop_reason', reason: 'refusal' }],
    ['gemini', '/v1beta/models/g:generateContent', { contents: [{ parts: [{ text: 'Do it' }] }] }, { contents: [{ parts: [{ text: 'Do it' }] }] }, { signal: 'gemini.finish_reason', reason: 'SAFETY' }],
  ] as const;

  it.each(cases)('%s: the provider\'s own refusal signal, streamed and whole, with the refusal sentence as text', async (name, path, whole, streamed, expected) => {
    const provider = getProvider(name);
    const streamPath = name === 'gemini' ? '/v1beta/models/g:streamGenerateContent?alt=sse' : path;
    const body = provider.parseBody((await post(server, path, whole, REFUSE)).text, { stream: false });
    const stream = provider.parseBody((await post(server, streamPath, streamed, REFUSE)).text, { stream: true });
    for (const completion of [body, stream]) {
      expect(completion.refusal).toEqual({ source: 'provider', ...expected });
      expect(completion.text).toBe(REFUSAL);
      expect(completion.complete).toBe(true);
    }
  });

  it('ollama: no signal in its format, only the refusal sentence', async () => {
    const res = await post(server, '/api/chat', { model: 'l', messages: [{ role: 'user', content: 'Do it' }] }, { ...REFUSE, authorization: '' });
    const completion = getProvider('ollama').parseBody(res.text, { stream: true });
    expect(completion.refusal).toBeUndefined();
    expect(completion.text).toBe(REFUSAL);
  });
});
