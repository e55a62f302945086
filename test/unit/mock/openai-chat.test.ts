import Ajv from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../../../node/mock/server';
import { getJson, groundTruth, post, splitSSE, sseJson, start, userChat } from './helpers';

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    parameters: {
      type: 'object',
      properties: {
        city: { type: 'string', minLength: 2 },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        days: { type: 'integer', minimum: 1, maximum: 7 },
      },
      required: ['city', 'unit', 'days'],
      additionalProperties: false,
    },
  },
};
const timeTool = { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } }, required: ['zone'] } } };

let server: MockServer;
beforeAll(async () => {
  server = await start();
});
afterAll(() => server.close());

describe('OpenAI Chat Completions, streamed', () => {
  it('sends a role chunk, content chunks, a finish chunk, a usage chunk and [DONE], in that order', async () => {
    const res = await post(server, '/v1/chat/completions', userChat('Say hello', { stream: true, stream_options: { include_usage: true } }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = splitSSE(res.text);
    expect(events[events.length - 1]?.data).toBe('[DONE]');
    const chunks = sseJson(res.text);
    const first = chunks[0];
    expect(first.object).toBe('chat.completion.chunk');
    expect(first.choices[0].delta).toEqual({ role: 'assistant', content: '', refusal: null });
    expect(first.choices[0].finish_reason).toBeNull();
    const content = chunks.slice(1, -2);
    expect(content).toHaveLength(12);
    for (const chunk of content) {
      expect(chunk.choices[0].delta.content.length).toBeGreaterThan(0);
      expect(chunk.usage).toBeNull();
    }
    const finish = chunks[chunks.length - 2];
    expect(finish.choices[0]).toEqual({ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' });
    const usage = chunks[chunks.length - 1];
    expect(usage.choices).toEqual([]);
    expect(usage.usage).toEqual({
      prompt_tokens: 3,
      completion_tokens: 12,
      total_tokens: 15,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    });
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(new Set(chunks.map((c) => c.created)).size).toBe(1);
  });

  it('omits the usage chunk and the usage fields when include_usage is not set', async () => {
    const res = await post(server, '/v1/chat/completions', userChat('Say hello', { stream: true }));
    const chunks = sseJson(res.text);
    expect(chunks.every((c) => !('usage' in c))).toBe(true);
    expect(chunks[chunks.length - 1].choices[0].finish_reason).toBe('stop');
  });

  it('answers with exactly max_tokens tokens and finish_reason length when max_tokens is given', async () => {
    const res = await post(server, '/v1/chat/completions', userChat('Write a poem', { stream: true, max_tokens: 5, stream_options: { include_usage: true } }));
    const chunks = sseJson(res.text);
    expect(chunks.filter((c) => c.choices[0]?.delta?.content)).toHaveLength(5);
    expect(chunks[chunks.length - 2].choices[0].finish_reason).toBe('length');
    expect(chunks[chunks.length - 1].usage.completion_tokens).toBe(5);
  });

  it('prefers max_completion_tokens over max_tokens', async () => {
    const res = await post(server, '/v1/chat/completions', userChat('Write', { stream: true, max_tokens: 9, max_completion_tokens: 3 }));
    expect(sseJson(res.text).filter((c) => c.choices[0]?.delta?.content)).toHaveLength(3);
  });

  it('gives the same words for the same request and seed', async () => {
    const body = userChat('Deterministic please', { stream: true });
    const text = (t: string): string => sseJson(t).map((c) => c.choices[0]?.delta?.content ?? '').join('');
    const a = text((await post(server, '/v1/chat/completions', body)).text);
    const b = text((await post(server, '/v1/chat/completions', body)).text);
    const c = text((await post(server, '/v1/chat/completions', body, { 'x-mock-seed': '99' })).text);
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a.split(/\s+/).length).toBeGreaterThanOrEqual(8);
  });
});

describe('OpenAI Chat Completions, not streamed', () => {
  it('returns one chat.completion object with the text, finish_reason and usage', async () => {
    const res = await post(server, '/v1/chat/completions', userChat('Say hello, this is about forty characters.'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = JSON.parse(res.text);
    expect(body.object).toBe('chat.completion');
    expect(body.id).toMatch(/^chatcmpl-/);
    expect(body.choices[0].message.role).toBe('assistant');
    expect(body.choices[0].message.content.length).toBeGreaterThan(10);
    expect(body.choices[0].finish_reason).toBe('stop');
    expect(body.usage.prompt_tokens).toBe(11);
    expect(body.usage.completion_tokens).toBe(12);
    expect(body.usage.total_tokens).toBe(23);
  });

  it('estimates input tokens at four characters each and at least one per message', async () => {
    const messages = [{ role: 'system', content: 'x'.repeat(40) }, { role: 'user', content: '' }, { role: 'user', content: 'abcde' }];
    const body = JSON.parse((await post(server, '/v1/chat/completions', { model: 'm', messages })).text);
    expect(body.usage.prompt_tokens).toBe(10 + 1 + 2);
  });
});

describe('OpenAI Chat Completions, errors', () => {
  it('answers 401 in the OpenAI envelope when no API key is given', async () => {
    const res = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(userChat('hi')) });
    expect(res.status).toBe(401);
    const body = (await res.json()) as any;
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.code).toBe('invalid_api_key');
    expect(body.error.param).toBeNull();
    expect(body.error.message).toContain('API key');
  });

  it('answers 401 when the bearer token is empty', async () => {
    const res = await post(server, '/v1/chat/completions', userChat('hi'), { authorization: 'Bearer ' });
    expect(res.status).toBe(401);
  });

  it('accepts a key in x-api-key, x-goog-api-key or api-key as well', async () => {
    for (const header of ['x-api-key', 'x-goog-api-key', 'api-key']) {
      const res = await post(server, '/v1/chat/completions', userChat('hi'), { authorization: '', [header]: 'k' });
      expect(res.status, header).toBe(200);
    }
  });

  it('answers 400 invalid_request_error to a body that is not JSON or lacks messages', async () => {
    const broken = await post(server, '/v1/chat/completions', '{"model":');
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.text).error.type).toBe('invalid_request_error');
    const empty = await post(server, '/v1/chat/completions', { model: 'm', messages: [] });
    expect(empty.status).toBe(400);
    expect(JSON.parse(empty.text).error.message).toMatch(/^invalid messages/);
  });

  it('answers 404 with a JSON error to an unknown route', async () => {
    const res = await post(server, '/v1/nope', {});
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text).error.code).toBe('unknown_url');
  });
});

describe('OpenAI Chat Completions, tool calls', () => {
  const validate = new Ajv({ strict: false }).compile(weatherTool.function.parameters);

  it('streams a required tool call as argument fragments of one index that join into schema-valid JSON', async () => {
    const res = await post(server, '/v1/chat/completions', userChat('Weather in Oslo?', { stream: true, tools: [weatherTool], tool_choice: 'required' }));
    const chunks = sseJson(res.text);
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: null });
    const calls = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []);
    expect(calls.length).toBeGreaterThan(2);
    expect(calls[0]).toMatchObject({ index: 0, type: 'function', function: { name: 'get_weather' } });
    expect(calls[0].id).toMatch(/^call_/);
    expect(calls.slice(1).every((c: any) => c.index === 0 && c.id === undefined && typeof c.function.arguments === 'string')).toBe(true);
    const args = JSON.parse(calls.map((c: any) => c.function.arguments).join(''));
    expect(validate(args)).toBe(true);
    expect(chunks[chunks.length - 1].choices[0].finish_reason).toBe('tool_calls');
  });

  it('calls the named function when tool_choice names one', async () => {
    const res = await post(server, '/v1/chat/completions', userChat('Time?', { tools: [weatherTool, timeTool], tool_choice: { type: 'function', function: { name: 'get_time' } } }));
    const body = JSON.parse(res.text);
    const call = body.choices[0].message.tool_calls[0];
    expect(body.choices[0].message.content).toBeNull();
    expect(call.function.name).toBe('get_time');
    expect(typeof JSON.parse(call.function.arguments).zone).toBe('string');
    expect(body.choices[0].finish_reason).toBe('tool_calls');
    expect(body.usage.completion_tokens).toBeGreaterThan(0);
  });

  it('answers with text when tool_choice is auto', async () => {
    const body = JSON.parse((await post(server, '/v1/chat/completions', userChat('Hi', { tools: [weatherTool] }))).text);
    expect(body.choices[0].message.tool_calls).toBeUndefined();
    expect(body.choices[0].finish_reason).toBe('stop');
  });

  it('answers 400 when tool_choice names a function that is not offered', async () => {
    const res = await post(server, '/v1/chat/completions', userChat('x', { tools: [weatherTool], tool_choice: { type: 'function', function: { name: 'nope' } } }));
    expect(res.status).toBe(400);
  });

  it('records the tool call tokens in the ground truth as the usage reports them', async () => {
    const res = await post(server, '/v1/chat/completions', userChat('W?', { stream: true, stream_options: { include_usage: true }, tools: [weatherTool], tool_choice: 'required' }));
    const chunks = sseJson(res.text);
    const truth = await groundTruth(server, res.id);
    expect(truth.outputTokens).toBe(chunks[chunks.length - 1].usage.completion_tokens);
    expect(truth.chunks).toHaveLength(chunks.filter((c) => c.choices[0]?.delta?.tool_calls).length);
    expect(truth.finishReason).toBe('tool');
  });
});

describe('health and models', () => {
  it('answers GET /health with {"status":"ok"}', async () => {
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('lists models at GET /v1/models in the OpenAI list shape', async () => {
    const body = await getJson(`${server.url}/v1/models`);
    expect(body.object).toBe('list');
    expect(body.data.map((m: any) => m.id)).toContain('gpt-4o-mini');
    expect(body.data[0]).toMatchObject({ object: 'model', owned_by: 'k6-llm-mock' });
  });

  it('lists models in the Anthropic shape when anthropic-version is sent', async () => {
    const body = await getJson(`${server.url}/v1/models`, { 'anthropic-version': '2023-06-01' });
    expect(body.has_more).toBe(false);
    expect(body.data[0]).toMatchObject({ type: 'model' });
  });

  it('puts x-mock-request-id on every response', async () => {
    const health = await fetch(`${server.url}/health`);
    expect(health.headers.get('x-mock-request-id')).toMatch(/^req_[0-9a-f]{24}$/);
    const res = await post(server, '/v1/chat/completions', userChat('x'));
    expect(res.id).toMatch(/^req_/);
    expect(res.headers.get('x-request-id')).toBe(res.id);
  });
});

describe('the default max_tokens mode', () => {
  it('answers exactly max_tokens tokens and ends naturally with stop, so answers are not truncated', async () => {
    const { start: startServer } = await import('./helpers');
    const exact = await startServer({ maxTokensMode: 'exact' });
    try {
      const res = await fetch(`${exact.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: 7 }),
      });
      const body = (await res.json()) as { usage: { completion_tokens: number }; choices: Array<{ finish_reason: string }> };
      expect(body.usage.completion_tokens).toBe(7);
      expect(body.choices[0]?.finish_reason).toBe('stop');
    } finally {
      await exact.close();
    }
  });
});
