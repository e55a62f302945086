import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createNDJSONParser, createSSEParser } from '../../../lib/sse/index';
import type { SSEMessage, StreamParseError } from '../../../lib/sse/index';
import { randomSplit, recordNDJSON, recordSSE, seededRandom } from './helpers';

const anyText = fc.string({ unit: 'binary', maxLength: 300 });
const loneSurrogates = fc.string({ unit: fc.constantFrom('\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\r', '\n', ':', 'data:'), maxLength: 60 });
const binaryLooking = fc
  .uint8Array({ maxLength: 300 })
  .map((bytes) => Array.from(bytes, (byte) => String.fromCharCode(byte)).join(''));

function chunkIn(size: number, text: string): string[] {
  const chunks: string[] = [];
  for (let at = 0; at < text.length; at += size) chunks.push(text.slice(at, at + size));
  return chunks;
}

describe('garbage input', () => {
  it('never makes the SSE parser throw, and gives the same callbacks split or whole', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, loneSurrogates, binaryLooking), fc.integer(), (text, seed) => {
        const whole = recordSSE([text]);
        const split = recordSSE(randomSplit(text, seededRandom(seed), 7));
        expect(split.calls).toEqual(whole.calls);
        expect(whole.errors).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it('never makes the NDJSON parser throw, and reports every non-blank line as a value or an error', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, loneSurrogates, binaryLooking), fc.integer(), (text, seed) => {
        const whole = recordNDJSON([text]);
        const split = recordNDJSON(randomSplit(text, seededRandom(seed), 7));
        expect(split).toEqual(whole);
        const nonBlankLines = text
          .replace(/^\uFEFF/, '')
          .split('\n')
          .filter((line) => line.replace(/[ \t\r]/g, '') !== '').length;
        expect(whole.values.length + whole.errors.length).toBe(nonBlankLines);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('maxBufferSize for SSE', () => {
  const big = 'x'.repeat(200);
  const stream = `data: ok\n\nid: 2\nevent: big\ndata: ${big}\ndata: more\n\ndata: after\n\n`;

  for (const [name, chunks] of [
    ['whole', [stream]],
    ['in 3-character chunks', chunkIn(3, stream)],
  ] as const) {
    it(`reports an oversized line once, drops its event and id, and resumes at the next line (${name})`, () => {
      const recording = recordSSE(chunks, 100);
      expect(recording.errors.map((error) => error.type)).toEqual(['max-buffer-size-exceeded']);
      expect(recording.errors[0]?.message).toContain('expected at most 100 characters');
      // "data: more" follows the dropped line inside the same block, so it starts a new pending event.
      expect(recording.events).toEqual([
        { type: 'message', data: 'ok', lastEventId: '' },
        { type: 'message', data: 'more', lastEventId: '' },
        { type: 'message', data: 'after', lastEventId: '' },
      ]);
      expect(recording.calls.map((call) => call.kind)).toEqual(['event', 'error', 'event', 'event']);
    });
  }

  it('counts the pending data buffer, so many small data lines overflow too', () => {
    const lines = Array.from({ length: 9 }, (_, i) => `data: ${i}${'.'.repeat(8)}\n`).join('');
    const recording = recordSSE(chunkIn(5, `${lines}\ndata: next\n\n`), 50);
    // Each 15-character line adds 10 to the data buffer; the fifth (15 + 40 > 50) overflows and drops 0 to 4.
    expect(recording.errors).toHaveLength(1);
    expect(recording.events).toEqual([
      { type: 'message', data: '5........\n6........\n7........\n8........', lastEventId: '' },
      { type: 'message', data: 'next', lastEventId: '' },
    ]);
  });

  it('keeps the previously committed id when the dropped event had its own', () => {
    const recording = recordSSE([`id: 1\ndata: a\n\nid: 2\ndata: ${big}\n\ndata: b\n\n`], 100);
    expect(recording.events.map((event) => [event.data, event.lastEventId])).toEqual([
      ['a', '1'],
      ['b', '1'],
    ]);
    expect(recording.lastEventId).toBe('1');
  });

  it('never holds or counts lines it would ignore: unknown fields and comments nobody listens to', () => {
    const errors: StreamParseError[] = [];
    const events: SSEMessage[] = [];
    const parser = createSSEParser({ onEvent: (event) => events.push(event), onError: (error) => errors.push(error), maxBufferSize: 100 });
    for (const chunk of chunkIn(7, `:${big}\nfoo: ${big}\nDATA: ${big}\ndata: kept\n\n`)) parser.feed(chunk);
    expect(errors).toEqual([]);
    expect(events).toEqual([{ type: 'message', data: 'kept', lastEventId: '' }]);
  });

  it('counts comment lines when onComment is set', () => {
    const recording = recordSSE([`:${big}\ndata: kept\n\n`], 100);
    expect(recording.comments).toEqual([]);
    expect(recording.errors).toHaveLength(1);
    expect(recording.events.map((event) => event.data)).toEqual(['kept']);
  });

  it('reports an oversized unterminated line while it arrives, then continues after its CR line end', () => {
    const recording = recordSSE([`data: ${big.slice(0, 60)}`, big.slice(60), '\r', '\ndata: fine\r\r'], 100);
    expect(recording.calls.map((call) => call.kind)).toEqual(['error', 'event']);
    expect(recording.events).toEqual([{ type: 'message', data: 'fine', lastEventId: '' }]);
  });

  it('stays usable when onError throws', () => {
    const events: string[] = [];
    const parser = createSSEParser({
      onEvent: (event) => events.push(event.data),
      onError: () => {
        throw new Error('stop');
      },
      maxBufferSize: 20,
    });
    expect(() => parser.feed(`data: ${big}\ndata: next\n\n`)).toThrow('stop');
    parser.feed('');
    expect(events).toEqual(['next']);
  });
});

describe('maxBufferSize for NDJSON', () => {
  it('reports an oversized line with its line number, skips it and parses the lines after it', () => {
    const text = `{"a":1}\n[${'1,'.repeat(100)}1]\n{"b":2}\n`;
    for (const chunks of [[text], chunkIn(9, text)]) {
      const recording = recordNDJSON(chunks, 100);
      expect(recording.values).toEqual([{ a: 1 }, { b: 2 }]);
      expect(recording.lines).toEqual([1, 3]);
      expect(recording.errors.map(({ type, line }) => ({ type, line }))).toEqual([{ type: 'max-buffer-size-exceeded', line: 2 }]);
    }
  });
});

describe('large inputs take linear time', () => {
  const tenMegabytes = 10 * 1024 * 1024;

  it('parses a 10 MB data line fed in 100-character chunks into one event', () => {
    const payload = 'abcdefghij'.repeat(tenMegabytes / 10);
    const stream = `event: huge\ndata: ${payload}\n\ndata: next\n\n`;
    const events: SSEMessage[] = [];
    const parser = createSSEParser({ onEvent: (event) => events.push(event) });
    let chunks = 0;
    for (let at = 0; at < stream.length; at += 100) {
      parser.feed(stream.slice(at, at + 100));
      chunks++;
    }
    expect(chunks).toBe(Math.ceil(stream.length / 100));
    expect(events).toHaveLength(2);
    expect(events[0]?.type).toBe('huge');
    expect(events[0]?.data.length).toBe(payload.length);
    expect(events[0]?.data === payload).toBe(true);
    expect(events[1]).toEqual({ type: 'message', data: 'next', lastEventId: '' });
  });

  it('parses a 10 MB NDJSON line fed in 100-character chunks', () => {
    const payload = 'x'.repeat(tenMegabytes);
    const stream = `${JSON.stringify({ text: payload })}\n{"n":2}`;
    const values: unknown[] = [];
    const parser = createNDJSONParser({ onValue: (value) => values.push(value) });
    for (let at = 0; at < stream.length; at += 100) parser.feed(stream.slice(at, at + 100));
    parser.end();
    expect(values).toHaveLength(2);
    expect((values[0] as { text: string }).text === payload).toBe(true);
    expect(values[1]).toEqual({ n: 2 });
  });

  it('parses a million events in one chunk, LF-only, without rescanning for CR per line', () => {
    const count = 1_000_000;
    const stream = 'data: t\n\n'.repeat(count);
    let events = 0;
    let lastData = '';
    const parser = createSSEParser({
      onEvent: (event) => {
        events++;
        lastData = event.data;
      },
    });
    parser.feed(stream);
    expect(events).toBe(count);
    expect(lastData).toBe('t');
  });

  it('parses a million colon-less lines in one chunk without searching ahead for a colon per line', () => {
    const stream = 'data\n'.repeat(1_000_000) + '\n';
    const events: SSEMessage[] = [];
    const parser = createSSEParser({ onEvent: (event) => events.push(event) });
    parser.feed(stream);
    expect(events).toHaveLength(1);
    expect(events[0]?.data.length).toBe(999_999);
  });
});
