import { describe, expect, it } from 'vitest';
import { customProvider, providers, responseDecoder, type EventEffect } from '../../../lib/providers/index';
import { effectCode, FIXTURES } from './fixture-harness';
import { readFileSync } from 'node:fs';

describe('responseDecoder', () => {
  it('reports one effect per framed event and ends in the Completion parseBody gives', () => {
    const body = readFileSync(`${FIXTURES}anthropic/text-tool-cache-read.sse`, 'utf8');
    const effects: string[] = [];
    const decoder = responseDecoder(providers.anthropic).open((effect: EventEffect) => effects.push(effectCode(effect)));
    for (let i = 0; i < body.length; i += 7) decoder.feed(body.slice(i, i + 7));
    expect(decoder.finish()).toStrictEqual(providers.anthropic.parseBody(body, { stream: true }));
    expect(effects).toEqual(['', '', '', 'cv', '', 'cv', 'cv', 'cv', '', '', 't']);
  });

  it('flushes a last NDJSON line that has no newline', () => {
    const decoder = responseDecoder(providers.ollama).open();
    decoder.feed('{"model":"m","message":{"content":"x"},"done":false}\n{"model":"m","message":{"content":""},"do');
    decoder.feed('ne":true,"done_reason":"stop"}');
    expect(decoder.finish()).toMatchObject({ text: 'x', complete: true, finishReason: 'stop' });
  });

  it('collects a json-format body whole', () => {
    const provider = customProvider({ format: 'json', text: 'answer' });
    const decoder = responseDecoder(provider).open();
    decoder.feed('{"ans');
    decoder.feed('wer":"ok"}');
    expect(decoder.finish()).toStrictEqual(responseDecoder(provider).whole('{"answer":"ok"}', true));
  });
});
