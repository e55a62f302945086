import { isRecord } from '../internal/values';
import type { CompletionBuilder, UsageCounts } from './internal/completion-builder';
import { defineProvider, type ProviderDecoding, type ProviderRequest } from './internal/define-provider';
import { jsonReaders } from './internal/json-value';
import { conversation, type KeyPlacement } from './internal/request-parts';
import { streamDecoding } from './internal/stream-decoding';
import type { SSEMessage } from '../sse/types';
import type {
  ChatRequest,
  CompletionError,
  CustomProviderConfig,
  EventEffect,
  Provider,
  ProviderConfig,
  ReaderOptions,
  StreamEvent,
  StreamReader,
  ValueReader,
} from './types';

// ---- Decoding: built on the first response read, not at import (see lib/internal/lazy.ts) ----

/** How a custom config reads a whole body or a stream. */
function customDecoding(config: CustomProviderConfig): ProviderDecoding {
  const { asCount, asString, excerpt, getPath, parseJson } = jsonReaders();
  const { guard, invalidLineMessage } = streamDecoding();

  const USAGE_FIELDS = {
    input: 'inputTokens',
    output: 'outputTokens',
    total: 'totalTokens',
    cached: 'cachedInputTokens',
    cacheWrite: 'cacheWriteInputTokens',
    reasoning: 'reasoningTokens',
  } as const;

  function read(reader: ValueReader | undefined, value: unknown): unknown {
    if (reader === undefined) return undefined;
    return typeof reader === 'function' ? reader(value) : getPath(value, reader);
  }

  function readText(reader: ValueReader | undefined, value: unknown): unknown {
    // A string event (non-JSON SSE data, or a JSON string) is the delta itself; paths address objects.
    if (typeof value === 'string' && typeof reader === 'string') return value;
    return read(reader, value);
  }

  /** An error value as the endpoint reports it: a message string, or an object with a type/code/status and message. */
  function toError(value: unknown): CompletionError | undefined {
    if (value === undefined || value === null || value === false || value === '') return undefined;
    if (typeof value === 'string') return { type: 'error', message: value };
    if (!isRecord(value)) return { type: 'error', message: excerpt(JSON.stringify(value)) };
    const kind = [value.type, value.code, value.status].find(
      (v) => (typeof v === 'string' && v !== '') || typeof v === 'number',
    );
    return {
      type: kind === undefined ? 'error' : String(kind),
      message: asString(value.message) ?? excerpt(JSON.stringify(value)),
    };
  }

  /** `true` or a non-empty string other than `"false"` is a refusal; the string is its reason. */
  function applyRefusal(builder: CompletionBuilder, value: unknown): void {
    if (value === true) builder.setRefusal('custom', 'refusal');
    else if (typeof value === 'string' && value !== '' && value !== 'false') builder.setRefusal('custom', value);
  }

  /** The state of one response read through a custom config. */
  class CustomReading {
    readonly builder: CompletionBuilder;
    private readonly config: CustomProviderConfig;
    private readonly counts: UsageCounts = {};
    private reported = false;

    constructor(config: CustomProviderConfig, builder: CompletionBuilder) {
      this.config = config;
      this.builder = builder;
    }

    apply(value: unknown): void {
      const { config, builder } = this;
      if (builder.failWith(toError(read(config.error ?? 'error', value)))) return;
      builder.addReasoning(read(config.reasoning, value));
      builder.addText(readText(config.text, value));
      for (const call of config.toolCalls?.(value) ?? []) {
        builder.addWholeToolCall({ id: call.id, name: call.name, args: call.arguments });
      }
      builder.setFinishReason(read(config.finish, value));
      if (config.refusal !== undefined) applyRefusal(builder, read(config.refusal, value));
      builder.setId(read(config.id, value));
      builder.setModel(read(config.model, value));
      this.applyUsage(value);
    }

    /** Each field keeps its last reported value; `output` is derived from `total - input` when not reported. */
    private applyUsage(value: unknown): void {
      const usage = this.config.usage;
      if (!usage) return;
      for (const key of Object.keys(USAGE_FIELDS) as (keyof typeof USAGE_FIELDS)[]) {
        const count = asCount(read(usage[key], value));
        if (count === undefined) continue;
        this.counts[USAGE_FIELDS[key]] = count;
        this.reported = true;
      }
      if (!this.reported) return;
      const counts = { ...this.counts };
      if (counts.outputTokens === undefined && counts.totalTokens !== undefined && counts.inputTokens !== undefined) {
        counts.outputTokens = counts.totalTokens - counts.inputTokens;
      }
      this.builder.setUsage(counts);
    }
  }

  function isDone(config: CustomProviderConfig, value: unknown, event: StreamEvent): boolean {
    if (config.done) return config.done(value, event);
    return isRecord(value) && value.done === true;
  }

  function defaultEventData(message: SSEMessage, parse?: (text: string) => unknown): unknown {
    const parsed = parseJson(message.data, parse);
    return parsed.ok ? parsed.value : message.data;
  }

  function createCustomReader(config: CustomProviderConfig, builder: CompletionBuilder, options?: ReaderOptions): StreamReader {
    const reading = new CustomReading(config, builder);
    let ended = false;
    const end = (): void => {
      ended = true;
      builder.markTerminal();
    };
    return {
      push(event: StreamEvent): EventEffect {
        return builder.event(() =>
          guard(builder, () => {
            if (event.type === 'invalid-json' && 'error' in event) {
              builder.fail('malformed', invalidLineMessage(event.error));
              return;
            }
            let value: unknown;
            if (event.type === 'json' && 'value' in event) {
              value = event.value;
            } else {
              const message = event as SSEMessage;
              if (message.data.trim() === '[DONE]') return end();
              if (message.data === '' && !config.eventData) return;
              value = config.eventData ? config.eventData(message) : defaultEventData(message, options?.parseJson);
            }
            reading.apply(value);
            if (isDone(config, value, event)) end();
          }),
        );
      },
      finish(cut) {
        return builder.build(
          {
            reached: ended || config.completeOnEnd !== false,
            missing: 'stream ended before its end marker',
          },
          cut,
        );
      },
    };
  }

  return {
    applyBody: (builder: CompletionBuilder, value: unknown) => new CustomReading(config, builder).apply(value),
    createReader: (builder: CompletionBuilder, options?: ReaderOptions) => createCustomReader(config, builder, options),
  };
}

// ---- Request ----

function defaultBody(request: ChatRequest): Record<string, unknown> {
  const messages = conversation(request).map((m) => ({ role: m.role, content: m.content }));
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  if (request.system !== undefined) messages.unshift({ role: 'system', content: request.system });
  return {
    message: lastUser?.content ?? '',
    messages,
    max_tokens: request.maxTokens,
    temperature: request.temperature,
    stream: request.stream === true,
  };
}

/** Where the key goes: the config's header or function, else `Authorization: Bearer`. */
function keyPlacement(config: CustomProviderConfig): KeyPlacement {
  const header = config.authHeader;
  if (typeof header === 'function') return header;
  return header ? (apiKey) => ({ [header]: apiKey }) : 'bearer';
}

function validate(config: CustomProviderConfig): void {
  if (!isRecord(config)) throw new Error(`invalid custom provider config: expected an object, got ${typeof config}`);
  if (config.format !== 'json' && config.format !== 'sse' && config.format !== 'ndjson') {
    throw new Error(`invalid format: expected one of json, sse, ndjson, got ${JSON.stringify(config.format)}`);
  }
  if (typeof config.text !== 'string' && typeof config.text !== 'function') {
    throw new Error(`invalid text: expected a dot-path string or a function, got ${typeof config.text}`);
  }
}

/** A Provider for a team's own endpoint, described by where its body keeps text, usage, errors and its end marker. */
export function customProvider(config: CustomProviderConfig): Provider {
  validate(config);
  const portable = portableConfig(config);
  const auth = keyPlacement(config);
  return defineProvider({
    name: config.name ?? 'custom',
    streamFormat: config.format,
    portable: portable ? { custom: portable } : undefined,
    buildRequest: (request: ChatRequest, provider: ProviderConfig): ProviderRequest => ({
      method: config.method,
      path: config.path ?? '',
      headers: config.headers,
      auth,
      body: config.buildBody ? config.buildBody(request, provider) : defaultBody(request),
    }),
    decoding: () => customDecoding(config),
  });
}

/** What a response reader needs of a config. The request side (body, path, auth) stays with the script. */
const READING_KEYS = ['name', 'format', 'text', 'reasoning', 'toolCalls', 'usage', 'finish', 'error', 'id', 'model', 'done', 'eventData', 'completeOnEnd'] as const;

/**
 * The reading part of a config as plain data, or undefined when it reads with functions, which cannot leave this
 * process: the relay then hands the stamped chunks back to be read here.
 */
function portableConfig(config: CustomProviderConfig): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < READING_KEYS.length; i++) {
    const key = READING_KEYS[i] as (typeof READING_KEYS)[number];
    const value = config[key];
    if (value === undefined) continue;
    if (typeof value === 'function') return undefined;
    if (key === 'usage' && isRecord(value)) {
      for (const field in value) if (typeof (value as Record<string, unknown>)[field] === 'function') return undefined;
    }
    out[key] = value;
  }
  return out;
}
