import type { CompletionBuilder } from './internal/completion-builder';
import { defineProvider, type ProviderRequest } from './internal/define-provider';
import { jsonReaders } from './internal/json-value';
import { openAiWire } from './internal/openai-wire';
import { compact, conversation, modelOf, openAiAuth } from './internal/request-parts';
import { streamDecoding } from './internal/stream-decoding';
import type { ChatMessage, ChatRequest, ProviderConfig, ReaderOptions, StreamReader } from './types';

// ---- Wire shapes ----

interface ResponseUsageWire {
  input_tokens?: number;
  input_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number } | null;
  output_tokens?: number;
  output_tokens_details?: { reasoning_tokens?: number } | null;
  total_tokens?: number;
}

interface ContentPartWire {
  type?: string;
  text?: string;
  refusal?: string;
}

interface OutputItemWire {
  id?: string;
  type?: string;
  call_id?: string;
  name?: string;
  arguments?: string;
  input?: string;
  content?: ContentPartWire[];
  summary?: ContentPartWire[];
}

interface ResponseWire {
  id?: string;
  model?: string;
  status?: string;
  output?: OutputItemWire[];
  usage?: ResponseUsageWire | null;
  error?: { code?: string | null; message?: string } | null;
  incomplete_details?: { reason?: string } | null;
}

interface ResponseEventWire {
  type?: string;
  sequence_number?: number;
  response?: ResponseWire;
  item?: OutputItemWire;
  item_id?: string;
  output_index?: number;
  delta?: string;
  /** On `response.content_part.added` / `.done`. */
  part?: ContentPartWire;
  arguments?: string;
  input?: string;
  /** On `error` events. */
  code?: string | null;
  message?: string;
}

// ---- Decoding: built on the first response read, not at import (see lib/internal/lazy.ts) ----

interface ResponsesState {
  builder: CompletionBuilder;
  ended: boolean;
  /** Tool-call keys by `output_index`, for deltas that only carry the index. */
  keysByIndex: Map<number, string>;
}

type ResponsesHandler = (state: ResponsesState, event: Partial<ResponseEventWire>) => void;

/** The Responses reading: whole bodies, and streams event by event. */
export function responsesDecoding() {
  const { asArray, asCount, asRecord, asString, lookup } = jsonReaders();
  const { openAiError, openAiUsage } = openAiWire();
  const { bodyObject, createHandlerReader } = streamDecoding();

  function isToolItem(item: Partial<OutputItemWire>): boolean {
    return item.type === 'function_call' || item.type === 'custom_tool_call';
  }

  /** Text, reasoning and tool calls of a finished `output` array (a non-streamed body, or a stream that sent no deltas). */
  function applyOutput(builder: CompletionBuilder, output: unknown): void {
    for (const entry of asArray(output)) {
      const item = asRecord<OutputItemWire>(entry);
      if (!item) continue;
      if (item.type === 'message') {
        for (const part of asArray(item.content)) {
          const content = asRecord<ContentPartWire>(part);
          if (content?.type === 'refusal') {
            builder.addText(content.refusal);
            builder.setRefusal('openai.refusal', 'refusal');
          } else {
            builder.addText(content?.text);
          }
        }
      } else if (item.type === 'reasoning') {
        for (const part of [...asArray(item.summary), ...asArray(item.content)]) builder.addReasoning(asRecord<ContentPartWire>(part)?.text);
      } else if (isToolItem(item)) {
        builder.addWholeToolCall({ id: item.call_id ?? item.id, name: item.name, args: asString(item.arguments ?? item.input) ?? '' });
      }
    }
  }

  /** id, model, usage and how the response ended; a `failed` response carries its error. */
  function applyResponseState(builder: CompletionBuilder, value: unknown): void {
    const response = asRecord<ResponseWire>(value);
    if (!response) return;
    builder.setId(response.id);
    builder.setModel(response.model);
    const usage = openAiUsage(response.usage, 'input_tokens', 'output_tokens');
    if (usage) builder.setUsage(usage);
    if (response.status === 'in_progress' || response.status === 'queued') return;
    const incomplete = asRecord(response.incomplete_details)?.reason;
    builder.setFinishReason(incomplete ?? response.status);
    if (incomplete === 'content_filter') builder.setRefusal('openai.content_filter', incomplete);
    if (response.status === 'failed') {
      const error = asRecord(response.error);
      builder.fail(asString(error?.code) || 'failed', asString(error?.message) ?? 'response failed');
    }
  }

  function applyResponseBody(builder: CompletionBuilder, value: unknown): void {
    // A Response object has an `error` field of its own (null, or the reason it failed): not an error envelope.
    const isResponse = asRecord<{ object?: string }>(value)?.object === 'response';
    if (!isResponse && builder.failWith(openAiError(value))) return;
    const response = bodyObject<ResponseWire>(builder, value);
    if (!response) return;
    applyResponseState(builder, response);
    applyOutput(builder, response.output);
  }

  function toolKey(state: ResponsesState, event: Partial<ResponseEventWire>): string {
    const itemId = asString(event.item_id);
    if (itemId !== undefined && state.builder.hasToolCall(itemId)) return itemId;
    const index = asCount(event.output_index);
    const byIndex = index === undefined ? undefined : state.keysByIndex.get(index);
    return byIndex ?? itemId ?? `output:${index ?? 0}`;
  }

  /** A message item whose content has a refusal part (the part's words arrive as `response.refusal.delta`). */
  function hasRefusalPart(item: Partial<OutputItemWire>): boolean {
    if (item.type !== 'message') return false;
    return asArray(item.content).some((part) => asRecord<ContentPartWire>(part)?.type === 'refusal');
  }

  function onItem(state: ResponsesState, event: Partial<ResponseEventWire>): void {
    const item = asRecord<OutputItemWire>(event.item);
    if (item && hasRefusalPart(item)) state.builder.setRefusal('openai.refusal', 'refusal');
    if (!item || !isToolItem(item)) return;
    const index = asCount(event.output_index);
    const key = asString(item.id) ?? `output:${index ?? 0}`;
    if (index !== undefined) state.keysByIndex.set(index, key);
    state.builder.addToolFragment(key, { id: item.call_id ?? item.id, name: item.name });
    // `output_item.done` repeats the whole arguments; they count only when no delta brought them.
    state.builder.setToolArgsIfEmpty(key, item.arguments ?? item.input);
  }

  function onTerminal(state: ResponsesState, event: Partial<ResponseEventWire>): void {
    state.ended = true;
    state.builder.markTerminal();
    // A server that sends only the final event still gives its output.
    if (state.builder.isEmpty) applyOutput(state.builder, event.response?.output);
    applyResponseState(state.builder, event.response);
  }

  const onSnapshot: ResponsesHandler = (state, event) => applyResponseState(state.builder, event.response);
  const onText: ResponsesHandler = (state, event) => state.builder.addText(event.delta);
  /** A refusal part: its words are text, and its parts are the signal (the `.done` event and the part events too). */
  const onRefusalDelta: ResponsesHandler = (state, event) => {
    state.builder.addText(event.delta);
    state.builder.setRefusal('openai.refusal', 'refusal');
  };
  const onRefusalSignal: ResponsesHandler = (state) => state.builder.setRefusal('openai.refusal', 'refusal');
  const onContentPart: ResponsesHandler = (state, event) => {
    if (asRecord<ContentPartWire>(event.part)?.type === 'refusal') state.builder.setRefusal('openai.refusal', 'refusal');
  };
  const onReasoning: ResponsesHandler = (state, event) => state.builder.addReasoning(event.delta);
  const onArgsDelta: ResponsesHandler = (state, event) =>
    state.builder.addToolFragment(toolKey(state, event), { args: event.delta });
  const onArgsDone: ResponsesHandler = (state, event) =>
    state.builder.setToolArgsIfEmpty(toolKey(state, event), event.arguments ?? event.input);

  /** Event type → handler. Unknown types (web search, MCP, image progress, ...) are ignored. */
  const RESPONSE_EVENTS: Record<string, ResponsesHandler> = {
    'response.created': onSnapshot,
    'response.queued': onSnapshot,
    'response.in_progress': onSnapshot,
    'response.output_item.added': onItem,
    'response.output_item.done': onItem,
    'response.output_text.delta': onText,
    'response.content_part.added': onContentPart,
    'response.content_part.done': onContentPart,
    'response.refusal.delta': onRefusalDelta,
    'response.refusal.done': onRefusalSignal,
    'response.reasoning_text.delta': onReasoning,
    'response.reasoning_summary_text.delta': onReasoning,
    'response.function_call_arguments.delta': onArgsDelta,
    'response.function_call_arguments.done': onArgsDone,
    'response.custom_tool_call_input.delta': onArgsDelta,
    'response.custom_tool_call_input.done': onArgsDone,
    'response.completed': onTerminal,
    'response.incomplete': onTerminal,
    'response.failed': onTerminal,
    error: (state, event) => state.builder.fail(asString(event.code) || 'error', asString(event.message) ?? 'error event'),
  };

  /** The Responses stream grammar: no `[DONE]`; it ends at `response.completed`, `.incomplete` or `.failed`. */
  function createResponsesReader(builder: CompletionBuilder, options?: ReaderOptions): StreamReader {
    const state: ResponsesState = { builder, ended: false, keysByIndex: new Map() };
    return createHandlerReader(state.builder, {
      onValue(value, framed) {
        if (state.builder.failWith(openAiError(value))) return;
        const event = asRecord<ResponseEventWire>(value) ?? {};
        const handler = lookup(RESPONSE_EVENTS, asString(event.type) ?? framed.name);
        handler?.(state, event);
      },
      end: () => ({ reached: state.ended, missing: 'stream ended before response.completed' }),
    }, options);
  }

  return { applyBody: applyResponseBody, createReader: createResponsesReader };
}

// ---- Request ----

function inputItems(message: ChatMessage): Record<string, unknown>[] {
  if (message.role === 'tool') {
    return [{ type: 'function_call_output', call_id: message.toolCallId ?? '', output: message.content }];
  }
  const items: Record<string, unknown>[] = [];
  if (message.content !== '' || !message.toolCalls?.length) items.push({ role: message.role, content: message.content });
  for (const call of message.toolCalls ?? []) {
    items.push({ type: 'function_call', call_id: call.id, name: call.name, arguments: call.arguments });
  }
  return items;
}

/**
 * Builds `POST ${baseUrl}/responses` (`baseUrl` like `https://api.openai.com/v1`). `system` becomes `instructions`,
 * `maxTokens` becomes `max_output_tokens`, tools are flat `{ type: 'function', name, parameters }`.
 */
function buildResponsesRequest(request: ChatRequest, config: ProviderConfig): ProviderRequest {
  const stream = request.stream === true;
  const choice = request.toolChoice;
  const body = compact({
    model: modelOf(request, config),
    instructions: request.system,
    input: conversation(request).reduce<Record<string, unknown>[]>((items, message) => items.concat(inputItems(message)), []),
    max_output_tokens: request.maxTokens,
    temperature: request.temperature,
    tools: request.tools?.map((tool) =>
      compact({ type: 'function', name: tool.name, description: tool.description, parameters: tool.parameters }),
    ),
    tool_choice: choice === undefined || typeof choice === 'string' ? choice : { type: 'function', name: choice.name },
    stream,
  });
  return { path: '/responses', auth: openAiAuth(config), body };
}

export const openAiResponses = defineProvider({
  name: 'openai-responses',
  streamFormat: 'sse',
  defaultBaseUrl: 'https://api.openai.com/v1',
  buildRequest: buildResponsesRequest,
  decoding: responsesDecoding,
});
