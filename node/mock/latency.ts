import type { Random } from './random';

/**
 * A base duration with seeded jitter. `uniform` spreads it ±jitter; `lognormal` multiplies by
 * exp(σZ − σ²/2) with σ = jitter, whose mean is 1, so both keep the configured mean and never go negative.
 */
export function jittered(baseMs: number, jitter: number, distribution: 'uniform' | 'lognormal', random: Random): number {
  if (jitter <= 0 || baseMs <= 0) return baseMs;
  if (distribution === 'lognormal') return baseMs * Math.exp(jitter * random.normal() - (jitter * jitter) / 2);
  return Math.max(0, baseMs * (1 + jitter * (2 * random.next() - 1)));
}

/**
 * How much slower than nominal the server runs with `active` generations in flight: 1 up to `capacity`, then
 * proportional (a batch twice the capacity takes twice as long per step), as a saturated inference server behaves.
 */
export function loadFactor(active: number, capacity: number): number {
  if (capacity <= 0) return 1;
  return Math.max(1, active / capacity);
}

/** Splits `total` tokens into events of `perChunk` tokens; the last may be smaller. */
export function chunkSizes(total: number, perChunk: number): number[] {
  const sizes: number[] = [];
  for (let left = total; left > 0; left -= perChunk) sizes.push(Math.min(perChunk, left));
  return sizes;
}
