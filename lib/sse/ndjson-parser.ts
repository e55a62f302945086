import { lazy } from '../internal/lazy';
import { parserOptions } from './parser-options';
import type { NDJSONParseResult, NDJSONParser, NDJSONParserOptions, StreamParseError } from './types';

const CR = 13;
const TAB = 9;
const SPACE = 32;
const BOM = 0xfeff;
const MAX_INPUT_IN_ERROR = 200;

/** The NDJSON parser, built on first use (see lib/internal/lazy.ts): a VU that never reads a stream pays nothing for it. */
export const ndjsonParsing = lazy(() => {
  const { chunkTypeError, normalizeMaxBufferSize, optionalCallback, requireCallback, requireOptionsObject } = parserOptions();

  function createNDJSONParser(options: NDJSONParserOptions): NDJSONParser {
    requireOptionsObject(options, 'onValue');
    const onValue = requireCallback(options.onValue, 'onValue');
    const onError = optionalCallback(options.onError, 'onError');
    const maxBufferSize = normalizeMaxBufferSize(options.maxBufferSize);
    const parse = optionalCallback(options.parse, 'parse') ?? JSON.parse;

    let started = false;
    let discarding = false; // skipping the rest of an oversized line
    let lineNumber = 0; // lines completed so far
    const pieces: string[] = [];
    let pendingLength = 0;
    let leftover = ''; // the unparsed rest of a chunk whose callback threw

    function feed(chunk: string): void {
      if (typeof chunk !== 'string') throw chunkTypeError(chunk);
      if (leftover !== '') {
        chunk = leftover + chunk;
        leftover = '';
      }
      const length = chunk.length;
      if (length === 0) return;
      let start = 0;
      if (!started) {
        started = true;
        if (chunk.charCodeAt(0) === BOM) start = 1;
      }
      try {
        while (start < length) {
          const lf = chunk.indexOf('\n', start);
          const lineStart = start;
          if (lf === -1) {
            start = length;
            holdPartialLine(chunk, lineStart, length);
            return;
          }
          start = lf + 1;
          lineNumber++;
          if (discarding) {
            discarding = false;
          } else if (pieces.length === 0) {
            processLine(chunk, lineStart, lf, lineNumber);
          } else {
            pieces.push(chunk.slice(lineStart, lf));
            const line = pieces.join('');
            pieces.length = 0;
            pendingLength = 0;
            processLine(line, 0, line.length, lineNumber);
          }
        }
      } catch (error) {
        leftover = chunk.slice(start);
        throw error;
      }
    }

    function holdPartialLine(chunk: string, start: number, end: number): void {
      if (discarding) return;
      pieces.push(chunk.slice(start, end));
      pendingLength += end - start;
      if (pendingLength > maxBufferSize) {
        pieces.length = 0;
        pendingLength = 0;
        discarding = true;
        overflow(lineNumber + 1);
      }
    }

    function processLine(text: string, start: number, end: number, line: number): void {
      // The limit counts the raw line, CR included, exactly as a partial line is counted while it is held.
      if (end - start > maxBufferSize) {
        overflow(line);
        return;
      }
      if (end > start && text.charCodeAt(end - 1) === CR) end--;
      if (end === start) return;
      if (text.charCodeAt(start) <= SPACE && isJsonWhitespace(text, start, end)) return;
      const input = text.slice(start, end);
      let value: unknown;
      let reason = '';
      try {
        value = parse(input);
      } catch (error) {
        reason = error instanceof Error ? error.message : String(error);
      }
      if (reason === '') {
        onValue(value, line);
      } else if (onError !== undefined) {
        const shown = cut(input);
        onError({
          type: 'invalid-json',
          message: `invalid NDJSON line ${line}: expected one JSON value, got ${JSON.stringify(shown)} (${reason})`,
          line,
          input: shown,
        });
      }
    }

    function overflow(line: number): void {
      if (onError === undefined) return;
      const error: StreamParseError = {
        type: 'max-buffer-size-exceeded',
        message: `invalid NDJSON line ${line}: expected at most ${maxBufferSize} characters, got more; the line was skipped`,
        line,
      };
      onError(error);
    }

    function end(): void {
      if (leftover !== '') feed('');
      const held = discarding ? '' : pieces.join('');
      const line = lineNumber + 1;
      reset();
      if (held !== '') processLine(held, 0, held.length, line);
    }

    function reset(): void {
      started = false;
      discarding = false;
      lineNumber = 0;
      pieces.length = 0;
      pendingLength = 0;
      leftover = '';
    }

    return { feed, end, reset };
  }

  // JSON's own whitespace (RFC 8259): space, tab, CR; LF cannot occur inside a line.
  function isJsonWhitespace(text: string, start: number, end: number): boolean {
    for (let i = start; i < end; i++) {
      const code = text.charCodeAt(i);
      if (code !== SPACE && code !== TAB && code !== CR) return false;
    }
    return true;
  }

  // Cuts to at most 200 UTF-16 code units without splitting a surrogate pair.
  function cut(input: string): string {
    if (input.length <= MAX_INPUT_IN_ERROR) return input;
    const last = input.charCodeAt(MAX_INPUT_IN_ERROR - 1);
    return input.slice(0, last >= 0xd800 && last <= 0xdbff ? MAX_INPUT_IN_ERROR - 1 : MAX_INPUT_IN_ERROR);
  }

  function parseNDJSON(text: string): NDJSONParseResult {
    const values: unknown[] = [];
    const errors: StreamParseError[] = [];
    const parser = createNDJSONParser({
      onValue: (value) => {
        values.push(value);
      },
      onError: (error) => {
        errors.push(error);
      },
      maxBufferSize: Infinity,
    });
    parser.feed(text);
    parser.end();
    return { values, errors };
  }

  return { createNDJSONParser, parseNDJSON };
});

/**
 * Creates a push parser for newline-delimited JSON (Ollama's streaming format): one JSON value per LF-terminated
 * line, a CR before the LF tolerated, blank and whitespace-only lines skipped. A line that is not JSON is reported
 * through `onError` and parsing goes on with the next line. Call `end()` after the last chunk: the last line may
 * lack its newline.
 */
export function createNDJSONParser(options: NDJSONParserOptions): NDJSONParser {
  return ndjsonParsing().createNDJSONParser(options);
}

/** Parses a whole NDJSON body; the last line may lack its newline. No size limit applies to a body in memory. */
export function parseNDJSON(text: string): NDJSONParseResult {
  return ndjsonParsing().parseNDJSON(text);
}
