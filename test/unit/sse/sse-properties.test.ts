import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSSEParser, parseSSE } from '../../../lib/sse/index';
import type { SSEMessage } from '../../../lib/sse/index';
import type { SSECall } from './helpers';
import { recordSSE, splitAt } from './helpers';

/**
 * A deliberately plain reading of WHATWG HTML §9.2.5–9.2.6 that works on the whole text at once: split into
 * lines character by character, then interpret each line. It shares no code with lib/sse, so agreement between
 * the two is evidence, not tautology. It also models the documented maxBufferSize rule: a line the parser acts on
 * (a comment, or a data/event/id/retry field) whose length plus the pending data buffer exceeds the limit is
 * reported and dropped with its pending event; an unterminated last line counts once its field is known.
 */
function referenceParse(input: string, maxBufferSize = Infinity): { calls: SSECall[]; lastEventId: string } {
  const calls: SSECall[] = [];
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const lines: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\r') {
      lines.push(current);
      current = '';
      if (text[i + 1] === '\n') i++;
    } else if (char === '\n') {
      lines.push(current);
      current = '';
    } else {
      current += char;
    }
  }

  let data: string[] = [];
  let type = '';
  let id = '';
  let committed = '';
  const dataLength = () => data.reduce((sum, line) => sum + line.length + 1, 0);
  const overflow = () => {
    calls.push({ kind: 'error', error: { type: 'max-buffer-size-exceeded', message: '' } });
    data = [];
    type = '';
    id = committed;
  };
  const fields = new Set(['data', 'event', 'id', 'retry']);

  for (const line of lines) {
    if (line === '') {
      committed = id;
      if (data.length > 0) {
        calls.push({ kind: 'event', message: { type: type === '' ? 'message' : type, data: data.join('\n'), lastEventId: id } });
      }
      data = [];
      type = '';
      continue;
    }
    const colon = line.indexOf(':');
    if (colon === 0) {
      if (line.length + dataLength() > maxBufferSize) overflow();
      else calls.push({ kind: 'comment', text: line.slice(1) });
      continue;
    }
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (!fields.has(field)) continue;
    if (line.length + dataLength() > maxBufferSize) {
      overflow();
      continue;
    }
    if (field === 'data') data.push(value);
    else if (field === 'event') type = value;
    else if (field === 'id') {
      if (!value.includes('\0')) id = value;
    } else if (/^[0-9]+$/.test(value)) calls.push({ kind: 'retry', ms: Number.parseInt(value, 10) });
  }

  // The unterminated last line dispatches nothing, but holding it may still overflow once its field is known.
  if (current !== '') {
    const colon = current.indexOf(':');
    const known = colon === 0 || (colon > 0 && fields.has(current.slice(0, colon)));
    if (known && current.length + dataLength() > maxBufferSize) overflow();
  }
  return { calls, lastEventId: committed };
}

/** Errors carry a message the reference does not reproduce: compare their type only. */
function comparable(calls: SSECall[]): unknown[] {
  return calls.map((call) => (call.kind === 'error' ? { kind: 'error', type: call.error.type } : call));
}

const lineEnd = fc.constantFrom('\n', '\r', '\r\n');
const valueText = fc.string({
  unit: fc.oneof(
    fc.constantFrom(' ', ':', '\0', '\uFEFF', 'a', 'Z', '1', '0', '{', '"', 'é', '😀', '\uD800', '\t'),
    fc.string({ minLength: 1, maxLength: 1 }),
  ),
  maxLength: 12,
});
const fieldName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('data', 'event', 'id', 'retry') },
  // Near misses: each real name with a letter changed, cut short, extended, recased or indented.
  fc.constantFrom('Data', 'dat', 'datx', 'datax', ' data', 'evenT', 'even', 'eventx', 'iD', 'ie', 'i', 'idx', 'retr'),
  fc.constantFrom('retryy', 'rEtry', 'foo', '', '\uFEFFdata'),
);
const fieldLine = fc
  .tuple(fieldName, fc.constantFrom('', ':', ': ', ':  '), valueText)
  .map(([name, separator, value]) => (separator === '' ? name : `${name}${separator}${value}`))
  .filter((line) => line !== '');
const retryLine = fc.oneof(fc.nat({ max: 100_000 }).map(String), fc.constantFrom('02000', '1x', '-5', '')).map(
  (value) => `retry: ${value}`,
);
const commentLine = valueText.map((text) => `:${text}`);
const line = fc.oneof(
  { weight: 6, arbitrary: fieldLine },
  { weight: 1, arbitrary: retryLine },
  { weight: 1, arbitrary: commentLine },
);
const block = fc
  .tuple(fc.array(fc.tuple(line, lineEnd), { maxLength: 5 }), lineEnd)
  .map(([lines, end]) => lines.map(([text, ending]) => text + ending).join('') + end);
/** A serialized stream: optional BOMs, blocks ending in a blank line, and maybe an unterminated tail. */
const stream = fc
  .tuple(
    fc.constantFrom('', '', '\uFEFF', '\uFEFF\uFEFF'),
    fc.array(block, { maxLength: 8 }),
    fc.oneof(fc.constant(''), fieldLine, fieldLine.map((text) => `${text}\n`)),
  )
  .map(([bom, blocks, tail]) => bom + blocks.join('') + tail);
/** Garbage over an alphabet dense in the characters the parser cares about. */
const garbage = fc.string({
  unit: fc.constantFrom('d', 'a', 't', ':', ' ', '\r', '\n', '\uFEFF', 'i', 'e', 'v', 'n', 'r', 'y', '\0', 'x', '1'),
  maxLength: 80,
});

describe('SSE properties', () => {
  it('gives the same callbacks for any chunking of a generated stream as for the whole string', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 40 }), (text, cuts) => {
        expect(recordSSE(splitAt(text, cuts)).calls).toEqual(recordSSE([text]).calls);
      }),
      { numRuns: 1000 },
    );
  });

  it('agrees with the line-by-line reference implementation on generated streams', () => {
    fc.assert(
      fc.property(stream, (text) => {
        const reference = referenceParse(text);
        const recording = recordSSE([text]);
        expect(comparable(recording.calls)).toEqual(comparable(reference.calls));
        expect(recording.lastEventId).toBe(reference.lastEventId);
      }),
      { numRuns: 1000 },
    );
  });

  it('agrees with the reference on split garbage over the characters the parser cares about', () => {
    fc.assert(
      fc.property(garbage, fc.array(fc.nat(), { maxLength: 20 }), (text, cuts) => {
        const reference = referenceParse(text);
        const recording = recordSSE(splitAt(text, cuts));
        expect(comparable(recording.calls)).toEqual(comparable(reference.calls));
        expect(recording.lastEventId).toBe(reference.lastEventId);
      }),
      { numRuns: 2000 },
    );
  });

  it('applies maxBufferSize the same way for every chunking, as the reference models it', () => {
    fc.assert(
      fc.property(stream, fc.integer({ min: 1, max: 40 }), fc.array(fc.nat(), { maxLength: 30 }), (text, max, cuts) => {
        const reference = referenceParse(text, max);
        const recording = recordSSE(splitAt(text, cuts), max);
        expect(comparable(recording.calls)).toEqual(comparable(reference.calls));
        expect(recording.lastEventId).toBe(reference.lastEventId);
      }),
      { numRuns: 1500 },
    );
  });

  it('parseSSE returns exactly the events the streaming parser dispatches', () => {
    fc.assert(
      fc.property(stream, (text) => {
        expect(parseSSE(text)).toEqual(recordSSE([text]).events);
      }),
      { numRuns: 300 },
    );
  });
});

// Streams as LLM servers write them: LF line ends only, the same few `event:` lines block after block, one-line
// events mostly, now and then a multi-line event, an id, a comment or a near miss. Chunks without a CR take the
// parser's fast path, which matches a repeated event line and the next block's start whole; these properties
// hold it to the same reference as the general path.
const llmLine = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom('event: delta', 'event: delta', 'event: ping', 'event: message', 'event: ', 'event:'),
  },
  { weight: 8, arbitrary: fc.constantFrom('data: {"t":"a"}', 'data: x', 'data: ', 'data:', 'data:  two', 'data') },
  { weight: 2, arbitrary: fc.constantFrom('id: 7', 'id:', ': keep-alive', 'retry: 250', 'event: delta2', 'datax: 1') },
  { weight: 2, arbitrary: fieldLine.filter((text) => !text.includes('\r') && !text.includes('\n')) },
);
const llmBlock = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('event: delta\ndata: {"t":"a"}\n\n', 'data: {"t":"b"}\n\n') },
  {
    weight: 4,
    arbitrary: fc.array(llmLine, { minLength: 1, maxLength: 4 }).map((lines) => lines.join('\n') + '\n\n'),
  },
);
const lfStream = fc
  .tuple(fc.array(llmBlock, { maxLength: 30 }), fc.constantFrom('', 'data: tail', 'event: delta\ndata: t', 'event: de'))
  .map(([blocks, tail]) => blocks.join('') + tail);

/** Feeds `chunks`, catching what onEvent throws (at the deliveries numbered in `failAt`), then flushes what is left. */
function feedThroughThrows(chunks: string[], failAt: Set<number>): SSEMessage[] {
  const delivered: SSEMessage[] = [];
  const parser = createSSEParser({
    onEvent: (message) => {
      delivered.push(message);
      if (failAt.has(delivered.length)) throw new Error('consumer failed');
    },
  });
  for (const chunk of chunks) {
    try {
      parser.feed(chunk);
    } catch {
      // The rest of the chunk is kept for the next feed.
    }
  }
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      parser.feed('');
      break;
    } catch {
      // Another throwing delivery; feed again.
    }
  }
  return delivered;
}

describe('SSE properties of LF-only streams (the fast path)', () => {
  it('agrees with the reference on LLM-like LF streams, fed whole and in any chunking', () => {
    fc.assert(
      fc.property(lfStream, fc.array(fc.nat(), { maxLength: 40 }), (text, cuts) => {
        const reference = referenceParse(text);
        const whole = recordSSE([text]);
        const chunked = recordSSE(splitAt(text, cuts));
        expect(comparable(whole.calls)).toEqual(comparable(reference.calls));
        expect(chunked.calls).toEqual(whole.calls);
        expect(chunked.lastEventId).toBe(reference.lastEventId);
      }),
      { numRuns: 1500 },
    );
  });

  it('applies maxBufferSize to LF streams as the reference models it, for any chunking', () => {
    fc.assert(
      fc.property(lfStream, fc.integer({ min: 1, max: 60 }), fc.array(fc.nat(), { maxLength: 30 }), (text, max, cuts) => {
        const reference = referenceParse(text, max);
        expect(comparable(recordSSE([text], max).calls)).toEqual(comparable(reference.calls));
        expect(comparable(recordSSE(splitAt(text, cuts), max).calls)).toEqual(comparable(reference.calls));
      }),
      { numRuns: 1000 },
    );
  });

  it('delivers every event exactly once, in order, when onEvent throws now and then', () => {
    fc.assert(
      fc.property(lfStream, fc.array(fc.nat(), { maxLength: 20 }), fc.array(fc.integer({ min: 1, max: 40 })), (text, cuts, fails) => {
        const expected = recordSSE([text]).events;
        expect(feedThroughThrows(splitAt(text, cuts), new Set(fails))).toEqual(expected);
        expect(feedThroughThrows([text], new Set(fails))).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('agrees with the reference when each block arrives as a chunk of its own, any line ends', () => {
    const blocks = fc.array(fc.oneof(llmBlock, block), { maxLength: 20 });
    fc.assert(
      fc.property(blocks, fc.integer({ min: 1, max: 80 }), (chunks, max) => {
        const text = chunks.join('');
        expect(comparable(recordSSE(chunks).calls)).toEqual(comparable(referenceParse(text).calls));
        expect(comparable(recordSSE(chunks, max).calls)).toEqual(comparable(referenceParse(text, max).calls));
      }),
      { numRuns: 1500 },
    );
  });

  it('parseSSE agrees with the reference on LF streams', () => {
    fc.assert(
      fc.property(lfStream, (text) => {
        const events = referenceParse(text).calls.flatMap((call) => (call.kind === 'event' ? [call.message] : []));
        expect(parseSSE(text)).toEqual(events);
      }),
      { numRuns: 500 },
    );
  });
});
