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

describe('responseDecoder decides complete and error once, redaction included', () => {
  const KEY = 'sk-decoder-secret-42';
  const redact = (text: string) => text.split(KEY).join('[redacted]');
  const echo = JSON.stringify({ error: { message: `Incorrect API key provided: ${KEY}`, type: 'invalid_request_error', code: 'invalid_api_key' } });

  it('redacts the key a provider error echoes back, whole or streamed', () => {
    const decoder = responseDecoder(providers['openai-chat'], { redact });
    expect(decoder.whole(echo, false).error).toEqual({ type: 'invalid_api_key', message: 'Incorrect API key provided: [redacted]' });
    const stream = decoder.open();
    stream.feed(`data: ${echo}\n\n`);
    expect(stream.finish().error?.message).toBe('Incorrect API key provided: [redacted]');
  });

  it("a transport's cut wins, is not complete and is redacted too", () => {
    const decoder = responseDecoder(providers.anthropic, { redact });
    const cut = { type: 'stall', message: `no byte for 30000 ms from https://x/?key=${KEY}` };
    expect(decoder.whole('{"type":"message","content":[],"stop_reason":"end_turn"}', false, cut)).toMatchObject({
      complete: false,
      error: { type: 'stall', message: 'no byte for 30000 ms from https://x/?key=[redacted]' },
    });
  });

  it('an attempt without a response is empty, not complete, and carries its redacted error', () => {
    const completion = responseDecoder(providers.gemini, { redact }).noResponse({ type: 'dns', message: `lookup ${KEY}.example: no such host` });
    expect(completion).toStrictEqual({
      text: '',
      reasoningText: '',
      toolCalls: [],
      usage: { source: 'none' },
      complete: false,
      contentEvents: 0,
      error: { type: 'dns', message: 'lookup [redacted].example: no such host' },
    });
  });

  it('applies the cut and the redaction to what a provider object the library did not make returns', () => {
    const own = { ...providers['openai-chat'] };
    const decoder = responseDecoder(own, { redact });
    expect(decoder.whole(echo, false).error?.message).toBe('Incorrect API key provided: [redacted]');
    expect(decoder.whole('{"choices":[{"index":0,"message":{"content":"hi"},"finish_reason":"stop"}]}', false, { type: 'reset', message: 'x' })).toMatchObject({
      text: 'hi',
      complete: false,
      error: { type: 'reset', message: 'x' },
    });
  });
});
