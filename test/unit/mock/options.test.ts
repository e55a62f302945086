import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, normalizeOptions, requestSettings } from '../../../node/mock/options';

describe('normalizeOptions', () => {
  it('fills every default once', () => {
    expect(normalizeOptions({})).toEqual(DEFAULT_OPTIONS);
    expect(normalizeOptions({ ttftMs: 10 })).toMatchObject({ ttftMs: 10, itlMs: 20, host: '127.0.0.1', capacity: 64 });
  });

  it.each([
    [{ ttftMs: -1 }, 'invalid ttftMs: expected a number ≥ 0, got -1'],
    [{ port: 70000 }, 'invalid port: expected an integer 0..65535, got 70000'],
    [{ tokensPerChunk: 1.5 }, 'invalid tokensPerChunk: expected an integer ≥ 1, got 1.5'],
    [{ outputTokens: 0 }, 'invalid outputTokens: expected an integer ≥ 1, { min, max } or { mean, sd }, got 0'],
    [{ faults: { boom: 1 } }, 'invalid fault: expected one of 429, 500, 503, 529, truncate, malformed, error-event, stall, reset, slow-head, oversize, got "boom"'],
    [{ faults: { stall: 2 } }, 'invalid fault probability for stall: expected 0..1, got 2'],
    [{ jitterDistribution: 'pareto' }, 'invalid jitterDistribution: expected "uniform" or "lognormal", got "pareto"'],
    [{ nope: 1 }, 'invalid option: unknown key "nope"'],
    [{ cache: 'yes' }, 'invalid cache: expected true or false, got "yes"'],
    [{ refusal: 1.5 }, 'invalid refusal: expected a probability 0..1, got 1.5'],
    [{ reasoningTokens: 2.5 }, 'invalid reasoningTokens: expected an integer ≥ 0, got 2.5'],
  ])('rejects %j with "%s"', (options, message) => {
    expect(() => normalizeOptions(options as never)).toThrow(message);
  });
});

describe('requestSettings', () => {
  const options = normalizeOptions({ seed: 5, faults: { truncate: 0.5 } });

  it('takes the server options when no override header is sent', () => {
    expect(requestSettings(options, {})).toEqual({
      seed: '5', ttftMs: 200, itlMs: 20, prefillMsPerToken: 0.02, jitter: 0, tokensPerChunk: 1, capacity: 64, outputTokensOverride: undefined,
      faults: undefined, faultMs: 2000, faultAt: -1, cache: true, refusal: undefined, reasoningTokens: 0,
    });
  });

  it('applies every x-mock-* header', () => {
    expect(requestSettings(options, {
      'x-mock-seed': 'abc', 'x-mock-ttft-ms': '10', 'x-mock-itl-ms': '2.5', 'x-mock-prefill-ms-per-token': '0', 'x-mock-jitter': '0.1',
      'x-mock-tokens-per-chunk': '4', 'x-mock-output-tokens': '7', 'x-mock-fault': 'stall, oversize', 'x-mock-fault-ms': '30',
      'x-mock-fault-at': '3', 'x-mock-cache': 'off', 'x-mock-refusal': '1', 'x-mock-reasoning-tokens': '16', 'x-mock-capacity': '4',
    })).toEqual({
      seed: 'abc', ttftMs: 10, itlMs: 2.5, prefillMsPerToken: 0, jitter: 0.1, tokensPerChunk: 4, capacity: 4, outputTokensOverride: 7,
      faults: ['stall', 'oversize'], faultMs: 30, faultAt: 3, cache: false, refusal: true, reasoningTokens: 16,
    });
  });

  it('reads x-mock-refusal as on (1, true, on) or off (0, false, off)', () => {
    expect(['1', 'true', 'ON'].map((v) => requestSettings(options, { 'x-mock-refusal': v }).refusal)).toEqual([true, true, true]);
    expect(['0', 'false', 'off'].map((v) => requestSettings(options, { 'x-mock-refusal': v }).refusal)).toEqual([false, false, false]);
  });

  it('turns configured faults off with x-mock-fault: none', () => {
    expect(requestSettings(options, { 'x-mock-fault': 'none' }).faults).toEqual([]);
  });

  it.each([
    ['x-mock-tokens-per-chunk', '0'], ['x-mock-output-tokens', '2.5'], ['x-mock-ttft-ms', '-3'], ['x-mock-cache', 'maybe'], ['x-mock-fault', 'boom'],
    ['x-mock-refusal', 'perhaps'], ['x-mock-reasoning-tokens', '-1'], ['x-mock-reasoning-tokens', '1.5'], ['x-mock-capacity', '2.5'],
  ])('rejects %s: %s', (name, value) => {
    expect(() => requestSettings(options, { [name]: value })).toThrow(new RegExp(`^invalid ${name}`));
  });
});
