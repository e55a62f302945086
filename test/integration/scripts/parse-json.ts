// Runs in k6: the extension's parseJSON against k6's own JSON.parse, on hand-picked edge cases and on seeded
// random documents, each also mutated into (mostly) invalid JSON. For every input parseJSON must either decline
// (undefined) or build exactly JSON.parse's value; it must never accept what JSON.parse rejects. Prints one
// `parse-json {...}` line of counts for the test to read.
import llmstream from 'k6/x/llmstream';
// Seeded (mulberry32), so a failure names an input that can be replayed.
import { seededRandom as rng } from '../../../lib/workload/seeded-random';

const parseJSON = llmstream.parseJSON as (text: string) => unknown;

const EDGE_CASES = [
  '{"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":" lorem"},"logprobs":null,"finish_reason":null}],"usage":null}',
  '0', '-0', '1', '-1', '1.5', '1e3', '1E-3', '-1.25e+2', '123456789012345', '1234567890123456789012', '9007199254740993',
  '0.1', '5e-324', '1.7976931348623157e308', '1e400', '-1e400', '1e-400',
  'true', 'false', 'null', '""', '"a"', '"\\u00e9\\u4e2d\\ud83d\\ude00"', '"\\"\\\\\\/\\b\\f\\n\\r\\t"', '"\\u0000"',
  '"\\ud800"', '"\\udc00"', '"\\ud800\\u0041"', '"é 中 😀"', '"\\uFFFD"', '"\uFFFD"',
  '{}', '[]', ' \t\n\r{ "a" : [ 1 , 2 ] } \n', '{"a":1,"a":2}', '{"b":1,"a":2,"1":3,"0":4}', '{"__proto__":{"x":1}}',
  '{"constructor":1}', '[[[[[[[[[[1]]]]]]]]]]', '['.repeat(300) + ']'.repeat(300), '[' + '1,'.repeat(1000) + '1]',
  '01', '1.', '.5', '+1', '-', '--1', '1e', '1e+', '0x10', 'NaN', 'Infinity', 'tru', 'nul', 'True', '',
  ' ', '"\t"', '"\n"', '"abc', "'a'", '{"a":1,}', '[1,]', '{a:1}', '{"a" 1}', '[1 2]', '1 2', '"\\x"', '"\\u12"',
  '"\\u12G4"', '\uFEFF{}', '{"a":1}x', '[', '{', '}', ']', '[DONE]', 'data: {}',
];

const ALPHABET = ['a', 'Z', ' ', '"', '\\', '/', '\n', '\t', '\u0001', 'é', '中', '😀', '\u2028', '{', '}', '[', ']', ':', ','];

function randomString(next: () => number): string {
  let s = '';
  const n = Math.floor(next() * 12);
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return s;
}

function randomValue(next: () => number, depth: number): unknown {
  const r = next();
  if (depth > 4 || r < 0.35) {
    const k = Math.floor(next() * 6);
    if (k === 0) return null;
    if (k === 1) return next() < 0.5;
    if (k === 2) return Math.floor((next() - 0.5) * 2e6);
    if (k === 3) return (next() - 0.5) * 10 ** Math.floor(next() * 40 - 20);
    return randomString(next);
  }
  if (r < 0.65) {
    const list: unknown[] = [];
    const n = Math.floor(next() * 5);
    for (let i = 0; i < n; i++) list.push(randomValue(next, depth + 1));
    return list;
  }
  const obj: Record<string, unknown> = {};
  const n = Math.floor(next() * 6);
  for (let i = 0; i < n; i++) obj[next() < 0.2 ? String(Math.floor(next() * 10)) : randomString(next)] = randomValue(next, depth + 1);
  return obj;
}

function mutate(text: string, next: () => number): string {
  const at = Math.floor(next() * (text.length + 1));
  const k = Math.floor(next() * 3);
  if (k === 0) return text.slice(0, at) + text.slice(at + 1);
  const c = ['"', ',', '}', ']', '\\', ' ', '0', '-', 'e', '.', 'x'][Math.floor(next() * 11)];
  return k === 1 ? text.slice(0, at) + c + text.slice(at) : text.slice(0, at) + c + text.slice(at + 1);
}

// Same value: same JSON text (which compares key order too), and for numbers Object.is (so -0 is not 0).
function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number') return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (a !== null && typeof a === 'object' && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

export const options = { vus: 1, iterations: 1 };

export default function (): void {
  const counts = { inputs: 0, matched: 0, declinedValid: 0, declinedInvalid: 0, wrong: 0, acceptedInvalid: 0 };
  const problems: string[] = [];
  const check = (text: string): void => {
    counts.inputs++;
    let native: unknown;
    let valid = true;
    try {
      native = JSON.parse(text);
    } catch {
      valid = false;
    }
    const fast = parseJSON(text);
    if (fast === undefined) {
      if (valid) counts.declinedValid++;
      else counts.declinedInvalid++;
    } else if (!valid) {
      counts.acceptedInvalid++;
      problems.push(`accepted invalid ${JSON.stringify(text).slice(0, 120)}`);
    } else if (same(fast, native)) {
      counts.matched++;
    } else {
      counts.wrong++;
      problems.push(`different value for ${JSON.stringify(text).slice(0, 120)}`);
    }
  };
  for (const text of EDGE_CASES) check(text);
  const next = rng(20261129);
  for (let i = 0; i < 1500; i++) {
    const text = JSON.stringify(randomValue(next, 0), null, next() < 0.3 ? 1 : undefined);
    check(text);
    check(mutate(text, next));
  }
  console.log(`parse-json ${JSON.stringify({ ...counts, problems: problems.slice(0, 10) })}`);
}
