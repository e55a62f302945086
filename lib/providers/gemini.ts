import { isRecord } from '../internal/values';
import type { CompletionBuilder, UsageCounts } from './internal/completion-builder';
import { defineProvider, type ProviderRequest } from './internal/define-provider';
import { jsonReaders, type JsonRecord } from './internal/json-value';
import { argumentsObject, compact, conversation, modelOf, toolNameFor } from './internal/request-parts';
import { streamDecoding } from './internal/stream-decoding';
import type { ChatRequest, CompletionError, ProviderConfig, ReaderOptions, StreamReader } from './types';

// ---- Wire shapes ----

interface PartWire {
  text?: string;
  /** The part is a thought summary, not visible output. */
  thought?: boolean;
  thoughtSignature?: string;
  functionCall?: { name?: string; args?: unknown; id?: string };
}

interface CandidateWire {
  content?: { role?: string; parts?: PartWire[] };
  finishReason?: string;
  index?: number;
}

interface UsageMetadataWire {
  /** Includes cached content tokens. */
  promptTokenCount?: number;
  cachedContentTokenCount?: number;
  /** Excludes thoughts, which are billed as output too. */
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  toolUsePromptTokenCount?: number;
  totalTokenCount?: number;
}

interface GoogleErrorWire {
  code?: number;
  message?: string;
  status?: string;
}

interface GenerateContentResponseWire {
  candidates?: CandidateWire[];
  usageMetadata?: UsageMetadataWire;
  modelVersion?: string;
  responseId?: string;
  promptFeedback?: { blockReason?: string };
  error?: GoogleErrorWire;
}

// ---- Decoding: built on the first response read, not at import (see lib/internal/lazy.ts) ----

/** The Gemini reading: whole bodies (one response or an array of them), and `alt=sse` streams. */
export function geminiDecoding() {
  const { asArray, asCount, asRecord, asString } = jsonReaders();
  const { createValueReader } = streamDecoding();

  /** Sums the defined counts; undefined when none is defined, so "not reported" never turns into 0. */
  function sumCounts(...values: (number | undefined)[]): number | undefined {
    let total: number | undefined;
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (value !== undefined) total = (total ?? 0) + value;
    }
    return total;
  }

  /**
   * Gemini omits zero counts (proto3), so absent means "not reported". Output is candidates plus thoughts
   * (both billed as output); input is the prompt count (cached content included) plus tool-use prompt tokens.
   */
  function geminiUsage(value: unknown): UsageCounts | undefined {
    const usage = asRecord<UsageMetadataWire>(value);
    if (!usage) return undefined;
    const prompt = asCount(usage.promptTokenCount);
    return {
      inputTokens: prompt === undefined ? undefined : prompt + (asCount(usage.toolUsePromptTokenCount) ?? 0),
      outputTokens: sumCounts(asCount(usage.candidatesTokenCount), asCount(usage.thoughtsTokenCount)),
      cachedInputTokens: asCount(usage.cachedContentTokenCount),
      reasoningTokens: asCount(usage.thoughtsTokenCount),
      totalTokens: asCount(usage.totalTokenCount),
    };
  }

  function googleError(value: unknown): CompletionError | undefined {
    const body = asRecord<GenerateContentResponseWire>(value);
    if (!body || body.error === undefined || body.error === null) return undefined;
    const error = asRecord<GoogleErrorWire>(body.error) ?? {};
    const code = asCount(error.code);
    return {
      type: asString(error.status) || (code !== undefined ? String(code) : 'error'),
      message: asString(error.message) ?? (typeof body.error === 'string' ? body.error : 'error'),
    };
  }

  /**
   * Finish reasons that mean a safety, policy or copyright filter stopped the candidate: Gemini's refusals. `OTHER`,
   * `LANGUAGE` and the tool-call reasons are failures of another kind, not refusals.
   */
  const REFUSAL_FINISH_REASONS: readonly string[] = [
    'SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT', 'IMAGE_RECITATION',
  ];

  /** Applies one GenerateContentResponse; returns true when it ended the response (a finishReason or a blocked prompt). */
  function applyResponse(builder: CompletionBuilder, value: unknown): boolean {
    if (builder.failWith(googleError(value))) return false;
    const response = asRecord<GenerateContentResponseWire>(value);
    if (!response) {
      builder.fail('malformed', 'response is not a JSON object');
      return false;
    }
    builder.setId(response.responseId);
    builder.setModel(response.modelVersion);
    const usage = geminiUsage(response.usageMetadata);
    if (usage) builder.setUsage(usage);
    const candidates = asArray(response.candidates);
    const candidate = asRecord<CandidateWire>(candidates.find((c) => asRecord<CandidateWire>(c)?.index === 0) ?? candidates[0]);
    if (!candidate) {
      // A blocked prompt gets no candidates, only promptFeedback: that is the whole answer.
      const blocked = asString(asRecord(response.promptFeedback)?.blockReason);
      builder.setFinishReason(blocked);
      if (blocked !== undefined && blocked !== '' && blocked !== 'BLOCK_REASON_UNSPECIFIED') builder.setRefusal('gemini.block_reason', blocked);
      return blocked !== undefined && blocked !== '';
    }
    for (const entry of asArray(asRecord(candidate.content)?.parts)) {
      const part = asRecord<PartWire>(entry);
      if (!part) continue;
      if (part.thought === true) builder.addReasoning(part.text);
      else builder.addText(part.text);
      const call = asRecord(part.functionCall);
      if (call) builder.addWholeToolCall({ id: call.id, name: call.name, args: call.args });
    }
    const finish = candidate.finishReason;
    builder.setFinishReason(finish);
    if (typeof finish === 'string' && REFUSAL_FINISH_REASONS.includes(finish)) builder.setRefusal('gemini.finish_reason', finish);
    return typeof finish === 'string' && finish !== '';
  }

  /** A non-streamed body: one response, or the JSON array `:streamGenerateContent` returns without `alt=sse`. */
  function applyBody(builder: CompletionBuilder, value: unknown): void {
    if (Array.isArray(value)) for (const item of value) applyResponse(builder, item);
    else applyResponse(builder, value);
  }

  /** The `alt=sse` grammar: no end marker; whole when a chunk carried a finishReason before the body ended. */
  function createGeminiReader(builder: CompletionBuilder, options?: ReaderOptions): StreamReader {
    return createValueReader(builder, applyResponse, 'stream ended before a chunk with finishReason', options);
  }

  return { applyBody, createReader: createGeminiReader };
}

// ---- Request ----

type GeminiContent = { role: 'user' | 'model'; parts: JsonRecord[] };

/** A tool result must be an object (a protobuf Struct): JSON objects go as they are, anything else as `{ result }`. */
function functionResponse(content: string): unknown {
  try {
    const value: unknown = JSON.parse(content);
    if (isRecord(value)) return value;
  } catch {
    // not JSON: sent as text below
  }
  return { result: content };
}

function geminiContents(request: ChatRequest): { system: string[]; contents: GeminiContent[] } {
  const system: string[] = request.system !== undefined ? [request.system] : [];
  const contents: GeminiContent[] = [];
  const messages = conversation(request);
  for (const message of messages) {
    if (message.role === 'system') {
      system.push(message.content);
    } else if (message.role === 'tool') {
      const part = { functionResponse: { name: toolNameFor(message, messages), response: functionResponse(message.content) } };
      // All responses to one turn's calls go back in one content.
      const last = contents[contents.length - 1];
      if (last && last.role === 'user' && last.parts.every((p) => 'functionResponse' in p)) last.parts.push(part);
      else contents.push({ role: 'user', parts: [part] });
    } else if (message.role === 'assistant') {
      const parts: JsonRecord[] = message.content === '' ? [] : [{ text: message.content }];
      for (const call of message.toolCalls ?? []) {
        parts.push({ functionCall: { name: call.name, args: argumentsObject(call.arguments) } });
      }
      contents.push({ role: 'model', parts });
    } else {
      contents.push({ role: 'user', parts: [{ text: message.content }] });
    }
  }
  return { system, contents };
}

function geminiToolConfig(choice: ChatRequest['toolChoice']): unknown {
  if (choice === undefined) return undefined;
  if (typeof choice === 'object') return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.name] } };
  const mode = { auto: 'AUTO', none: 'NONE', required: 'ANY' }[choice];
  return { functionCallingConfig: { mode } };
}

/**
 * Builds `POST ${baseUrl}/models/${model}:generateContent`, or `:streamGenerateContent?alt=sse` when streaming
 * (`baseUrl` like `https://generativelanguage.googleapis.com/v1beta`), with the key in `x-goog-api-key`.
 * Tool parameters go in `parametersJsonSchema`, which takes full JSON Schema.
 */
function buildGeminiRequest(request: ChatRequest, config: ProviderConfig): ProviderRequest {
  const stream = request.stream === true;
  const model = modelOf(request, config).replace(/^models\//, '');
  const { system, contents } = geminiContents(request);
  const generationConfig = compact({ maxOutputTokens: request.maxTokens, temperature: request.temperature });
  const body = compact({
    systemInstruction: system.length > 0 ? { parts: [{ text: system.join('\n\n') }] } : undefined,
    contents,
    generationConfig: Object.keys(generationConfig).length > 0 ? generationConfig : undefined,
    tools: request.tools
      ? [
          {
            functionDeclarations: request.tools.map((tool) =>
              compact({ name: tool.name, description: tool.description, parametersJsonSchema: tool.parameters }),
            ),
          },
        ]
      : undefined,
    toolConfig: geminiToolConfig(request.toolChoice),
  });
  return {
    path: `/models/${model}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
    auth: config.auth ?? 'x-goog-api-key',
    body,
  };
}

export const gemini = defineProvider({
  name: 'gemini',
  streamFormat: 'sse',
  defaultBaseUrl: 'https://generativelanguage.googleapis.com/v1beta',
  buildRequest: buildGeminiRequest,
  decoding: geminiDecoding,
});
