/**
 * The providers' official SDKs, unchanged apart from the base URL, against the mock (issue 9 §1). Each test also
 * reads the mock's ground truth to confirm it saw the requests the SDK made.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Anthropic from '@anthropic-ai/sdk';
import { FinishReason, GoogleGenAI } from '@google/genai';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { LengthFinishReasonError } from 'openai/core/error';
import type { RequestRecord } from '../../../node/mock/ground-truth';
import type { MockServer } from '../../../node/mock/server';
import { getJson, groundTruth, start } from './helpers';

/** `retry-after-ms` the mock sends with injected 429/529; small so an SDK's honoured wait stays short. */
const RETRY_AFTER_MS = 150;

let server: MockServer;
beforeAll(async () => {
  // `exact`: a cap gives that many tokens and a finished answer, so these tests can ask for a length and see a
  // finished answer; the default length model is tested at the end.
  server = await start({ maxTokensMode: 'exact', retryAfterMs: RETRY_AFTER_MS });
});
afterAll(() => server.close());

/** The newest `n` ground-truth records, oldest first. */
async function latest(n: number): Promise<RequestRecord[]> {
  const { data } = (await getJson(`${server.url}/_mock/requests?limit=${n}`)) as { data: RequestRecord[] };
  return data.reverse();
}

const weather = {
  type: 'object' as const,
  properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } },
  required: ['city', 'unit'],
  additionalProperties: false,
};

describe('openai', () => {
  const client = () => new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'test-key', maxRetries: 0 });

  it('creates a non-streamed chat completion with text, usage and finish_reason', async () => {
    const { data, request_id } = await client()
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello' }], max_completion_tokens: 7 })
      .withResponse();
    const choice = data.choices[0]!;
    expect(data.object).toBe('chat.completion');
    expect(data.model).toBe('gpt-4o-mini');
    expect(choice.finish_reason).toBe('stop');
    expect(choice.message.role).toBe('assistant');
    expect(choice.message.content?.length).toBeGreaterThan(0);
    expect(data.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 7, total_tokens: 10 });
    const truth = await groundTruth(server, request_id!);
    expect(truth).toMatchObject({ provider: 'openai-chat', stream: false, outputTokens: 7, status: 200, outcome: 'complete' });
  });

  it('streams a chat completion whose chunks assemble the text and end with a usage chunk', async () => {
    const { data: stream, request_id } = await client()
      .chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Say hello' }],
        max_completion_tokens: 9,
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    let text = '';
    let contentChunks = 0;
    const finishReasons: string[] = [];
    let usage: OpenAI.CompletionUsage | null | undefined;
    let lastChoices = -1;
    for await (const chunk of stream) {
      expect(chunk.object).toBe('chat.completion.chunk');
      const choice = chunk.choices[0];
      if (choice?.delta.content) {
        text += choice.delta.content;
        contentChunks++;
      }
      if (choice?.finish_reason) finishReasons.push(choice.finish_reason);
      usage = chunk.usage;
      lastChoices = chunk.choices.length;
    }
    expect(finishReasons).toEqual(['stop']);
    expect(lastChoices).toBe(0); // the usage chunk has an empty choices list
    expect(usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 9, total_tokens: 12 });
    const truth = await groundTruth(server, request_id!);
    expect(truth).toMatchObject({ provider: 'openai-chat', stream: true, outcome: 'complete' });
    expect(truth.chunks).toHaveLength(contentChunks);
    // The same request non-streamed gives the same text.
    const whole = await client().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Say hello' }],
      max_completion_tokens: 9,
    });
    expect(text).toBe(whole.choices[0]!.message.content);
  });

  it('makes a required tool call whose arguments parse as JSON valid for the schema', async () => {
    const completion = await client().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: weather } }],
      tool_choice: 'required',
    });
    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    const call = choice.message.tool_calls![0]!;
    expect(call.type).toBe('function');
    if (call.type !== 'function') throw new Error('not a function call');
    expect(call.function.name).toBe('get_weather');
    expect(call.id).toMatch(/^call_/);
    const args = JSON.parse(call.function.arguments) as { city: unknown; unit: unknown };
    expect(typeof args.city).toBe('string');
    expect(['c', 'f']).toContain(args.unit);
    const [truth] = await latest(1);
    expect(truth).toMatchObject({ provider: 'openai-chat', finishReason: 'tool', status: 200 });
  });

  it('creates a non-streamed response whose output_text is the answer', async () => {
    const { data, request_id } = await client()
      .responses.create({ model: 'gpt-4o-mini', input: 'Say hello', max_output_tokens: 8 })
      .withResponse();
    expect(data.object).toBe('response');
    expect(data.status).toBe('completed');
    expect(data.output_text.length).toBeGreaterThan(0);
    expect(data.output_text.split(' ').length).toBeGreaterThan(1);
    expect(data.usage).toMatchObject({ input_tokens: 3, output_tokens: 8, total_tokens: 11 });
    expect(await groundTruth(server, request_id!)).toMatchObject({ provider: 'openai-responses', stream: false, outputTokens: 8 });
  });

  it('streams a response as typed events ending in response.completed with usage', async () => {
    const stream = await client().responses.create({ model: 'gpt-4o-mini', input: 'Say hello', max_output_tokens: 6, stream: true });
    const types: string[] = [];
    let text = '';
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') completed = event.response;
    }
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(types).toContain('response.output_text.done');
    expect(completed?.usage).toMatchObject({ input_tokens: 3, output_tokens: 6, total_tokens: 9 });
    expect(completed?.output_text ?? text).toBe(text);
    const [truth] = await latest(1);
    expect(truth).toMatchObject({ provider: 'openai-responses', stream: true, outcome: 'complete' });
    expect(truth!.chunks).toHaveLength(types.filter((t) => t === 'response.output_text.delta').length);
  });

  it('lists models', async () => {
    const ids: string[] = [];
    for await (const model of client().models.list()) {
      expect(model.object).toBe('model');
      ids.push(model.id);
    }
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).toContain('gpt-4o-mini');
  });

  it('surfaces an injected 429 as RateLimitError after one retry that waited retry-after-ms', async () => {
    const before = (await getJson(`${server.url}/_mock/stats`)) as { byStatus: Record<string, number> };
    const retrying = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'test-key', maxRetries: 1 });
    const error = await retrying.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-mock-fault': '429' } })
      .then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const rateLimit = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(rateLimit.status).toBe(429);
    expect(rateLimit.code).toBe('rate_limit_exceeded');
    expect(rateLimit.headers.get('retry-after')).toBe('1');
    expect(rateLimit.headers.get('retry-after-ms')).toBe(String(RETRY_AFTER_MS));
    const [first, second] = await latest(2);
    expect(first).toMatchObject({ status: 429, fault: '429', outcome: 'error' });
    expect(second).toMatchObject({ status: 429, fault: '429', outcome: 'error' });
    expect(second!.received - first!.end!).toBeGreaterThanOrEqual(RETRY_AFTER_MS - 5);
    const after = (await getJson(`${server.url}/_mock/stats`)) as { byStatus: Record<string, number> };
    expect((after.byStatus['429'] ?? 0) - (before.byStatus['429'] ?? 0)).toBe(2);
  });
});

describe('@anthropic-ai/sdk', () => {
  const client = () => new Anthropic({ baseURL: server.url, apiKey: 'test-key', maxRetries: 0 });

  it('creates a non-streamed message with a text block, usage and end_turn', async () => {
    const { data, request_id } = await client()
      .messages.create({ model: 'claude-haiku-4-5', max_tokens: 7, messages: [{ role: 'user', content: 'Say hello' }] })
      .withResponse();
    expect(data.type).toBe('message');
    expect(data.role).toBe('assistant');
    expect(data.model).toBe('claude-haiku-4-5');
    expect(data.stop_reason).toBe('end_turn');
    const block = data.content[0]!;
    expect(block.type).toBe('text');
    expect(block.type === 'text' && block.text.length).toBeGreaterThan(0);
    expect(data.usage).toMatchObject({ input_tokens: 3, output_tokens: 7 });
    expect(await groundTruth(server, request_id!)).toMatchObject({ provider: 'anthropic', stream: false, outputTokens: 7 });
  });

  it('streams a message whose text deltas assemble the final message, with usage', async () => {
    const stream = client().messages.stream({ model: 'claude-haiku-4-5', max_tokens: 9, messages: [{ role: 'user', content: 'Say hello' }] });
    let text = '';
    let deltas = 0;
    stream.on('text', (delta) => {
      text += delta;
      deltas++;
    });
    const message = await stream.finalMessage();
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toMatchObject({ input_tokens: 3, output_tokens: 9 });
    const block = message.content[0]!;
    expect(block.type === 'text' && block.text).toBe(text);
    expect(text.length).toBeGreaterThan(0);
    const { request_id } = await stream.withResponse();
    const truth = await groundTruth(server, request_id!);
    expect(truth).toMatchObject({ provider: 'anthropic', stream: true, outcome: 'complete', outputTokens: 9 });
    expect(truth.chunks).toHaveLength(deltas);
  });

  it('streams raw events with stream: true in the documented order', async () => {
    const stream = await client().messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 5,
      messages: [{ role: 'user', content: 'Say hello' }],
      stream: true,
    });
    const types: string[] = [];
    let outputTokens = 0;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'message_delta') outputTokens = event.usage.output_tokens;
    }
    expect(types.slice(0, 2)).toEqual(['message_start', 'content_block_start']);
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(types.filter((t) => t === 'content_block_delta')).toHaveLength(5);
    expect(outputTokens).toBe(5);
    const [truth] = await latest(1);
    expect(truth).toMatchObject({ provider: 'anthropic', stream: true, outcome: 'complete' });
  });

  it('forces a tool use with tool_choice any, streamed and not, whose input fits the schema', async () => {
    const params = {
      model: 'claude-haiku-4-5',
      max_tokens: 200,
      messages: [{ role: 'user' as const, content: 'Weather in Paris?' }],
      tools: [{ name: 'get_weather', description: 'Weather of a city', input_schema: weather }],
      tool_choice: { type: 'any' as const },
    };
    const message = await client().messages.create(params);
    expect(message.stop_reason).toBe('tool_use');
    const block = message.content.find((b) => b.type === 'tool_use');
    if (block?.type !== 'tool_use') throw new Error('no tool_use block');
    expect(block.name).toBe('get_weather');
    expect(block.id).toMatch(/^toolu_/);
    const input = block.input as { city: unknown; unit: unknown };
    expect(typeof input.city).toBe('string');
    expect(['c', 'f']).toContain(input.unit);
    // The SDK's stream helper assembles the input_json_delta pieces into the same input.
    const streamed = await client().messages.stream(params).finalMessage();
    const streamedBlock = streamed.content.find((b) => b.type === 'tool_use');
    expect(streamed.stop_reason).toBe('tool_use');
    expect(streamedBlock?.type === 'tool_use' && streamedBlock.input).toEqual(block.input);
    const records = await latest(2);
    expect(records.map((r) => [r.provider, r.stream, r.finishReason])).toEqual([['anthropic', false, 'tool'], ['anthropic', true, 'tool']]);
  });

  it('lists models in the Anthropic shape', async () => {
    const models: Anthropic.ModelInfo[] = [];
    for await (const model of client().models.list()) models.push(model);
    expect(models.length).toBeGreaterThan(0);
    for (const model of models) {
      expect(model.type).toBe('model');
      expect(model.display_name.length).toBeGreaterThan(0);
      expect(Number.isNaN(Date.parse(model.created_at))).toBe(false);
    }
  });

  it('surfaces an injected 529 as an overloaded_error APIError with status 529 after one retry', async () => {
    const retrying = new Anthropic({ baseURL: server.url, apiKey: 'test-key', maxRetries: 1 });
    const error = await retrying.messages
      .create({ model: 'claude-haiku-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-mock-fault': '529' } })
      .then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    const apiError = error as InstanceType<typeof Anthropic.APIError>;
    expect(apiError.status).toBe(529);
    expect(apiError.error).toMatchObject({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    expect(apiError.requestID).toMatch(/^req_/);
    const [first, second] = await latest(2);
    expect(first).toMatchObject({ provider: 'anthropic', status: 529, fault: '529' });
    expect(second).toMatchObject({ provider: 'anthropic', status: 529, fault: '529' });
    expect(second!.id).toBe(apiError.requestID);
    expect(second!.received - first!.end!).toBeGreaterThanOrEqual(RETRY_AFTER_MS - 5);
  });
});

describe('@google/genai', () => {
  const client = () => new GoogleGenAI({ apiKey: 'test-key', vertexai: false, httpOptions: { baseUrl: server.url } });

  it('generates content with text, finish reason and usageMetadata', async () => {
    const response = await client().models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'Say hello',
      config: { maxOutputTokens: 7 },
    });
    expect(response.text?.length).toBeGreaterThan(0);
    expect(response.candidates?.[0]?.finishReason).toBe('STOP');
    expect(response.usageMetadata).toMatchObject({ promptTokenCount: 3, candidatesTokenCount: 7, totalTokenCount: 10 });
    const id = response.sdkHttpResponse?.headers?.['x-mock-request-id'];
    expect(id).toMatch(/^req_/);
    const truth = await groundTruth(server, id!);
    expect(truth).toMatchObject({ provider: 'gemini', model: 'gemini-2.5-flash', stream: false, outputTokens: 7 });
  });

  it('streams content whose chunks assemble the same text, the last with usageMetadata', async () => {
    const params = { model: 'gemini-2.5-flash', contents: 'Say hello', config: { maxOutputTokens: 9 } };
    const stream = await client().models.generateContentStream(params);
    let text = '';
    let chunks = 0;
    let usage: unknown;
    let finishReason: string | undefined;
    for await (const chunk of stream) {
      text += chunk.text ?? '';
      chunks++;
      usage = chunk.usageMetadata ?? usage;
      finishReason = chunk.candidates?.[0]?.finishReason ?? finishReason;
    }
    expect(chunks).toBeGreaterThan(1);
    expect(finishReason).toBe('STOP');
    expect(usage).toMatchObject({ promptTokenCount: 3, candidatesTokenCount: 9, totalTokenCount: 12 });
    const [truth] = await latest(1);
    expect(truth).toMatchObject({ provider: 'gemini', stream: true, outcome: 'complete', outputTokens: 9 });
    expect(truth!.chunks).toHaveLength(chunks);
    const whole = await client().models.generateContent(params);
    expect(text).toBe(whole.text);
  });

  it('lists models whose names carry the models/ prefix', async () => {
    const names: string[] = [];
    for await (const model of await client().models.list()) names.push(model.name ?? '');
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => n.startsWith('models/'))).toBe(true);
  });
});

describe('ollama', () => {
  const client = () => new Ollama({ host: server.url });

  it('lists local models', async () => {
    const { models } = await client().list();
    expect(models.length).toBeGreaterThan(0);
    expect(models[0]!.name).toBe(models[0]!.model);
    expect(models[0]!.size).toBeTypeOf('number');
    expect(Number.isNaN(new Date(models[0]!.modified_at).getTime())).toBe(false);
  });

  it('chats without streaming and reports done with token counts', async () => {
    const response = await client().chat({
      model: 'llama3.2',
      messages: [{ role: 'user', content: 'Say hello' }],
      options: { num_predict: 7 },
      stream: false,
    });
    expect(response.model).toBe('llama3.2');
    expect(response.done).toBe(true);
    expect(response.done_reason).toBe('stop');
    expect(response.message.role).toBe('assistant');
    expect(response.message.content.length).toBeGreaterThan(0);
    expect(response.prompt_eval_count).toBe(3);
    expect(response.eval_count).toBe(7);
    const [truth] = await latest(1);
    expect(truth).toMatchObject({ provider: 'ollama', stream: false, outputTokens: 7, status: 200 });
  });

  it('streams a chat as an async iterator whose last part is done with counts', async () => {
    const stream = await client().chat({
      model: 'llama3.2',
      messages: [{ role: 'user', content: 'Say hello' }],
      options: { num_predict: 9 },
      stream: true,
    });
    let text = '';
    const parts: { done: boolean }[] = [];
    let last: Awaited<ReturnType<Ollama['chat']>> | undefined;
    for await (const part of stream) {
      text += part.message.content;
      parts.push(part);
      last = part;
    }
    expect(parts.slice(0, -1).every((p) => !p.done)).toBe(true);
    expect(last?.done).toBe(true);
    expect(last?.done_reason).toBe('stop');
    expect(last?.prompt_eval_count).toBe(3);
    expect(last?.eval_count).toBe(9);
    expect(last?.total_duration).toBeGreaterThan(0);
    expect(text.length).toBeGreaterThan(0);
    const [truth] = await latest(1);
    expect(truth).toMatchObject({ provider: 'ollama', stream: true, outcome: 'complete', outputTokens: 9 });
    expect(truth!.chunks).toHaveLength(parts.length - 1);
  });
});

describe('the default length model, as each SDK sees it (issue 22 §1)', () => {
  const ESSAY = 'Write a very long essay about load testing.';
  let capped: MockServer;
  beforeAll(async () => {
    // The server's own default maxTokensMode: the natural length (64 here) cut by the request's cap.
    capped = await start({ maxTokensMode: undefined, outputTokens: 64 });
  });
  afterAll(() => capped.close());

  it('openai: finish_reason length, streamed and not, and parse() refuses the cut answer with LengthFinishReasonError', async () => {
    const client = new OpenAI({ baseURL: `${capped.url}/v1`, apiKey: 'test-key', maxRetries: 0 });
    const messages = [{ role: 'user' as const, content: ESSAY }];
    const whole = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, max_completion_tokens: 5 });
    expect(whole.choices[0]!.finish_reason).toBe('length');
    expect(whole.usage?.completion_tokens).toBe(5);
    const streamed = await client.chat.completions.stream({ model: 'gpt-4o-mini', messages, max_completion_tokens: 5 }).finalChatCompletion();
    expect(streamed.choices[0]!.finish_reason).toBe('length');
    const error = await client.chat.completions
      .parse({ model: 'gpt-4o-mini', messages, max_completion_tokens: 5, response_format: { type: 'json_schema', json_schema: { name: 'w', schema: weather, strict: true } } })
      .then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(LengthFinishReasonError);
    const natural = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, max_completion_tokens: 500 });
    expect(natural.choices[0]!.finish_reason).toBe('stop');
    expect(natural.usage?.completion_tokens).toBe(64);
  });

  it('openai responses: status incomplete with incomplete_details.reason max_output_tokens, streamed and not', async () => {
    const client = new OpenAI({ baseURL: `${capped.url}/v1`, apiKey: 'test-key', maxRetries: 0 });
    const whole = await client.responses.create({ model: 'gpt-4o-mini', input: ESSAY, max_output_tokens: 5 });
    expect(whole.status).toBe('incomplete');
    expect(whole.incomplete_details?.reason).toBe('max_output_tokens');
    expect(whole.usage?.output_tokens).toBe(5);
    const stream = await client.responses.create({ model: 'gpt-4o-mini', input: ESSAY, max_output_tokens: 5, stream: true });
    let last: OpenAI.Responses.ResponseStreamEvent | undefined;
    for await (const event of stream) last = event;
    expect(last?.type).toBe('response.incomplete');
    expect(last?.type === 'response.incomplete' && last.response.incomplete_details?.reason).toBe('max_output_tokens');
  });

  it('@anthropic-ai/sdk: stop_reason max_tokens, streamed and not', async () => {
    const client = new Anthropic({ baseURL: capped.url, apiKey: 'test-key', maxRetries: 0 });
    const params = { model: 'claude-haiku-4-5', max_tokens: 5, messages: [{ role: 'user' as const, content: ESSAY }] };
    const whole = await client.messages.create(params);
    expect(whole.stop_reason).toBe('max_tokens');
    expect(whole.usage.output_tokens).toBe(5);
    const streamed = await client.messages.stream(params).finalMessage();
    expect(streamed.stop_reason).toBe('max_tokens');
  });

  it('@google/genai: finishReason MAX_TOKENS, streamed and not', async () => {
    const client = new GoogleGenAI({ apiKey: 'test-key', vertexai: false, httpOptions: { baseUrl: capped.url } });
    const params = { model: 'gemini-2.5-flash', contents: ESSAY, config: { maxOutputTokens: 5 } };
    const whole = await client.models.generateContent(params);
    expect(whole.candidates?.[0]?.finishReason).toBe(FinishReason.MAX_TOKENS);
    expect(whole.usageMetadata?.candidatesTokenCount).toBe(5);
    let reason: string | undefined;
    for await (const chunk of await client.models.generateContentStream(params)) reason = chunk.candidates?.[0]?.finishReason ?? reason;
    expect(reason).toBe(FinishReason.MAX_TOKENS);
  });

  it('ollama: done_reason length, streamed and not', async () => {
    const client = new Ollama({ host: capped.url });
    const params = { model: 'llama3.2', messages: [{ role: 'user', content: ESSAY }], options: { num_predict: 5 } };
    const whole = await client.chat({ ...params, stream: false });
    expect(whole.done_reason).toBe('length');
    expect(whole.eval_count).toBe(5);
    let last: { done_reason?: string } | undefined;
    for await (const part of await client.chat({ ...params, stream: true })) last = part;
    expect(last?.done_reason).toBe('length');
  });
});
