import type { Completion } from '../../../lib/providers/types';

/** A finished completion with `text`, overridden field by field. */
export function completion(overrides: Partial<Completion> = {}): Completion {
  return {
    text: '',
    reasoningText: '',
    toolCalls: [],
    usage: { source: 'server', inputTokens: 10, outputTokens: 20 },
    finishReason: 'stop',
    complete: true,
    contentEvents: 1,
    ...overrides,
  };
}

export const text = (value: string): Completion => completion({ text: value });

export const toolCalls = (...calls: Array<{ name: string; arguments: string }>): Completion =>
  completion({ toolCalls: calls.map((c, i) => ({ id: `call_${i}`, ...c })), finishReason: 'tool_calls' });
