// defineProvider: a provider from what makes it different (its request and its response reading); what every
// provider does alike is written here once: the HTTP request around the body, parseBody for a whole JSON body or a
// whole stream, createReader, and the plain-data form the relay rebuilds.
import { lazy } from '../../internal/lazy';
import type { ChatRequest, HttpRequestSpec, PortableDecoder, Provider, ProviderConfig } from '../types';
import { bodyText, buildHeaders, buildUrl, type KeyPlacement } from './request-parts';
import { streamDecoding, type ProviderDecoding } from './stream-decoding';

export type { ProviderDecoding } from './stream-decoding';

/** The parts of a request that differ between providers. */
export interface ProviderRequest {
  /** Appended to the base URL, before `config.query`. */
  path: string;
  /** The body: an object (the request's `extra` is merged over it) or other JSON value, or a string sent as it is. */
  body: unknown;
  /** Where the API key goes, when there is one. */
  auth: KeyPlacement;
  /** The API's own headers (`anthropic-version`), under the config's and the request's. */
  headers?: Record<string, string>;
  /** @default 'POST' */
  method?: string;
}

export interface ProviderDefinition {
  name: string;
  /** How a streamed body is framed. */
  streamFormat: Provider['streamFormat'];
  /** The public endpoint a client uses when it is given no `baseUrl`. */
  defaultBaseUrl?: string;
  buildRequest(request: ChatRequest, config: ProviderConfig): ProviderRequest;
  /** Builds the response reading, once, on the first `parseBody` or `createReader` (see lib/internal/lazy.ts). */
  decoding(): ProviderDecoding;
  /**
   * The response reading as plain data, for the relay. @default `{ provider: name }`; give `undefined` when it
   * cannot leave this process (a custom provider that reads with functions).
   */
  portable?: PortableDecoder | undefined;
}

const ACCEPT = { sse: 'text/event-stream', ndjson: 'application/x-ndjson', json: 'application/json' } as const;

/** The decoding of every provider `defineProvider` made, for `responseDecoder`. */
const decodings = new WeakMap<Provider, () => ProviderDecoding>();

/** How a provider made by `defineProvider` reads responses; undefined for a provider object made some other way. */
export function decodingOf(provider: Provider): (() => ProviderDecoding) | undefined {
  return decodings.get(provider);
}

export function defineProvider(definition: ProviderDefinition): Provider {
  const { name, streamFormat } = definition;
  const decoding = lazy(definition.decoding);
  const provider: Provider = {
    name,
    streamFormat,
    defaultBaseUrl: definition.defaultBaseUrl,
    portable: 'portable' in definition ? definition.portable : { provider: name },
    buildRequest(request: ChatRequest, config: ProviderConfig): HttpRequestSpec {
      const parts = definition.buildRequest(request, config);
      return {
        method: parts.method ?? 'POST',
        url: buildUrl(config, parts.path),
        headers: buildHeaders(request, config, {
          auth: parts.auth,
          accept: request.stream === true ? ACCEPT[streamFormat] : undefined,
          fixed: parts.headers,
        }),
        body: bodyText(parts.body, request.extra),
      };
    },
    parseBody(text, options) {
      const kit = streamDecoding();
      return kit.decodeWhole(kit.bodyDecoding(streamFormat, decoding), text, options.stream);
    },
    createReader: (options) => streamDecoding().bodyDecoding(streamFormat, decoding).reader(options),
  };
  decodings.set(provider, decoding);
  return provider;
}
