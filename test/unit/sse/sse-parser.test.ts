import { describe, expect, it } from 'vitest';
import { createSSEParser, parseSSE } from '../../../lib/sse/index';
import type { SSEMessage } from '../../../lib/sse/index';
import { sseCases } from '../../fixtures/sse/sse-cases';
import { recordSSE, splitStrategies } from './helpers';

describe('SSE fixtures fed whole, one character at a time and in seeded random splits', () => {
  for (const fixture of sseCases) {
    describe(fixture.name, () => {
      const whole = recordSSE([fixture.input]);
      for (const { name, chunks } of splitStrategies(fixture.input)) {
        it(`gives the expected callbacks when fed ${name}`, () => {
          const recording = recordSSE(chunks);
          expect(recording.events).toEqual(fixture.events);
          expect(recording.retries).toEqual(fixture.retries ?? []);
          if (fixture.comments !== undefined) expect(recording.comments).toEqual(fixture.comments);
          if (fixture.lastEventId !== undefined) expect(recording.lastEventId).toBe(fixture.lastEventId);
          expect(recording.errors).toEqual([]);
          expect(recording.calls).toEqual(whole.calls);
        });
      }
      it('gives the same events through parseSSE', () => {
        expect(parseSSE(fixture.input)).toEqual(fixture.events);
      });
    });
  }
});

describe('createSSEParser', () => {
  it('treats a CR ending one chunk and an LF starting the next as one line end', () => {
    const recording = recordSSE(['data: a\r', '\ndata: b\r', '\n\r', '\n']);
    expect(recording.events).toEqual([{ type: 'message', data: 'a\nb', lastEventId: '' }]);
  });

  it('treats a CR ending one chunk followed by a non-LF chunk as a lone CR', () => {
    const recording = recordSSE(['data: a\r', 'data: b\r', '\r']);
    expect(recording.events).toEqual([{ type: 'message', data: 'a\nb', lastEventId: '' }]);
  });

  it('carries the CR flag across empty chunks', () => {
    const recording = recordSSE(['data: a\r', '', '', '\n', '\n']);
    expect(recording.events).toEqual([{ type: 'message', data: 'a', lastEventId: '' }]);
  });

  it('strips a BOM only when it is the first character of the stream, not of a later chunk', () => {
    const recording = recordSSE(['', '\uFEFFdata: 1\n\n', '\uFEFFdata: 2\n\n', 'data: 3\n\n']);
    expect(recording.events.map((event) => event.data)).toEqual(['1', '3']);
  });

  it('commits the last event ID at the blank line, not at the id field', () => {
    const ids: string[] = [];
    const parser = createSSEParser({ onEvent: () => undefined });
    parser.feed('id: 1\n');
    ids.push(parser.lastEventId);
    parser.feed('\n');
    ids.push(parser.lastEventId);
    parser.feed('id: 2\ndata: x\n');
    ids.push(parser.lastEventId);
    parser.feed('\n');
    ids.push(parser.lastEventId);
    expect(ids).toEqual(['', '1', '1', '2']);
  });

  it('returns to its initial state on reset, including BOM stripping and lastEventId', () => {
    const events: SSEMessage[] = [];
    const parser = createSSEParser({ onEvent: (event) => events.push(event) });
    parser.feed('id: 9\ndata: before\n\nevent: half\ndata: pending\r');
    parser.reset();
    const afterReset = parser.lastEventId;
    parser.feed('\uFEFF\ndata: after\n\n');
    expect(afterReset).toBe('');
    // The BOM is stripped again and the pending "half" event (type, data) is gone.
    expect(events).toEqual([
      { type: 'message', data: 'before', lastEventId: '9' },
      { type: 'message', data: 'after', lastEventId: '' },
    ]);
  });

  it('passes comments to onComment without the colon, keeping a following space', () => {
    const recording = recordSSE([':ping\n: keep-alive\n:\n\n']);
    expect(recording.comments).toEqual(['ping', ' keep-alive', '']);
    expect(recording.events).toEqual([]);
  });

  it('calls onRetry once per valid retry field, before the event of the same block', () => {
    const recording = recordSSE(['retry: 1500\ndata: x\nretry: 3000\n\n']);
    expect(recording.calls.map((call) => call.kind)).toEqual(['retry', 'retry', 'event']);
    expect(recording.retries).toEqual([1500, 3000]);
  });

  it('reports a retry made of many digits as the number JavaScript reads from it', () => {
    const recording = recordSSE([`retry: ${'9'.repeat(30)}\n\n`]);
    expect(recording.retries).toEqual([1e30]);
  });

  it('keeps input after a throwing onEvent and parses it on the next feed', () => {
    const seen: string[] = [];
    const parser = createSSEParser({
      onEvent: (event) => {
        seen.push(event.data);
        if (event.data === 'boom') throw new Error('callback failed');
      },
    });
    expect(() => parser.feed('data: a\n\ndata: boom\n\ndata: b\n\ndata: c')).toThrow('callback failed');
    expect(seen).toEqual(['a', 'boom']);
    parser.feed('\n\n');
    expect(seen).toEqual(['a', 'boom', 'b', 'c']);
  });

  it('keeps the event buffers clean when onEvent throws, so the next event is not merged into it', () => {
    let calls = 0;
    const seen: SSEMessage[] = [];
    const parser = createSSEParser({
      onEvent: (event) => {
        calls++;
        if (calls === 1) throw new Error('first fails');
        seen.push(event);
      },
    });
    expect(() => parser.feed('event: one\ndata: 1\n\n')).toThrow('first fails');
    parser.feed('data: 2\n\n');
    expect(seen).toEqual([{ type: 'message', data: '2', lastEventId: '' }]);
  });

  it('throws a TypeError naming the option when onEvent is missing or a callback is not a function', () => {
    expect(() => createSSEParser({} as never)).toThrow('invalid onEvent: expected a function, got undefined');
    expect(() => createSSEParser({ onEvent: () => undefined, onRetry: 5 as never })).toThrow(
      'invalid onRetry: expected a function, got 5',
    );
    expect(() => createSSEParser(null as never)).toThrow(TypeError);
  });

  it('throws a TypeError for a maxBufferSize that is not a positive number', () => {
    expect(() => createSSEParser({ onEvent: () => undefined, maxBufferSize: 0 })).toThrow(
      'invalid maxBufferSize: expected a positive number of characters, got 0',
    );
    expect(() => createSSEParser({ onEvent: () => undefined, maxBufferSize: Number.NaN })).toThrow(TypeError);
  });

  it('throws a TypeError when fed something that is not a string', () => {
    const parser = createSSEParser({ onEvent: () => undefined });
    expect(() => parser.feed(new Uint8Array(3) as never)).toThrow(
      'invalid chunk: expected a decoded string, got a Uint8Array',
    );
  });

  it('dispatches nothing for an empty or blank-only stream', () => {
    expect(parseSSE('')).toEqual([]);
    expect(parseSSE('\n\n\r\n\r\r')).toEqual([]);
  });
});

describe('createSSEParser on chunks of one block each, as token streams arrive', () => {
  it('reads a CR inside a one-block chunk as a line end', () => {
    const recording = recordSSE(['data: 0\n\n', 'data: a\rb\n\n', 'data: c\r\n\r\n']);
    expect(recording.events.map((event) => event.data)).toEqual(['0', 'a', 'c']);
  });

  it('still applies maxBufferSize to a chunk that holds one whole block', () => {
    const recording = recordSSE(['data: 0\n\n', `data: ${'x'.repeat(50)}\n\n`, 'data: 1\n\n'], 20);
    expect(recording.events.map((event) => event.data)).toEqual(['0', '1']);
    expect(recording.errors.map((error) => error.type)).toEqual(['max-buffer-size-exceeded']);
  });

  it('does not read the end of a held line as a block of its own', () => {
    const recording = recordSSE([':comment', 'data: y\n\n', 'data: z\n\n']);
    expect(recording.comments).toEqual(['commentdata: y']);
    expect(recording.events.map((event) => event.data)).toEqual(['z']);
  });

  it('gives a block the event type set by the chunk before it', () => {
    const recording = recordSSE(['data: 0\n\n', 'event: a\n', 'data: 1\n\n', 'data: 2\n\n']);
    expect(recording.events.map((event) => event.type)).toEqual(['message', 'a', 'message']);
  });
});
