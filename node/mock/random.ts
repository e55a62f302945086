import { createHash } from 'node:crypto';

/** A seeded pseudo-random source: `next()` is uniform in [0, 1). */
export interface Random {
  next(): number;
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** Standard normal deviate. */
  normal(): number;
}

/**
 * sfc32 seeded from a SHA-256 of the given parts: cheap, 128 bits of state, and the same parts always give the same
 * sequence, so one request replayed against the mock gets the same words, jitter and tool arguments.
 */
export function createRandom(...seedParts: readonly (string | number)[]): Random {
  const digest = createHash('sha256').update(seedParts.join('\u0000')).digest();
  return new Sfc32(digest.readUInt32LE(0), digest.readUInt32LE(4), digest.readUInt32LE(8), digest.readUInt32LE(12));
}

/**
 * The generator's state in one object with its methods on the prototype, rather than four closures over a context:
 * each request holds one for as long as it streams, and the collector copies what lives that long.
 */
class Sfc32 implements Random {
  constructor(
    private a: number,
    private b: number,
    private c: number,
    private d: number,
  ) {
    // Mix the state a little so nearby seeds do not start correlated.
    for (let i = 0; i < 12; i++) this.next();
  }

  next(): number {
    const a = this.a | 0;
    const b = this.b | 0;
    const c = this.c | 0;
    const d = this.d | 0;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    const rotated = (c << 21) | (c >>> 11);
    this.c = (rotated + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('invalid pick: expected a non-empty list, got an empty one');
    return item;
  }

  normal(): number {
    // Box-Muller; 1 - u keeps the logarithm finite.
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

const WORDS = [
  'the', 'load', 'model', 'token', 'stream', 'latency', 'server', 'request', 'answer', 'quick', 'test', 'data',
  'value', 'system', 'user', 'time', 'first', 'next', 'batch', 'cache', 'prompt', 'window', 'context', 'result',
  'simple', 'clear', 'steady', 'signal', 'queue', 'worker', 'thread', 'metric', 'trend', 'rate', 'limit', 'budget',
  'plan', 'check', 'route', 'field', 'record', 'level', 'range', 'point', 'scale', 'shape', 'track', 'sample',
  'and', 'of', 'to', 'in', 'for', 'with', 'on', 'at', 'by', 'from', 'is', 'are', 'was', 'be', 'can', 'will',
  'a', 'an', 'this', 'that', 'it', 'we', 'you', 'they', 'more', 'less', 'each', 'every', 'some', 'many',
  'fast', 'slow', 'small', 'large', 'long', 'short', 'high', 'low', 'new', 'old', 'good', 'real', 'mock',
  'measure', 'send', 'read', 'write', 'build', 'run', 'wait', 'keep', 'hold', 'move', 'turn', 'start', 'stop',
] as const;

/** Each word as a token can read: alone, after a space, capitalized, capitalized after a space. Built once, so
 * an answer's tokens are shared strings and cost the collector nothing while the answer streams. */
const SPELLINGS = WORDS.map((word) => {
  const capital = word.charAt(0).toUpperCase() + word.slice(1);
  return { plain: word, spaced: ` ${word}`, capital, spacedCapital: ` ${capital}` };
});

/**
 * Deterministic pseudo-words, one token each: the first is capitalized, later ones carry their leading space,
 * and about one in twelve tokens is a bare `.` or `,` so the text reads like sentences.
 */
export function pseudoWords(random: Random, count: number): string[] {
  const tokens: string[] = [];
  let capitalize = true;
  for (let i = 0; i < count; i++) {
    const roll = random.next();
    if (i > 0 && i < count - 1 && !capitalize && roll < 0.08) {
      const mark = roll < 0.05 ? '.' : ',';
      tokens.push(mark);
      capitalize = mark === '.';
      continue;
    }
    const word = random.pick(SPELLINGS);
    if (i === 0) tokens.push(capitalize ? word.capital : word.plain);
    else tokens.push(capitalize ? word.spacedCapital : word.spaced);
    capitalize = false;
  }
  return tokens;
}

/** A short random identifier of `[A-Za-z0-9]`, as providers use in ids. */
export function randomId(random: Random, length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let id = '';
  for (let i = 0; i < length; i++) id += alphabet.charAt(Math.floor(random.next() * alphabet.length));
  return id;
}
