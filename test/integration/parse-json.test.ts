import { describe, expect, it } from 'vitest';
import { bundleScript, runK6 } from './harness';

describe("the k6 extension's parseJSON", () => {
  it('builds exactly what JSON.parse builds, or declines; never accepts what JSON.parse rejects', async () => {
    const run = await runK6(await bundleScript('parse-json'), { args: ['--log-format=raw'] });
    expect(run.code, run.stderr).toBe(0);
    const line = run.stderr.split('\n').find((l) => l.startsWith('parse-json '));
    expect(line, run.stderr).toBeDefined();
    const counts = JSON.parse((line as string).slice('parse-json '.length));
    expect(counts.problems).toEqual([]);
    expect(counts.wrong).toBe(0);
    expect(counts.acceptedInvalid).toBe(0);
    // Every input was seen, and nearly every valid one was built by the fast parser itself: it declines only lone
    // surrogates, `__proto__` keys and very deep nesting (6 edge cases, plus mutations that split a surrogate pair).
    expect(counts.inputs).toBe(counts.matched + counts.declinedValid + counts.declinedInvalid);
    expect(counts.matched).toBeGreaterThan(1500);
    expect(counts.declinedValid).toBeGreaterThanOrEqual(6);
    expect(counts.declinedValid).toBeLessThan(counts.matched / 50);
    expect(counts.declinedInvalid).toBeGreaterThan(500);
  });
});
