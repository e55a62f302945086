import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { responseDecoder, type Completion, type EventEffect, type Provider } from '../../../lib/providers/index';

export { splitAt } from '../sse/helpers';

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

/** Reads a stream the way the relay and the transports do: the library's own decoder, fed the given chunks. */
export function readInChunks(provider: Provider, chunks: string[]): { completion: Completion; effects: string[] } {
  const effects: string[] = [];
  const decoder = responseDecoder(provider).open((effect) => effects.push(effectCode(effect)));
  for (const chunk of chunks) decoder.feed(chunk);
  return { completion: decoder.finish(), effects };
}
