import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Answer } from './answer';
import { nowMs } from './clock';
import { CHUNK_MALFORMED, CHUNK_OVERSIZE, CHUNK_QUEUED, CHUNK_REASONING, type GroundTruth, type Outcome, type TruthRecord } from './ground-truth';
import { jittered, loadFactor } from './latency';
import type { FaultName, RequestSettings, ResolvedOptions } from './options';
import type { FinishTiming, MockProvider, RouteParams, StreamEncoder } from './providers/types';
import type { Random } from './random';
import type { Scheduler, Timed } from './scheduler';
import { chunkFrame, directSocket, end, write, writeHeadWith } from './wire';

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
 * deltas), `perChunk` tokens each; a Gemini or Ollama tool call is one whole event. Computed per write rather than
 * kept as a list: each stream holds its plan as long as it runs.
 */
export class ChunkPlan {
  /** Writes of reasoning, then of visible output, then in all. */
  private readonly reasoningChunks: number;
  private readonly visibleChunks: number;
  readonly count: number;

  constructor(
    private readonly reasoning: number,
    private readonly visible: number,
    private readonly perChunk: number,
    private readonly wholeVisible: boolean,
  ) {
    this.reasoningChunks = Math.ceil(reasoning / perChunk);
    this.visibleChunks = wholeVisible ? 1 : Math.ceil(visible / perChunk);
    this.count = this.reasoningChunks + this.visibleChunks;
  }

  /** Tokens in write `k`; 0 past the end. */
  size(k: number): number {
    if (k < 0 || k >= this.count) return 0;
    if (k < this.reasoningChunks) return Math.min(this.perChunk, this.reasoning - k * this.perChunk);
    if (this.wholeVisible) return this.visible;
    return Math.min(this.perChunk, this.visible - (k - this.reasoningChunks) * this.perChunk);
  }
}

export function chunkPlan(answer: Answer, perChunk: number, wholeToolCall: boolean): ChunkPlan {
  const reasoning = answer.usage.reasoningTokens;
  return new ChunkPlan(reasoning, answer.pieces.length - reasoning, perChunk, answer.tool !== undefined && wholeToolCall);
}

/** The token counts of every write, as a list (`chunkPlan` computes them one at a time). */
export function planChunks(answer: Answer, perChunk: number, wholeToolCall: boolean): number[] {
  const plan = chunkPlan(answer, perChunk, wholeToolCall);
  return Array.from({ length: plan.count }, (_, k) => plan.size(k));
}

/** Everything one generation needs, decided before it starts. */
export interface ExchangeInit {
  options: ResolvedOptions;
  truth: GroundTruth;
  scheduler: Scheduler;
  provider: MockProvider;
  route: RouteParams;
  res: ServerResponse;
  record: TruthRecord;
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

/** What the exchange writes when its time comes. */
type Step = 'head' | 'chunk' | 'finish' | 'whole';

/**
 * One generation on the wire. Every write happens at an absolute planned time (head, then each chunk at the
 * previous chunk's planned time plus its tokens' gaps), never at "now + gap", so timer lateness does not pile up;
 * each write's planned and actual time goes to the ground-truth record. The server's one `Scheduler` runs each
 * write; the actual time is taken when the write carrying the tokens has been made.
 */
export class Exchange implements Timed {
  due = 0;
  slot = -1;
  private step: Step = 'head';
  /** The chunk the next `chunk` step writes. */
  private k = 0;
  /** Planned time and stall of that chunk. */
  private planned = 0;
  private stalled = 0;
  private done = false;
  private readonly sizes: ChunkPlan;
  private readonly faultChunk: number;
  private readonly encoder: StreamEncoder | undefined;
  private sentTokens = 0;
  private readonly has: (fault: FaultName) => boolean;
  /** The socket the body is written to directly once the head is out (see `directSocket`), or null. */
  private direct: Socket | null = null;

  constructor(private readonly init: ExchangeInit) {
    const { answer, provider, settings, options } = init;
    const total = answer.pieces.length;
    this.sizes = chunkPlan(answer, settings.tokensPerChunk, provider.wholeToolCall);
    const faultToken = settings.faultAt < 0 ? Math.floor(total / 2) : Math.min(settings.faultAt, total - 1);
    this.faultChunk = this.chunkOfToken(faultToken);
    this.encoder = init.record.stream ? provider.encoder(answer, init.route, options) : undefined;
    init.record.chunks.reserve(init.record.stream ? this.sizes.count : 1);
    this.has = (fault) => init.faults.includes(fault);
  }

  private chunkOfToken(token: number): number {
    let seen = 0;
    for (let k = 0; k < this.sizes.count; k++) {
      seen += this.sizes.size(k);
      if (token < seen) return k;
    }
    return this.sizes.count - 1;
  }

  /** Tokens in the first write; 1 when there is none (an empty answer is planned as one token's time). */
  private firstSize(): number {
    return this.sizes.count > 0 ? this.sizes.size(0) : 1;
  }

  /** The load factor now: generations in flight against this request's capacity. */
  private factor(): number {
    return loadFactor(this.init.truth.active, this.init.settings.capacity);
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
    // A pipelined response has no socket until the one before it has ended; the request always has one.
    if ((init.res.socket ?? init.res.req.socket).destroyed) {
      // The client left while its body was read; 'close' may already have fired.
      this.finish('client-closed');
      return;
    }
    // A chunk goes out when its last token is generated: tokens come at ttft, ttft + gap, ttft + 2·gap, ...
    const firstPlanned = headPlanned + ttft + this.gaps(this.firstSize() - 1);
    if (record.stream) {
      record.head.planned = headPlanned;
      this.planned = firstPlanned;
      this.step = 'head';
      init.scheduler.at(this, headPlanned);
    } else {
      let planned = firstPlanned + this.gaps(init.answer.pieces.length - this.firstSize());
      this.stalled = this.has('stall') ? settings.faultMs : 0;
      planned += this.stalled;
      record.head.planned = planned;
      this.planned = planned;
      this.step = 'whole';
      init.scheduler.at(this, planned);
    }
  }

  /** Called by the scheduler at `due`. */
  run(): void {
    if (this.done) return;
    if (this.step === 'chunk') this.writeChunk();
    else if (this.step === 'head') this.writeHead();
    else if (this.step === 'finish') this.writeFinish();
    else this.writeWhole();
  }

  /** Ends the exchange early: on shutdown the open stream is ended as it stands. */
  abort(outcome: Outcome): void {
    if (this.done) return;
    const { res } = this.init;
    if (res.headersSent) res.end();
    else res.destroy();
    this.finish(outcome);
  }

  private finish(outcome: Outcome): void {
    if (this.done) return;
    this.done = true;
    this.init.scheduler.cancel(this);
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
    const first = record.chunks.actual(0) ?? now;
    return { totalMs: now - record.received, promptEvalMs: first - record.received, evalMs: now - first };
  }

  private writeHead(): void {
    const { res, record, provider, route, headers } = this.init;
    writeHeadWith(res, 200, { ...headers, 'content-type': provider.streamContentType(route), 'cache-control': 'no-cache' }, this.encoder?.preamble() ?? '');
    record.head.actual = nowMs();
    record.status = 200;
    this.direct = directSocket(res);
    this.step = 'chunk';
    this.k = 0;
    this.scheduleChunk();
  }

  /** Schedules chunk `k` at `planned`, held back by a stall when it is the fault chunk. */
  private scheduleChunk(): void {
    this.stalled = this.k === this.faultChunk && this.has('stall') ? this.init.settings.faultMs : 0;
    this.planned += this.stalled;
    this.init.scheduler.at(this, this.planned);
  }

  /** Writes one piece of the body now; false when it queued behind bytes the client has not read. */
  private send(text: string): boolean {
    const direct = this.direct;
    if (direct === null || direct.destroyed) return write(this.init.res, text);
    direct.write(chunkFrame(text));
    return direct.writableLength === 0;
  }

  /** Records a write that carried tokens; `written` is false when its bytes queued behind unread ones. */
  private note(planned: number, actual: number, tokens: number, flags: number, written: boolean): void {
    this.init.truth.addChunk(this.init.record, planned, actual, tokens, written ? flags : flags | CHUNK_QUEUED, this.stalled);
  }

  private writeChunk(): void {
    const { res, answer: ans, provider, options } = this.init;
    const encoder = this.encoder as StreamEncoder;
    const k = this.k;
    if (k === this.faultChunk) {
      if (this.has('reset')) {
        resetSocket(res.socket);
        this.finish('reset');
        return;
      }
      if (this.has('error-event')) {
        end(res, encoder.error());
        this.finish('error-event');
        return;
      }
      if (this.has('truncate')) {
        end(res, '');
        this.finish('truncated');
        return;
      }
    }
    const size = this.sizes.size(k);
    const last = k === this.sizes.count - 1;
    const from = this.sentTokens;
    const text = size === 1 ? (ans.pieces[from] as string) : ans.pieces.slice(from, from + size).join('');
    const reasoning = from < ans.usage.reasoningTokens;
    let frame = encoder.chunk(text, size, last, reasoning);
    let flags = reasoning ? CHUNK_REASONING : 0;
    if (k === this.faultChunk && this.has('malformed')) {
      frame = corruptFrame(frame);
      flags |= CHUNK_MALFORMED;
    }
    if (k === this.faultChunk && this.has('oversize')) {
      frame = padFrame(frame, provider.paddingField, options.oversizeBytes);
      flags |= CHUNK_OVERSIZE;
    }
    this.sentTokens += size;
    if (last && options.finishWrite === 'with-last-token') {
      // The finish events (reason, usage, end marker) leave in the same write as the last tokens.
      const written = end(res, frame + encoder.finish(this.timing()));
      this.note(this.planned, nowMs(), size, flags, written);
      this.finish('complete');
      return;
    }
    const written = this.send(frame);
    this.note(this.planned, nowMs(), size, flags, written);
    if (last) {
      // The closing events in a write of their own: one gap later when the model ended by itself (its end-of-sequence
      // token), at once when the cap cut it.
      this.step = 'finish';
      this.init.scheduler.at(this, this.planned + (ans.finish === 'length' ? 0 : this.gaps(1)));
      return;
    }
    this.k = k + 1;
    this.planned += this.gaps(this.sizes.size(k + 1));
    this.scheduleChunk();
  }

  private writeFinish(): void {
    end(this.init.res, (this.encoder as StreamEncoder).finish(this.timing()));
    this.finish('complete');
  }

  private writeWhole(): void {
    const { res, record, provider, answer: ans, options, headers } = this.init;
    const planned = this.planned;
    if (this.has('reset')) {
      resetSocket(res.socket);
      this.finish('reset');
      return;
    }
    const now = nowMs();
    const timing: FinishTiming = { totalMs: now - record.received, promptEvalMs: record.plan?.ttftMs ?? 0, evalMs: now - record.received - (record.plan?.ttftMs ?? 0) };
    const body = provider.body(ans, timing, options) as Record<string, unknown>;
    let flags = 0;
    if (this.has('oversize')) {
      body[provider.paddingField] = 'x'.repeat(options.oversizeBytes);
      flags |= CHUNK_OVERSIZE;
    }
    let text = JSON.stringify(body);
    if (this.has('malformed')) {
      text = text.slice(0, Math.floor(text.length / 2));
      flags |= CHUNK_MALFORMED;
    }
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
    this.note(planned, actual, ans.pieces.length, flags, res.socket === null || res.socket.writableLength === 0);
    this.finish('complete');
  }
}
