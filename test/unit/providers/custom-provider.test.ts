import { describe, expect, it } from 'vitest';
import { customProvider, type CustomProviderConfig } from '../../../lib/providers/index';

const config = { baseUrl: 'https://team.example.com', model: 'team-model', apiKey: 'k' };

describe('customProvider buildRequest', () => {
  it('posts the default body to baseUrl + path with JSON and Bearer headers', () => {
    const provider = customProvider({ path: '/api/ask', format: 'json', text: 'answer' });
    const spec = provider.buildRequest(
      {
        system: 'Be brief.',
        messages: [
          { role: 'user', content: 'First' },
          { role: 'assistant', content: 'Ok' },
          { role: 'user', content: 'What is 2+2?' },
        ],
        maxTokens: 20,
      },
      config,
    );
    expect(spec).toEqual({
      method: 'POST',
      url: 'https://team.example.com/api/ask',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer k' },
      body: JSON.stringify({
        message: 'What is 2+2?',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'First' },
          { role: 'assistant', content: 'Ok' },
          { role: 'user', content: 'What is 2+2?' },
        ],
        max_tokens: 20,
        stream: false,
      }),
    });
    expect(provider.name).toBe('custom');
    expect(provider.streamFormat).toBe('json');
  });

  it('uses buildBody, the method, its own headers and extra fields, and accepts the stream format', () => {
    const provider = customProvider({
      name: 'team-stream',
      path: '/api/stream',
      method: 'PUT',
      format: 'ndjson',
      text: 't',
      headers: { 'X-Team': 'a' },
      buildBody: (request, cfg) => ({ q: request.prompt, model: cfg.model }),
    });
    const spec = provider.buildRequest({ prompt: 'Hi', stream: true, extra: { trace: true } }, { ...config, apiKey: undefined });
    expect(spec.method).toBe('PUT');
    expect(spec.headers).toEqual({ 'Content-Type': 'application/json', Accept: 'application/x-ndjson', 'X-Team': 'a' });
    expect(JSON.parse(spec.body)).toEqual({ q: 'Hi', model: 'team-model', trace: true });
  });

  it('sends a string body as it is', () => {
    const provider = customProvider({ format: 'sse', text: 'd', buildBody: (request) => `q=${request.prompt ?? ''}` });
    expect(provider.buildRequest({ prompt: 'hi' }, config).body).toBe('q=hi');
  });
});

describe('customProvider parsing', () => {
  it('reads text, reasoning, finish, id, model and usage through functions', () => {
    const provider = customProvider({
      format: 'json',
      text: (v) => (v as { out: string[] }).out.join(' '),
      reasoning: (v) => (v as { why: string }).why,
      finish: () => 'done',
      id: 'meta.id',
      model: 'meta.model',
      usage: { input: (v) => (v as { n: number[] }).n[0], output: 'n.1', cached: 'n.2', reasoning: 'n.3', cacheWrite: 'n.4' },
    });
    const completion = provider.parseBody(
      JSON.stringify({ out: ['a', 'b'], why: 'because', meta: { id: 'r1', model: 'x' }, n: [10, 4, 6, 2, 0] }),
      { stream: false },
    );
    expect(completion).toStrictEqual({
      text: 'a b',
      reasoningText: 'because',
      toolCalls: [],
      usage: { inputTokens: 10, outputTokens: 4, cachedInputTokens: 6, reasoningTokens: 2, cacheWriteInputTokens: 0, totalTokens: 14, source: 'server' },
      finishReason: 'done',
      complete: true,
      id: 'r1',
      model: 'x',
      contentEvents: 1,
    });
  });

  it('parses a non-streamed body as JSON even when the stream format is SSE', () => {
    const provider = customProvider({ format: 'sse', text: 'answer' });
    expect(provider.parseBody('{"answer":"Hi"}', { stream: false })).toMatchObject({ text: 'Hi', complete: true });
  });

  it('reports a string error and a malformed body', () => {
    const provider = customProvider({ format: 'json', text: 'answer' });
    expect(provider.parseBody('{"error":"quota exceeded"}', { stream: false }).error).toEqual({ type: 'error', message: 'quota exceeded' });
    expect(provider.parseBody('oops', { stream: false })).toMatchObject({
      complete: false,
      error: { type: 'malformed', message: 'response body is not JSON: oops' },
    });
  });

  it('reads an error through its own path and numeric codes as strings', () => {
    const provider = customProvider({ format: 'json', text: 'answer', error: 'status.failure' });
    const completion = provider.parseBody('{"status":{"failure":{"code":503,"message":"down"}}}', { stream: false });
    expect(completion.error).toEqual({ type: '503', message: 'down' });
  });

  it('uses eventData to read SSE events, e.g. by event name', () => {
    const provider = customProvider({
      format: 'sse',
      text: 'chunk',
      eventData: (message) => (message.type === 'token' ? { chunk: message.data } : { skip: true }),
      done: (value) => (value as { skip?: boolean }).skip === true,
    });
    const body = 'event: token\ndata: Hel\n\nevent: token\ndata: lo\n\nevent: end\ndata: bye\n\n';
    expect(provider.parseBody(body, { stream: true })).toMatchObject({ text: 'Hello', complete: true, contentEvents: 2 });
  });

  it('always ends a stream at data: [DONE] and never takes it as text, even with its own done predicate', () => {
    const provider = customProvider({ format: 'sse', text: 'd', done: () => false, completeOnEnd: false });
    const completion = provider.parseBody('data: {"d":"x"}\n\ndata: [DONE]\n\n', { stream: true });
    expect(completion).toMatchObject({ text: 'x', complete: true });
  });

  it('keeps the last value of each usage field across stream events', () => {
    const provider = customProvider({ format: 'ndjson', text: 't', usage: { input: 'in', output: 'out' } });
    const completion = provider.parseBody('{"t":"a","in":5,"out":1}\n{"t":"b","out":2}\n{"t":"c","out":3}\n', { stream: true });
    expect(completion.usage).toStrictEqual({ inputTokens: 5, outputTokens: 3, totalTokens: 8, source: 'server' });
  });

  it('leaves outputTokens undefined when only a total is known', () => {
    const provider = customProvider({ format: 'json', text: 'answer', usage: { total: 'usage.total_tokens' } });
    expect(provider.parseBody('{"answer":"x","usage":{"total_tokens":42}}', { stream: false }).usage).toStrictEqual({
      totalTokens: 42,
      source: 'server',
    });
  });

  it('records a non-JSON NDJSON line as malformed and reads on', () => {
    const provider = customProvider({ format: 'ndjson', text: 't' });
    const completion = provider.parseBody('{"t":"a"}\nnot json\n{"t":"b"}\n', { stream: true });
    expect(completion).toMatchObject({
      text: 'ab',
      complete: false,
      error: { type: 'malformed', message: 'invalid JSON line: not json' },
    });
  });

  it('parses a streamed body of the json format as one document', () => {
    const provider = customProvider({ format: 'json', text: 'answer' });
    expect(provider.parseBody('{"answer":"whole"}', { stream: true })).toMatchObject({ text: 'whole', complete: true });
  });
});

describe('customProvider misuse', () => {
  it('throws on an unknown format', () => {
    expect(() => customProvider({ format: 'xml', text: 'a' } as unknown as CustomProviderConfig)).toThrow(
      'invalid format: expected one of json, sse, ndjson, got "xml"',
    );
  });

  it('throws without a text reader', () => {
    expect(() => customProvider({ format: 'json' } as unknown as CustomProviderConfig)).toThrow(
      'invalid text: expected a dot-path string or a function, got undefined',
    );
  });
});
