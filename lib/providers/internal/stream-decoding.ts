import { lazy } from '../../internal/lazy';
import { ndjsonParsing } from '../../sse/ndjson-parser';
import { sseParsing } from '../../sse/sse-parser';
import type { StreamParseError } from '../../sse/types';
import type { Redact } from '../../internal/redact';
import type { Completion, CompletionError, EventEffect, Provider, ReaderOptions, StreamEvent, StreamReader } from '../types';
import { newCompletionBuilder, type CompletionBuilder, type StreamEnd } from './completion-builder';
import { jsonReaders } from './json-value';

/** One framed event as a provider handler sees it. */
export interface FramedEvent {
  /** The SSE event type (`message` when the block had no `event:`), or `json` for an NDJSON value. */
  name: string;
  /** The SSE `data`, or the offending NDJSON line. */
  raw?: string;
  /** The parsed JSON, when `raw` parsed (or the NDJSON value). */
  value?: unknown;
  parsed: boolean;
  /** Why `raw` did not parse: the message of the `malformed` error it becomes. */
  invalid?: string;
}

/** A provider's stream grammar: what to do with each framed event, and whether what arrived was a whole response. */
export interface StreamHandlers {
  /**
   * A payload that is not JSON. Returns true when it is the protocol's own marker (`[DONE]`);
   * otherwise the event is recorded as a `malformed` error and reading goes on.
   */
  onText?(raw: string): boolean;
  onValue(value: unknown, event: FramedEvent): void;
  end(): StreamEnd;
}

/** Chunk-level decoding of a provider's stream: text in, one EventEffect per event out, then the Completion. */
export interface StreamDecoder {
  feed(chunk: string): void;
  /** The body ended; `cut` is the transport's reason when it broke off (see `StreamReader.finish`). */
  finish(cut?: CompletionError): Completion;
}

/** How a provider reads responses (what `defineProvider` is given): a whole JSON body, and a stream event by event, both into a builder. */
export interface ProviderDecoding {
  /** Applies a whole non-streamed body, parsed. */
  applyBody(builder: CompletionBuilder, value: unknown): void;
  /** A reader for one streamed response, writing into `builder`. */
  createReader(builder: CompletionBuilder, options?: ReaderOptions): StreamReader;
}

/** How one provider's bodies are read: the reader of a stream, and the parser of a whole JSON document. */
export interface BodyDecoding {
  readonly format: Provider['streamFormat'];
  reader(options?: ReaderOptions): StreamReader;
  json(text: string, cut?: CompletionError): Completion;
}

/**
 * Framing and reading of whole bodies and streams, built on first use (see lib/internal/lazy.ts): in relay mode a VU
 * never decodes, the relay does.
 */
export const streamDecoding = lazy(() => {
  const { asRecord, excerpt, parseJson } = jsonReaders();
  const { createSSEParser, parseSSE } = sseParsing();
  const { createNDJSONParser } = ndjsonParsing();

  function frameEvent(event: StreamEvent, parse?: (text: string) => unknown): FramedEvent {
    if (event.type === 'json' && 'value' in event) return { name: 'json', value: event.value, parsed: true };
    if (event.type === 'invalid-json' && 'error' in event) {
      return { name: 'json', raw: event.error.input ?? '', parsed: false, invalid: invalidLineMessage(event.error) };
    }
    const message = event as { type: string; data: string };
    const raw = typeof message.data === 'string' ? message.data : '';
    // (An untrimmed payload parses the same; trimming first would copy every event's data.)
    if (raw === '' || (raw.charCodeAt(0) <= 0x20 && raw.trim() === '')) return { name: message.type, raw, parsed: false };
    // OpenAI's end marker is not JSON: no need to pay for a failed parse (an exception in k6) on every stream.
    if (raw === '[DONE]') return { name: message.type, raw, parsed: false, invalid: 'invalid JSON in stream event: [DONE]' };
    let value: unknown;
    try {
      value = parse !== undefined ? parse(raw) : JSON.parse(raw);
    } catch {
      return { name: message.type, raw, parsed: false, invalid: `invalid JSON in stream event: ${excerpt(raw)}` };
    }
    return { name: message.type, raw, value, parsed: true };
  }

  /**
   * The `malformed` message for a line the NDJSON parser rejected. Its own message quotes the JSON engine's reason,
   * which differs between Node and k6, so the library words it itself.
   */
  function invalidLineMessage(error: StreamParseError): string {
    return error.type === 'invalid-json' ? `invalid JSON line: ${excerpt(error.input ?? '')}` : error.message;
  }

  /** Untrusted input must never throw out of a reader: an unexpected shape becomes a `malformed` error. */
  function guard(builder: CompletionBuilder, handle: () => void): void {
    try {
      handle();
    } catch (err) {
      failOnShape(builder, err);
    }
  }

  function failOnShape(builder: CompletionBuilder, err: unknown): void {
    builder.fail('malformed', `unexpected event shape: ${err instanceof Error ? err.message : String(err)}`);
  }

  /** Builds a StreamReader from a provider's handlers; one builder per response. */
  function createHandlerReader(builder: CompletionBuilder, handlers: StreamHandlers, options?: ReaderOptions): StreamReader {
    const parse = options?.parseJson;
    // The per-event path of every stream: written without closures, which cost in k6's interpreter.
    return {
      push(event: StreamEvent): EventEffect {
        builder.beginEvent();
        try {
          const framed = frameEvent(event, parse);
          if (framed.parsed) {
            handlers.onValue(framed.value, framed);
          } else if (framed.invalid !== undefined) {
            // (An empty data payload carries nothing: xk6-sse dispatches comment-only blocks like this.)
            if (!handlers.onText?.((framed.raw ?? '').trim())) builder.fail('malformed', framed.invalid);
          }
        } catch (err) {
          failOnShape(builder, err);
        }
        return builder.endEvent();
      },
      finish(cut?: CompletionError): Completion {
        return builder.build(handlers.end(), cut);
      },
    };
  }

  /**
   * The reader of a grammar whose end is a value of its own (Gemini's chunk with a `finishReason`, Ollama's line with
   * `done: true`): `apply` reads each value and says whether it ended the response.
   */
  function createValueReader(
    builder: CompletionBuilder,
    apply: (builder: CompletionBuilder, value: unknown) => boolean,
    missing: string,
    options?: ReaderOptions,
  ): StreamReader {
    let ended = false;
    return createHandlerReader(builder, {
      onValue(value) {
        if (!apply(builder, value)) return;
        ended = true;
        builder.markTerminal();
      },
      end: () => ({ reached: ended, missing }),
    }, options);
  }

  /** A whole body's value as an object, or undefined once the builder has recorded that it is none (`malformed`). */
  function bodyObject<T extends object>(builder: CompletionBuilder, value: unknown): Partial<T> | undefined {
    const body = asRecord<T>(value);
    if (!body) builder.fail('malformed', 'response body is not a JSON object');
    return body;
  }

  /**
   * Parses a whole non-streamed JSON body into `builder`. `complete` is true when it parsed and the handler recorded
   * no error; a body that is not JSON is a `malformed` error; `cut` as in `CompletionBuilder.build`.
   */
  function parseJsonBody(
    text: string,
    apply: (builder: CompletionBuilder, value: unknown) => void,
    builder: CompletionBuilder,
    cut?: CompletionError,
  ): Completion {
    const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    builder.event(() => {
      const parsed = parseJson(body);
      if (parsed.ok) guard(builder, () => apply(builder, parsed.value));
      else builder.fail('malformed', body.trim() === '' ? 'empty response body' : `response body is not JSON: ${excerpt(body.trim())}`);
    });
    return builder.build({ reached: true, missing: '' }, cut);
  }

  /** The decoding of a provider made by `defineProvider`, every Completion built with `redact`. */
  function bodyDecoding(format: BodyDecoding['format'], decoding: () => ProviderDecoding, redact?: Redact): BodyDecoding {
    return {
      format,
      reader: (options) => decoding().createReader(newCompletionBuilder(redact), options),
      json: (text, cut) => parseJsonBody(text, decoding().applyBody, newCompletionBuilder(redact), cut),
    };
  }

  /**
   * The decoding of a provider object the library did not make: its own reader and parser decide the Completion,
   * and a cut and the redaction are applied to what they return, by `CompletionBuilder.build`'s rule.
   */
  function foreignDecoding(provider: Provider, redact?: Redact): BodyDecoding {
    const settle = (completion: Completion, cut?: CompletionError): Completion => {
      const error = cut ?? completion.error;
      if (cut) completion.complete = false;
      if (error) completion.error = { type: error.type, message: redact ? redact(error.message) : error.message };
      return completion;
    };
    return {
      format: provider.streamFormat,
      reader: (options) => {
        const reader = provider.createReader(options);
        return { push: (event) => reader.push(event), finish: (cut) => settle(reader.finish(cut)) };
      },
      json: (text, cut) => settle(provider.parseBody(text, { stream: false }), cut),
    };
  }

  /**
   * A whole body: the stream the request asked for (framed as SSE or NDJSON and fed to one reader, so a buffered
   * body and the same stream read event by event end in the same Completion), or one JSON document.
   */
  function decodeWhole(decoding: BodyDecoding, text: string, streamed: boolean, cut?: CompletionError): Completion {
    if (!streamed || decoding.format === 'json') return decoding.json(text, cut);
    const reader = decoding.reader();
    if (decoding.format === 'sse') {
      for (const message of parseSSE(text)) reader.push(message);
    } else {
      const parser = createNDJSONParser({
        onValue: (value) => reader.push({ type: 'json', value }),
        onError: (error) => reader.push({ type: 'invalid-json', error }),
        // A buffered body is already in memory, as in parseNDJSON.
        maxBufferSize: Infinity,
      });
      parser.feed(text);
      parser.end();
    }
    return reader.finish(cut);
  }

  /**
   * Wires the framing parser a stream needs (SSE or NDJSON) to a reader, for text that arrives in chunks.
   * `onEffect` is called once per framed event, in order, so the caller can timestamp content.
   */
  function openStream(decoding: BodyDecoding, onEffect?: (effect: EventEffect, event: StreamEvent) => void): StreamDecoder {
    if (decoding.format === 'json') {
      const parts: string[] = [];
      return { feed: (chunk) => parts.push(chunk), finish: (cut) => decoding.json(parts.join(''), cut) };
    }
    const reader = decoding.reader();
    const push = (event: StreamEvent): void => {
      const effect = reader.push(event);
      onEffect?.(effect, event);
    };
    if (decoding.format === 'sse') {
      const parser = createSSEParser({ onEvent: push });
      return { feed: (chunk) => parser.feed(chunk), finish: (cut) => reader.finish(cut) };
    }
    const parser = createNDJSONParser({
      onValue: (value) => push({ type: 'json', value }),
      onError: (error) => push({ type: 'invalid-json', error }),
    });
    let ended = false;
    return {
      feed: (chunk) => parser.feed(chunk),
      finish: (cut) => {
        if (!ended) parser.end();
        ended = true;
        return reader.finish(cut);
      },
    };
  }

  return { guard, invalidLineMessage, createHandlerReader, createValueReader, bodyObject, bodyDecoding, foreignDecoding, decodeWhole, openStream };
});
