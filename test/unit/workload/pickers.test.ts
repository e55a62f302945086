import { afterEach, describe, expect, it } from 'vitest';
import { state } from '../../fakes/k6-execution';
import { random, sequential, weighted } from '../../../lib/workload/index';
import { cumulativeWeights, pickWeighted } from '../../../lib/workload/weights';

const rows = Array.from({ length: 20 }, (_, i) => ({ prompt: `p${i}`, tags: { weight: String(i % 4) } }));

/** Puts the fake k6/execution where a VU of one instance is, at one iteration of the test. */
function at(iterationInTest: number, vu = 1, scenario = 'default'): void {
  state.vu.idInInstance = vu;
  state.vu.idInTest = vu;
  state.scenario.iterationInTest = iterationInTest;
  state.scenario.name = scenario;
}

afterEach(() => at(0));

describe('sequential', () => {
  it('gives every iteration of the test its own row until the corpus wraps, whichever VU runs it', () => {
    const pick = sequential(rows);
    const seen = new Set<string>();
    // 4 VUs taking iterations in an interleaved, uneven order.
    const order = [0, 3, 1, 2, 7, 4, 6, 5, 9, 8, 12, 10, 11, 15, 13, 14, 19, 16, 17, 18];
    order.forEach((iteration, k) => {
      at(iteration, (k % 4) + 1);
      seen.add(pick().prompt);
    });
    expect(seen.size).toBe(20);
    at(20);
    expect(pick().prompt).toBe('p0');
  });

  it('stays unique across instances of a distributed run, whose VU ids overlap but whose iterationInTest values do not', () => {
    const pickA = sequential(rows);
    const pickB = sequential(rows);
    const picked: string[] = [];
    // k6 hands each execution segment disjoint iterationInTest values; both instances have VUs 1 and 2.
    for (let i = 0; i < 10; i++) {
      at(2 * i, (i % 2) + 1);
      picked.push(pickA().prompt);
      at(2 * i + 1, (i % 2) + 1);
      picked.push(pickB().prompt);
    }
    expect(new Set(picked).size).toBe(20);
  });

  it('returns the same row when called twice in one iteration', () => {
    const pick = sequential(rows);
    at(5);
    expect(pick()).toBe(pick());
  });

  it('refuses an empty corpus', () => {
    expect(() => sequential([])).toThrow('invalid corpus for sequential(): expected a non-empty array or SharedArray, got length 0');
  });
});

describe('random', () => {
  it('picks the same rows for the same iterations and seed, run after run', () => {
    const run = (seed: number) => {
      const pick = random(rows, seed);
      return Array.from({ length: 30 }, (_, i) => {
        at(i, (i % 3) + 1);
        return pick().prompt;
      });
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it('gives two picks in one iteration different draws, reproducibly', () => {
    const first = random(rows, 3);
    at(11);
    const a = [first(), first(), first()].map((r) => r.prompt);
    const second = random(rows, 3);
    at(11);
    expect([second(), second(), second()].map((r) => r.prompt)).toEqual(a);
    expect(new Set(a).size).toBeGreaterThan(1);
  });

  it('covers the corpus roughly uniformly', () => {
    const pick = random(rows, 1);
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      at(i);
      const p = pick().prompt;
      counts.set(p, (counts.get(p) ?? 0) + 1);
    }
    expect(counts.size).toBe(20);
    for (const n of counts.values()) {
      expect(n).toBeGreaterThan(140);
      expect(n).toBeLessThan(260);
    }
  });
});

describe('weighted', () => {
  it('picks rows in proportion to their weight and never a zero-weight row', () => {
    const pick = weighted(rows, 'weight', 5);
    const byWeight = [0, 0, 0, 0];
    for (let i = 0; i < 6000; i++) {
      at(i);
      const row = pick();
      byWeight[Number(row.tags.weight)]! += 1;
    }
    // Weights 0..3 over five rows each: shares 0, 1/6, 2/6, 3/6.
    expect(byWeight[0]).toBe(0);
    expect((byWeight[1] as number) / 6000).toBeCloseTo(1 / 6, 1);
    expect((byWeight[2] as number) / 6000).toBeCloseTo(2 / 6, 1);
    expect((byWeight[3] as number) / 6000).toBeCloseTo(3 / 6, 1);
  });

  it('reads numeric fields of plain objects and weighs rows without the field as 1', () => {
    expect(cumulativeWeights([{ w: 2 }, {}, { w: 0.5 }], 'w')).toEqual([2, 3, 3.5]);
  });

  it('binary-searches the interval a draw falls in', () => {
    const totals = [1, 1, 4, 5];
    expect([0, 0.19, 0.2, 0.79, 0.8, 0.999].map((u) => pickWeighted(totals, u))).toEqual([0, 0, 2, 2, 3, 3]);
  });

  it('refuses a field no row has, negative weights and an all-zero total', () => {
    expect(() => weighted(rows, 'wieght')).toThrow('invalid weight field: expected rows with "wieght", got none that have it');
    expect(() => cumulativeWeights([{ w: -1 }], 'w')).toThrow('invalid weight "w": expected a non-negative number, got -1');
    expect(() => cumulativeWeights([{ w: 0 }], 'w')).toThrow('invalid weights "w": expected a positive total, got 0');
  });
});
