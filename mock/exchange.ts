import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Answer } from './answer.js';
import { nowMs } from './clock.js';
import type { ChunkRecord, GroundTruth, Outcome, RequestRecord } from './ground-truth.js';
import { chunkSizes, jittered, loadFactor } from './latency.js';
import type { FaultName, RequestSettings, ResolvedOptions } from './options.js';
import type { FinishTiming, MockProvider, RouteParams, StreamEncoder } from './providers/types.js';
import type { Random } from './random.js';

/** Finds the JSON of the last event in a frame: the last line holding a `{`, and where its JSON starts. */
function lastJsonLine(lines: string[]): { index: number; start: number } | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const start = (lines[i] ?? '').indexOf('{');
    if (start >= 0) return { index: i, start };
  }
  return undefined;
}

/** Breaks the last event's JSON by cutting off its second half, so that line no longer parses. */
export function corruptFrame(frame: string): string {
  const lines = frame.split('\n');
  const found = lastJsonLine(lines);
  if (found === undefined) return frame;
  const line = lines[found.index] ?? '';
  lines[found.index] = line.slice(0, found.start + Math.max(1, Math.floor((line.length - found.start) / 2)));
  return lines.join('\n');
}

/** Pads the last event's JSON with a field its clients ignore until the line is about `bytes` long. */
export function padFrame(frame: string, field: string, bytes: number): string {
  const lines = frame.split('\n');
  const found = lastJsonLine(lines);
  if (found === undefined) return frame;
  const line = lines[found.index] ?? '';
  const value = JSON.parse(line.slice(found.start)) as Record<string, unknown>;
  value[field] = 'x'.repeat(Math.max(0, bytes - line.length));
  lines[found.index] = line.slice(0, found.start) + JSON.stringify(value);
  return lines.join('\n');
}

/**
 * Drops the connection with a TCP RST, so the client reads ECONNRESET rather than an orderly end of stream (which
 * `destroy()` gives: a FIN, indistinguishable from a truncated body). `resetAndDestroy` needs Node ≥ 18.3 and a TCP
 * socket; anything else falls back to `destroy()`.
 */
export function resetSocket(socket: Socket | null): void {
  if (socket === null) return;
  if (typeof socket.resetAndDestroy === 'function') {
    try {
      socket.resetAndDestroy();
      return;
    } catch {
      // Not a TCP handle (a pipe): there is no RST to send.
    }
  }
  socket.destroy();
}

/**
 * Token counts per write: reasoning and visible output in separate events (each provider sends them as different
 * deltas), `perChunk` tokens each; a Gemini or Ollama tool call is one whole event.
 */
export function planChunks(answer: Answer, perChunk: number, wholeToolCall: boolean): number[] {
  const reasoning = answer.usage.reasoningTokens;
  const visible = answer.pieces.length - reasoning;
  const tail = answer.tool && wholeToolCall ? [visible] : chunkSizes(visible, perChunk);
  return [...chunkSizes(reasoning, perChunk), ...tail];
}

/** Everything one generation needs, decided before it starts. */
export interface ExchangeInit {
  options: ResolvedOptions;
  truth: GroundTruth;
  provider: MockProvider;
  route: RouteParams;
  res: ServerResponse;
  record: RequestRecord;
  answer: Answer;
  settings: RequestSettings;
  faults: readonly FaultName[];
  /** Uncached prompt tokens, which cost prefill time. */
  prefillTokens: number;
  /** Jitter source: the request sequence, or the request content under x-mock-seed. */
  random: Random;
  /** Headers every response of this request carries (rate limits). */
  headers: Record<string, string>;
  onDone(exchange: Exchange): void;
}

/**
 * One generation on the wire. Every write happens at an absolute planned time (head, then each chunk at the
 * previous chunk's planned time plus its tokens' gaps), never at "now + gap", so timer lateness does not pile up;
 * each write's planned and actual time goes to the ground-truth record.
 */
export class Exchange {
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private done = false;
  private readonly sizes: number[];
  private readonly faultChunk: number;
  private readonly encoder: StreamEncoder | undefined;
  private sentTokens = 0;
  private readonly has: (fault: FaultName) => boolean;

  constructor(private readonly init: ExchangeInit) {
    const { answer, provider, settings } = init;
    const total = answer.pieces.length;
    this.sizes = planChunks(answer, settings.tokensPerChunk, provider.wholeToolCall);
    const faultToken = settings.faultAt < 0 ? Math.floor(total / 2) : Math.min(settings.faultAt, total - 1);
    this.faultChunk = this.chunkOfToken(faultToken);
    this.encoder = init.record.stream ? provider.encoder(answer, init.route) : undefined;
    this.has = (fault) => init.faults.includes(fault);
  }

  private chunkOfToken(token: number): number {
    let seen = 0;
    for (let k = 0; k < this.sizes.length; k++) {
      seen += this.sizes[k] ?? 0;
      if (token < seen) return k;
    }
    return this.sizes.length - 1;
  }

  /** The load factor now: generations in flight against capacity. */
  private factor(): number {
    return loadFactor(this.init.truth.active, this.init.options.capacity);
  }

  /** Time to generate `tokens` more tokens at the current load, each gap jittered. */
  private gaps(tokens: number): number {
    const { settings, options, random } = this.init;
    const factor = this.factor();
    let sum = 0;
    for (let i = 0; i < tokens; i++) sum += jittered(settings.itlMs, settings.jitter, options.jitterDistribution, random) * factor;
    return sum;
  }

  start(): void {
    const { init } = this;
    const { record, settings, options } = init;
    init.truth.enter(record.stream);
    const factor = this.factor();
    const ttft = jittered(settings.ttftMs + settings.prefillMsPerToken * init.prefillTokens, settings.jitter, options.jitterDistribution, init.random) * factor;
    record.plan = { ttftMs: ttft, itlMs: settings.itlMs * factor, loadFactor: factor, tokensPerChunk: settings.tokensPerChunk };
    const headPlanned = record.received + (this.has('slow-head') ? settings.faultMs : 0);
    init.res.on('close', () => {
      if (!this.done) this.finish('client-closed');
    });
    if (init.res.socket === null || init.res.socket.destroyed) {
      // The client left while its body was read; 'close' may already have fired.
      this.finish('client-closed');
      return;
    }
    // A chunk goes out when its last token is generated: tokens come at ttft, ttft + gap, ttft + 2·gap, ...
    const firstPlanned = headPlanned + ttft + this.gaps((this.sizes[0] ?? 1) - 1);
    if (record.stream) {
      record.head.planned = headPlanned;
      this.at(headPlanned, () => this.writeHead(firstPlanned));
    } else {
      let planned = firstPlanned + this.gaps(init.answer.pieces.length - (this.sizes[0] ?? 1));
      const stalled = this.has('stall') ? settings.faultMs : 0;
      planned += stalled;
      record.head.planned = planned;
      this.at(planned, () => this.writeWhole(planned, stalled));
    }
  }

  /** Ends the exchange early: on shutdown the open stream is ended as it stands. */
  abort(outcome: Outcome): void {
    if (this.done) return;
    const { res } = this.init;
    if (res.headersSent) res.end();
    else res.destroy();
    this.finish(outcome);
  }

  /**
   * Runs `fn` at the planned epoch-ms time and never early, because the ground truth promises actual ≥ planned.
   * Timers have millisecond steps and may fire a fraction early, so the timer is set to the planned time rounded
   * up and re-armed if it fired early. It used to wait out the last sub-millisecond with setImmediate: that spun
   * the event loop for up to a millisecond per chunk, which at thousands of chunks a second took the CPU the load
   * generator on the same host needs (measured in docs/benchmarks.md); rounding up costs under a millisecond of
   * lateness, which the ground truth records as it is.
   */
  private at(planned: number, fn: () => void): void {
    const tick = (): void => {
      if (this.done) return;
      const wait = planned - nowMs();
      if (wait > 0) this.timer = setTimeout(tick, Math.max(1, Math.ceil(wait)));
      else fn();
    };
    // Never call `fn` synchronously: a run of overdue chunks would otherwise recurse once per chunk.
    const wait = planned - nowMs();
    this.timer = wait > 0 ? setTimeout(tick, Math.ceil(wait)) : setImmediate(tick);
  }

  private finish(outcome: Outcome): void {
    if (this.done) return;
    this.done = true;
    if (this.timer !== undefined) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
    }
    const { record, truth } = this.init;
    record.outcome = outcome;
    record.end = nowMs();
    truth.leave(record.stream);
    truth.count(record);
    this.init.onDone(this);
  }

  private timing(): FinishTiming {
    const { record } = this.init;
    const now = nowMs();
    const first = record.chunks[0]?.actual ?? now;
    return { totalMs: now - record.received, promptEvalMs: first - record.received, evalMs: now - first };
  }

  private writeHead(firstPlanned: number): void {
    const { res, record, provider, route, headers } = this.init;
    res.writeHead(200, { ...headers, 'content-type': provider.streamContentType(route), 'cache-control': 'no-cache' });
    const preamble = this.encoder?.preamble() ?? '';
    if (preamble) res.write(preamble);
    else res.flushHeaders();
    record.head.actual = nowMs();
    record.status = 200;
    this.scheduleChunk(0, firstPlanned);
  }

  private scheduleChunk(k: number, planned: number): void {
    const stalled = k === this.faultChunk && this.has('stall') ? this.init.settings.faultMs : 0;
    const when = planned + stalled;
    this.at(when, () => this.writeChunk(k, when, stalled));
  }

  private writeChunk(k: number, planned: number, stalled: number): void {
    const { res, record, answer: ans, provider, options } = this.init;
    const encoder = this.encoder;
    if (encoder === undefined) return;
    if (k === this.faultChunk) {
      if (this.has('reset')) {
        resetSocket(res.socket);
        this.finish('reset');
        return;
      }
      if (this.has('error-event')) {
        res.end(encoder.error());
        this.finish('error-event');
        return;
      }
      if (this.has('truncate')) {
        res.end();
        this.finish('truncated');
        return;
      }
    }
    const size = this.sizes[k] ?? 0;
    const last = k === this.sizes.length - 1;
    const pieces = ans.pieces.slice(this.sentTokens, this.sentTokens + size);
    const reasoning = this.sentTokens < ans.usage.reasoningTokens;
    let frame = encoder.chunk(pieces, last, reasoning);
    const entry: Omit<ChunkRecord, 'actual'> = { planned, tokens: size };
    if (reasoning) entry.reasoning = true;
    if (k === this.faultChunk && this.has('malformed')) {
      frame = corruptFrame(frame);
      entry.malformed = true;
    }
    if (k === this.faultChunk && this.has('oversize')) {
      frame = padFrame(frame, provider.paddingField, options.oversizeBytes);
      entry.oversize = true;
    }
    if (stalled > 0) entry.stalledMs = stalled;
    this.sentTokens += size;
    if (last) {
      // The finish events (reason, usage, end marker) leave in the same write as the last tokens.
      res.end(frame + encoder.finish(this.timing()));
      this.init.truth.addChunk(record, { ...entry, actual: nowMs() });
      this.finish('complete');
      return;
    }
    res.write(frame);
    this.init.truth.addChunk(record, { ...entry, actual: nowMs() });
    this.scheduleChunk(k + 1, planned + this.gaps(this.sizes[k + 1] ?? 0));
  }

  private writeWhole(planned: number, stalled: number): void {
    const { res, record, provider, answer: ans, options, headers } = this.init;
    if (this.has('reset')) {
      resetSocket(res.socket);
      this.finish('reset');
      return;
    }
    const now = nowMs();
    const timing: FinishTiming = { totalMs: now - record.received, promptEvalMs: record.plan?.ttftMs ?? 0, evalMs: now - record.received - (record.plan?.ttftMs ?? 0) };
    const body = provider.body(ans, timing) as Record<string, unknown>;
    const entry: Omit<ChunkRecord, 'actual'> = { planned, tokens: ans.pieces.length };
    if (this.has('oversize')) {
      body[provider.paddingField] = 'x'.repeat(options.oversizeBytes);
      entry.oversize = true;
    }
    let text = JSON.stringify(body);
    if (this.has('malformed')) {
      text = text.slice(0, Math.floor(text.length / 2));
      entry.malformed = true;
    }
    if (stalled > 0) entry.stalledMs = stalled;
    if (this.has('error-event')) {
      // A non-streamed answer has no event to fail in: the error comes as a 500 when the answer would have.
      const error = JSON.stringify(provider.errorBody({ status: 500, kind: 'server', message: 'The server had an error while processing your request.', requestId: record.id }));
      res.writeHead(500, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(error) });
      res.end(error);
      record.status = 500;
      record.head.actual = nowMs();
      this.finish('error-event');
      return;
    }
    record.status = 200;
    if (this.has('truncate')) {
      // No content-length: the body just stops halfway, as a dropped upstream connection leaves it.
      res.writeHead(200, { ...headers, 'content-type': 'application/json' });
      res.end(text.slice(0, Math.floor(text.length / 2)));
      record.head.actual = nowMs();
      this.finish('truncated');
      return;
    }
    res.writeHead(200, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    const actual = nowMs();
    record.head.actual = actual;
    this.init.truth.addChunk(record, { ...entry, actual });
    this.finish('complete');
  }
}
