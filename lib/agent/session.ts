// The agent loop: call the model with the conversation and the tools; run the tool calls it asks
// for; append the assistant's calls and the results; call again, until a final answer, the step
// cap or a failed call. The conversation is kept in the neutral ChatMessage shape, which every
// provider adapter maps to its own wire format (tool_calls / function_call items / tool_use blocks).
import { sleep } from 'k6';
import type { LlmResult } from '../client/types';
import type { ChatMessage, ChatRequest, ToolSpec } from '../providers/types';
import { recordTurn } from '../metrics/record';
import { checkTool, runToolCall, type PreparedCall } from './tool-runner';
import type { AgentSession, SessionClient, SessionOptions, ToolCallRecord, TurnResult } from './types';

/** @default values of `SessionOptions`, written once. */
export const SESSION_DEFAULTS = { maxSteps: 8, toolChoice: 'auto', parallelToolCalls: false } as const;

const OPTION_KEYS = ['name', 'system', 'tools', 'maxSteps', 'toolChoice', 'parallelToolCalls', 'request', 'tags', 'random'];

function sessionTags(client: SessionClient, options: SessionOptions): Record<string, string> {
  const config = client.config ?? {};
  const tags: Record<string, string> = {};
  const clientTags = config.tags;
  if (clientTags && typeof clientTags === 'object') {
    for (const [k, v] of Object.entries(clientTags as Record<string, unknown>)) tags[k] = String(v);
  }
  for (const key of ['provider', 'model', 'transport']) {
    if (typeof config[key] === 'string') tags[key] = config[key] as string;
  }
  for (const [k, v] of Object.entries(options.tags ?? {})) tags[k] = String(v);
  if (options.name !== undefined) tags.session = options.name;
  return tags;
}

function checkOptions(client: SessionClient, options: SessionOptions): void {
  if (!client || typeof client.chat !== 'function') throw new Error('invalid client: expected createClient(...) or an object with chat(request)');
  if (!options || typeof options !== 'object') throw new Error('invalid session options: expected an object');
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key)) throw new Error(`invalid session option: expected one of ${OPTION_KEYS.join(', ')}, got "${key}"`);
  }
  if (!options.tools || typeof options.tools !== 'object') throw new Error('invalid tools: expected an object of name -> { spec, run }');
  for (const [name, tool] of Object.entries(options.tools)) checkTool(name, tool);
  const max = options.maxSteps ?? SESSION_DEFAULTS.maxSteps;
  if (!Number.isInteger(max) || max < 1) throw new Error(`invalid maxSteps: expected an integer >= 1, got ${JSON.stringify(options.maxSteps)}`);
}

/**
 * Starts a conversation with tools. Each `send()` is one user turn: the tool loop runs to a final answer and
 * records `llm_session_duration`, `llm_session_steps`, `llm_session_tool_calls` and `llm_session_goodput`
 * (tagged with the client's provider and model, and `session` when named), plus `llm_tool_latency` per call.
 */
export function createSession(client: SessionClient, options: SessionOptions): AgentSession {
  checkOptions(client, options);
  const maxSteps = options.maxSteps ?? SESSION_DEFAULTS.maxSteps;
  const random = options.random ?? Math.random;
  const tags = sessionTags(client, options);
  const tools: ToolSpec[] = Object.keys(options.tools).map((name) => {
    const spec = (options.tools[name] as NonNullable<SessionOptions['tools'][string]>).spec;
    const tool: ToolSpec = { name, parameters: spec.parameters ?? { type: 'object', properties: {} } };
    if (spec.description !== undefined) tool.description = spec.description;
    return tool;
  });
  const choiceFor = (step: number): ChatRequest['toolChoice'] =>
    typeof options.toolChoice === 'function' ? options.toolChoice(step) : (options.toolChoice ?? SESSION_DEFAULTS.toolChoice);
  const messages: ChatMessage[] = [];

  function runTools(result: LlmResult, step: number): ToolCallRecord[] {
    // Providers without call ids (Gemini) get one, so each result can name the call it answers.
    const calls = result.toolCalls.map((call, i) => (call.id ? call : { ...call, id: `call_${step}_${i + 1}` }));
    messages.push({ role: 'assistant', content: result.text, toolCalls: calls });
    const prepared: PreparedCall[] = calls.map((call) => runToolCall(call, options.tools, step, random));
    if (options.parallelToolCalls ?? SESSION_DEFAULTS.parallelToolCalls) {
      const slowest = Math.max(0, ...prepared.map((p) => p.simulatedMs));
      if (slowest > 0) sleep(slowest / 1000);
    } else {
      for (const p of prepared) if (p.simulatedMs > 0) sleep(p.simulatedMs / 1000);
    }
    for (const p of prepared) {
      p.record.latencyMs += p.simulatedMs;
      messages.push({ role: 'tool', content: p.record.output, toolCallId: p.record.id, name: p.record.name });
    }
    return prepared.map((p) => p.record);
  }

  function send(userText: string): TurnResult {
    if (typeof userText !== 'string' || userText === '') throw new Error(`invalid user text: expected a non-empty string, got ${JSON.stringify(userText)}`);
    const started = Date.now();
    const before = messages.length;
    messages.push({ role: 'user', content: userText });
    const results: LlmResult[] = [];
    const toolCalls: ToolCallRecord[] = [];
    let stopReason: TurnResult['stopReason'] = 'max_steps';
    let text = '';
    let errorType: string | undefined;
    for (let step = 1; step <= maxSteps; step++) {
      const request: ChatRequest = { ...options.request, messages: messages.slice(), tools, toolChoice: choiceFor(step - 1) };
      if (options.system !== undefined) request.system = options.system;
      const result = client.chat(request);
      results.push(result);
      if (!result.ok) {
        // A failed turn leaves no trace in the conversation, so the next send() starts from a valid history.
        messages.length = before;
        stopReason = 'error';
        errorType = result.errorType ?? 'unknown';
        break;
      }
      if (result.toolCalls.length === 0) {
        messages.push({ role: 'assistant', content: result.text });
        text = result.text;
        stopReason = 'answer';
        break;
      }
      // At the cap the last calls are neither run nor kept: an assistant turn with unanswered calls is invalid history.
      if (step === maxSteps) break;
      toolCalls.push(...runTools(result, step));
    }
    const ok = stopReason === 'answer';
    const turn: TurnResult = {
      text,
      steps: results.length,
      toolCalls,
      durationMs: Date.now() - started,
      ok,
      goodput: ok && results.every((r) => r.goodput),
      stopReason,
      results,
    };
    if (errorType !== undefined) turn.errorType = errorType;
    recordTurn(turn, tags);
    return turn;
  }

  return {
    send,
    get messages() {
      return messages.slice();
    },
    reset() {
      messages.length = 0;
    },
  };
}
