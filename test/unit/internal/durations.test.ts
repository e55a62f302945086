import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDuration, parseK6Duration } from '../../../lib/internal/durations';

describe('parseDuration', () => {
  it.each([
    // The reset values OpenAI is seen to send (wire-formats §7.1).
    ['20ms', 20],
    ['547ms', 547],
    ['1s', 1000],
    ['33.023s', 33023],
    ['1m0s', 60_000],
    ['2m52.8s', 172_800],
    ['6m0s', 360_000],
    ['1h30m', 5_400_000],
    // Go's other units and forms.
    ['0s', 0],
    ['0', 0],
    ['1h', 3_600_000],
    ['1.5h', 5_400_000],
    ['250us', 0.25],
    ['250\u00b5s', 0.25],
    ['250\u03bcs', 0.25],
    ['1500000ns', 1.5],
    ['.5s', 500],
    ['5.s', 5000],
    ['1h2m3s4ms', 3_723_004],
    ['3.700s', 3700],
    [' 6m0s ', 360_000],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    [''],
    ['   '],
    ['1'],
    ['12'],
    ['abc'],
    ['1x'],
    ['-1s'],
    ['+1s'],
    ['1s garbage'],
    ['s'],
    ['.s'],
    ['1d'],
    ['1 s'],
    ['1m-0s'],
    ['NaN'],
  ])('refuses %j as not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('gives the sum of hours, minutes and seconds for any composed duration', () => {
    fc.assert(
      fc.property(fc.nat(99), fc.nat(59), fc.nat(59), fc.nat(999), (h, m, s, ms) => {
        const text = `${h}h${m}m${s}s${ms}ms`;
        expect(parseDuration(text)).toBe(((h * 60 + m) * 60 + s) * 1000 + ms);
      }),
    );
  });
});

describe('parseK6Duration', () => {
  it.each<[string | number, number | undefined]>([
    ['30s', 30_000],
    ['1m30s', 90_000],
    ['2h', 7_200_000],
    ['500ms', 500],
    ['1.5s', 1500],
    ['1d', 86_400_000],
    ['1d12h', 129_600_000],
    ['250', 250],
    [250, 250],
    [0, 0],
    ['0', 0],
    ['', undefined],
    ['1x', undefined],
    ['-30s', undefined],
    [-1, undefined],
    [NaN, undefined],
    ['1d-1h', undefined],
    // k6 reads a number without a unit as milliseconds, in script options as on the command line.
    ['1500', 1500],
    [1500.5, 1500.5],
    [' 2m ', 120_000],
  ])('reads %j as %j ms, as k6 does', (value, ms) => {
    expect(parseK6Duration(value)).toBe(ms);
  });
});
