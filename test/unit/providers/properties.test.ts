import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { providers, type Provider, type StreamEvent } from '../../../lib/providers/index';
import { readInChunks, splitAt } from './fixture-harness';

const sseData = (value: unknown, event?: string) => `${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(value)}\n\n`;

/** Builds a well-formed stream of each provider carrying the given text deltas. */
const transcripts: Record<keyof typeof providers, (deltas: string[]) => string> = {
  'openai-chat': (deltas) =>
    sseData({ id: 'c', choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] }) +
    deltas.map((d) => sseData({ id: 'c', choices: [{ index: 0, delta: { content: d }, finish_reason: null }] })).join('') +
    sseData({ id: 'c', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }) +
    'data: [DONE]\n\n',
  'openai-responses': (deltas) =>
    sseData({ type: 'response.created', response: { id: 'r', status: 'in_progress' } }, 'response.created') +
    deltas.map((d) => sseData({ type: 'response.output_text.delta', item_id: 'm', output_index: 0, delta: d }, 'response.output_text.delta')).join('') +
    sseData({ type: 'response.completed', response: { id: 'r', status: 'completed', output: [] } }, 'response.completed'),
  anthropic: (deltas) =>
    sseData({ type: 'message_start', message: { id: 'm', usage: { input_tokens: 1, output_tokens: 1 } } }, 'message_start') +
    sseData({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, 'content_block_start') +
    deltas.map((d) => sseData({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: d } }, 'content_block_delta')).join('') +
    sseData({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 5 } }, 'message_delta') +
    sseData({ type: 'message_stop' }, 'message_stop'),
  gemini: (deltas) =>
    deltas.map((d) => sseData({ candidates: [{ content: { parts: [{ text: d }] }, index: 0 }] })).join('') +
    sseData({ candidates: [{ content: { parts: [{ text: '' }] }, finishReason: 'STOP', index: 0 }] }),
  ollama: (deltas) =>
    deltas.map((d) => `${JSON.stringify({ model: 'm', message: { content: d }, done: false })}\n`).join('') +
    JSON.stringify({ model: 'm', message: { content: '' }, done: true, done_reason: 'stop' }),
};

const names = Object.keys(providers) as (keyof typeof providers)[];
const deltasArb = fc.array(fc.string({ unit: 'grapheme', maxLength: 6 }), { maxLength: 12 });

describe('properties of every provider reader', () => {
  it.each(names)('%s: text is the deltas joined, contentEvents counts the non-empty ones, and any chunking agrees', (name) => {
    const provider: Provider = providers[name];
    fc.assert(
      fc.property(deltasArb, fc.array(fc.nat(), { maxLength: 8 }), (deltas, cuts) => {
        const body = transcripts[name](deltas);
        const whole = provider.parseBody(body, { stream: true });
        expect(whole.text).toBe(deltas.join(''));
        expect(whole.contentEvents).toBe(deltas.filter((d) => d !== '').length);
        expect(whole.complete).toBe(true);
        expect(readInChunks(provider, splitAt(body, cuts)).completion).toStrictEqual(whole);
      }),
      { seed: 4242, numRuns: 60 },
    );
  });

  it.each(names)('%s: parseBody never throws on arbitrary text, streamed or not', (name) => {
    const provider: Provider = providers[name];
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        for (const stream of [false, true]) {
          const completion = provider.parseBody(text, { stream });
          expect(typeof completion.complete).toBe('boolean');
          if (!completion.complete) expect(completion.error).toBeDefined();
        }
      }),
      { seed: 7, numRuns: 150 },
    );
  });

  it.each(names)('%s: a reader never throws on arbitrary JSON events, and an error always means incomplete', (name) => {
    const provider: Provider = providers[name];
    const eventArb: fc.Arbitrary<StreamEvent> = fc.oneof(
      fc.record({ type: fc.constantFrom('json' as const), value: fc.jsonValue() }),
      fc.record({
        type: fc.constantFrom('message', 'error', 'message_start', 'content_block_delta', 'response.completed', 'ping', '__proto__', 'constructor'),
        data: fc.oneof(fc.json(), fc.constant('[DONE]'), fc.string()),
        lastEventId: fc.constant(''),
      }),
    );
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 10 }), (events) => {
        const reader = provider.createReader();
        for (const event of events) reader.push(event);
        const completion = reader.finish();
        if (completion.error) expect(completion.complete).toBe(false);
        expect(typeof completion.text).toBe('string');
      }),
      { seed: 99, numRuns: 200 },
    );
  });
});
