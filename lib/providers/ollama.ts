import { isRecord } from '../internal/values';
import type { CompletionBuilder } from './internal/completion-builder';
import { defineProvider, type ProviderRequest } from './internal/define-provider';
import { jsonReaders } from './internal/json-value';
import { argumentsObject, compact, conversation, modelOf, toolNameFor } from './internal/request-parts';
import { streamDecoding } from './internal/stream-decoding';
import type { ChatMessage, ChatRequest, ProviderConfig, ReaderOptions, StreamReader } from './types';

// ---- Wire shapes ----

interface OllamaToolCallWire {
  id?: string;
  /** `arguments` is a JSON object, not a string. */
  function?: { index?: number; name?: string; arguments?: unknown };
}

interface OllamaMessageWire {
  role?: string;
  content?: string;
  thinking?: string;
  tool_calls?: OllamaToolCallWire[];
}

interface OllamaChunkWire {
  model?: string;
  created_at?: string;
  message?: OllamaMessageWire;
  /** `/api/generate` lines carry the text here instead of in `message`. */
  response?: string;
  thinking?: string;
  done?: boolean;
  done_reason?: string;
  /** Go `omitempty`: absent when zero, e.g. a fully cached prompt. */
  prompt_eval_count?: number;
  eval_count?: number;
  /** Mid-stream and pre-stream errors alike: `{"error":"…"}`. */
  error?: string | { message?: string };
}

// ---- Decoding: built on the first response read, not at import (see lib/internal/lazy.ts) ----

/** The `/api/chat` reading: whole bodies, and NDJSON streams line by line. */
export function ollamaDecoding() {
  const { asArray, asCount, asRecord, asString } = jsonReaders();
  const { createValueReader } = streamDecoding();

  /** Applies one line (or a whole non-streamed body); returns true on `done: true`. */
  function applyChunk(builder: CompletionBuilder, value: unknown): boolean {
    const chunk = asRecord<OllamaChunkWire>(value);
    if (!chunk) {
      builder.fail('malformed', 'line is not a JSON object');
      return false;
    }
    if (chunk.error !== undefined && chunk.error !== null) {
      // Ollama's errors carry no type or code.
      const message = isRecord(chunk.error) ? asString(chunk.error.message) : asString(chunk.error);
      builder.fail('error', message ?? 'error');
      return false;
    }
    builder.setModel(chunk.model);
    const message = asRecord<OllamaMessageWire>(chunk.message) ?? {};
    builder.addReasoning(message.thinking ?? chunk.thinking);
    builder.addText(message.content ?? chunk.response);
    for (const entry of asArray(message.tool_calls)) {
      const call = asRecord<OllamaToolCallWire>(entry) ?? {};
      const fn = asRecord(call.function) ?? {};
      builder.addWholeToolCall({ id: call.id, name: fn.name, args: fn.arguments });
    }
    if (chunk.done !== true) return false;
    builder.setFinishReason(chunk.done_reason);
    builder.setUsage({ inputTokens: asCount(chunk.prompt_eval_count), outputTokens: asCount(chunk.eval_count) });
    return true;
  }

  /** The NDJSON grammar of `/api/chat`: whole at the line with `done: true`. */
  function createOllamaReader(builder: CompletionBuilder, options?: ReaderOptions): StreamReader {
    return createValueReader(builder, applyChunk, 'stream ended before a line with done: true', options);
  }

  return { applyBody: applyChunk, createReader: createOllamaReader };
}

// ---- Request ----

function ollamaMessage(message: ChatMessage, messages: ChatMessage[]): Record<string, unknown> {
  if (message.role === 'tool') {
    return { role: 'tool', content: message.content, tool_name: toolNameFor(message, messages) };
  }
  if (message.role === 'assistant' && message.toolCalls?.length) {
    return {
      role: 'assistant',
      content: message.content,
      tool_calls: message.toolCalls.map((call) => ({
        function: { name: call.name, arguments: argumentsObject(call.arguments) },
      })),
    };
  }
  return { role: message.role, content: message.content };
}

/**
 * Builds `POST ${baseUrl}/api/chat` (`baseUrl` like `http://localhost:11434`; use `openai-chat` with
 * `${baseUrl}/v1` for Ollama's OpenAI-compatible route). `stream` is always sent because Ollama streams by default.
 * `maxTokens` and `temperature` go in `options`. Ollama has no tool choice: `none` leaves the tools out, other
 * values are not sent. A key, when given, goes as `Authorization: Bearer` (Ollama's hosted API).
 */
function buildOllamaRequest(request: ChatRequest, config: ProviderConfig): ProviderRequest {
  const stream = request.stream === true;
  const chat = conversation(request);
  const messages = chat.map((message) => ollamaMessage(message, chat));
  if (request.system !== undefined) messages.unshift({ role: 'system', content: request.system });
  const options = compact({ num_predict: request.maxTokens, temperature: request.temperature });
  const body = compact({
    model: modelOf(request, config),
    messages,
    tools:
      request.toolChoice === 'none'
        ? undefined
        : request.tools?.map((tool) => ({
            type: 'function',
            function: compact({ name: tool.name, description: tool.description, parameters: tool.parameters }),
          })),
    options: Object.keys(options).length > 0 ? options : undefined,
    stream,
  });
  return { path: '/api/chat', auth: config.auth ?? 'bearer', body };
}

export const ollama = defineProvider({
  name: 'ollama',
  streamFormat: 'ndjson',
  defaultBaseUrl: 'http://localhost:11434',
  buildRequest: buildOllamaRequest,
  decoding: ollamaDecoding,
});
