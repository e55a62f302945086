import {
  chunkTypeError,
  normalizeMaxBufferSize,
  optionalCallback,
  requireCallback,
  requireOptionsObject,
} from './parser-options.js';
import type { SSEMessage, SSEParser, SSEParserOptions } from './types.js';

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

// What a partial line (one whose line end has not arrived) can still turn out to be.
const UNDECIDED = 0; // a prefix of "data", "event", "id" or "retry": the next character decides
const KEEP = 1; // a field or comment the parser acts on: hold it, and count it against maxBufferSize
const SKIP = 2; // an unknown field, or a comment nobody listens to: drop it up to its line end

/**
 * Creates a push parser for one event stream. Feed it decoded text in pieces of any size; it calls `onEvent` for
 * each dispatched event exactly as a browser's `EventSource` would, and the same callbacks in the same order
 * whatever the split.
 */
export function createSSEParser(options: SSEParserOptions): SSEParser {
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

  // The spec's buffers.
  let firstData = '';
  const moreData: string[] = [];
  let dataLines = 0;
  let dataLength = 0; // length of the spec's data buffer: every value plus one LF per line
  let eventType = '';
  let idBuffer = '';
  let committedId = '';

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
    if (skipLeadingLF) {
      skipLeadingLF = false;
      if (chunk.charCodeAt(start) === LF) start++;
    }

    try {
      // Only the first line of a chunk can continue a held partial line (or one being skipped).
      if (discarding || pieces.length !== 0) {
        const end = nextLineEnd(chunk, start);
        const lineStart = start;
        if (end === -1) {
          start = length;
          holdPartialLine(chunk, lineStart, length);
          return;
        }
        start = afterLineEnd(chunk, end);
        if (discarding) {
          discarding = false;
        } else {
          pieces.push(chunk.slice(lineStart, end));
          const line = pieces.join('');
          pieces.length = 0;
          pendingLength = 0;
          processLine(line, 0, line.length);
        }
      }

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
          if (start === length) skipLeadingLF = true;
          else if (lf === start) start++;
        } else {
          start = length;
          holdPartialLine(chunk, lineStart, length);
          return;
        }

        // Inline fast paths for the lines LLM streams are made of: blank, `data:` and `event:` lines. Everything
        // else, and any line that would overflow, goes through processLine, which gives the same result. Prefixes
        // are checked with one startsWith rather than one charCodeAt per letter: in k6's interpreter every native
        // call costs about the same, and this took about a quarter off the time per event there (bench/sse). V8
        // inlines charCodeAt, so in Node the unrolled form would be faster; k6 is where this parser runs.
        if (lineStart === end) {
          dispatch();
          continue;
        }
        if (end - lineStart + dataLength <= maxBufferSize) {
          const first = chunk.charCodeAt(lineStart);
          if (first === LOWER_D) {
            let from = -1;
            if (chunk.startsWith('data: ', lineStart)) from = lineStart + 6;
            else if (chunk.startsWith('data:', lineStart)) from = lineStart + 5;
            if (from !== -1) {
              if (dataLines === 0 && chunk.charCodeAt(start) === LF) {
                // `data: …` then an empty line ended by LF: a one-line event, dispatched without the data buffer.
                start++;
                committedId = idBuffer;
                emit(chunk.slice(from, end));
              } else {
                appendData(chunk.slice(from, end), end - from);
              }
              continue;
            }
          } else if (first === LOWER_E && chunk.startsWith('event:', lineStart)) {
            eventType = chunk.slice(chunk.charCodeAt(lineStart + 6) === SPACE ? lineStart + 7 : lineStart + 6, end);
            continue;
          }
        }
        processLine(chunk, lineStart, end);
      }
    } catch (error) {
      leftover = chunk.slice(start);
      throw error;
    }
  }

  // Where the line end at `end` (a CR or LF) is over. A CR at the very end of a chunk already ends its line;
  // whether it is half of a CRLF is known only when the next chunk arrives.
  function afterLineEnd(chunk: string, end: number): number {
    const next = end + 1;
    if (chunk.charCodeAt(end) !== CR) return next;
    if (next === chunk.length) {
      skipLeadingLF = true;
      return next;
    }
    return chunk.charCodeAt(next) === LF ? next + 1 : next;
  }

  function holdPartialLine(chunk: string, start: number, end: number): void {
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
  // it is followed by a colon or the end of the line; `startsWith` cannot match across the line end, which is a CR,
  // an LF or the end of `line`.
  function processLine(line: string, start: number, end: number): void {
    if (start === end) {
      dispatch();
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
      if (line.startsWith('data', start)) from = valueStart(line, start, end, 4);
    } else if (first === LOWER_E) {
      if (line.startsWith('event', start)) from = valueStart(line, start, end, 5);
    } else if (first === LOWER_I) {
      if (line.startsWith('id', start)) from = valueStart(line, start, end, 2);
    } else if (first === LOWER_R) {
      if (line.startsWith('retry', start)) from = valueStart(line, start, end, 5);
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

/**
 * Parses a whole `text/event-stream` body, such as a buffered `k6/http` response, into its events. A block that
 * the body does not end with a blank line is not an event (the spec discards it). No size limit applies: the text
 * is already in memory.
 */
export function parseSSE(text: string): SSEMessage[] {
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
