import { describe, expect, it } from 'vitest';
import { providers } from '../../../lib/providers/index';

const sse = (...events: [string, unknown][]) =>
  events.map(([name, value]) => `event: ${name}\ndata: ${JSON.stringify(value)}\n\n`).join('');
const chat = (...chunks: unknown[]) => chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('') + 'data: [DONE]\n\n';

describe('usage normalization', () => {
  it('counts Anthropic cache reads and writes into inputTokens, as they are reported apart from input_tokens', () => {
    const body = sse(
      ['message_start', { type: 'message_start', message: { id: 'm', usage: { input_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 20, output_tokens: 1 } } }],
      ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 9 } }],
      ['message_stop', { type: 'message_stop' }],
    );
    expect(providers.anthropic.parseBody(body, { stream: true }).usage).toStrictEqual({
      inputTokens: 125,
      outputTokens: 9,
      cachedInputTokens: 100,
      cacheWriteInputTokens: 20,
      totalTokens: 134,
      source: 'server',
    });
  });

  it('merges Anthropic message_delta usage field by field: null keeps the earlier value, a number replaces it', () => {
    const body = sse(
      ['message_start', { type: 'message_start', message: { usage: { input_tokens: 5, cache_read_input_tokens: 100, output_tokens: 1 } } }],
      ['message_delta', { type: 'message_delta', delta: {}, usage: { output_tokens: 30, input_tokens: null, cache_read_input_tokens: null } }],
      ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 70, input_tokens: 8 } }],
      ['message_stop', { type: 'message_stop' }],
    );
    const { usage } = providers.anthropic.parseBody(body, { stream: true });
    expect(usage).toMatchObject({ inputTokens: 108, outputTokens: 70, cachedInputTokens: 100 });
  });

  it('takes the last cumulative usage snapshot of a vLLM stream, never the sum', () => {
    const chunk = (n: number, finish: string | null) => ({
      id: 'c',
      choices: [{ index: 0, delta: { content: 'x' }, finish_reason: finish }],
      usage: { prompt_tokens: 10, completion_tokens: n, total_tokens: 10 + n },
    });
    const { usage } = providers['openai-chat'].parseBody(chat(chunk(1, null), chunk(2, null), chunk(3, 'stop')), { stream: true });
    expect(usage).toStrictEqual({ inputTokens: 10, outputTokens: 3, totalTokens: 13, source: 'server' });
  });

  it('counts Gemini thoughts into outputTokens, and thoughts alone when candidates were not reported', () => {
    const chunk = (usageMetadata: unknown) =>
      `data: ${JSON.stringify({ candidates: [{ content: { parts: [{ text: '' }] }, finishReason: 'MAX_TOKENS' }], usageMetadata })}\n\n`;
    const both = providers.gemini.parseBody(chunk({ promptTokenCount: 4, candidatesTokenCount: 2, thoughtsTokenCount: 30 }), { stream: true });
    expect(both.usage).toMatchObject({ outputTokens: 32, reasoningTokens: 30 });
    const thoughtsOnly = providers.gemini.parseBody(chunk({ promptTokenCount: 4, thoughtsTokenCount: 30 }), { stream: true });
    expect(thoughtsOnly.usage).toStrictEqual({ inputTokens: 4, outputTokens: 30, reasoningTokens: 30, totalTokens: 34, source: 'server' });
  });

  it('leaves a count the server did not report undefined, never 0', () => {
    const body = JSON.stringify({ id: 'c', choices: [{ index: 0, message: { content: 'x' }, finish_reason: 'stop' }], usage: { prompt_tokens: 7 } });
    expect(providers['openai-chat'].parseBody(body, { stream: false }).usage).toStrictEqual({ inputTokens: 7, source: 'server' });
  });

  it("says source 'none' when usage is missing, null or has no counts", () => {
    for (const usage of [undefined, null, {}, { prompt_tokens: null, completion_tokens: 'many' }]) {
      const body = JSON.stringify({ id: 'c', choices: [{ index: 0, message: { content: 'x' }, finish_reason: 'stop' }], usage });
      expect(providers['openai-chat'].parseBody(body, { stream: false }).usage).toStrictEqual({ source: 'none' });
    }
  });

  it('reads Ollama prompt_eval_count and eval_count from the done line only', () => {
    const body = [
      { model: 'm', message: { content: 'a' }, done: false, eval_count: 999 },
      { model: 'm', message: { content: '' }, done: true, done_reason: 'stop', prompt_eval_count: 3, eval_count: 4 },
    ]
      .map((line) => JSON.stringify(line))
      .join('\n');
    expect(providers.ollama.parseBody(body, { stream: true }).usage).toStrictEqual({
      inputTokens: 3,
      outputTokens: 4,
      totalTokens: 7,
      source: 'server',
    });
  });
});
