// What OpenAI's two APIs (and the servers that copy them) write alike: the error envelope and the usage object.
import { lazy } from '../../internal/lazy';
import { isRecord } from '../../internal/values';
import { jsonReaders } from './json-value';
import type { CompletionError } from '../types';
import type { UsageCounts } from './completion-builder';

/** The error envelopes of OpenAI and the servers that copy it. */
interface OpenAiErrorWire {
  message?: string;
  type?: string | null;
  /** A string for OpenAI, an integer HTTP status for vLLM and llama.cpp. */
  code?: string | number | null;
  param?: string | null;
  /** TGI's OpenAI route: the only field besides `message`. */
  http_status_code?: number;
}

interface OpenAiErrorBodyWire {
  /** Older vLLM answered errors with a flat `{ object: 'error', message, type, code }`. */
  object?: string;
  message?: string;
  type?: string;
  code?: string | number | null;
  /** An object for OpenAI, vLLM, llama.cpp and TGI's OpenAI route; a string for TGI's native routes. */
  error?: OpenAiErrorWire | string | null;
  /** TGI native: `generation`, `overloaded`, `validation`, `incomplete_generation`, ... */
  error_type?: string;
}

/** The readers, built on first use (see lib/internal/lazy.ts). */
export const openAiWire = lazy(() => {
  const { asCount, asRecord, asString, excerpt } = jsonReaders();

  function nonEmpty(value: unknown): string | undefined {
    const text = asString(value);
    return text !== undefined && text !== '' ? text : undefined;
  }

  /**
   * The error a body or chunk carries in its top-level `error` field, or undefined (`error: null` is no error).
   * `type` prefers a string `code` (`rate_limit_exceeded` says more than `requests`), then `type`, then a numeric
   * code or HTTP status as a string (TGI's `{message, http_status_code}` becomes `422`).
   */
  function openAiError(value: unknown): CompletionError | undefined {
    const body = asRecord<OpenAiErrorBodyWire>(value);
    // The common case, checked first: every event of a healthy stream comes through here.
    if (!body || ((body.error === undefined || body.error === null) && body.object !== 'error')) return undefined;
    if (body.object === 'error' && (body.error === undefined || body.error === null)) return openAiError({ error: body });
    if (body.error === undefined || body.error === null) return undefined;
    const { error } = body;
    if (typeof error === 'string') return { type: nonEmpty(body.error_type) ?? 'error', message: error };
    if (!isRecord(error)) return { type: 'error', message: excerpt(JSON.stringify(error)) };
    const wire = error as OpenAiErrorWire;
    const numeric = typeof wire.code === 'number' ? wire.code : wire.http_status_code;
    const type =
      nonEmpty(wire.code) ?? nonEmpty(wire.type) ?? (typeof numeric === 'number' ? String(numeric) : undefined) ?? 'error';
    return { type, message: asString(wire.message) ?? excerpt(JSON.stringify(error)) };
  }

  /**
   * Token counts of a usage object, which Chat Completions and Responses write alike under other names:
   * `prompt_tokens` and `completion_tokens` or `input_tokens` and `output_tokens`, each with its `_details`.
   */
  function openAiUsage(value: unknown, input: 'prompt_tokens' | 'input_tokens', output: 'completion_tokens' | 'output_tokens'): UsageCounts | undefined {
    const usage = asRecord<Record<string, unknown>>(value);
    if (!usage) return undefined;
    const inputDetails = asRecord<{ cached_tokens?: number; cache_write_tokens?: number }>(usage[`${input}_details`]);
    const outputDetails = asRecord<{ reasoning_tokens?: number }>(usage[`${output}_details`]);
    return {
      inputTokens: asCount(usage[input]),
      outputTokens: asCount(usage[output]),
      cachedInputTokens: asCount(inputDetails?.cached_tokens),
      cacheWriteInputTokens: asCount(inputDetails?.cache_write_tokens),
      reasoningTokens: asCount(outputDetails?.reasoning_tokens),
      totalTokens: asCount(usage.total_tokens),
    };
  }

  return { openAiError, openAiUsage };
});
