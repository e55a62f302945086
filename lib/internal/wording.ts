// Numbers in the sentences a report or an estimate writes.

/** `1 request`, `3 requests`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** A figure as a sentence shows it: at most six decimals, so `0.1 * 3` reads `0.3`. */
export function roundForWords(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
