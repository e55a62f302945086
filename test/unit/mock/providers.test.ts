import Ajv from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../../../node/mock/server';
import { groundTruth, post, splitNDJSON, splitSSE, start } from './helpers';

const schema = {
  type: 'object',
  properties: {
    query: { type: 'string', minLength: 3, maxLength: 40 },
    limit: { type: 'integer', minimum: 1, maximum: 50 },
    score: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
    exact: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'string', enum: ['a', 'b', 'c'] }, minItems: 1, maxItems: 3 },
    filter: { type: 'object', properties: { field: { type: 'string' }, op: { enum: ['eq', 'lt', 'gt'] } }, required: ['field', 'op'] },
  },
  required: ['query', 'limit', 'score', 'exact', 'tags', 'filter'],
  additionalProperties: false,
};
const validate = new Ajv({ strict: false }).compile(schema);

let server: MockServer;
beforeAll(async () => {
  server = await start();
});
afterAll(() => server.close());

describe('Anthropic Messages', () => {
  const body = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    model: 'claude-haiku-4-5', max_tokens: 1024, system: 'Be brief.', messages: [{ role: 'user', content: 'Hello there' }], ...extra,
  });
  const headers = { authorization: '', 'x-api-key': 'k', 'anthropic-version': '2023-06-01' };

  it('streams message_start, content_block_start, ping, deltas, content_block_stop, message_delta and message_stop', async () => {
    const res = await post(server, '/v1/messages', body({ stream: true, max_tokens: 6 }), headers);
    expect(res.status).toBe(200);
    const events = splitSSE(res.text);
    expect(events.map((e) => e.event)).toEqual([
      'message_start', 'content_block_start', 'ping', ...Array(6).fill('content_block_delta'), 'content_block_stop', 'message_delta', 'message_stop',
    ]);
    for (const e of events) expect(JSON.parse(e.data).type).toBe(e.event);
    const start = JSON.parse(events[0]!.data).message;
    expect(start).toMatchObject({ type: 'message', role: 'assistant', content: [], stop_reason: null, model: 'claude-haiku-4-5' });
    expect(start.usage).toMatchObject({ input_tokens: 6, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
    const delta = JSON.parse(events[4]!.data);
    expect(delta.delta.type).toBe('text_delta');
    const messageDelta = JSON.parse(events[events.length - 2]!.data);
    expect(messageDelta.delta).toEqual({ stop_reason: 'max_tokens', stop_sequence: null });
    expect(messageDelta.usage).toEqual({ input_tokens: 6, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 6 });
  });

  it('returns a Message with end_turn when the natural length fits under max_tokens (cap mode via override)', async () => {
    const res = await post(server, '/v1/messages', body(), { ...headers, 'x-mock-output-tokens': '7' });
    const message = JSON.parse(res.text);
    expect(message).toMatchObject({ type: 'message', role: 'assistant', stop_reason: 'end_turn', stop_sequence: null });
    expect(message.id).toMatch(/^msg_/);
    expect(message.content).toHaveLength(1);
    expect(message.content[0].type).toBe('text');
    expect(message.usage.output_tokens).toBe(7);
  });

  it('answers 401 authentication_error in the Anthropic envelope without a key', async () => {
    const res = await post(server, '/v1/messages', body(), { authorization: '' });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text)).toEqual({
      type: 'error', error: { type: 'authentication_error', message: expect.stringContaining('API key') }, request_id: res.id,
    });
    expect(res.headers.get('request-id')).toBe(res.id);
  });

  it('streams a forced tool call as input_json_delta fragments that join into schema-valid input', async () => {
    const res = await post(server, '/v1/messages', body({ stream: true, tools: [{ name: 'search', input_schema: schema }], tool_choice: { type: 'any' } }), headers);
    const events = splitSSE(res.text).map((e) => JSON.parse(e.data));
    const blockStart = events.find((e) => e.type === 'content_block_start');
    expect(blockStart.content_block).toMatchObject({ type: 'tool_use', name: 'search', input: {} });
    expect(blockStart.content_block.id).toMatch(/^toolu_/);
    const fragments = events.filter((e) => e.type === 'content_block_delta').map((e) => e.delta);
    expect(fragments.every((d) => d.type === 'input_json_delta')).toBe(true);
    expect(validate(JSON.parse(fragments.map((d) => d.partial_json).join('')))).toBe(true);
    expect(events.find((e) => e.type === 'message_delta').delta.stop_reason).toBe('tool_use');
  });

  it('returns a tool_use block for tool_choice {type:"tool"} without streaming', async () => {
    const res = await post(server, '/v1/messages', body({ tools: [{ name: 'other', input_schema: { type: 'object' } }, { name: 'search', input_schema: schema }], tool_choice: { type: 'tool', name: 'search' } }), headers);
    const message = JSON.parse(res.text);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content[0]).toMatchObject({ type: 'tool_use', name: 'search' });
    expect(validate(message.content[0].input)).toBe(true);
  });
});

describe('OpenAI Responses', () => {
  const body = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ model: 'gpt-5-mini', input: 'Hello there', ...extra });

  it('streams event/data pairs from response.created to response.completed with usage and no [DONE]', async () => {
    const res = await post(server, '/v1/responses', body({ stream: true }), { 'x-mock-output-tokens': '4' });
    const events = splitSSE(res.text);
    expect(events.map((e) => e.event)).toEqual([
      'response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added',
      ...Array(4).fill('response.output_text.delta'),
      'response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed',
    ]);
    const payloads = events.map((e) => JSON.parse(e.data));
    payloads.forEach((p, i) => {
      expect(p.type).toBe(events[i]!.event);
      expect(p.sequence_number).toBe(i);
    });
    expect(res.text).not.toContain('[DONE]');
    const text = payloads.filter((p) => p.type === 'response.output_text.delta').map((p) => p.delta).join('');
    expect(payloads.find((p) => p.type === 'response.output_text.done').text).toBe(text);
    const done = payloads[payloads.length - 1].response;
    expect(done.status).toBe('completed');
    expect(done.output[0].content[0].text).toBe(text);
    expect(done.usage).toEqual({
      input_tokens: 3, input_tokens_details: { cached_tokens: 0 }, output_tokens: 4, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 7,
    });
  });

  it('ends with response.incomplete (max_output_tokens) when the cap cut the answer', async () => {
    const res = await post(server, '/v1/responses', body({ stream: true, max_output_tokens: 3 }));
    const last = JSON.parse(splitSSE(res.text).pop()!.data);
    expect(last.type).toBe('response.incomplete');
    expect(last.response.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(last.response.usage.output_tokens).toBe(3);
  });

  it('returns a response object when not streamed', async () => {
    const res = await post(server, '/v1/responses', body({ instructions: 'Be brief', input: [{ role: 'user', content: [{ type: 'input_text', text: 'Hi' }] }] }));
    const response = JSON.parse(res.text);
    expect(response).toMatchObject({ object: 'response', status: 'completed', model: 'gpt-5-mini', error: null, incomplete_details: null });
    expect(response.output[0]).toMatchObject({ type: 'message', role: 'assistant', status: 'completed' });
    expect(response.usage.input_tokens).toBe(3);
  });

  it('streams a required function call as function_call_arguments deltas', async () => {
    const res = await post(server, '/v1/responses', body({ stream: true, tools: [{ type: 'function', name: 'search', parameters: schema }], tool_choice: 'required' }));
    const payloads = splitSSE(res.text).map((e) => JSON.parse(e.data));
    const added = payloads.find((p) => p.type === 'response.output_item.added');
    expect(added.item).toMatchObject({ type: 'function_call', name: 'search', arguments: '' });
    const args = payloads.filter((p) => p.type === 'response.function_call_arguments.delta').map((p) => p.delta).join('');
    expect(validate(JSON.parse(args))).toBe(true);
    expect(payloads.find((p) => p.type === 'response.function_call_arguments.done').arguments).toBe(args);
    const done = payloads[payloads.length - 1];
    expect(done.type).toBe('response.completed');
    expect(done.response.output[0]).toMatchObject({ type: 'function_call', call_id: added.item.call_id, arguments: args });
  });
});

describe('Gemini generateContent', () => {
  const body = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    contents: [{ role: 'user', parts: [{ text: 'Hello there' }] }], ...extra,
  });
  const headers = { authorization: '', 'x-goog-api-key': 'k' };

  it('streams data-only SSE chunks with running usageMetadata and finishReason STOP on the last', async () => {
    const res = await post(server, '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse', body(), { ...headers, 'x-mock-output-tokens': '5' });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const events = splitSSE(res.text);
    expect(events).toHaveLength(5);
    expect(events.every((e) => e.event === undefined)).toBe(true);
    const chunks = events.map((e) => JSON.parse(e.data));
    chunks.forEach((c, i) => {
      expect(c.candidates[0].content.role).toBe('model');
      expect(c.candidates[0].content.parts[0].text.length).toBeGreaterThan(0);
      expect(c.usageMetadata.candidatesTokenCount).toBe(i + 1);
      expect(c.usageMetadata.promptTokenCount).toBe(3);
      expect(c.modelVersion).toBe('gemini-2.5-flash');
      expect('finishReason' in c.candidates[0]).toBe(i === 4);
    });
    expect(chunks[4].candidates[0].finishReason).toBe('STOP');
    expect(chunks[4].usageMetadata.totalTokenCount).toBe(8);
  });

  it('ends with MAX_TOKENS when maxOutputTokens cut the answer, and returns one object without streaming', async () => {
    const res = await post(server, '/v1beta/models/gemini-2.5-flash:generateContent', body({ generationConfig: { maxOutputTokens: 4 } }), headers);
    const response = JSON.parse(res.text);
    expect(response.candidates[0].finishReason).toBe('MAX_TOKENS');
    expect(response.usageMetadata.candidatesTokenCount).toBe(4);
    expect(response.candidates[0].content.parts[0].text.split(' ').length).toBeGreaterThanOrEqual(3);
  });

  it('streams a JSON array when alt=sse is not given', async () => {
    const res = await post(server, '/v1beta/models/gemini-2.5-flash:streamGenerateContent', body(), { ...headers, 'x-mock-output-tokens': '3' });
    const array = JSON.parse(res.text);
    expect(array).toHaveLength(3);
    expect(array[2].candidates[0].finishReason).toBe('STOP');
  });

  it('accepts the key as ?key= and answers 401 UNAUTHENTICATED in the Google envelope without one', async () => {
    const ok = await post(server, '/v1beta/models/g:generateContent?key=abc', body(), { authorization: '' });
    expect(ok.status).toBe(200);
    const res = await post(server, '/v1beta/models/g:generateContent', body(), { authorization: '' });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text)).toEqual({ error: { code: 401, message: expect.any(String), status: 'UNAUTHENTICATED' } });
  });

  it('answers mode ANY with a whole functionCall part whose args match the schema', async () => {
    const res = await post(server, '/v1beta/models/g:streamGenerateContent?alt=sse', body({
      tools: [{ functionDeclarations: [{ name: 'search', parameters: schema }] }],
      toolConfig: { functionCallingConfig: { mode: 'ANY' } },
    }), headers);
    const chunks = splitSSE(res.text).map((e) => JSON.parse(e.data));
    expect(chunks).toHaveLength(1);
    const part = chunks[0].candidates[0].content.parts[0];
    expect(part.functionCall.name).toBe('search');
    expect(validate(part.functionCall.args)).toBe(true);
    expect(chunks[0].candidates[0].finishReason).toBe('STOP');
    const truth = await groundTruth(server, res.id);
    expect(truth.chunks).toHaveLength(1);
    expect(truth.chunks[0]!.tokens).toBe(chunks[0].usageMetadata.candidatesTokenCount);
  });
});

describe('Ollama /api/chat', () => {
  const body = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    model: 'llama3.2', messages: [{ role: 'user', content: 'Hello there' }], ...extra,
  });

  it('streams NDJSON lines and a final done line with done_reason, counts and nanosecond durations', async () => {
    const res = await post(server, '/api/chat', body({ options: { num_predict: 5 } }), { authorization: '' });
    expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = splitNDJSON(res.text);
    expect(lines).toHaveLength(6);
    lines.slice(0, 5).forEach((l) => {
      expect(l).toMatchObject({ model: 'llama3.2', done: false, message: { role: 'assistant' } });
      expect(l.message.content.length).toBeGreaterThan(0);
      expect(Number.isNaN(Date.parse(l.created_at))).toBe(false);
    });
    const last = lines[5];
    expect(last).toMatchObject({ done: true, done_reason: 'length', prompt_eval_count: 3, eval_count: 5, load_duration: 0, message: { content: '' } });
    expect(Number.isInteger(last.total_duration)).toBe(true);
    expect(last.total_duration).toBeGreaterThanOrEqual(last.eval_duration);
    expect(last.total_duration).toBeGreaterThan(1e6);
  });

  it('returns one object with done true when stream is false', async () => {
    const res = await post(server, '/api/chat', body({ stream: false }), { authorization: '' });
    const reply = JSON.parse(res.text);
    expect(reply).toMatchObject({ done: true, done_reason: 'stop', eval_count: 12 });
    expect(reply.message.content.split(' ').length).toBeGreaterThan(5);
  });

  it('answers a user turn with a whole tool call when tools are given, and text after the tool result', async () => {
    const tools = [{ type: 'function', function: { name: 'search', parameters: schema } }];
    const res = await post(server, '/api/chat', body({ tools }), { authorization: '' });
    const lines = splitNDJSON(res.text);
    expect(lines).toHaveLength(2);
    const call = lines[0].message.tool_calls[0].function;
    expect(call.name).toBe('search');
    expect(validate(call.arguments)).toBe(true);
    expect(lines[1].done_reason).toBe('stop');
    const after = await post(server, '/api/chat', {
      model: 'llama3.2', stream: false, tools,
      messages: [{ role: 'user', content: 'find' }, { role: 'assistant', content: '', tool_calls: [{ function: { name: 'search', arguments: {} } }] }, { role: 'tool', content: 'result' }],
    }, { authorization: '' });
    expect(JSON.parse(after.text).message.tool_calls).toBeUndefined();
  });

  it('needs no API key by default, like Ollama itself', async () => {
    const res = await fetch(`${server.url}/api/chat`, { method: 'POST', body: JSON.stringify(body({ stream: false })) });
    expect(res.status).toBe(200);
  });
});

describe('Ollama with keys required', () => {
  it('answers 401 with {"error": "..."} when ollamaRequiresApiKey is set', async () => {
    const strict = await start({ ollamaRequiresApiKey: true });
    try {
      const res = await fetch(`${strict.url}/api/chat`, { method: 'POST', body: JSON.stringify({ model: 'm', messages: [] }) });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: expect.stringContaining('API key') });
    } finally {
      await strict.close();
    }
  });
});
