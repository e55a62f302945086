import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planAnswer } from '../../../node/mock/answer';
import { createRandom } from '../../../node/mock/random';
import type { MockServer } from '../../../node/mock/server';
import { groundTruth, post, splitNDJSON, splitSSE, sseJson, start, userChat } from './helpers';

const forecast = {
  type: 'object',
  properties: {
    city: { type: 'string', minLength: 2, maxLength: 30 },
    unit: { type: 'string', enum: ['C', 'F'] },
    days: {
      type: 'array',
      minItems: 1,
      maxItems: 3,
      items: {
        type: 'object',
        properties: {
          date: { type: 'string', format: 'date' },
          high: { type: 'number', minimum: -50, maximum: 60 },
          sky: { enum: ['sun', 'cloud', 'rain'] },
        },
        required: ['date', 'high', 'sky'],
        additionalProperties: false,
      },
    },
  },
  required: ['city', 'unit', 'days'],
  additionalProperties: false,
};
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(forecast);

/** Parses the assembled text and validates it, so a failure names what was wrong. */
function expectValid(text: string): void {
  const value: unknown = JSON.parse(text);
  expect(validate(value), ajv.errorsText(validate.errors)).toBe(true);
}

let server: MockServer;
beforeAll(async () => {
  server = await start();
});
afterAll(() => server.close());

const chatFormat = { type: 'json_schema', json_schema: { name: 'forecast', strict: true, schema: forecast } };
const chatText = (text: string): string => sseJson(text).map((c) => c.choices[0]?.delta?.content ?? '').join('');

describe('OpenAI Chat response_format', () => {
  it('streams a json_schema answer in token-sized pieces that assemble into a valid document', async () => {
    const res = await post(server, '/v1/chat/completions', userChat('Forecast?', { stream: true, response_format: chatFormat, stream_options: { include_usage: true } }));
    const chunks = sseJson(res.text);
    const pieces = chunks.map((c) => c.choices[0]?.delta?.content).filter((p) => typeof p === 'string' && p !== '');
    expect(pieces.length).toBeGreaterThan(10);
    expect(pieces.every((p: string) => p.length <= 6)).toBe(true);
    expectValid(pieces.join(''));
    expect(chunks[chunks.length - 2].choices[0].finish_reason).toBe('stop');
    expect(chunks[chunks.length - 1].usage.completion_tokens).toBe(pieces.length);
    const truth = await groundTruth(server, res.id);
    expect(truth.chunks).toHaveLength(pieces.length);
    expect(truth.outputTokens).toBe(pieces.length);
  });

  it('returns a valid document as message.content when not streamed, whatever the fill-mode cap above its size', async () => {
    const res = await post(server, '/v1/chat/completions', userChat('Forecast?', { response_format: chatFormat, max_tokens: 4000 }));
    const body = JSON.parse(res.text);
    expectValid(body.choices[0].message.content);
    expect(body.choices[0].finish_reason).toBe('stop');
    expect(body.usage.completion_tokens).toBeLessThan(4000);
  });

  it('cuts the document at a max_tokens below its size and finishes with length', async () => {
    const res = await post(server, '/v1/chat/completions', userChat('Forecast?', { stream: true, response_format: chatFormat, max_tokens: 5 }));
    const chunks = sseJson(res.text);
    expect(chunks.filter((c) => c.choices[0]?.delta?.content)).toHaveLength(5);
    expect(() => JSON.parse(chatText(res.text))).toThrow();
    expect(chatText(res.text).startsWith('{"')).toBe(true);
    expect(chunks[chunks.length - 1].choices[0].finish_reason).toBe('length');
  });

  it('answers json_object mode with a small JSON object', async () => {
    const body = JSON.parse((await post(server, '/v1/chat/completions', userChat('JSON please', { response_format: { type: 'json_object' } }))).text);
    const value = JSON.parse(body.choices[0].message.content);
    expect(typeof value.answer).toBe('string');
    expect(value.confidence).toBeGreaterThanOrEqual(0);
    expect(value.confidence).toBeLessThanOrEqual(1);
  });

  it('gives the same document for the same request', async () => {
    const body = userChat('Same?', { response_format: chatFormat });
    const a = JSON.parse((await post(server, '/v1/chat/completions', body)).text).choices[0].message.content;
    const b = JSON.parse((await post(server, '/v1/chat/completions', body)).text).choices[0].message.content;
    expect(a).toBe(b);
  });

  it('answers plain text for response_format text and 400 for an unknown type', async () => {
    const text = JSON.parse((await post(server, '/v1/chat/completions', userChat('x', { response_format: { type: 'text' } }))).text);
    expect(() => JSON.parse(text.choices[0].message.content)).toThrow();
    const bad = await post(server, '/v1/chat/completions', userChat('x', { response_format: { type: 'yaml' } }));
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).error.message).toMatch(/^invalid response_format: expected/);
  });
});

describe('the structured answer plan', () => {
  const plan = (seed: number, maxTokens: number | undefined) => planAnswer({
    request: { model: 'm', stream: true, maxTokens, promptParts: ['x'], lastRole: 'user', tools: [], toolChoice: 'none', includeUsage: false, structured: { schema: forecast } },
    tool: undefined, refusal: false, reasoningTokens: 0, outputTokensOverride: 3,
    options: { outputTokens: 3, maxTokensMode: 'fill' }, content: createRandom(seed), thoughts: createRandom('t'), variation: createRandom('v'),
  });

  it('makes a valid document for each of 50 seeds, its length set by the document, not by the output-length settings', () => {
    for (let seed = 0; seed < 50; seed++) {
      const p = plan(seed, undefined);
      expectValid(p.pieces.join(''));
      expect(p.pieces.length).toBeGreaterThan(3);
      expect(p.capped).toBe(false);
    }
  });

  it('cuts only when the cap is below the document, and then by exactly the cap', () => {
    const whole = plan(7, undefined).pieces;
    expect(plan(7, whole.length)).toMatchObject({ pieces: whole, capped: false });
    expect(plan(7, whole.length - 1)).toMatchObject({ pieces: whole.slice(0, -1), capped: true });
  });
});

describe('OpenAI Responses text.format', () => {
  it('streams a json_schema answer as output_text deltas that assemble into a valid document', async () => {
    const res = await post(server, '/v1/responses', {
      model: 'gpt-5-mini', input: 'Forecast?', stream: true, text: { format: { type: 'json_schema', name: 'forecast', strict: true, schema: forecast } },
    });
    const payloads = splitSSE(res.text).map((e) => JSON.parse(e.data));
    const deltas = payloads.filter((p) => p.type === 'response.output_text.delta').map((p) => p.delta);
    expect(deltas.length).toBeGreaterThan(10);
    expectValid(deltas.join(''));
    const done = payloads[payloads.length - 1];
    expect(done.type).toBe('response.completed');
    expect(done.response.usage.output_tokens).toBe(deltas.length);
    expectValid(done.response.output[0].content[0].text);
  });

  it('answers json_object without a schema with a JSON object', async () => {
    const res = await post(server, '/v1/responses', { model: 'm', input: 'JSON', text: { format: { type: 'json_object' } } });
    expect(typeof JSON.parse(JSON.parse(res.text).output[0].content[0].text).answer).toBe('string');
  });
});

describe('Gemini generationConfig', () => {
  const body = (generationConfig: Record<string, unknown>): Record<string, unknown> => ({ contents: [{ parts: [{ text: 'Forecast?' }] }], generationConfig });

  it('streams a responseJsonSchema answer in text parts that assemble into a valid document', async () => {
    const res = await post(server, '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse', body({ responseMimeType: 'application/json', responseJsonSchema: forecast }));
    const chunks = sseJson(res.text);
    expect(chunks.length).toBeGreaterThan(10);
    expectValid(chunks.map((c) => c.candidates[0].content.parts[0].text).join(''));
    expect(chunks[chunks.length - 1].usageMetadata.candidatesTokenCount).toBe(chunks.length);
    expect(chunks[chunks.length - 1].candidates[0].finishReason).toBe('STOP');
  });

  it('reads an OpenAPI-style responseSchema with upper-case types', async () => {
    const schema = { type: 'OBJECT', properties: { name: { type: 'STRING' }, score: { type: 'INTEGER', minimum: 1, maximum: 5 } }, required: ['name', 'score'] };
    const res = await post(server, '/v1beta/models/g:generateContent', body({ responseMimeType: 'application/json', responseSchema: schema }));
    const value = JSON.parse(JSON.parse(res.text).candidates[0].content.parts[0].text);
    expect(typeof value.name).toBe('string');
    expect(Number.isInteger(value.score) && value.score >= 1 && value.score <= 5).toBe(true);
  });

  it('cuts the document at maxOutputTokens below its size with MAX_TOKENS', async () => {
    const res = await post(server, '/v1beta/models/g:generateContent', body({ responseMimeType: 'application/json', responseJsonSchema: forecast, maxOutputTokens: 3 }));
    const reply = JSON.parse(res.text);
    expect(reply.candidates[0].finishReason).toBe('MAX_TOKENS');
    expect(reply.usageMetadata.candidatesTokenCount).toBe(3);
    expect(() => JSON.parse(reply.candidates[0].content.parts[0].text)).toThrow();
  });
});

describe('Ollama format', () => {
  it('answers format: <schema> with content lines that assemble into a valid document', async () => {
    const res = await post(server, '/api/chat', { model: 'llama3.2', format: forecast, messages: [{ role: 'user', content: 'Forecast?' }] }, { authorization: '' });
    const lines = splitNDJSON(res.text);
    expectValid(lines.filter((l) => !l.done).map((l) => l.message.content).join(''));
    expect(lines[lines.length - 1].eval_count).toBe(lines.length - 1);
  });
});
