import { describe, expect, it } from 'vitest';
import { customProvider, providers, type ChatRequest, type Provider } from '../../../lib/providers/index';

const KEY = 'sk-SECRET-0123456789';

const request: ChatRequest = {
  system: 'Be brief.',
  messages: [
    { role: 'user', content: 'Weather?' },
    { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'get_weather', arguments: '{"city":"Oslo"}' }] },
    { role: 'tool', toolCallId: 'c1', content: '{"temp":3}' },
  ],
  tools: [{ name: 'get_weather', parameters: { type: 'object' } }],
  toolChoice: 'auto',
  maxTokens: 100,
  extra: { user: 'load-test' },
  headers: { 'x-trace': 't1' },
};

const cases: [string, Provider, string, string][] = [
  ['openai-chat', providers['openai-chat'], 'Authorization', `Bearer ${KEY}`],
  ['openai-responses', providers['openai-responses'], 'Authorization', `Bearer ${KEY}`],
  ['anthropic', providers.anthropic, 'x-api-key', KEY],
  ['gemini', providers.gemini, 'x-goog-api-key', KEY],
  ['ollama', providers.ollama, 'Authorization', `Bearer ${KEY}`],
  ['custom (default Bearer)', customProvider({ format: 'sse', text: 'delta' }), 'Authorization', `Bearer ${KEY}`],
  ['custom (named header)', customProvider({ format: 'json', text: 'answer', authHeader: 'X-Team-Key' }), 'X-Team-Key', KEY],
  [
    'custom (header function)',
    customProvider({ format: 'ndjson', text: 't', authHeader: (key) => ({ Authorization: `Token ${key}` }) }),
    'Authorization',
    `Token ${KEY}`,
  ],
];

describe('the API key appears only in its own header', () => {
  it.each(cases)('%s puts the key in %s and nowhere else', (_, provider, header, value) => {
    for (const stream of [false, true]) {
      const spec = provider.buildRequest({ ...request, stream }, { baseUrl: 'https://llm.example.com/v1', model: 'm', apiKey: KEY });
      expect(spec.headers[header]).toBe(value);
      expect(spec.url).not.toContain(KEY);
      expect(spec.body).not.toContain(KEY);
      const otherHeaders = Object.entries(spec.headers).filter(([name]) => name !== header);
      expect(JSON.stringify(otherHeaders)).not.toContain(KEY);
    }
  });

  it('keeps the key out of the Azure URL and body as well', () => {
    const spec = providers['openai-chat'].buildRequest(request, {
      baseUrl: 'https://res.openai.azure.com/openai/deployments/d',
      model: 'gpt-4o',
      apiKey: KEY,
      query: { 'api-version': '2024-10-21' },
    });
    expect(spec.headers['api-key']).toBe(KEY);
    expect(spec.url + spec.body).not.toContain(KEY);
  });
});
