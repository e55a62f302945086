// The streaming transport: with extension-json.ts, the only module that imports k6/x/llmstream,
// k6-llm's k6 extension, so scripts on a stock k6 never load it. The extension hands over the body
// chunk by chunk with a sub-millisecond arrival time; the chunks are framed by k6-llm's
// own WHATWG SSE / NDJSON parsers and each event is timestamped with the arrival of the
// chunk that completed it.
import llmstream from 'k6/x/llmstream';
import { createStreamDecoder } from '../providers/stream-body';
import type { StreamDecoder } from '../providers/stream-body';
import type { HttpRequestSpec } from '../providers/types';
import type { AttemptResult, SendContext, Transport } from './types';
import { extensionParseJSON, extensionReaderOptions } from './extension-json';
import { emptyCompletion, errorBodyOf, isWholeJson } from './shared';

export interface SseTransportOptions {
  /**
   * Abort a stream when no byte arrives for this long; the attempt ends as error `stall`.
   * Overrides the client's `stallTimeoutMs`.
   */
  stallTimeoutMs?: number;
}

export function sseTransport(options: SseTransportOptions = {}): Transport {
  return {
    name: 'sse',
    perEvent: true,
    parseJson: extensionParseJSON,
    send(spec: HttpRequestSpec, ctx: SendContext): AttemptResult {
      const contentTimes: number[] = [];
      let firstVisibleMs: number | undefined;
      let arrival = 0;
      const chunks: string[] = [];
      // Every event of a chunk is stamped with that chunk's arrival: events that came
      // in one read arrived together, as far as anything on this side can tell.
      const decoder = ctx.stream
        ? createStreamDecoder(
            ctx.provider,
            (effect) => {
              if (effect.content) contentTimes.push(arrival);
              if (effect.visible && firstVisibleMs === undefined) firstVisibleMs = arrival;
            },
            extensionReaderOptions,
          )
        : undefined;
      // The first chunk tells (by status and content type) whether the body is a stream to
      // parse event by event, or an error envelope / a non-streamed answer to keep whole.
      let mode: 'stream' | 'whole' | undefined;
      const res = llmstream.request(
        {
          method: spec.method,
          url: spec.url,
          body: spec.body,
          headers: spec.headers,
          timeoutMs: ctx.timeoutMs,
          stallTimeoutMs: options.stallTimeoutMs ?? ctx.stallTimeoutMs,
          tags: ctx.tags,
          expectedStatuses: ctx.lenientStatuses,
        },
        (chunk: string, atMs: number, status: number, contentType: string) => {
          arrival = atMs;
          if (mode === undefined) {
            const streamed = decoder !== undefined && status >= 200 && status < 300 && !isWholeJson({ 'Content-Type': contentType });
            mode = streamed ? 'stream' : 'whole';
          }
          if (mode === 'stream') (decoder as StreamDecoder).feed(chunk);
          else chunks.push(chunk);
        },
      );
      const times = {
        startMs: res.startMs,
        headMs: res.headMs > 0 ? res.headMs : undefined,
        endMs: res.endMs,
        ttfbMs: res.headMs > 0 ? res.headMs - (res.sentMs > 0 ? res.sentMs : res.startMs) : undefined,
        contentTimes,
        firstVisibleMs,
        perEvent: true,
      };
      const base = { status: res.status, headers: res.headers, bytes: res.bytes };
      if (res.status === 0) {
        return {
          ...base,
          completion: emptyCompletion({ type: res.errorCode || 'network', message: res.error }),
          times,
          errorCode: res.errorCode || 'network',
          errorMessage: res.error,
        };
      }
      if (mode !== 'stream' || decoder === undefined) {
        // An error envelope, or a server that answered a stream request with one JSON body:
        // parse it whole. No per-event arrival was seen, so no TTFT is claimed.
        times.contentTimes = [];
        times.firstVisibleMs = undefined;
        const body = chunks.join('');
        const completion = ctx.provider.parseBody(body, { stream: false });
        return withTransportError({ ...base, completion, times, errorBody: errorBodyOf(res.status, body) }, res);
      }
      return withTransportError({ ...base, completion: decoder.finish(), times }, res);
    },
  };
}

function withTransportError(result: AttemptResult, res: { errorCode: string; error: string }): AttemptResult {
  if (!res.errorCode) return result;
  // The body broke off (stall, reset, timeout): the completion keeps what arrived, but
  // it is not complete and the transport's reason wins over a generic `truncated`.
  result.errorCode = res.errorCode;
  result.errorMessage = res.error;
  result.completion.complete = false;
  result.completion.error = { type: res.errorCode, message: res.error };
  return result;
}
