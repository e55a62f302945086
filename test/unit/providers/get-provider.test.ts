import { describe, expect, it } from 'vitest';
import { customProvider, getProvider, providers } from '../../../lib/providers/index';

describe('providers and getProvider', () => {
  it('has the five built-in providers keyed by their names', () => {
    expect(Object.keys(providers)).toEqual(['openai-chat', 'openai-responses', 'anthropic', 'gemini', 'ollama']);
    for (const [key, provider] of Object.entries(providers)) expect(provider.name).toBe(key);
    expect(providers.ollama.streamFormat).toBe('ndjson');
    expect(providers.anthropic.streamFormat).toBe('sse');
  });

  it('returns a built-in provider by name and a Provider object as it is', () => {
    expect(getProvider('anthropic')).toBe(providers.anthropic);
    const custom = customProvider({ format: 'json', text: 'answer' });
    expect(getProvider(custom)).toBe(custom);
  });

  it('throws naming the valid providers for an unknown name', () => {
    expect(() => getProvider('openai')).toThrow(
      'invalid provider: expected one of openai-chat, openai-responses, anthropic, gemini, ollama or a Provider object, got "openai"',
    );
  });

  it('does not take inherited object keys for provider names', () => {
    expect(() => getProvider('constructor')).toThrow('got "constructor"');
  });

  it('throws for a value that is not a provider', () => {
    expect(() => getProvider({} as never)).toThrow('got object');
  });
});
