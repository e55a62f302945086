import type { CompletionBuilder } from './internal/completion-builder';
import { defineProvider, type ProviderRequest } from './internal/define-provider';
import { jsonReaders } from './internal/json-value';
import { openAiWire } from './internal/openai-wire';
import { compact, conversation, modelOf, openAiAuth } from './internal/request-parts';
import { streamDecoding } from './internal/stream-decoding';
import type { ChatMessage, ChatRequest, ProviderConfig, ReaderOptions, StreamReader } from './types';

// ---- Wire shapes (what OpenAI-compatible servers send) ----

interface ChatUsageWire {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
}

interface ToolCallDeltaWire {
  index?: number;
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: string };
  custom?: { name?: string; input?: string };
}

interface DeltaWire {
  role?: string;
  content?: string | null;
  refusal?: string | null;
  /** vLLM (and Ollama's `/v1`). */
  reasoning?: string | null;
  /** llama.cpp and older vLLM, DeepSeek style. */
  reasoning_content?: string | null;
  tool_calls?: ToolCallDeltaWire[] | null;
}

interface ChoiceWire {
  index?: number;
  delta?: DeltaWire;
  message?: DeltaWire;
  finish_reason?: string | null;
}

interface ChatChunkWire {
  id?: string;
  model?: string;
  /** `[]` on the usage chunk; vLLM may send `null` or leave it out. */
  choices?: ChoiceWire[] | null;
  usage?: ChatUsageWire | null;
}

// ---- Decoding: built on the first response read, not at import (see lib/internal/lazy.ts) ----

/** Which call each tool-call fragment belongs to. */
export interface ToolKeys {
  byIndex: Map<number, { key: string; id?: string }>;
  last?: string;
}

/** The Chat Completions reading: whole bodies, and streams chunk by chunk. */
export function chatDecoding() {
  const { asArray, asCount, asRecord, asString } = jsonReaders();
  const { openAiError, openAiUsage } = openAiWire();
  const { bodyObject, createHandlerReader } = streamDecoding();

  /** The first choice; `n > 1` requests are load-tested on choice 0 only. */
  function firstChoice(chunk: Partial<ChatChunkWire>): Partial<ChoiceWire> | undefined {
    const choices = asArray(chunk.choices);
    // A plain loop: this runs for every event of a stream, and closures cost in k6's interpreter.
    for (let i = 0; i < choices.length; i++) {
      const choice = asRecord<ChoiceWire>(choices[i]);
      if (choice?.index === 0) return choice;
    }
    return asRecord<ChoiceWire>(choices[0]);
  }

  /**
   * OpenAI joins fragments per `index`. Some compatible servers leave `index` out and send an `id` with each new
   * call, or reuse one index for calls with different ids: a new id then starts a new call, and a fragment with
   * neither continues the last one.
   */
  function toolKey(keys: ToolKeys, fragment: Partial<ToolCallDeltaWire>): string {
    const index = asCount(fragment.index);
    const id = typeof fragment.id === 'string' && fragment.id !== '' ? fragment.id : undefined;
    if (index === undefined) {
      keys.last = id !== undefined ? `id:${id}` : (keys.last ?? 'index:0');
      return keys.last;
    }
    let slot = keys.byIndex.get(index);
    if (!slot || (id !== undefined && slot.id !== undefined && slot.id !== id)) {
      slot = { key: slot ? `index:${index}:${id}` : `index:${index}`, id };
      keys.byIndex.set(index, slot);
    }
    slot.id ??= id;
    keys.last = slot.key;
    return slot.key;
  }

  /**
   * A refusal is what the user sees instead of an answer: its words join the text, and a non-empty one is the signal.
   * (A refusal stream opens with `refusal: ""`, an answer's with `refusal: null`; only words count.)
   */
  function applyRefusal(builder: CompletionBuilder, refusal: unknown): void {
    if (typeof refusal !== 'string' || refusal === '') return;
    builder.addText(refusal);
    builder.setRefusal('openai.refusal', 'refusal');
  }

  /** The finish reason; `content_filter` (OpenAI's and Azure OpenAI's filters) is a refusal too. */
  function applyFinish(builder: CompletionBuilder, reason: unknown): void {
    builder.setFinishReason(reason);
    if (reason === 'content_filter') builder.setRefusal('openai.content_filter', reason);
  }

  function applyDelta(builder: CompletionBuilder, delta: Partial<DeltaWire>, keys: ToolKeys): void {
    builder.addReasoning(delta.reasoning);
    builder.addReasoning(delta.reasoning_content);
    builder.addText(delta.content);
    applyRefusal(builder, delta.refusal);
    if (delta.tool_calls === undefined || delta.tool_calls === null) return;
    for (const item of asArray(delta.tool_calls)) {
      const fragment = asRecord<ToolCallDeltaWire>(item);
      if (!fragment) continue;
      const fn = asRecord(fragment.function) ?? {};
      const custom = asRecord(fragment.custom) ?? {};
      builder.addToolFragment(toolKey(keys, fragment), {
        id: fragment.id,
        name: fn.name ?? custom.name,
        args: fn.arguments ?? custom.input,
      });
    }
  }

  /** Applies one parsed chunk; true when it carried a finish reason. */
  function applyChunk(builder: CompletionBuilder, value: unknown, keys: ToolKeys): boolean {
    // Nearly every event of a healthy stream is one choice with a plain delta (text, or nothing), no usage and no
    // error. That shape is read here inline: each helper call costs about 1 µs in k6's interpreter, and the general
    // path below makes about fifteen per event. The outcome is the general path's (test/unit/providers/openai-chat).
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const chunk = value as ChatChunkWire & { error?: unknown; object?: unknown };
      const choices = chunk.choices;
      if (
        (chunk.error === undefined || chunk.error === null) &&
        chunk.object !== 'error' &&
        (chunk.usage === undefined || chunk.usage === null) &&
        Array.isArray(choices) &&
        choices.length === 1
      ) {
        const choice = choices[0] as ChoiceWire | null;
        const delta = choice !== null && typeof choice === 'object' && !Array.isArray(choice) ? choice.delta : undefined;
        if (
          delta !== null && typeof delta === 'object' && !Array.isArray(delta) &&
          (delta.tool_calls === undefined || delta.tool_calls === null) &&
          (delta.reasoning === undefined || delta.reasoning === null) &&
          (delta.reasoning_content === undefined || delta.reasoning_content === null) &&
          (delta.refusal === undefined || delta.refusal === null)
        ) {
          builder.setId(chunk.id);
          builder.setModel(chunk.model);
          builder.addText(delta.content);
          const reason = (choice as ChoiceWire).finish_reason;
          if (typeof reason !== 'string' || reason === '') return false;
          applyFinish(builder, reason);
          return true;
        }
      }
    }
    return applyAnyChunk(builder, value, keys);
  }

  /** Any chunk, every field read through the shape helpers: `applyChunk` for what its fast path does not take. */
  function applyAnyChunk(builder: CompletionBuilder, value: unknown, keys: ToolKeys): boolean {
    if (builder.failWith(openAiError(value))) return false;
    const chunk = asRecord<ChatChunkWire>(value) ?? {};
    builder.setId(chunk.id);
    builder.setModel(chunk.model);
    const usage = openAiUsage(chunk.usage, 'prompt_tokens', 'completion_tokens');
    if (usage) builder.setUsage(usage);
    const choice = firstChoice(chunk);
    if (!choice) return false;
    const delta = asRecord<DeltaWire>(choice.delta);
    if (delta) applyDelta(builder, delta, keys);
    applyFinish(builder, choice.finish_reason);
    return typeof choice.finish_reason === 'string' && choice.finish_reason !== '';
  }

  function applyCompletionBody(builder: CompletionBuilder, value: unknown): void {
    if (builder.failWith(openAiError(value))) return;
    const body = bodyObject<ChatChunkWire>(builder, value);
    if (!body) return;
    builder.setId(body.id);
    builder.setModel(body.model);
    const usage = openAiUsage(body.usage, 'prompt_tokens', 'completion_tokens');
    if (usage) builder.setUsage(usage);
    const choice = firstChoice(body);
    if (!choice) return;
    const message = asRecord<DeltaWire>(choice.message) ?? {};
    builder.addReasoning(message.reasoning);
    builder.addReasoning(message.reasoning_content);
    builder.addText(message.content);
    applyRefusal(builder, message.refusal);
    for (const item of asArray(message.tool_calls)) {
      const call = asRecord<ToolCallDeltaWire>(item) ?? {};
      const fn = asRecord(call.function) ?? {};
      builder.addWholeToolCall({ id: call.id, name: fn.name, args: asString(fn.arguments) ?? '' });
    }
    applyFinish(builder, choice.finish_reason);
  }

  /**
   * The Chat Completions stream grammar. The response is whole when `data: [DONE]` arrives after a `finish_reason`.
   * llama.cpp builds before PR #16109 reported mid-stream errors in a non-standard SSE field `error:`, which the
   * WHATWG rules (and so `lib/sse`) drop: this reader cannot see such an error, only its effect, a stream with no
   * `finish_reason` or no `[DONE]`, which it reports as `truncated`.
   */
  function createChatReader(builder: CompletionBuilder, options?: ReaderOptions): StreamReader {
    const keys: ToolKeys = { byIndex: new Map() };
    let finished = false;
    let done = false;
    return createHandlerReader(builder, {
      onText(raw) {
        if (raw !== '[DONE]') return false;
        done = true;
        builder.markTerminal();
        return true;
      },
      onValue(value) {
        if (applyChunk(builder, value, keys)) finished = true;
      },
      end: () => ({
        reached: done && finished,
        missing: done
          ? 'stream sent data: [DONE] without a finish_reason'
          : 'stream ended before data: [DONE]',
      }),
    }, options);
  }

  return { applyBody: applyCompletionBody, createReader: createChatReader, applyChunk, applyAnyChunk };
}

// ---- Request ----

function chatMessage(message: ChatMessage): Record<string, unknown> {
  if (message.role === 'tool') {
    return { role: 'tool', tool_call_id: message.toolCallId ?? '', content: message.content };
  }
  if (message.role === 'assistant' && message.toolCalls && message.toolCalls.length > 0) {
    return {
      role: 'assistant',
      content: message.content === '' ? null : message.content,
      tool_calls: message.toolCalls.map((call) => ({
        id: call.id,
        type: 'function',
        function: { name: call.name, arguments: call.arguments },
      })),
    };
  }
  return { role: message.role, content: message.content };
}

export function openAiToolChoice(choice: ChatRequest['toolChoice']): unknown {
  if (choice === undefined || typeof choice === 'string') return choice;
  return { type: 'function', function: { name: choice.name } };
}

/**
 * Builds `POST ${baseUrl}/chat/completions`. `baseUrl` is the API root: `https://api.openai.com/v1`,
 * `http://localhost:8000/v1` (vLLM), `http://localhost:8080/v1` (llama.cpp), `http://localhost:11434/v1` (Ollama),
 * or an Azure deployment, `https://<resource>.openai.azure.com/openai/deployments/<deployment>` with
 * `query: { 'api-version': '…' }` (the key then goes in `api-key`).
 * `maxTokens` becomes `max_tokens`, which OpenAI-compatible servers expect; o-series models on OpenAI want
 * `extra: { max_completion_tokens: n }` instead. Streams ask for `stream_options: { include_usage: true }`;
 * `extra: { stream_options: undefined }` drops it.
 */
function buildChatRequest(request: ChatRequest, config: ProviderConfig): ProviderRequest {
  const stream = request.stream === true;
  const messages = conversation(request).map(chatMessage);
  if (request.system !== undefined) messages.unshift({ role: 'system', content: request.system });
  const body = compact({
    model: modelOf(request, config),
    messages,
    max_tokens: request.maxTokens,
    temperature: request.temperature,
    tools: request.tools?.map((tool) => ({
      type: 'function',
      function: compact({ name: tool.name, description: tool.description, parameters: tool.parameters }),
    })),
    tool_choice: openAiToolChoice(request.toolChoice),
    stream,
    stream_options: stream ? { include_usage: true } : undefined,
  });
  return { path: '/chat/completions', auth: openAiAuth(config), body };
}

export const openAiChat = defineProvider({
  name: 'openai-chat',
  streamFormat: 'sse',
  defaultBaseUrl: 'https://api.openai.com/v1',
  buildRequest: buildChatRequest,
  decoding: chatDecoding,
});
