import { lazy } from '../internal/lazy';
import { parserOptions } from './parser-options';
import type { SSEMessage, SSEParser, SSEParserOptions } from './types';

// Spec: WHATWG HTML §9.2.5 "Parsing an event stream" and §9.2.6 "Interpreting an event stream".

const LF = 10;
const CR = 13;
const SPACE = 32;
const COLON = 58;
const BOM = 0xfeff;
const LOWER_D = 100;
const LOWER_E = 101;
const LOWER_I = 105;
const LOWER_R = 114;

// Longest `event:` line the fast path remembers; LLM APIs' event names are a few dozen characters.
const MAX_REMEMBERED_EVENT_LINE = 256;

// What a partial line (one whose line end has not arrived) can still turn out to be.
const UNDECIDED = 0; // a prefix of "data", "event", "id" or "retry": the next character decides
const KEEP = 1; // a field or comment the parser acts on: hold it, and count it against maxBufferSize
const SKIP = 2; // an unknown field, or a comment nobody listens to: drop it up to its line end

/** The SSE parser, built on first use (see lib/internal/lazy.ts): a VU that never reads a stream pays nothing for it. */
export const sseParsing = lazy(() => {
  const { chunkTypeError, normalizeMaxBufferSize, optionalCallback, requireCallback, requireOptionsObject } = parserOptions();

  function createSSEParser(options: SSEParserOptions): SSEParser {
    requireOptionsObject(options, 'onEvent');
    const onEvent = requireCallback(options.onEvent, 'onEvent');
    const onRetry = optionalCallback(options.onRetry, 'onRetry');
    const onComment = optionalCallback(options.onComment, 'onComment');
    const onError = optionalCallback(options.onError, 'onError');
    const maxBufferSize = normalizeMaxBufferSize(options.maxBufferSize);

    // Line reading. A partial line is kept as pieces and joined once at its line end, so one huge line fed in tiny
    // chunks costs linear time rather than a `buffer += chunk` copy per chunk.
    let started = false; // a leading BOM is stripped only from the first character of the stream
    let skipLeadingLF = false; // the last chunk ended in CR: an LF starting the next chunk completes a CRLF
    let discarding = false; // skipping the rest of an ignored or oversized line
    const pieces: string[] = [];
    let pendingLength = 0;
    let pendingKind = UNDECIDED;
    let leftover = ''; // the unparsed rest of a chunk whose callback threw
    // Whether the next chunk's start needs a look: any of the five states above may be set. One test per chunk
    // instead of five matters when every chunk is one small event.
    let resume = true;

    // The spec's buffers.
    let firstData = '';
    const moreData: string[] = [];
    let dataLines = 0;
    let dataLength = 0; // length of the spec's data buffer: every value plus one LF per line
    let eventType = '';
    let idBuffer = '';
    let committedId = '';

    // What a block of the usual shape begins with: `data: `, or once an `event:` line has been read on the fast
    // path, that line, its LF and `data: `, since LLM streams repeat one event line block after block. `blockEvent`
    // is that line's value and `blockType` the type such a block dispatches; `separator` is a blank line followed
    // by the next such block.
    let blockPrefix = 'data: ';
    let blockPrefixLength = 6;
    let blockEvent = '';
    let blockType = 'message';
    let separator = '\n\ndata: ';
    let separatorLength = 8;

    function feed(chunk: string): void {
      if (typeof chunk !== 'string') throw chunkTypeError(chunk);
      if (!resume && eventType === '' && dataLines === 0) {
        // The chunk a token stream sends most: exactly one block of the usual shape, its data line, a blank line.
        // Handled here in as few steps as the checks allow, which made such chunks about a quarter faster in k6
        // than going through the loop below (bench/sse); any other chunk has spent one indexOf on the attempt.
        const end = chunk.indexOf('\n', blockPrefixLength);
        const length = chunk.length;
        if (
          end + 2 === length &&
          chunk.charCodeAt(end + 1) === LF &&
          chunk.slice(0, blockPrefixLength) === blockPrefix &&
          chunk.indexOf('\r') === -1 &&
          length <= maxBufferSize
        ) {
          committedId = idBuffer;
          onEvent({ type: blockType, data: chunk.slice(blockPrefixLength, end), lastEventId: committedId });
          return;
        }
      }
      let start = 0;
      let continuesLine = false;
      if (resume) {
        if (leftover !== '') {
          chunk = leftover + chunk;
          leftover = '';
        }
        if (chunk === '') return;
        resume = false;
        if (!started) {
          started = true;
          if (chunk.charCodeAt(0) === BOM) start = 1;
        }
        if (skipLeadingLF) {
          skipLeadingLF = false;
          if (chunk.charCodeAt(start) === LF) start++;
        }
        continuesLine = discarding || pieces.length !== 0;
      }
      const length = chunk.length;
      const lfOnly = chunk.indexOf('\r') === -1;
      if (continuesLine) {
        // Only the first line of a chunk can continue a held partial line (or one being skipped).
        const end = lfOnly ? chunk.indexOf('\n', start) : nextLineEnd(chunk, start);
        if (end === -1) {
          holdPartialLine(chunk, start, length);
          return;
        }
        const next = lfOnly ? end + 1 : afterLineEnd(chunk, end);
        finishHeldLine(chunk, start, end, next);
        start = next;
      }
      // Each line's length plus the data buffer must stay within maxBufferSize. A data line adds at most its own
      // length to the buffer, so when the whole chunk fits beside the buffer, no line of it can overflow and none
      // needs measuring.
      if (!lfOnly || length + dataLength > maxBufferSize) {
        feedAnyLines(chunk, start, length);
        return;
      }

      // The fast path: no CR, so every line ends in LF, and no line can overflow. Its costs are counted in native
      // calls: in k6's interpreter each indexOf, slice or charCodeAt costs as much as ten plain operations or more,
      // and an object literal as three calls (bench/sse). Prefixes are tested with `slice(…) === '…'`, one call
      // in k6 and as cheap as a charCodeAt chain in V8, where startsWith with a position is twice as slow.
      try {
        lines: while (start < length) {
          if (eventType === '' && dataLines === 0 && chunk.slice(start, start + blockPrefixLength) === blockPrefix) {
            // Blocks of the usual shape, one after another: the data line's value, then a blank line. One indexOf
            // finds the value's end and one comparison checks both the blank line and the next block's prefix, so
            // an event costs three calls.
            let from = start + blockPrefixLength;
            for (;;) {
              const end = chunk.indexOf('\n', from);
              if (end !== -1) {
                const next = end + separatorLength;
                if (next <= length && chunk.slice(end, next) === separator) {
                  start = end + 2;
                  committedId = idBuffer;
                  onEvent({ type: blockType, data: chunk.slice(from, end), lastEventId: committedId });
                  from = next;
                  continue;
                }
                if (chunk.charCodeAt(end + 1) === LF) {
                  start = end + 2;
                  committedId = idBuffer;
                  onEvent({ type: blockType, data: chunk.slice(from, end), lastEventId: committedId });
                  continue lines;
                }
              }
              // Not a one-line event after all, or its data line has not ended yet: take its event line and data
              // line as read, and go on line by line.
              eventType = blockEvent;
              start = from - 6;
              if (end === -1) break lines;
              start = end + 1;
              appendData(chunk.slice(from, end), end - from);
              continue lines;
            }
          }
          const end = chunk.indexOf('\n', start);
          if (end === -1) break;
          const lineStart = start;
          start = end + 1;
          if (lineStart === end) {
            dispatch();
            continue;
          }
          if (chunk.slice(lineStart, lineStart + 6) === 'data: ') {
            if (dataLines === 0 && chunk.charCodeAt(start) === LF) {
              // `data: …` then a blank line: a one-line event, dispatched without the data buffer.
              start++;
              committedId = idBuffer;
              emit(chunk.slice(lineStart + 6, end));
            } else {
              appendData(chunk.slice(lineStart + 6, end), end - lineStart - 6);
            }
            continue;
          }
          if (chunk.slice(lineStart, lineStart + 7) === 'event: ') {
            eventType = chunk.slice(lineStart + 7, end);
            // Remembered only when short: the prefix is compared at every block start, and Sobek copies what it
            // slices from a string that is not all ASCII, so a huge remembered line could make parsing quadratic.
            if (end - lineStart <= MAX_REMEMBERED_EVENT_LINE) {
              blockEvent = eventType;
              blockPrefix = chunk.slice(lineStart, start) + 'data: ';
              blockPrefixLength = start - lineStart + 6;
              blockType = eventType === '' ? 'message' : eventType;
              separator = '\n\n' + blockPrefix;
              separatorLength = blockPrefixLength + 2;
            }
            continue;
          }
          processLine(chunk, lineStart, end);
        }
        if (start < length) {
          const lineStart = start;
          start = length;
          holdPartialLine(chunk, lineStart, length);
        }
      } catch (error) {
        keepUnparsed(chunk.slice(start));
        throw error;
      }
    }

    // The general path: lines may end in CR, LF or CRLF, and each line is measured against maxBufferSize.
    function feedAnyLines(chunk: string, start: number, length: number): void {
      try {
        // Positions of the next LF and CR at or after `start`, `length` when there is none. Each is searched again
        // only once the scan has passed it, so a chunk costs one indexOf pass per character class, not one per line.
        let lf = -1;
        let cr = -1;
        while (start < length) {
          if (lf < start) {
            lf = chunk.indexOf('\n', start);
            if (lf === -1) lf = length;
          }
          if (cr < start) {
            cr = chunk.indexOf('\r', start);
            if (cr === -1) cr = length;
          }
          const lineStart = start;
          let end: number;
          if (lf < cr) {
            end = lf;
            start = lf + 1;
          } else if (cr < length) {
            end = cr;
            start = cr + 1;
            // A CR at the very end of a chunk already ends its line; whether it is half of a CRLF is known only when
            // the next chunk arrives.
            if (start === length) skipLeadingLF = resume = true;
            else if (lf === start) start++;
          } else {
            break;
          }
          if (lineStart === end) {
            dispatch();
            continue;
          }
          // `data:` and `event:` lines inline; everything else, and any line that would overflow, through processLine.
          if (end - lineStart + dataLength <= maxBufferSize) {
            if (chunk.slice(lineStart, lineStart + 6) === 'data: ') {
              if (dataLines === 0 && chunk.charCodeAt(start) === LF) {
                // `data: …` then an empty line ended by LF: a one-line event, dispatched without the data buffer.
                start++;
                committedId = idBuffer;
                emit(chunk.slice(lineStart + 6, end));
              } else {
                appendData(chunk.slice(lineStart + 6, end), end - lineStart - 6);
              }
              continue;
            }
            if (chunk.slice(lineStart, lineStart + 7) === 'event: ') {
              eventType = chunk.slice(lineStart + 7, end);
              continue;
            }
          }
          processLine(chunk, lineStart, end);
        }
        if (start < length) {
          const lineStart = start;
          start = length;
          holdPartialLine(chunk, lineStart, length);
        }
      } catch (error) {
        keepUnparsed(chunk.slice(start));
        throw error;
      }
    }

    // Ends the held partial line (or the one being skipped) with `chunk` from `start` to its line end at `end`;
    // the rest of the chunk starts at `next`.
    function finishHeldLine(chunk: string, start: number, end: number, next: number): void {
      if (discarding) {
        discarding = false;
        return;
      }
      let line: string;
      if (pieces.length === 1) {
        line = pieces[0] + chunk.slice(start, end);
      } else {
        pieces.push(chunk.slice(start, end));
        line = pieces.join('');
      }
      pieces.length = 0;
      pendingLength = 0;
      try {
        processLine(line, 0, line.length);
      } catch (error) {
        keepUnparsed(chunk.slice(next));
        throw error;
      }
    }

    // A callback threw: `rest`, the unparsed rest of the chunk, is parsed first by the next feed().
    function keepUnparsed(rest: string): void {
      leftover = rest;
      resume = true;
    }

    // Where the line end at `end` (a CR or LF) is over. A CR at the very end of a chunk already ends its line;
    // whether it is half of a CRLF is known only when the next chunk arrives.
    function afterLineEnd(chunk: string, end: number): number {
      const next = end + 1;
      if (chunk.charCodeAt(end) !== CR) return next;
      if (next === chunk.length) {
        skipLeadingLF = resume = true;
        return next;
      }
      return chunk.charCodeAt(next) === LF ? next + 1 : next;
    }

    function holdPartialLine(chunk: string, start: number, end: number): void {
      resume = true;
      if (discarding) return;
      let kind = pendingKind;
      if (pieces.length === 0) {
        kind = classifyPartialLine(chunk, start, end);
      } else if (kind === UNDECIDED) {
        const head = pieces.join('') + chunk.slice(start, Math.min(end, start + 6));
        kind = classifyPartialLine(head, 0, head.length);
      }
      if (kind === SKIP) {
        pieces.length = 0;
        pendingLength = 0;
        discarding = true;
        return;
      }
      pieces.push(chunk.slice(start, end));
      pendingLength += end - start;
      pendingKind = kind;
      // An UNDECIDED line is at most 5 characters; it is measured when its line end arrives.
      if (kind === KEEP && pendingLength + dataLength > maxBufferSize) {
        discarding = true;
        overflow();
      }
    }

    function nextLineEnd(chunk: string, from: number): number {
      const lf = chunk.indexOf('\n', from);
      const cr = chunk.indexOf('\r', from);
      if (lf === -1) return cr;
      return cr === -1 || lf < cr ? lf : cr;
    }

    function classifyPartialLine(text: string, start: number, end: number): number {
      // `text` ends at `end`. Mostly a data line cut by the chunk's end: one comparison rather than the loop below.
      if (text.slice(start, start + 5) === 'data:') return KEEP;
      const first = text.charCodeAt(start);
      if (first === COLON) return onComment === undefined ? SKIP : KEEP;
      const name =
        first === LOWER_D ? 'data' : first === LOWER_E ? 'event' : first === LOWER_I ? 'id' : first === LOWER_R ? 'retry' : '';
      if (name === '') return SKIP;
      const available = end - start;
      const compared = available < name.length ? available : name.length;
      for (let i = 1; i < compared; i++) {
        if (text.charCodeAt(start + i) !== name.charCodeAt(i)) return SKIP;
      }
      if (available <= name.length) return UNDECIDED;
      return text.charCodeAt(start + name.length) === COLON ? KEEP : SKIP;
    }

    // Returns where the value starts when the line's field name is exactly the `nameLength` characters at `start`
    // (the line ends there or a colon follows), else -1. One U+0020 after the colon is not part of the value.
    function valueStart(line: string, start: number, end: number, nameLength: number): number {
      const colon = start + nameLength;
      if (colon === end) return end;
      if (line.charCodeAt(colon) !== COLON) return -1;
      return colon + 1 < end && line.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1;
    }

    // The general path: every kind of line, held lines, and the maxBufferSize check. A field name matches only when
    // it is followed by a colon or the end of the line; a name cannot match across the line end, which is a CR,
    // an LF or the end of `line`.
    function processLine(line: string, start: number, end: number): void {
      if (start === end) {
        dispatch();
        return;
      }
      // Mostly a data line completed across chunks: one comparison rather than the general field match below.
      if (line.slice(start, start + 6) === 'data: ') {
        if (end - start + dataLength > maxBufferSize) overflow();
        else appendData(line.slice(start + 6, end), end - start - 6);
        return;
      }
      const first = line.charCodeAt(start);
      if (first === COLON) {
        if (onComment === undefined) return;
        if (end - start + dataLength > maxBufferSize) {
          overflow();
          return;
        }
        onComment(line.slice(start + 1, end));
        return;
      }
      let from = -1;
      if (first === LOWER_D) {
        if (line.slice(start, start + 4) === 'data') from = valueStart(line, start, end, 4);
      } else if (first === LOWER_E) {
        if (line.slice(start, start + 5) === 'event') from = valueStart(line, start, end, 5);
      } else if (first === LOWER_I) {
        if (line.slice(start, start + 2) === 'id') from = valueStart(line, start, end, 2);
      } else if (first === LOWER_R) {
        if (line.slice(start, start + 5) === 'retry') from = valueStart(line, start, end, 5);
      }
      if (from === -1) return; // an unknown field, which the spec ignores
      if (end - start + dataLength > maxBufferSize) {
        overflow();
        return;
      }
      const value = line.slice(from, end);
      if (first === LOWER_D) {
        appendData(value, end - from);
      } else if (first === LOWER_E) {
        eventType = value;
      } else if (first === LOWER_I) {
        if (value.indexOf('\u0000') === -1) idBuffer = value;
      } else if (onRetry !== undefined && isAsciiDigits(value)) {
        onRetry(parseInt(value, 10));
      }
    }

    function appendData(value: string, valueLength: number): void {
      if (dataLines === 0) firstData = value;
      else moreData.push(value);
      dataLines++;
      dataLength += valueLength + 1;
    }

    function dispatch(): void {
      // Step 1 commits the ID buffer even when nothing is dispatched.
      committedId = idBuffer;
      if (dataLines === 0) {
        eventType = '';
        return;
      }
      // Joining with LF is the spec's "append value, append LF" followed by "remove the one trailing LF".
      const data = dataLines === 1 ? firstData : firstData + '\n' + moreData.join('\n');
      firstData = '';
      if (dataLines > 1) moreData.length = 0;
      dataLines = 0;
      dataLength = 0;
      emit(data);
    }

    // Buffers are cleared before the callback runs, so a callback that throws leaves a clean state.
    function emit(data: string): void {
      const type = eventType === '' ? 'message' : eventType;
      eventType = '';
      const message: SSEMessage = { type, data, lastEventId: committedId };
      onEvent(message);
    }

    function clearEvent(): void {
      firstData = '';
      if (dataLines > 1) moreData.length = 0;
      dataLines = 0;
      dataLength = 0;
      eventType = '';
    }

    function overflow(): void {
      pieces.length = 0;
      pendingLength = 0;
      clearEvent();
      idBuffer = committedId;
      if (onError !== undefined) {
        onError({
          type: 'max-buffer-size-exceeded',
          message:
            `invalid event stream: expected at most ${maxBufferSize} characters in a line plus its event's data, ` +
            'got more; the line and its pending event were dropped',
        });
      }
    }

    function reset(): void {
      resume = true;
      started = false;
      skipLeadingLF = false;
      discarding = false;
      pieces.length = 0;
      pendingLength = 0;
      pendingKind = UNDECIDED;
      leftover = '';
      firstData = '';
      moreData.length = 0;
      dataLines = 0;
      dataLength = 0;
      eventType = '';
      idBuffer = '';
      committedId = '';
      blockPrefix = 'data: ';
      blockPrefixLength = 6;
      blockEvent = '';
      blockType = 'message';
      separator = '\n\ndata: ';
      separatorLength = 8;
    }

    return {
      feed,
      reset,
      get lastEventId() {
        return committedId;
      },
    };
  }

  function isAsciiDigits(value: string): boolean {
    if (value.length === 0) return false;
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      if (code < 48 || code > 57) return false;
    }
    return true;
  }

  function parseSSE(text: string): SSEMessage[] {
    const messages: SSEMessage[] = [];
    const parser = createSSEParser({
      onEvent: (message) => {
        messages.push(message);
      },
      maxBufferSize: Infinity,
    });
    parser.feed(text);
    return messages;
  }

  return { createSSEParser, parseSSE };
});

/**
 * Creates a push parser for one event stream. Feed it decoded text in pieces of any size; it calls `onEvent` for
 * each dispatched event exactly as a browser's `EventSource` would, and the same callbacks in the same order
 * whatever the split.
 */
export function createSSEParser(options: SSEParserOptions): SSEParser {
  return sseParsing().createSSEParser(options);
}

/**
 * Parses a whole `text/event-stream` body, such as a buffered `k6/http` response, into its events. A block that
 * the body does not end with a blank line is not an event (the spec discards it). No size limit applies: the text
 * is already in memory.
 */
export function parseSSE(text: string): SSEMessage[] {
  return sseParsing().parseSSE(text);
}
