import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newCompletionBuilder } from '../../../lib/providers/internal/completion-builder';
import { chatDecoding, type ToolKeys } from '../../../lib/providers/openai-chat';

const { applyAnyChunk, applyChunk } = chatDecoding();

// applyChunk reads the common chunk shape inline and hands everything else to applyAnyChunk. Both must leave the
// builder, each event's effect and the "finished" answer exactly as applyAnyChunk alone would.

const field = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant(''),
  fc.constant('stop'),
  fc.constant('length'),
  fc.string({ maxLength: 4 }),
  fc.constant(0),
  fc.constant(1),
  fc.constant([]),
  fc.constant({}),
);
const text = fc.oneof(fc.constant(undefined), fc.constant(null), fc.constant(''), fc.string({ maxLength: 6 }), fc.constant(7), fc.constant({}));
const toolCalls = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant([]),
  fc.array(fc.record({ index: fc.oneof(fc.constant(0), fc.constant(1), fc.constant(undefined)), id: field, function: fc.record({ name: field, arguments: text }, { requiredKeys: [] }) }, { requiredKeys: [] }), { maxLength: 2 }),
);
const delta = fc.oneof(
  fc.record({ role: field, content: text, refusal: text, reasoning: text, reasoning_content: text, tool_calls: toolCalls }, { requiredKeys: [] }),
  fc.record({ content: text }),
  field,
);
const choice = fc.oneof(fc.record({ index: fc.oneof(fc.constant(0), fc.constant(1), field), delta, finish_reason: field }, { requiredKeys: [] }), field);
const usage = fc.oneof(fc.constant(undefined), fc.constant(null), fc.record({ prompt_tokens: fc.nat(50), completion_tokens: fc.nat(50), total_tokens: fc.nat(100) }, { requiredKeys: [] }));
const error = fc.oneof(fc.constant(undefined), fc.constant(null), fc.constant('overloaded'), fc.record({ message: text, type: field, code: field }, { requiredKeys: [] }));
const chunk = fc.oneof(
  { weight: 6, arbitrary: fc.record({ id: field, model: field, choices: fc.array(choice, { maxLength: 2 }), usage, error, object: fc.oneof(fc.constant(undefined), fc.constant('chat.completion.chunk'), fc.constant('error')), message: text }, { requiredKeys: [] }) },
  { weight: 3, arbitrary: fc.record({ id: fc.constant('c'), choices: fc.tuple(fc.record({ index: fc.constant(0), delta: fc.record({ content: text }), finish_reason: field })) }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

function run(apply: typeof applyChunk, chunks: unknown[]) {
  const builder = newCompletionBuilder();
  const keys: ToolKeys = { byIndex: new Map() };
  const steps = chunks.map((value) => {
    builder.beginEvent();
    let finished: boolean | string;
    try {
      finished = apply(builder, value, keys);
    } catch (err) {
      finished = `threw ${String(err)}`;
    }
    return { finished, effect: builder.endEvent() };
  });
  return { steps, completion: builder.build({ reached: true, missing: '' }) };
}

describe('openai-chat chunk fast path', () => {
  it('gives the general path\'s builder state, effects and finish answers for any chunks', () => {
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 8 }), (chunks) => {
        expect(run(applyChunk, chunks)).toEqual(run(applyAnyChunk, chunks));
      }),
      { numRuns: 3000 },
    );
  });

  it('takes the common text chunk and reads it the same', () => {
    const chunks = [
      { id: 'c1', model: 'm', choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
      { id: 'c1', model: 'm', choices: [{ index: 0, delta: { content: 'Hel' }, finish_reason: null }] },
      { id: 'c1', model: 'm', choices: [{ index: 0, delta: { content: 'lo' }, finish_reason: null }] },
      { id: 'c1', model: 'm', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      { id: 'c1', model: 'm', choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } },
    ];
    const fast = run(applyChunk, chunks);
    expect(fast).toEqual(run(applyAnyChunk, chunks));
    expect(fast.completion.text).toBe('Hello');
    expect(fast.completion.finishReason).toBe('stop');
    expect(fast.completion.usage.outputTokens).toBe(2);
    expect(fast.steps.map((s) => [s.finished, s.effect.content])).toEqual([[false, false], [false, true], [false, true], [true, false], [false, false]]);
  });
});
