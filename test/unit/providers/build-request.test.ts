import { describe, expect, it } from 'vitest';
import { providers, type ChatRequest, type HttpRequestSpec, type ProviderConfig } from '../../../lib/providers/index';

const weatherTool = {
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
};

/** A replayed tool round trip: user asks, assistant calls a tool, the tool answers. */
const toolConversation: ChatRequest = {
  system: 'Be brief.',
  messages: [
    { role: 'user', content: 'Weather in Oslo?' },
    { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' }] },
    { role: 'tool', toolCallId: 'call_1', content: '{"temp":3}' },
  ],
};

function body(spec: HttpRequestSpec): Record<string, unknown> {
  return JSON.parse(spec.body) as Record<string, unknown>;
}

describe('openai-chat buildRequest', () => {
  const config: ProviderConfig = { baseUrl: 'https://api.openai.com/v1/', model: 'gpt-4.1-mini', apiKey: 'sk-test' };

  it('posts the prompt shorthand as one user message to /chat/completions with a Bearer key', () => {
    const spec = providers['openai-chat'].buildRequest({ prompt: 'Hi', maxTokens: 50, temperature: 0.2 }, config);
    expect(spec.method).toBe('POST');
    expect(spec.url).toBe('https://api.openai.com/v1/chat/completions');
    expect(spec.headers).toEqual({ 'Content-Type': 'application/json', Authorization: 'Bearer sk-test' });
    expect(body(spec)).toEqual({
      model: 'gpt-4.1-mini',
      messages: [{ role: 'user', content: 'Hi' }],
      max_tokens: 50,
      temperature: 0.2,
      stream: false,
    });
  });

  it('asks for include_usage and an event stream when streaming', () => {
    const spec = providers['openai-chat'].buildRequest({ prompt: 'Hi', stream: true }, config);
    expect(spec.headers.Accept).toBe('text/event-stream');
    expect(body(spec)).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('lets extra fields override the body last, and drop stream_options when set to undefined', () => {
    const spec = providers['openai-chat'].buildRequest(
      { prompt: 'Hi', stream: true, maxTokens: 10, extra: { stream_options: undefined, max_tokens: undefined, max_completion_tokens: 10, seed: 7 } },
      config,
    );
    expect(body(spec)).toEqual({
      model: 'gpt-4.1-mini',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      max_completion_tokens: 10,
      seed: 7,
    });
  });

  it('maps the system prompt, assistant tool calls, tool results, tools and a named tool choice', () => {
    const spec = providers['openai-chat'].buildRequest(
      { ...toolConversation, tools: [weatherTool], toolChoice: { name: 'get_weather' }, model: 'gpt-5' },
      config,
    );
    expect(body(spec)).toEqual({
      model: 'gpt-5',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Oslo?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '{"temp":3}' },
      ],
      tools: [{ type: 'function', function: weatherTool }],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      stream: false,
    });
  });

  it('passes auto, none and required tool choices as they are', () => {
    for (const choice of ['auto', 'none', 'required'] as const) {
      const spec = providers['openai-chat'].buildRequest({ prompt: 'x', tools: [weatherTool], toolChoice: choice }, config);
      expect(body(spec).tool_choice).toBe(choice);
    }
  });

  it('sends the key in api-key to an Azure deployment URL with its api-version query', () => {
    const spec = providers['openai-chat'].buildRequest(
      { prompt: 'Hi' },
      {
        baseUrl: 'https://my-res.openai.azure.com/openai/deployments/gpt4o',
        model: 'gpt-4o',
        apiKey: 'azure-key',
        query: { 'api-version': '2024-10-21' },
      },
    );
    expect(spec.url).toBe('https://my-res.openai.azure.com/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21');
    expect(spec.headers).toEqual({ 'Content-Type': 'application/json', 'api-key': 'azure-key' });
  });

  it('uses api-key whenever the config says auth: api-key', () => {
    const spec = providers['openai-chat'].buildRequest(
      { prompt: 'Hi' },
      { baseUrl: 'https://gateway.example.com/v1', model: 'm', apiKey: 'k', auth: 'api-key' },
    );
    expect(spec.headers['api-key']).toBe('k');
    expect(spec.headers.Authorization).toBeUndefined();
  });

  it('sends no auth header without a key, for local servers', () => {
    const spec = providers['openai-chat'].buildRequest({ prompt: 'Hi' }, { baseUrl: 'http://localhost:8000/v1', model: 'Qwen/Qwen3-8B' });
    expect(spec.url).toBe('http://localhost:8000/v1/chat/completions');
    expect(spec.headers).toEqual({ 'Content-Type': 'application/json' });
  });

  it('layers config headers then request headers over the defaults, case-insensitively', () => {
    const spec = providers['openai-chat'].buildRequest(
      { prompt: 'Hi', headers: { 'x-request-id': 'r1', authorization: 'Bearer override' } },
      { ...config, headers: { 'OpenAI-Organization': 'org-1', 'X-Request-Id': 'config' } },
    );
    expect(spec.headers).toEqual({
      'Content-Type': 'application/json',
      'OpenAI-Organization': 'org-1',
      'x-request-id': 'r1',
      authorization: 'Bearer override',
    });
  });
});

describe('openai-responses buildRequest', () => {
  const config: ProviderConfig = { baseUrl: 'https://api.openai.com/v1', model: 'gpt-5-mini', apiKey: 'sk-test' };

  it('posts to /responses with instructions, max_output_tokens and input items', () => {
    const spec = providers['openai-responses'].buildRequest({ system: 'Be brief.', prompt: 'Hi', maxTokens: 300, stream: true }, config);
    expect(spec.url).toBe('https://api.openai.com/v1/responses');
    expect(spec.headers).toEqual({ 'Content-Type': 'application/json', Accept: 'text/event-stream', Authorization: 'Bearer sk-test' });
    expect(body(spec)).toEqual({
      model: 'gpt-5-mini',
      instructions: 'Be brief.',
      input: [{ role: 'user', content: 'Hi' }],
      max_output_tokens: 300,
      stream: true,
    });
  });

  it('maps tool calls and results to function_call and function_call_output items, and tools flat', () => {
    const spec = providers['openai-responses'].buildRequest({ ...toolConversation, tools: [weatherTool], toolChoice: { name: 'get_weather' } }, config);
    expect(body(spec)).toEqual({
      model: 'gpt-5-mini',
      instructions: 'Be brief.',
      input: [
        { role: 'user', content: 'Weather in Oslo?' },
        { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' },
        { type: 'function_call_output', call_id: 'call_1', output: '{"temp":3}' },
      ],
      tools: [{ type: 'function', ...weatherTool }],
      tool_choice: { type: 'function', name: 'get_weather' },
      stream: false,
    });
  });
});

describe('anthropic buildRequest', () => {
  const config: ProviderConfig = { baseUrl: 'https://api.anthropic.com/v1', model: 'claude-sonnet-4-5', apiKey: 'sk-ant-test' };

  it('posts to /messages with x-api-key, anthropic-version and a default max_tokens of 1024', () => {
    const spec = providers.anthropic.buildRequest({ prompt: 'Hi' }, config);
    expect(spec.url).toBe('https://api.anthropic.com/v1/messages');
    expect(spec.headers).toEqual({ 'Content-Type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': 'sk-ant-test' });
    expect(body(spec)).toEqual({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'Hi' }], stream: false });
  });

  it('moves system messages to the top-level system and maps tool use and tool results to blocks', () => {
    const spec = providers.anthropic.buildRequest(
      {
        ...toolConversation,
        messages: [{ role: 'system', content: 'Use metric units.' }, ...(toolConversation.messages ?? [])],
        maxTokens: 200,
        stream: true,
        tools: [weatherTool],
        toolChoice: 'required',
      },
      config,
    );
    expect(spec.headers.Accept).toBe('text/event-stream');
    expect(body(spec)).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 200,
      system: 'Be brief.\n\nUse metric units.',
      messages: [
        { role: 'user', content: 'Weather in Oslo?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Oslo' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: '{"temp":3}' }] },
      ],
      tools: [{ name: 'get_weather', description: 'Weather for a city', input_schema: weatherTool.parameters }],
      tool_choice: { type: 'any' },
      stream: true,
    });
  });

  it('puts the results of parallel calls in one user message', () => {
    const spec = providers.anthropic.buildRequest(
      {
        messages: [
          { role: 'user', content: 'Both?' },
          {
            role: 'assistant',
            content: 'Checking.',
            toolCalls: [
              { id: 'a', name: 'f', arguments: '{}' },
              { id: 'b', name: 'g', arguments: 'not json' },
            ],
          },
          { role: 'tool', toolCallId: 'a', content: '1' },
          { role: 'tool', toolCallId: 'b', content: '2' },
        ],
      },
      config,
    );
    expect(body(spec).messages).toEqual([
      { role: 'user', content: 'Both?' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'a', name: 'f', input: {} },
          { type: 'tool_use', id: 'b', name: 'g', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'a', content: '1' },
          { type: 'tool_result', tool_use_id: 'b', content: '2' },
        ],
      },
    ]);
  });

  it('maps auto, none and a named tool choice to Anthropic objects', () => {
    const choiceOf = (toolChoice: ChatRequest['toolChoice']) =>
      body(providers.anthropic.buildRequest({ prompt: 'x', tools: [weatherTool], toolChoice }, config)).tool_choice;
    expect(choiceOf('auto')).toEqual({ type: 'auto' });
    expect(choiceOf('none')).toEqual({ type: 'none' });
    expect(choiceOf({ name: 'get_weather' })).toEqual({ type: 'tool', name: 'get_weather' });
  });
});

describe('gemini buildRequest', () => {
  const config: ProviderConfig = {
    baseUrl: 'https://generativelanguage.googleapis.com/v1beta',
    model: 'gemini-2.5-flash',
    apiKey: 'AIza-test',
  };

  it('posts to :generateContent with x-goog-api-key and generationConfig', () => {
    const spec = providers.gemini.buildRequest({ system: 'Be brief.', prompt: 'Hi', maxTokens: 64, temperature: 0 }, config);
    expect(spec.url).toBe('https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent');
    expect(spec.headers).toEqual({ 'Content-Type': 'application/json', 'x-goog-api-key': 'AIza-test' });
    expect(body(spec)).toEqual({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
      generationConfig: { maxOutputTokens: 64, temperature: 0 },
    });
  });

  it('streams from :streamGenerateContent?alt=sse and appends config query parameters after it', () => {
    const spec = providers.gemini.buildRequest({ prompt: 'Hi', stream: true, model: 'models/gemini-2.5-pro' }, { ...config, query: { 'x-trace': '1' } });
    expect(spec.url).toBe('https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse&x-trace=1');
    expect(spec.headers.Accept).toBe('text/event-stream');
    expect(body(spec)).toEqual({ contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] });
  });

  it('maps tool calls to functionCall parts, results to functionResponse parts by name, and tools to declarations', () => {
    const spec = providers.gemini.buildRequest({ ...toolConversation, tools: [weatherTool], toolChoice: { name: 'get_weather' } }, config);
    expect(body(spec)).toEqual({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Weather in Oslo?' }] },
        { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Oslo' } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temp: 3 } } }] },
      ],
      tools: [{ functionDeclarations: [{ name: 'get_weather', description: 'Weather for a city', parametersJsonSchema: weatherTool.parameters }] }],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } },
    });
  });

  it('wraps a tool result that is not a JSON object as { result }', () => {
    const spec = providers.gemini.buildRequest(
      { messages: [{ role: 'user', content: 'x' }, { role: 'tool', name: 'clock', toolCallId: 'c', content: '10:00' }] },
      config,
    );
    expect((body(spec).contents as unknown[])[1]).toEqual({
      role: 'user',
      parts: [{ functionResponse: { name: 'clock', response: { result: '10:00' } } }],
    });
  });

  it('maps auto, none and required to function-calling modes', () => {
    const modeOf = (toolChoice: ChatRequest['toolChoice']) =>
      body(providers.gemini.buildRequest({ prompt: 'x', tools: [weatherTool], toolChoice }, config)).toolConfig;
    expect(modeOf('auto')).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
    expect(modeOf('none')).toEqual({ functionCallingConfig: { mode: 'NONE' } });
    expect(modeOf('required')).toEqual({ functionCallingConfig: { mode: 'ANY' } });
  });
});

describe('ollama buildRequest', () => {
  const config: ProviderConfig = { baseUrl: 'http://localhost:11434', model: 'llama3.2' };

  it('posts to /api/chat with stream always explicit and limits in options', () => {
    const spec = providers.ollama.buildRequest({ system: 'Be brief.', prompt: 'Hi', maxTokens: 32, temperature: 0.5 }, config);
    expect(spec.url).toBe('http://localhost:11434/api/chat');
    expect(spec.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(body(spec)).toEqual({
      model: 'llama3.2',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      options: { num_predict: 32, temperature: 0.5 },
      stream: false,
    });
  });

  it('accepts NDJSON when streaming and sends a key as Bearer', () => {
    const spec = providers.ollama.buildRequest({ prompt: 'Hi', stream: true }, { ...config, apiKey: 'ollama-key' });
    expect(spec.headers).toEqual({ 'Content-Type': 'application/json', Accept: 'application/x-ndjson', Authorization: 'Bearer ollama-key' });
    expect(body(spec).stream).toBe(true);
  });

  it('maps tool calls with object arguments and tool results by tool name', () => {
    const spec = providers.ollama.buildRequest({ ...toolConversation, tools: [weatherTool] }, config);
    expect(body(spec)).toEqual({
      model: 'llama3.2',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Oslo?' },
        { role: 'assistant', content: '', tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Oslo' } } }] },
        { role: 'tool', content: '{"temp":3}', tool_name: 'get_weather' },
      ],
      tools: [{ type: 'function', function: weatherTool }],
      stream: false,
    });
  });

  it('leaves the tools out when the tool choice is none', () => {
    const spec = providers.ollama.buildRequest({ prompt: 'x', tools: [weatherTool], toolChoice: 'none' }, config);
    expect(body(spec).tools).toBeUndefined();
  });
});

describe('buildRequest misuse', () => {
  it.each(Object.keys(providers) as (keyof typeof providers)[])('%s throws on a request with neither messages nor prompt', (name) => {
    expect(() => providers[name].buildRequest({}, { baseUrl: 'http://x', model: 'm' })).toThrow(
      'invalid request: expected messages or prompt, got neither',
    );
  });

  it.each(Object.keys(providers) as (keyof typeof providers)[])('%s throws when no model is configured', (name) => {
    expect(() => providers[name].buildRequest({ prompt: 'x' }, { baseUrl: 'http://x', model: '' })).toThrow(
      'invalid model: expected a model name in the request or the provider config, got ""',
    );
  });

  it('throws on a baseUrl that is not an http(s) URL', () => {
    expect(() => providers['openai-chat'].buildRequest({ prompt: 'x' }, { baseUrl: 'api.openai.com', model: 'm' })).toThrow(
      'invalid baseUrl: expected an http(s) URL, got "api.openai.com"',
    );
  });
});
