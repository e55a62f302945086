/**
 * The default length model (issue 22 §1): an answer has its natural length (`outputTokens`) and the request's cap
 * cuts it, ending with the provider's own "length" reason, in all five wire formats, streamed and not. Each body is
 * read by the library's provider readers (lib/providers), as a k6-llm client would read it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providers } from '../../../lib/providers/index';
import { normalizeOptions } from '../../../node/mock/options';
import type { MockServer } from '../../../node/mock/server';
import { FAST, groundTruth, post, start } from './helpers';

const ESSAY = 'Write a very long essay about load testing.';
const NATURAL = 40;

let server: MockServer;
beforeAll(async () => {
  // FAST sets `fill` for the other tests; undefined leaves the server's default.
  server = await start({ ...FAST, maxTokensMode: undefined, outputTokens: NATURAL });
});
afterAll(() => server.close());

interface WireCase {
  provider: keyof typeof providers;
  path: (stream: boolean) => string;
  body: (cap: number | undefined, stream: boolean) => Record<string, unknown>;
  /** The provider's own reason when the cap cut the answer, and when it ended by itself. */
  length: string;
  stop: string;
}

const cases: WireCase[] = [
  {
    provider: 'openai-chat',
    path: () => '/v1/chat/completions',
    body: (cap, stream) => ({
      model: 'gpt-4o-mini', stream, stream_options: stream ? { include_usage: true } : undefined, max_completion_tokens: cap, messages: [{ role: 'user', content: ESSAY }],
    }),
    length: 'length',
    stop: 'stop',
  },
  {
    provider: 'openai-responses',
    path: () => '/v1/responses',
    body: (cap, stream) => ({ model: 'gpt-4o-mini', stream, max_output_tokens: cap, input: ESSAY }),
    length: 'max_output_tokens',
    stop: 'completed',
  },
  {
    provider: 'anthropic',
    path: () => '/v1/messages',
    body: (cap, stream) => ({ model: 'claude-haiku-4-5', stream, max_tokens: cap, messages: [{ role: 'user', content: ESSAY }] }),
    length: 'max_tokens',
    stop: 'end_turn',
  },
  {
    provider: 'gemini',
    path: (stream) => `/v1beta/models/gemini-2.5-flash:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
    body: (cap) => ({ contents: [{ role: 'user', parts: [{ text: ESSAY }] }], generationConfig: cap === undefined ? {} : { maxOutputTokens: cap } }),
    length: 'MAX_TOKENS',
    stop: 'STOP',
  },
  {
    provider: 'ollama',
    path: () => '/api/chat',
    body: (cap, stream) => ({ model: 'llama3.2', stream, options: cap === undefined ? {} : { num_predict: cap }, messages: [{ role: 'user', content: ESSAY }] }),
    length: 'length',
    stop: 'stop',
  },
];

describe('the default length model', () => {
  it('is the default: a cap cuts the natural length', () => {
    expect(normalizeOptions({}).maxTokensMode).toBe('cap');
  });

  describe.each(cases)('$provider', (c) => {
    it.each([false, true])('cuts the answer at a cap of 5 with its length reason (stream: %s)', async (stream) => {
      const res = await post(server, c.path(stream), c.body(5, stream));
      expect(res.status).toBe(200);
      const completion = providers[c.provider].parseBody(res.text, { stream });
      expect(completion.finishReason).toBe(c.length);
      expect(completion.usage.outputTokens).toBe(5);
      expect(completion.text.length).toBeGreaterThan(0);
      expect(await groundTruth(server, res.id)).toMatchObject({ outputTokens: 5, finishReason: 'length', outcome: 'complete' });
    });

    it.each([false, true])('ends by itself at its natural length under a larger cap (stream: %s)', async (stream) => {
      const res = await post(server, c.path(stream), c.body(500, stream));
      const completion = providers[c.provider].parseBody(res.text, { stream });
      expect(completion.finishReason).toBe(c.stop);
      expect(completion.usage.outputTokens).toBe(NATURAL);
      expect(completion.complete).toBe(true);
    });
  });

  it('streams a Responses answer cut by the cap as response.incomplete with incomplete_details.reason', async () => {
    const res = await post(server, '/v1/responses', { model: 'gpt-4o-mini', stream: true, max_output_tokens: 5, input: ESSAY });
    const last = res.text.trim().split('\n\n').pop()!;
    expect(last.split('\n')[0]).toBe('event: response.incomplete');
    const response = JSON.parse(last.split('\n')[1]!.slice('data: '.length)).response;
    expect(response).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } });
  });

  it('keeps exact mode as an option: the cap is the length and the answer ends naturally', async () => {
    const exact = await start({ ...FAST, maxTokensMode: 'exact', outputTokens: NATURAL });
    try {
      const res = await post(exact, '/v1/chat/completions', { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: ESSAY }] });
      const completion = providers['openai-chat'].parseBody(res.text, { stream: false });
      expect(completion).toMatchObject({ finishReason: 'stop', usage: { outputTokens: 5 } });
      const long = await post(exact, '/v1/chat/completions', { model: 'm', max_tokens: 90, messages: [{ role: 'user', content: ESSAY }] });
      expect(providers['openai-chat'].parseBody(long.text, { stream: false })).toMatchObject({ finishReason: 'stop', usage: { outputTokens: 90 } });
    } finally {
      await exact.close();
    }
  });
});
