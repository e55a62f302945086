import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createNDJSONParser, parseNDJSON } from '../../../lib/sse/index';
import { ndjsonCases } from '../../fixtures/sse/ndjson-cases';
import { recordNDJSON, splitStrategies } from './helpers';

const errorSummary = (errors: Array<{ type: string; line?: number; input?: string }>) =>
  errors.map(({ type, line, input }) => (input === undefined ? { type, line } : { type, line, input }));

describe('NDJSON fixtures fed whole, one character at a time and in seeded random splits', () => {
  for (const fixture of ndjsonCases) {
    describe(fixture.name, () => {
      for (const { name, chunks } of splitStrategies(fixture.input)) {
        it(`gives the expected values and errors when fed ${name}`, () => {
          const recording = recordNDJSON(chunks);
          expect(recording.values).toEqual(fixture.values);
          expect(recording.lines).toEqual(fixture.lines);
          expect(errorSummary(recording.errors)).toEqual(fixture.errors);
        });
      }
      it('gives the same values and errors through parseNDJSON', () => {
        const result = parseNDJSON(fixture.input);
        expect(result.values).toEqual(fixture.values);
        expect(errorSummary(result.errors)).toEqual(fixture.errors);
      });
    });
  }
});

describe('createNDJSONParser', () => {
  it('parses each line with the given parse function, and reports what it throws on as invalid-json', () => {
    const seen: string[] = [];
    const values: unknown[] = [];
    const errors: string[] = [];
    const parser = createNDJSONParser({
      onValue: (value) => values.push(value),
      onError: (error) => errors.push(`${error.type}@${error.line}`),
      parse: (text) => {
        seen.push(text);
        return JSON.parse(text) as unknown;
      },
    });
    parser.feed('{"a":1}\r\nnot json\n[2]');
    parser.end();
    expect(seen).toEqual(['{"a":1}', 'not json', '[2]']);
    expect(values).toEqual([{ a: 1 }, [2]]);
    expect(errors).toEqual(['invalid-json@2']);
    expect(() => createNDJSONParser({ onValue: () => {}, parse: 'JSON' as never })).toThrow(/invalid parse: expected a function/);
  });

  it('reports an invalid line with a message that names the line and shows the input', () => {
    const { errors } = parseNDJSON('{"ok":true}\nnot json\n');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/^invalid NDJSON line 2: expected one JSON value, got "not json" \(.+\)$/);
  });

  it('holds a last line without a newline until end() and then starts over at line 1', () => {
    const seen: Array<[unknown, number]> = [];
    const parser = createNDJSONParser({ onValue: (value, line) => seen.push([value, line]) });
    parser.feed('{"a":1}\n{"b":');
    const beforeEnd = seen.length;
    parser.feed('2}');
    parser.end();
    parser.feed('{"c":3}\n');
    expect(beforeEnd).toBe(1);
    expect(seen).toEqual([
      [{ a: 1 }, 1],
      [{ b: 2 }, 2],
      [{ c: 3 }, 1],
    ]);
  });

  it('drops a held partial line on reset', () => {
    const values: unknown[] = [];
    const parser = createNDJSONParser({ onValue: (value) => values.push(value) });
    parser.feed('{"lost":');
    parser.reset();
    parser.feed('{"kept":1}\n');
    parser.end();
    expect(values).toEqual([{ kept: 1 }]);
  });

  it('does not turn an exception thrown by onValue into an invalid-json error, and keeps the rest of the chunk', () => {
    const values: unknown[] = [];
    const errors: unknown[] = [];
    const parser = createNDJSONParser({
      onValue: (value) => {
        values.push(value);
        if (value === 2) throw new Error('consumer failed');
      },
      onError: (error) => errors.push(error),
    });
    expect(() => parser.feed('1\n2\n3\n4')).toThrow('consumer failed');
    parser.end();
    expect(values).toEqual([1, 2, 3, 4]);
    expect(errors).toEqual([]);
  });

  it('gives the same values, line numbers and errors for any chunking', () => {
    const jsonLine = fc.oneof(
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc.constantFrom('', '   ', '\t', '{bad', 'nul', '[1,]'),
    );
    const body = fc
      .tuple(fc.array(fc.tuple(jsonLine, fc.constantFrom('\n', '\r\n')), { maxLength: 10 }), fc.oneof(fc.constant(''), jsonLine))
      .map(([lines, last]) => lines.map(([text, end]) => text + end).join('') + last);
    fc.assert(
      fc.property(body, fc.array(fc.nat(), { maxLength: 30 }), (text, cuts) => {
        const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
        const chunks = points.map((point, i) => text.slice(i === 0 ? 0 : points[i - 1], point));
        chunks.push(text.slice(points.at(-1) ?? 0));
        expect(recordNDJSON(chunks)).toEqual(recordNDJSON([text]));
      }),
      { numRuns: 500 },
    );
  });
});
