import { describe, expect, it } from 'vitest';
import { DEFAULT_FINISH_REASONS, finish, streamIntegrity, TRUNCATION_FINISH_REASONS } from '../../../lib/validate/index';
import { completion } from './fixtures';

// Finish values as each provider's wire format spells them.
const FINISHED = [
  ['openai-chat', 'stop'],
  ['openai-chat tool call', 'tool_calls'],
  ['openai-chat legacy function call', 'function_call'],
  ['openai-responses', 'completed'],
  ['anthropic', 'end_turn'],
  ['anthropic tool use', 'tool_use'],
  ['anthropic stop sequence', 'stop_sequence'],
  ['gemini', 'STOP'],
  ['ollama', 'stop'],
] as const;

const TRUNCATED = [
  ['openai-chat', 'length'],
  ['ollama', 'length'],
  ['anthropic', 'max_tokens'],
  ['anthropic context window', 'model_context_window_exceeded'],
  ['gemini', 'MAX_TOKENS'],
  ['openai-responses', 'max_output_tokens'],
  ['openai-responses status', 'incomplete'],
] as const;

describe('finish', () => {
  it.each(FINISHED)('passes the %s finish reason %j by default', (_provider, reason) => {
    expect(finish().validate(completion({ finishReason: reason }))).toEqual({ valid: true, issues: [] });
  });

  it.each(TRUNCATED)('reports the %s truncation %j with keyword truncated', (_provider, reason) => {
    const r = finish().validate(completion({ finishReason: reason }));
    expect(r.valid).toBe(false);
    expect(r.issues).toEqual([
      { validator: 'finish', path: '/finishReason', keyword: 'truncated', message: `truncated output: finish reason ${JSON.stringify(reason)} means a token or context limit cut the answer off` },
    ]);
  });

  it('reports another disallowed reason (a content filter) with keyword finishReason and the allowed list', () => {
    const r = finish({ allow: ['stop'] }).validate(completion({ finishReason: 'content_filter' }));
    expect(r.issues).toEqual([{ validator: 'finish', path: '/finishReason', keyword: 'finishReason', message: 'unexpected finish reason: expected one of stop, got "content_filter"' }]);
    expect(finish().validate(completion({ finishReason: 'SAFETY' })).issues[0]?.keyword).toBe('finishReason');
  });

  it('compares reasons exactly, so Gemini STOP is not OpenAI stop in a custom list', () => {
    expect(finish({ allow: ['stop'] }).validate(completion({ finishReason: 'STOP' })).valid).toBe(false);
  });

  it('passes a truncation reason the script allows on purpose', () => {
    expect(finish({ allow: ['stop', 'length'] }).validate(completion({ finishReason: 'length' })).valid).toBe(true);
  });

  it('reports a missing finish reason with keyword unknown unless allowUnknown', () => {
    expect(finish().validate(completion({ finishReason: undefined })).issues).toEqual([
      { validator: 'finish', path: '/finishReason', keyword: 'unknown', message: 'finish reason unknown: the response reported none' },
    ]);
    expect(finish({ allowUnknown: true }).validate(completion({ finishReason: undefined })).valid).toBe(true);
  });

  it('keeps the default and truncation lists disjoint', () => {
    expect(DEFAULT_FINISH_REASONS.filter((r) => TRUNCATION_FINISH_REASONS.includes(r))).toEqual([]);
  });

  it('throws when allow is not an array', () => {
    expect(() => finish({ allow: 'stop' as never })).toThrow('invalid finish option allow: expected an array of finish reasons, got string');
  });
});

describe('streamIntegrity', () => {
  it('passes a complete response without error', () => {
    expect(streamIntegrity().validate(completion())).toEqual({ valid: true, issues: [] });
  });

  it('reports a stream that ended before its end marker with keyword incomplete', () => {
    expect(streamIntegrity().validate(completion({ complete: false })).issues).toEqual([
      { validator: 'streamIntegrity', path: '/complete', keyword: 'incomplete', message: 'incomplete response: it did not end the way its protocol ends a finished response' },
    ]);
  });

  it('reports an in-stream error event and the incompleteness it caused', () => {
    const r = streamIntegrity().validate(completion({ text: 'Partial ans', complete: false, error: { type: 'overloaded_error', message: 'Overloaded' } }));
    expect(r.issues.map((i) => `${i.path} ${i.keyword} ${i.message}`)).toEqual([
      '/complete incomplete incomplete response: it did not end the way its protocol ends a finished response',
      '/error error error in response: overloaded_error: Overloaded',
    ]);
  });

  it('treats a target without complete as not complete', () => {
    expect(streamIntegrity().validate({ text: 'hi' }).issues.map((i) => i.keyword)).toEqual(['incomplete']);
  });
});
