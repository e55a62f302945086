import { describe, expect, it } from 'vitest';
import { providers, type EventEffect, type Provider, type StreamEvent } from '../../../lib/providers/index';

const data = (value: unknown, type = 'message'): StreamEvent => ({
  type,
  data: typeof value === 'string' ? value : JSON.stringify(value),
  lastEventId: '',
});
const chatChunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  data({ id: 'c1', model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] });

const none: EventEffect = { content: false, visible: false, terminal: false, error: false };
const visible: EventEffect = { content: true, visible: true, terminal: false, error: false };
const reasoning: EventEffect = { content: true, visible: false, terminal: false, error: false };

function pushAll(provider: Provider, events: StreamEvent[]): EventEffect[] {
  const reader = provider.createReader();
  return events.map((event) => reader.push(event));
}

describe('EventEffect says what each event carried', () => {
  it('a role-only first chunk is not content, the first text delta is', () => {
    const effects = pushAll(providers['openai-chat'], [chatChunk({ role: 'assistant' }), chatChunk({ content: 'Hi' })]);
    expect(effects).toEqual([none, visible]);
  });

  it('an empty content string is not content', () => {
    expect(pushAll(providers['openai-chat'], [chatChunk({ role: 'assistant', content: '' })])).toEqual([none]);
  });

  it('reasoning is content but not visible, for every reasoning field', () => {
    const effects = pushAll(providers['openai-chat'], [chatChunk({ reasoning: 'a' }), chatChunk({ reasoning_content: 'b' })]);
    expect(effects).toEqual([reasoning, reasoning]);
    const thinking = pushAll(providers.anthropic, [
      data({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'hm' } }, 'content_block_delta'),
    ]);
    expect(thinking).toEqual([reasoning]);
    const thought = pushAll(providers.gemini, [data({ candidates: [{ content: { parts: [{ text: 'hm', thought: true }] } }] })]);
    expect(thought).toEqual([reasoning]);
  });

  it('a tool-call fragment is visible content', () => {
    const effects = pushAll(providers['openai-chat'], [
      chatChunk({ tool_calls: [{ index: 0, id: 'c', function: { name: 'f', arguments: '' } }] }),
      chatChunk({ tool_calls: [{ index: 0, function: { arguments: '{}' } }] }),
    ]);
    expect(effects).toEqual([visible, visible]);
  });

  it('usage-only chunks, pings and unknown events are not content', () => {
    const chat = pushAll(providers['openai-chat'], [data({ id: 'c1', choices: [], usage: { prompt_tokens: 1, completion_tokens: 1 } })]);
    const anthropic = pushAll(providers.anthropic, [data({ type: 'ping' }, 'ping'), data({ type: 'future_event' }, 'future_event')]);
    expect([...chat, ...anthropic]).toEqual([none, none, none]);
  });

  it('the end marker is terminal and an error event is an error', () => {
    const effects = pushAll(providers['openai-chat'], [data({ error: { message: 'boom', type: 'server_error' } }), data('[DONE]')]);
    expect(effects).toEqual([
      { ...none, error: true },
      { ...none, terminal: true },
    ]);
  });

  it('an NDJSON value pushed as a JSON event and as SSE data gives the same effect', () => {
    const line = { model: 'llama3.2', message: { role: 'assistant', content: 'Hi' }, done: false };
    const asJson = pushAll(providers.ollama, [{ type: 'json', value: line }]);
    const asData = pushAll(providers.ollama, [data(line)]);
    expect(asJson).toEqual([visible]);
    expect(asData).toEqual([visible]);
  });

  it('an empty SSE data payload, as xk6-sse dispatches for comments, is ignored rather than malformed', () => {
    const reader = providers['openai-chat'].createReader();
    expect(reader.push(data(''))).toEqual(none);
    expect(reader.finish().error).toEqual({ type: 'truncated', message: 'stream ended before data: [DONE]' });
  });
});

describe('finish()', () => {
  it('returns the same Completion when called twice', () => {
    const reader = providers['openai-chat'].createReader();
    reader.push(chatChunk({ content: 'x' }, 'stop'));
    reader.push(data('[DONE]'));
    const first = reader.finish();
    expect(reader.finish()).toBe(first);
    expect(first).toMatchObject({ text: 'x', complete: true, contentEvents: 1 });
  });
});
