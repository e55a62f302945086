import { createNDJSONParser, createSSEParser } from '../../../lib/sse/index';
import type { SSEMessage, SSEParser, StreamParseError } from '../../../lib/sse/index';
import { seededRandom } from '../../../lib/workload/seeded-random';

/** Mulberry32, so "random" splits are the same on every run: the library's own seeded generator. */
export { seededRandom };

/** Cuts `text` into consecutive pieces of 1 to `maxPiece` characters (some empty pieces too) using `random`. */
export function randomSplit(text: string, random: () => number, maxPiece = 8): string[] {
  const pieces: string[] = [];
  let at = 0;
  while (at < text.length) {
    if (random() < 0.05) pieces.push('');
    const size = 1 + Math.floor(random() * maxPiece);
    pieces.push(text.slice(at, at + size));
    at += size;
  }
  return pieces;
}

/**
 * Splits text at the given cut points, as fast-check draws them: each taken modulo `text.length + 1` (so any natural
 * number is a cut), then sorted and deduplicated.
 */
export function splitAt(text: string, cuts: readonly number[]): string[] {
  const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let start = 0;
  for (const point of points) {
    chunks.push(text.slice(start, point));
    start = point;
  }
  chunks.push(text.slice(start));
  return chunks;
}

/** The ways every fixture is fed: whole, one character at a time, and seeded random splits. */
export function splitStrategies(text: string): Array<{ name: string; chunks: string[] }> {
  const strategies = [
    { name: 'whole', chunks: [text] },
    { name: 'one character at a time', chunks: Array.from({ length: text.length }, (_, i) => text.charAt(i)) },
  ];
  for (const seed of [1, 2, 3, 42, 2026]) {
    strategies.push({ name: `random splits (seed ${seed})`, chunks: randomSplit(text, seededRandom(seed), 1 + (seed % 13)) });
  }
  return strategies;
}

/** Everything one parser reported, in order, so split-invariance can compare whole callback sequences. */
export type SSECall =
  | { kind: 'event'; message: SSEMessage }
  | { kind: 'retry'; ms: number }
  | { kind: 'comment'; text: string }
  | { kind: 'error'; error: StreamParseError };

export interface SSERecording {
  calls: SSECall[];
  events: SSEMessage[];
  retries: number[];
  comments: string[];
  errors: StreamParseError[];
  lastEventId: string;
}

export function recordSSE(chunks: readonly string[], maxBufferSize?: number): SSERecording {
  const calls: SSECall[] = [];
  const parser: SSEParser = createSSEParser({
    onEvent: (message) => calls.push({ kind: 'event', message }),
    onRetry: (ms) => calls.push({ kind: 'retry', ms }),
    onComment: (text) => calls.push({ kind: 'comment', text }),
    onError: (error) => calls.push({ kind: 'error', error }),
    ...(maxBufferSize === undefined ? {} : { maxBufferSize }),
  });
  for (const chunk of chunks) parser.feed(chunk);
  return summarize(calls, parser.lastEventId);
}

export function summarize(calls: SSECall[], lastEventId: string): SSERecording {
  const events: SSEMessage[] = [];
  const retries: number[] = [];
  const comments: string[] = [];
  const errors: StreamParseError[] = [];
  for (const call of calls) {
    if (call.kind === 'event') events.push(call.message);
    else if (call.kind === 'retry') retries.push(call.ms);
    else if (call.kind === 'comment') comments.push(call.text);
    else errors.push(call.error);
  }
  return { calls, events, retries, comments, errors, lastEventId };
}

export interface NDJSONRecording {
  values: unknown[];
  lines: number[];
  errors: StreamParseError[];
}

export function recordNDJSON(chunks: readonly string[], maxBufferSize?: number): NDJSONRecording {
  const recording: NDJSONRecording = { values: [], lines: [], errors: [] };
  const parser = createNDJSONParser({
    onValue: (value, line) => {
      recording.values.push(value);
      recording.lines.push(line);
    },
    onError: (error) => recording.errors.push(error),
    ...(maxBufferSize === undefined ? {} : { maxBufferSize }),
  });
  for (const chunk of chunks) parser.feed(chunk);
  parser.end();
  return recording;
}
