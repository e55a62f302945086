// The session through the real client and provider adapters over the fake k6/http: the second
// request of a tool loop must carry the call and its result in each provider's own wire shape.
import { beforeEach, describe, expect, it } from 'vitest';
import * as http from '../../fakes/k6-http';
import { resetSamples } from '../../fakes/k6-metrics';
import { createClient } from '../../../lib/client/index';
import { createSession } from '../../../lib/agent/index';
import type { ProviderName } from '../../../lib/providers/index';

const tools = {
  lookup_order: {
    spec: { description: 'Order status by id', parameters: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } },
    run: (args: Record<string, unknown>) => ({ id: args.id, status: 'shipped' }),
  },
};

const usage = { prompt_tokens: 10, completion_tokens: 5 };
const WIRE: Record<string, { call: unknown; answer: unknown }> = {
  'openai-chat': {
    call: {
      choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup_order', arguments: '{"id":"A1"}' } }] }, finish_reason: 'tool_calls' }],
      usage,
    },
    answer: { choices: [{ index: 0, message: { role: 'assistant', content: 'Order A1 has shipped.' }, finish_reason: 'stop' }], usage },
  },
  'openai-responses': {
    call: {
      id: 'resp_1', object: 'response', status: 'completed', model: 'gpt-4o-mini',
      output: [{ type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'lookup_order', arguments: '{"id":"A1"}', status: 'completed' }],
      usage: { input_tokens: 10, output_tokens: 5 },
    },
    answer: {
      id: 'resp_2', object: 'response', status: 'completed', model: 'gpt-4o-mini',
      output: [{ type: 'message', id: 'msg_1', role: 'assistant', content: [{ type: 'output_text', text: 'Order A1 has shipped.' }] }],
      usage: { input_tokens: 30, output_tokens: 6 },
    },
  },
  anthropic: {
    call: {
      id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-haiku-4-5',
      content: [{ type: 'text', text: 'Let me check.' }, { type: 'tool_use', id: 'call_1', name: 'lookup_order', input: { id: 'A1' } }],
      stop_reason: 'tool_use', usage: { input_tokens: 10, output_tokens: 5 },
    },
    answer: {
      id: 'msg_2', type: 'message', role: 'assistant', model: 'claude-haiku-4-5',
      content: [{ type: 'text', text: 'Order A1 has shipped.' }], stop_reason: 'end_turn', usage: { input_tokens: 30, output_tokens: 6 },
    },
  },
};

/** Runs one send() over the provider and returns the JSON body of the second (tool result) request. */
function secondBody(provider: ProviderName): Record<string, unknown> {
  const wire = WIRE[provider] as { call: unknown; answer: unknown };
  http.queue.push({ status: 200, body: JSON.stringify(wire.call) }, { status: 200, body: JSON.stringify(wire.answer) });
  const client = createClient({ provider, baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'k', model: 'm', price: false, retry: false });
  const turn = createSession(client, { tools, system: 'Be brief.' }).send('Where is order A1?');
  expect(turn).toMatchObject({ ok: true, steps: 2, text: 'Order A1 has shipped.', stopReason: 'answer' });
  expect(turn.toolCalls.map((c) => [c.id, c.name, c.arguments])).toEqual([['call_1', 'lookup_order', '{"id":"A1"}']]);
  expect(http.requests).toHaveLength(2);
  return JSON.parse(http.requests[1]?.body as string);
}

beforeEach(() => {
  http.queue.length = 0;
  http.requests.length = 0;
  resetSamples();
});

describe('agent sessions over the provider adapters', () => {
  it('sends OpenAI Chat tool_calls and a tool message with tool_call_id', () => {
    const body = secondBody('openai-chat');
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Where is order A1?' },
      expect.objectContaining({ role: 'assistant', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup_order', arguments: '{"id":"A1"}' } }] }),
      { role: 'tool', tool_call_id: 'call_1', content: '{"id":"A1","status":"shipped"}' },
    ]);
    expect((body.tools as unknown[]).length).toBe(1);
  });

  it('sends Responses function_call and function_call_output input items', () => {
    const body = secondBody('openai-responses');
    expect(body.instructions).toBe('Be brief.');
    expect(body.input).toEqual([
      { role: 'user', content: 'Where is order A1?' },
      { type: 'function_call', call_id: 'call_1', name: 'lookup_order', arguments: '{"id":"A1"}' },
      { type: 'function_call_output', call_id: 'call_1', output: '{"id":"A1","status":"shipped"}' },
    ]);
  });

  it('sends Anthropic tool_use blocks and a tool_result block in a user turn', () => {
    const body = secondBody('anthropic');
    expect(body.system).toBe('Be brief.');
    const messages = body.messages as Array<{ role: string; content: unknown }>;
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(messages[1]?.content).toEqual([
      { type: 'text', text: 'Let me check.' },
      { type: 'tool_use', id: 'call_1', name: 'lookup_order', input: { id: 'A1' } },
    ]);
    expect(messages[2]?.content).toEqual([{ type: 'tool_result', tool_use_id: 'call_1', content: '{"id":"A1","status":"shipped"}' }]);
  });
});
