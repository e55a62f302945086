// The decoder a transport is handed for one provider's responses: transports, and the relay, never see the provider.
import type { Redact } from '../../internal/redact';
import type { CompletionError, Provider, ResponseDecoder } from '../types';
import { newCompletionBuilder, NOTHING_READ } from './completion-builder';
import { decodingOf } from './define-provider';
import { streamDecoding } from './stream-decoding';

export interface ResponseDecoderOptions {
  /** Applied to the error message of every Completion this decoder builds (the client's redacts its API key). */
  redact?: Redact;
}

/**
 * Decodes `provider`'s responses, whole or chunk by chunk, into Completions whose `complete` and `error` the
 * completion builder alone decides: a transport passes the reason a body broke off (`cut`), never edits the result.
 */
export function responseDecoder(provider: Provider, options: ResponseDecoderOptions = {}): ResponseDecoder {
  const redact = options.redact;
  const decoding = decodingOf(provider);
  // Built on first use: a relay-mode VU decodes nothing (see lib/internal/lazy.ts).
  const body = () => {
    const kit = streamDecoding();
    return decoding ? kit.bodyDecoding(provider.streamFormat, decoding, redact) : kit.foreignDecoding(provider, redact);
  };
  let bodies: ReturnType<typeof body> | undefined;
  return {
    format: provider.streamFormat,
    portable: provider.portable,
    whole: (text, streamed, cut) => streamDecoding().decodeWhole((bodies ??= body()), text, streamed, cut),
    open: (onEffect) => streamDecoding().openStream((bodies ??= body()), onEffect),
    noResponse: (error: CompletionError) => newCompletionBuilder(redact).build(NOTHING_READ, error),
  };
}
