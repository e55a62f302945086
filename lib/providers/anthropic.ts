import { isRecord } from '../internal/values';
import type { CompletionBuilder, UsageCounts } from './internal/completion-builder';
import { defineProvider, type ProviderRequest } from './internal/define-provider';
import { jsonReaders, type JsonRecord } from './internal/json-value';
import { argumentsObject, compact, conversation, modelOf } from './internal/request-parts';
import { streamDecoding } from './internal/stream-decoding';
import type { ChatRequest, CompletionError, ProviderConfig, ReaderOptions, StreamReader } from './types';

/** The Messages API version this adapter speaks. */
export const ANTHROPIC_VERSION = '2023-06-01';

/** @default 1024: Anthropic requires `max_tokens` on every request. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 1024;

// ---- Wire shapes ----

interface AnthropicUsageWire {
  /** Prompt tokens after the last cache breakpoint only: cache reads and writes are reported apart. */
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  output_tokens_details?: { thinking_tokens?: number } | null;
}

interface ContentBlockWire {
  type?: string;
  text?: string;
  thinking?: string;
  id?: string;
  name?: string;
  input?: unknown;
}

interface MessageWire {
  id?: string;
  type?: string;
  model?: string;
  content?: ContentBlockWire[];
  stop_reason?: string | null;
  usage?: AnthropicUsageWire;
  error?: { type?: string; message?: string };
}

interface DeltaWire {
  type?: string;
  text?: string;
  thinking?: string;
  partial_json?: string;
  stop_reason?: string | null;
}

interface AnthropicEventWire {
  type?: string;
  message?: MessageWire;
  index?: number;
  content_block?: ContentBlockWire;
  delta?: DeltaWire;
  /** Cumulative on `message_delta`. */
  usage?: AnthropicUsageWire;
  error?: { type?: string; message?: string };
}

// ---- Decoding: built on the first response read, not at import (see lib/internal/lazy.ts) ----

interface AnthropicState {
  builder: CompletionBuilder;
  ended: boolean;
  blockTypes: Map<number, string>;
  /** Usage fields as reported so far: `message_start`, then each `message_delta` field by field. */
  usage: JsonRecord;
}

type AnthropicHandler = (state: AnthropicState, event: Partial<AnthropicEventWire>) => void;

/** The Messages reading: whole bodies, and streams event by event. */
export function anthropicDecoding() {
  const { asArray, asCount, asRecord, asString, lookup } = jsonReaders();
  const { bodyObject, createHandlerReader } = streamDecoding();

  /** Anthropic's prompt total is `input_tokens` plus cache reads plus cache writes (they are additive, not subsets). */
  function anthropicUsage(raw: JsonRecord): UsageCounts {
    const input = asCount(raw.input_tokens);
    const cacheRead = asCount(raw.cache_read_input_tokens);
    const cacheWrite = asCount(raw.cache_creation_input_tokens);
    return {
      inputTokens: input === undefined ? undefined : input + (cacheRead ?? 0) + (cacheWrite ?? 0),
      outputTokens: asCount(raw.output_tokens),
      cachedInputTokens: cacheRead,
      cacheWriteInputTokens: cacheWrite,
      reasoningTokens: asCount(asRecord(raw.output_tokens_details)?.thinking_tokens),
    };
  }

  function anthropicError(value: unknown): CompletionError | undefined {
    const body = asRecord<MessageWire>(value);
    if (!body || (body.type !== 'error' && !isRecord(body.error))) return undefined;
    const error = asRecord(body.error);
    return { type: asString(error?.type) || 'error', message: asString(error?.message) ?? 'error' };
  }

  /** The stop reason; `refusal` (the streaming classifiers stopped the reply) is the refusal signal. */
  function applyStopReason(builder: CompletionBuilder, reason: unknown): void {
    builder.setFinishReason(reason);
    if (reason === 'refusal') builder.setRefusal('anthropic.stop_reason', reason);
  }

  function applyMessageBody(builder: CompletionBuilder, value: unknown): void {
    if (builder.failWith(anthropicError(value))) return;
    const message = bodyObject<MessageWire>(builder, value);
    if (!message) return;
    builder.setId(message.id);
    builder.setModel(message.model);
    for (const entry of asArray(message.content)) {
      const block = asRecord<ContentBlockWire>(entry);
      if (block?.type === 'text') builder.addText(block.text);
      else if (block?.type === 'thinking') builder.addReasoning(block.thinking);
      else if (block?.type === 'tool_use') builder.addWholeToolCall({ id: block.id, name: block.name, args: block.input });
    }
    applyStopReason(builder, message.stop_reason);
    if (isRecord(message.usage)) builder.setUsage(anthropicUsage(message.usage));
  }

  /** Running totals: a non-null field replaces the earlier value of that field, never adds to it. */
  function mergeUsage(state: AnthropicState, usage: unknown): void {
    if (!isRecord(usage)) return;
    for (const key of Object.keys(usage)) {
      if (usage[key] !== null && usage[key] !== undefined) state.usage[key] = usage[key];
    }
    state.builder.setUsage(anthropicUsage(state.usage));
  }

  const blockKey = (index: number | undefined): string => `block:${index ?? 0}`;

  /** Event name → handler. `ping` and unknown events (agent/session events of other endpoints) are skipped. */
  const ANTHROPIC_EVENTS: Record<string, AnthropicHandler> = {
    message_start(state, event) {
      const message = asRecord<MessageWire>(event.message) ?? {};
      state.builder.setId(message.id);
      state.builder.setModel(message.model);
      applyStopReason(state.builder, message.stop_reason);
      mergeUsage(state, message.usage);
    },
    content_block_start(state, event) {
      const block = asRecord<ContentBlockWire>(event.content_block) ?? {};
      const index = asCount(event.index);
      state.blockTypes.set(index ?? 0, asString(block.type) ?? '');
      if (block.type === 'text') state.builder.addText(block.text);
      else if (block.type === 'thinking') state.builder.addReasoning(block.thinking);
      else if (block.type === 'tool_use') {
        state.builder.addToolFragment(blockKey(index), { id: block.id, name: block.name });
        // A call without parameters may get no input_json_delta at all; its start block's `input` ({}) stands.
        state.builder.setToolFallbackArgs(blockKey(index), JSON.stringify(block.input ?? {}));
      }
    },
    content_block_delta(state, event) {
      const delta = asRecord<DeltaWire>(event.delta) ?? {};
      const index = asCount(event.index);
      if (delta.type === 'text_delta') state.builder.addText(delta.text);
      else if (delta.type === 'thinking_delta') state.builder.addReasoning(delta.thinking);
      else if (delta.type === 'input_json_delta') {
        // server_tool_use input is the server's business, not a call for the client.
        const blockType = state.blockTypes.get(index ?? 0);
        if (blockType === undefined || blockType === 'tool_use') {
          state.builder.addToolFragment(blockKey(index), { args: delta.partial_json });
        }
      }
    },
    message_delta(state, event) {
      applyStopReason(state.builder, asRecord<DeltaWire>(event.delta)?.stop_reason);
      mergeUsage(state, event.usage);
    },
    message_stop(state) {
      state.ended = true;
      state.builder.markTerminal();
    },
    error(state, event) {
      const error = anthropicError(event) ?? { type: 'error', message: 'error event' };
      state.builder.fail(error.type, error.message);
    },
  };

  /** The Messages stream grammar: whole at `message_stop`. */
  function createAnthropicReader(builder: CompletionBuilder, options?: ReaderOptions): StreamReader {
    const state: AnthropicState = { builder, ended: false, blockTypes: new Map(), usage: {} };
    return createHandlerReader(state.builder, {
      onValue(value, framed) {
        const event = asRecord<AnthropicEventWire>(value) ?? {};
        const name = asString(event.type) ?? framed.name;
        lookup(ANTHROPIC_EVENTS, name)?.(state, event);
      },
      end: () => ({ reached: state.ended, missing: 'stream ended before message_stop' }),
    }, options);
  }

  return { applyBody: applyMessageBody, createReader: createAnthropicReader };
}

// ---- Request ----

type AnthropicMessage = { role: 'user' | 'assistant'; content: string | JsonRecord[] };

function anthropicMessages(request: ChatRequest): { system?: string; messages: AnthropicMessage[] } {
  const system: string[] = request.system !== undefined ? [request.system] : [];
  const messages: AnthropicMessage[] = [];
  for (const message of conversation(request)) {
    if (message.role === 'system') {
      system.push(message.content);
    } else if (message.role === 'tool') {
      const result = { type: 'tool_result', tool_use_id: message.toolCallId ?? '', content: message.content };
      // All results of one turn go back in one user message.
      const last = messages[messages.length - 1];
      const lastBlock = last && Array.isArray(last.content) ? last.content[last.content.length - 1] : undefined;
      if (last && last.role === 'user' && Array.isArray(last.content) && lastBlock?.type === 'tool_result') {
        last.content.push(result);
      } else {
        messages.push({ role: 'user', content: [result] });
      }
    } else if (message.role === 'assistant' && message.toolCalls?.length) {
      const blocks: JsonRecord[] = message.content === '' ? [] : [{ type: 'text', text: message.content }];
      for (const call of message.toolCalls) {
        blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: argumentsObject(call.arguments) });
      }
      messages.push({ role: 'assistant', content: blocks });
    } else {
      messages.push({ role: message.role, content: message.content });
    }
  }
  return { system: system.length > 0 ? system.join('\n\n') : undefined, messages };
}

function anthropicToolChoice(choice: ChatRequest['toolChoice']): unknown {
  if (choice === undefined) return undefined;
  if (choice === 'required') return { type: 'any' };
  if (typeof choice === 'string') return { type: choice };
  return { type: 'tool', name: choice.name };
}

/**
 * Builds `POST ${baseUrl}/messages` (`baseUrl` like `https://api.anthropic.com/v1`) with `x-api-key` and
 * `anthropic-version`. System messages join the top-level `system`; tool results go back as `tool_result` blocks
 * in a user message; `max_tokens` is always sent (default 1024).
 */
function buildAnthropicRequest(request: ChatRequest, config: ProviderConfig): ProviderRequest {
  const stream = request.stream === true;
  const { system, messages } = anthropicMessages(request);
  const body = compact({
    model: modelOf(request, config),
    max_tokens: request.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
    system,
    messages,
    temperature: request.temperature,
    tools: request.tools?.map((tool) =>
      compact({ name: tool.name, description: tool.description, input_schema: tool.parameters }),
    ),
    tool_choice: anthropicToolChoice(request.toolChoice),
    stream,
  });
  return { path: '/messages', auth: config.auth ?? 'x-api-key', headers: { 'anthropic-version': ANTHROPIC_VERSION }, body };
}

export const anthropic = defineProvider({
  name: 'anthropic',
  streamFormat: 'sse',
  defaultBaseUrl: 'https://api.anthropic.com/v1',
  buildRequest: buildAnthropicRequest,
  decoding: anthropicDecoding,
});
