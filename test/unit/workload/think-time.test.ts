import { beforeEach, describe, expect, it } from 'vitest';
import { slept } from '../../fakes/k6';
import { seededRandom, think, thinkTime } from '../../../lib/workload/index';

function stats(draw: () => number, n: number) {
  const xs = Array.from({ length: n }, draw);
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
  return { xs, mean, sd: Math.sqrt(variance), min: Math.min(...xs), max: Math.max(...xs) };
}

beforeEach(() => {
  slept.length = 0;
});

describe('think time', () => {
  it('draws exponential pauses whose mean and spread are both near the target mean', () => {
    const s = stats(thinkTime.exponential(2, { random: seededRandom(1) }), 20_000);
    expect(s.mean).toBeGreaterThan(1.9);
    expect(s.mean).toBeLessThan(2.1);
    // An exponential's standard deviation equals its mean: what makes arrivals Poisson.
    expect(s.sd).toBeGreaterThan(1.85);
    expect(s.sd).toBeLessThan(2.15);
    expect(s.min).toBeGreaterThanOrEqual(0);
  });

  it('caps the exponential tail at max', () => {
    const s = stats(thinkTime.exponential(1, { random: seededRandom(2), max: 3 }), 5000);
    expect(s.max).toBe(3);
    expect(s.mean).toBeLessThan(1);
    expect(s.mean).toBeGreaterThan(0.9);
  });

  it('draws uniform pauses inside [min, max] with the midpoint as mean', () => {
    const s = stats(thinkTime.uniform(1, 3, { random: seededRandom(3) }), 10_000);
    expect(s.min).toBeGreaterThanOrEqual(1);
    expect(s.max).toBeLessThanOrEqual(3);
    expect(s.mean).toBeGreaterThan(1.95);
    expect(s.mean).toBeLessThan(2.05);
  });

  it('returns a fixed pause every time', () => {
    const draw = thinkTime.fixed(1.5);
    expect([draw(), draw()]).toEqual([1.5, 1.5]);
  });

  it('sleeps the drawn pause with k6 sleep and returns it', () => {
    expect(think(thinkTime.fixed(0.25))).toBe(0.25);
    expect(think(2)).toBe(2);
    expect(think(0)).toBe(0);
    expect(slept).toEqual([0.25, 2]);
  });

  it('refuses negative or reversed settings', () => {
    expect(() => thinkTime.fixed(-1)).toThrow('invalid think time: expected a non-negative number of seconds, got -1');
    expect(() => thinkTime.uniform(3, 1)).toThrow('invalid think time range: expected min <= max, got 3 > 1');
    expect(() => think(Number.NaN)).toThrow(/invalid think time/);
  });
});
