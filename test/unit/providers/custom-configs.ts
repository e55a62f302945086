import { customProvider, type Provider } from '../../../lib/providers/index';

/** The seed's `POST /api/ask`: `{ "answer": "...", "usage": { "total_tokens": 42 } }`. */
const ask = customProvider({
  name: 'team-ask',
  path: '/api/ask',
  format: 'json',
  text: 'answer',
  usage: { input: 'usage.prompt_tokens', total: 'usage.total_tokens' },
});

/** An own SSE endpoint: `data: {"delta": ...}` events, a final event with usage, then `[DONE]`. */
const deltaStream = customProvider({
  path: '/api/stream',
  format: 'sse',
  text: 'delta',
  finish: 'finish',
  usage: { input: 'usage.prompt_tokens', total: 'usage.total_tokens' },
});

/** The same two endpoints when they say a request was refused: `blocked` on the answer, `refused` on an event. */
const askWithRefusal = customProvider({
  name: 'team-ask',
  path: '/api/ask',
  format: 'json',
  text: 'answer',
  refusal: 'blocked',
  usage: { input: 'usage.prompt_tokens', total: 'usage.total_tokens' },
});
const deltaStreamWithRefusal = customProvider({
  path: '/api/stream',
  format: 'sse',
  text: 'delta',
  finish: 'finish',
  refusal: 'refused',
});

/** An endpoint streaming plain-text SSE data with no end marker. */
const rawText = customProvider({ format: 'sse', text: 'delta' });

/** An OpenAI-like body read through dot-paths. */
const openAiLike = customProvider({
  format: 'sse',
  text: 'choices.0.delta.content',
  finish: 'choices.0.finish_reason',
  id: 'id',
  model: 'model',
  usage: { input: 'usage.prompt_tokens', output: 'usage.completion_tokens' },
});

/** An NDJSON endpoint with typed lines, read through functions where paths do not fit. */
const events = customProvider({
  format: 'ndjson',
  text: 'text',
  reasoning: 'reasoning',
  toolCalls: (value) => {
    const call = (value as { call?: { name: string; arguments: unknown } }).call;
    return call ? [call] : undefined;
  },
  usage: { input: 'usage.in', output: 'usage.out' },
});

/** The same NDJSON endpoint when it must end with `{"type":"end"}`: a stream without it is cut off. */
const strictEvents = customProvider({
  format: 'ndjson',
  text: 'text',
  done: (value) => (value as { type?: string }).type === 'end',
  completeOnEnd: false,
});

/** The custom endpoints the `custom/` fixtures were written for, by fixture base name. */
export const customFixtureProviders: Record<string, Provider> = {
  ask,
  'ask-input-and-total': ask,
  'ask-error': ask,
  stream: deltaStream,
  'stream-error': deltaStream,
  'raw-text': rawText,
  'openai-like': openAiLike,
  events,
  'cut-off': strictEvents,
  'ask-blocked': askWithRefusal,
  'stream-refused': deltaStreamWithRefusal,
};
