import { describe, expect, it } from 'vitest';
import { createPacer, normalizeRateLimit } from '../../../lib/client/pacing';

function fakeClock() {
  let t = 0;
  const sleeps: number[] = [];
  return { now: () => t, sleep: (ms: number) => { sleeps.push(ms); t += ms; }, advance: (ms: number) => { t += ms; }, sleeps, get t() { return t; } };
}

describe('client-side pacing', () => {
  it('keeps one VU at its share of the requests-per-minute budget', () => {
    const c = fakeClock();
    // 120 rpm over 2 VUs: this VU may send 60 per minute, one per second.
    const p = createPacer({ rpm: 120 }, { ...c, vus: () => 2 });
    for (let i = 0; i < 61; i++) p.acquire(0);
    // The first request goes at once (a full bucket holds one request); then one per second.
    expect(c.t).toBeCloseTo(60_000, 6);
    expect(c.sleeps.length).toBe(60);
  });

  it('never lets a VU exceed its tokens-per-minute share, settling reservations against real usage', () => {
    const c = fakeClock();
    const p = createPacer({ tpm: 60_000, vus: 1 }, { ...c, vus: () => 99 });
    let sent = 0;
    while (c.t < 60_000) {
      p.acquire(500);
      p.settle(500, 1_000);
      sent += 1_000;
      c.advance(1);
    }
    // Real usage twice the reservation: debt slows the VU to ~60,000 tokens a minute.
    expect(sent).toBeLessThanOrEqual(60_000 + 2_000);
    expect(sent).toBeGreaterThanOrEqual(60_000 - 2_000);
  });

  it('does not wait while the VU is under its budget', () => {
    const c = fakeClock();
    const p = createPacer({ rpm: 600 }, { ...c, vus: () => 1 });
    c.advance(1_000);
    expect(p.acquire(0)).toBe(0);
    c.advance(1_000);
    expect(p.acquire(0)).toBe(0);
  });

  it('rejects malformed options with a clear message', () => {
    expect(() => normalizeRateLimit({})).toThrow(/expected rpm or tpm/);
    expect(() => normalizeRateLimit({ rpm: -1 })).toThrow(/invalid rateLimit.rpm/);
    expect(() => normalizeRateLimit({ rps: 1 })).toThrow(/expected keys rpm, tpm, vus/);
    expect(normalizeRateLimit({ rpm: 60, tpm: 1000 })).toEqual({ rpm: 60, tpm: 1000 });
  });
});
