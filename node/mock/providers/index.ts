import { anthropic } from './anthropic';
import { custom } from './custom';
import { gemini } from './gemini';
import { ollama } from './ollama';
import { openAiChat } from './openai-chat';
import { openAiResponses } from './openai-responses';
import type { MockProvider, ProviderName } from './types';

export const providers: Record<ProviderName, MockProvider> = {
  'openai-chat': openAiChat,
  'openai-responses': openAiResponses,
  anthropic,
  gemini,
  ollama,
  custom,
};

export type { MockProvider, ProviderName, RouteParams } from './types';
