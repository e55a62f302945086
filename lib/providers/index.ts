/**
 * `k6-llm/providers`: every major LLM wire format into one normalized Completion. Pure: no k6 imports.
 *
 * | provider           | baseUrl example                                    | endpoint                                   |
 * |--------------------|----------------------------------------------------|--------------------------------------------|
 * | `openai-chat`      | `https://api.openai.com/v1` (vLLM, llama.cpp, TGI, Ollama `/v1`, Azure) | `/chat/completions` |
 * | `openai-responses` | `https://api.openai.com/v1`                        | `/responses`                               |
 * | `anthropic`        | `https://api.anthropic.com/v1`                     | `/messages`                                |
 * | `gemini`           | `https://generativelanguage.googleapis.com/v1beta` | `/models/{model}:generateContent` / `:streamGenerateContent?alt=sse` |
 * | `ollama`           | `http://localhost:11434`                           | `/api/chat` (NDJSON)                       |
 */
import { anthropic } from './anthropic';
import { gemini } from './gemini';
import { ollama } from './ollama';
import { openAiChat } from './openai-chat';
import { openAiResponses } from './openai-responses';
import type { Provider } from './types';

export { customProvider } from './custom';
export { responseDecoder, type ResponseDecoderOptions } from './internal/response-decoder';
export { ANTHROPIC_DEFAULT_MAX_TOKENS, ANTHROPIC_VERSION } from './anthropic';
export type * from './types';

/** The built-in providers by name. */
export const providers = {
  'openai-chat': openAiChat,
  'openai-responses': openAiResponses,
  anthropic,
  gemini,
  ollama,
} as const satisfies Record<string, Provider>;

export type ProviderName = keyof typeof providers;

/** Each built-in provider's public endpoint, the `baseUrl` a client uses when given none. */
export const DEFAULT_BASE_URLS: Readonly<Record<ProviderName, string>> = {
  'openai-chat': openAiChat.defaultBaseUrl as string,
  'openai-responses': openAiResponses.defaultBaseUrl as string,
  anthropic: anthropic.defaultBaseUrl as string,
  gemini: gemini.defaultBaseUrl as string,
  ollama: ollama.defaultBaseUrl as string,
};

/** A built-in provider by name, or a Provider object (e.g. from `customProvider`) as it is. Misuse throws. */
export function getProvider(nameOrProvider: ProviderName | Provider | string): Provider {
  if (typeof nameOrProvider === 'string') {
    if (Object.prototype.hasOwnProperty.call(providers, nameOrProvider)) {
      return providers[nameOrProvider as ProviderName];
    }
  } else if (isProvider(nameOrProvider)) {
    return nameOrProvider;
  }
  const got = typeof nameOrProvider === 'string' ? JSON.stringify(nameOrProvider) : typeof nameOrProvider;
  throw new Error(`invalid provider: expected one of ${Object.keys(providers).join(', ')} or a Provider object, got ${got}`);
}

function isProvider(value: unknown): value is Provider {
  const candidate = value as Partial<Provider> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.buildRequest === 'function' &&
    typeof candidate.parseBody === 'function' &&
    typeof candidate.createReader === 'function'
  );
}
