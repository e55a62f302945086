import { beforeEach, describe, expect, it } from 'vitest';
import { slept } from '../../fakes/k6';
import { resetSamples, samplesOf } from '../../fakes/k6-metrics';
import { createSession } from '../../../lib/agent/index';
import type { LlmResult } from '../../../lib/client/types';
import type { ChatRequest, ToolCall } from '../../../lib/providers/types';

/** An LlmResult as the client returns it, with only what the loop reads set to something meaningful. */
function result(over: Partial<LlmResult> = {}): LlmResult {
  return {
    text: '',
    reasoningText: '',
    toolCalls: [],
    usage: { source: 'server', inputTokens: 10, outputTokens: 5 },
    complete: true,
    contentEvents: 1,
    ok: true,
    status: 200,
    timings: { e2eMs: 100, itlMs: [] },
    requestDurationMs: 100,
    attempts: 1,
    retries: 0,
    retryWaitMs: 0,
    goodput: true,
    outputBucket: '0-128',
    tags: {},
    ...over,
  } as LlmResult;
}

const call = (id: string, name: string, args: unknown): ToolCall => ({ id, name, arguments: typeof args === 'string' ? args : JSON.stringify(args) });

/** A client that answers from a script and keeps a deep copy of every request it got. */
function scriptedClient(script: LlmResult[], config: Record<string, unknown> = { provider: 'openai-chat', model: 'gpt-4o-mini', transport: 'sse', tags: { team: 'search' } }) {
  const requests: ChatRequest[] = [];
  return {
    requests,
    config,
    chat(request: ChatRequest): LlmResult {
      requests.push(JSON.parse(JSON.stringify(request)));
      const next = script.shift();
      if (!next) throw new Error('the script ran out of responses');
      return next;
    },
  };
}

const weatherTools = (ran: unknown[]) => ({
  get_weather: {
    spec: { description: 'Current weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
    run: (args: Record<string, unknown>) => {
      ran.push(['get_weather', args]);
      return { city: args.city, tempC: 21 };
    },
    latencyMs: 250,
  },
  lookup_order: {
    spec: { description: 'Order status by id', parameters: { type: 'object', properties: { id: { type: 'string' } } } },
    run: (args: Record<string, unknown>) => {
      ran.push(['lookup_order', args]);
      return `order ${String(args.id)} shipped`;
    },
    latencyMs: { min: 100, max: 100 },
  },
});

beforeEach(() => {
  resetSamples();
  slept.length = 0;
});

describe('agent session tool loop', () => {
  it('runs the stubs the model asks for with their arguments, appends the calls and results, and ends on the final answer', () => {
    const ran: unknown[] = [];
    const client = scriptedClient([
      result({ toolCalls: [call('c1', 'get_weather', { city: 'Oslo' }), call('c2', 'lookup_order', { id: 'A7' })] }),
      result({ text: 'It is 21 degrees in Oslo and order A7 shipped.' }),
    ]);
    const session = createSession(client, { system: 'You are helpful.', tools: weatherTools(ran), name: 'support' });
    const turn = session.send('Weather in Oslo, and where is order A7?');

    expect(ran).toEqual([
      ['get_weather', { city: 'Oslo' }],
      ['lookup_order', { id: 'A7' }],
    ]);
    expect(turn).toMatchObject({ text: 'It is 21 degrees in Oslo and order A7 shipped.', steps: 2, ok: true, goodput: true, stopReason: 'answer' });
    expect(turn.toolCalls.map((c) => [c.name, c.output, c.step])).toEqual([
      ['get_weather', '{"city":"Oslo","tempC":21}', 1],
      ['lookup_order', 'order A7 shipped', 1],
    ]);
    expect(turn.results).toHaveLength(2);
    // Simulated tool latency is slept one call after another.
    expect(slept).toEqual([0.25, 0.1]);
    expect(turn.toolCalls.map((c) => c.latencyMs >= 250)).toEqual([true, false]);

    const [first, second] = client.requests;
    expect(first?.system).toBe('You are helpful.');
    expect(first?.toolChoice).toBe('auto');
    expect(first?.tools?.map((t) => t.name)).toEqual(['get_weather', 'lookup_order']);
    expect(first?.tools?.[0]?.parameters).toMatchObject({ required: ['city'] });
    expect(first?.messages).toEqual([{ role: 'user', content: 'Weather in Oslo, and where is order A7?' }]);
    expect(second?.messages).toEqual([
      { role: 'user', content: 'Weather in Oslo, and where is order A7?' },
      { role: 'assistant', content: '', toolCalls: [call('c1', 'get_weather', { city: 'Oslo' }), call('c2', 'lookup_order', { id: 'A7' })] },
      { role: 'tool', content: '{"city":"Oslo","tempC":21}', toolCallId: 'c1', name: 'get_weather' },
      { role: 'tool', content: 'order A7 shipped', toolCallId: 'c2', name: 'lookup_order' },
    ]);
    expect(session.messages.at(-1)).toEqual({ role: 'assistant', content: 'It is 21 degrees in Oslo and order A7 shipped.' });
  });

  it('records one sample per session metric per send, tagged with the client provider, model, tags and session name', () => {
    const client = scriptedClient([result({ toolCalls: [call('c1', 'get_weather', { city: 'Rome' })] }), result({ text: 'Sunny.' })]);
    createSession(client, { tools: weatherTools([]), name: 'weather' }).send('Rome?');
    const tags = { provider: 'openai-chat', model: 'gpt-4o-mini', transport: 'sse', team: 'search', session: 'weather' };
    expect(samplesOf('llm_session_steps', tags).map((s) => s.value)).toEqual([2]);
    expect(samplesOf('llm_session_tool_calls', tags).map((s) => s.value)).toEqual([1]);
    expect(samplesOf('llm_session_goodput', tags).map((s) => s.value)).toEqual([1]);
    expect(samplesOf('llm_session_duration', tags)).toHaveLength(1);
    expect(samplesOf('llm_tool_latency', { ...tags, tool: 'get_weather' }).map((s) => s.value >= 250)).toEqual([true]);
  });

  it('keeps the conversation across sends, so the second turn carries the first', () => {
    const client = scriptedClient([result({ text: 'Hi!' }), result({ text: 'Fine.' })]);
    const session = createSession(client, { tools: {} });
    session.send('Hello');
    session.send('How are you?');
    expect(client.requests[1]?.messages?.map((m) => `${m.role}:${m.content}`)).toEqual(['user:Hello', 'assistant:Hi!', 'user:How are you?']);
    session.reset();
    expect(session.messages).toEqual([]);
  });

  it('stops at the step cap without running or keeping the last calls, and counts it against goodput', () => {
    const ran: unknown[] = [];
    const loop = () => result({ toolCalls: [call(`c${ran.length}`, 'get_weather', { city: 'Paris' })] });
    const client = scriptedClient([loop(), loop(), loop()]);
    const session = createSession(client, { tools: weatherTools(ran), maxSteps: 3 });
    const turn = session.send('Weather?');
    expect(turn).toMatchObject({ steps: 3, ok: false, goodput: false, stopReason: 'max_steps', text: '' });
    expect(ran).toHaveLength(2);
    expect(turn.toolCalls).toHaveLength(2);
    // user, then two rounds of (assistant call, tool result); the third call is dropped.
    expect(session.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'tool']);
    expect(samplesOf('llm_session_goodput').map((s) => s.value)).toEqual([0]);
  });

  it('stops at a failed model call, reports its error type and leaves the conversation as it was before the turn', () => {
    const client = scriptedClient([
      result({ text: 'Hello.' }),
      result({ toolCalls: [call('c1', 'lookup_order', { id: 'B2' })] }),
      result({ ok: false, status: 529, errorType: 'overloaded_error', goodput: false, complete: false }),
    ]);
    const session = createSession(client, { tools: weatherTools([]) });
    session.send('Hi');
    const turn = session.send('Where is B2?');
    expect(turn).toMatchObject({ ok: false, goodput: false, stopReason: 'error', errorType: 'overloaded_error', steps: 2 });
    expect(turn.toolCalls.map((c) => c.name)).toEqual(['lookup_order']);
    expect(session.messages.map((m) => `${m.role}:${m.content}`)).toEqual(['user:Hi', 'assistant:Hello.']);
  });

  it('counts an answer that missed the client SLO as ok but not goodput', () => {
    const client = scriptedClient([result({ toolCalls: [call('c1', 'lookup_order', { id: '1' })] }), result({ text: 'Done.', goodput: false })]);
    const turn = createSession(client, { tools: weatherTools([]) }).send('Order 1?');
    expect([turn.ok, turn.goodput]).toEqual([true, false]);
  });

  it('answers unknown tools, arguments that are not JSON and throwing stubs with error outputs the model can read', () => {
    const client = scriptedClient([
      result({ toolCalls: [call('a', 'nope', {}), call('b', 'get_weather', '{"city":'), call('c', 'boom', {})] }),
      result({ text: 'Sorry.' }),
    ]);
    const tools = {
      ...weatherTools([]),
      boom: { spec: { description: 'fails' }, run: () => { throw new Error('backend down'); } },
    };
    const turn = createSession(client, { tools }).send('Try everything');
    expect(turn.toolCalls.map((c) => c.error)).toEqual([
      'unknown tool: nope',
      expect.stringMatching(/^invalid arguments: expected JSON, got "\{\\"city\\":"/),
      'tool boom failed: backend down',
    ]);
    expect(JSON.parse(turn.toolCalls[2]?.output as string)).toEqual({ error: 'tool boom failed: backend down' });
    expect(client.requests[1]?.messages?.filter((m) => m.role === 'tool').map((m) => m.toolCallId)).toEqual(['a', 'b', 'c']);
    expect(client.requests[0]?.tools?.find((t) => t.name === 'boom')?.parameters).toEqual({ type: 'object', properties: {} });
    expect(turn.ok).toBe(true);
  });

  it('gives calls without ids (as Gemini sends them) an id their results can point to', () => {
    const client = scriptedClient([result({ toolCalls: [call('', 'lookup_order', { id: 'Z' })] }), result({ text: 'ok' })]);
    createSession(client, { tools: weatherTools([]) }).send('Z?');
    const messages = client.requests[1]?.messages ?? [];
    expect(messages[1]?.toolCalls?.[0]?.id).toBe('call_1_1');
    expect(messages[2]?.toolCallId).toBe('call_1_1');
  });

  it('uses a per-step tool choice and the shared request fields on every call', () => {
    const client = scriptedClient([result({ toolCalls: [call('c1', 'lookup_order', { id: '9' })] }), result({ text: 'ok' })]);
    createSession(client, {
      tools: weatherTools([]),
      toolChoice: (step) => (step === 0 ? 'required' : 'auto'),
      request: { maxTokens: 64, headers: { 'x-mock-ttft-ms': '5' } },
    }).send('Order 9?');
    expect(client.requests.map((r) => [r.toolChoice, r.maxTokens, r.headers?.['x-mock-ttft-ms']])).toEqual([
      ['required', 64, '5'],
      ['auto', 64, '5'],
    ]);
  });

  it('sleeps only the slowest call of a step when tool calls run in parallel', () => {
    const client = scriptedClient([result({ toolCalls: [call('a', 'get_weather', { city: 'X' }), call('b', 'lookup_order', { id: 'Y' })] }), result({ text: 'ok' })]);
    createSession(client, { tools: weatherTools([]), parallelToolCalls: true }).send('both');
    expect(slept).toEqual([0.25]);
  });

  it('refuses misuse when the session is created', () => {
    const client = scriptedClient([]);
    expect(() => createSession(client, { tools: { t: { spec: {}, run: 'x' as never } } })).toThrow('invalid tool "t": expected { spec, run(args) }, got no run function');
    expect(() => createSession(client, { tools: {}, maxSteps: 0 })).toThrow('invalid maxSteps: expected an integer >= 1, got 0');
    expect(() => createSession(client, { tools: { t: { spec: {}, run: () => '', latencyMs: { min: 5, max: 1 } } } })).toThrow(/invalid tool "t".latencyMs/);
    expect(() => createSession(client, { tools: {}, maxStep: 3 } as never)).toThrow('invalid session option: expected one of name, system, tools, maxSteps, toolChoice, parallelToolCalls, request, tags, random, got "maxStep"');
    expect(() => createSession({} as never, { tools: {} })).toThrow(/invalid client/);
    expect(() => createSession(client, { tools: {} }).send('')).toThrow('invalid user text: expected a non-empty string, got ""');
  });
});
