import { anthropic } from './anthropic.js';
import { custom } from './custom.js';
import { gemini } from './gemini.js';
import { ollama } from './ollama.js';
import { openAiChat } from './openai-chat.js';
import { openAiResponses } from './openai-responses.js';
import type { MockProvider, ProviderName } from './types.js';

export const providers: Record<ProviderName, MockProvider> = {
  'openai-chat': openAiChat,
  'openai-responses': openAiResponses,
  anthropic,
  gemini,
  ollama,
  custom,
};

export type { MockProvider, ProviderName, RouteParams } from './types.js';
