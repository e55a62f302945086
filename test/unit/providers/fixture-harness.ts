import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createNDJSONParser, createSSEParser } from '../../../lib/sse/index';
import type { Completion, EventEffect, Provider, StreamEvent } from '../../../lib/providers/index';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/providers/', import.meta.url));

export interface Fixture {
  /** `<provider dir>/<file>` */
  name: string;
  dir: string;
  base: string;
  body: string;
  stream: boolean;
  expected: Completion;
  /** One code per framed event: `c` content, `v` visible, `t` terminal, `e` error. */
  effects?: string[];
}

/** Every body file (`.sse`, `.ndjson`: streamed; `.json`: whole) with its `<base>.expected.json`. */
export function loadFixtures(dir: string): Fixture[] {
  const files = readdirSync(FIXTURES + dir).filter((f) => !f.endsWith('.expected.json'));
  return files.sort().map((file) => {
    const base = file.replace(/\.(sse|ndjson|json)$/, '');
    const expected = JSON.parse(readFileSync(`${FIXTURES}${dir}/${base}.expected.json`, 'utf8')) as {
      completion: Completion;
      effects?: string[];
    };
    return {
      name: `${dir}/${file}`,
      dir,
      base,
      body: readFileSync(`${FIXTURES}${dir}/${file}`, 'utf8'),
      stream: !file.endsWith('.json'),
      expected: expected.completion,
      effects: expected.effects,
    };
  });
}

export function effectCode(effect: EventEffect): string {
  return (effect.content ? 'c' : '') + (effect.visible ? 'v' : '') + (effect.terminal ? 't' : '') + (effect.error ? 'e' : '');
}

/**
 * Reads a stream the way an incremental transport does: the framing parser the provider needs, fed the given
 * chunks, each framed event pushed into one reader.
 */
export function readInChunks(provider: Provider, chunks: string[]): { completion: Completion; effects: string[] } {
  const reader = provider.createReader();
  const effects: string[] = [];
  const push = (event: StreamEvent): void => {
    effects.push(effectCode(reader.push(event)));
  };
  if (provider.streamFormat === 'sse') {
    const parser = createSSEParser({ onEvent: push });
    for (const chunk of chunks) parser.feed(chunk);
  } else {
    const parser = createNDJSONParser({
      onValue: (value) => push({ type: 'json', value }),
      onError: (error) => push({ type: 'invalid-json', error }),
    });
    for (const chunk of chunks) parser.feed(chunk);
    parser.end();
  }
  return { completion: reader.finish(), effects };
}

/** Splits text at the given cut points (sorted, deduplicated, clamped). */
export function splitAt(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => Math.min(Math.max(c, 0), text.length)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let start = 0;
  for (const point of points) {
    chunks.push(text.slice(start, point));
    start = point;
  }
  chunks.push(text.slice(start));
  return chunks;
}
