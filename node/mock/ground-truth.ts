import type { FaultName } from './options';

/** A planned and an actual time, epoch ms with fractions (`performance.timeOrigin + performance.now()`). */
export interface TimePair {
  planned: number | null;
  actual: number | null;
}

/** One write that carried output tokens: a stream event, or the whole body of a non-streamed answer. */
export interface ChunkRecord {
  planned: number;
  actual: number;
  tokens: number;
  /** The event carried reasoning, not visible output. */
  reasoning?: true;
  /** The event's JSON was deliberately broken (`malformed` fault). */
  malformed?: true;
  /** The event was padded past `oversizeBytes` (`oversize` fault). */
  oversize?: true;
  /** This event was held back by a `stall` fault for that many ms. */
  stalledMs?: number;
  /**
   * The client had not read what was written before, so these bytes waited in the server's queue: `actual` is when
   * they were handed to it, and they reached the kernel later, when the client read.
   */
  queued?: true;
}

/** Flags of a chunk, as bits of `ChunkLog`'s flags slot. */
export const CHUNK_REASONING = 1;
export const CHUNK_MALFORMED = 2;
export const CHUNK_OVERSIZE = 4;
export const CHUNK_QUEUED = 8;

/** Numbers per write in a `ChunkLog`: planned, actual, tokens, flags. */
const STRIDE = 4;

/**
 * The writes of one response that carried tokens, packed in one Float64Array (planned, actual, tokens and flags for
 * each) rather than an object per write. The record outlives many young-generation collections, and every object
 * that survives one is copied: at a thousand streams an object per token write made the collector's pauses the
 * largest part of the mock's send error p99 (docs/benchmarks.md). Serialized as the `ChunkRecord` list.
 */
export class ChunkLog {
  private data: Float64Array;
  /** `stalledMs` by write index; stalls are rare. */
  private stalls: Map<number, number> | undefined;
  length = 0;
  /** The record is in the history (its writes count against the budget); saves a map lookup per write. */
  kept = false;

  constructor(capacity = 0) {
    this.data = new Float64Array(capacity * STRIDE);
  }

  /** Makes room for `capacity` writes in all, so pushing them allocates nothing. */
  reserve(capacity: number): void {
    if (capacity * STRIDE > this.data.length) this.grow(capacity);
  }

  push(planned: number, actual: number, tokens: number, flags = 0, stalledMs = 0): void {
    const i = this.length;
    if ((i + 1) * STRIDE > this.data.length) this.grow(Math.max(4, i * 2));
    const at = i * STRIDE;
    this.data[at] = planned;
    this.data[at + 1] = actual;
    this.data[at + 2] = tokens;
    this.data[at + 3] = flags;
    if (stalledMs > 0) (this.stalls ??= new Map()).set(i, stalledMs);
    this.length = i + 1;
  }

  /** The actual time of write `i`, or undefined. */
  actual(i: number): number | undefined {
    return i < this.length ? this.data[i * STRIDE + 1] : undefined;
  }

  /** Write `i` in its public shape. */
  at(i: number): ChunkRecord | undefined {
    if (i < 0 || i >= this.length) return undefined;
    const at = i * STRIDE;
    const chunk: ChunkRecord = { planned: this.data[at] as number, actual: this.data[at + 1] as number, tokens: this.data[at + 2] as number };
    const flags = this.data[at + 3] as number;
    if (flags & CHUNK_REASONING) chunk.reasoning = true;
    if (flags & CHUNK_MALFORMED) chunk.malformed = true;
    if (flags & CHUNK_OVERSIZE) chunk.oversize = true;
    const stalled = this.stalls?.get(i);
    if (stalled !== undefined) chunk.stalledMs = stalled;
    if (flags & CHUNK_QUEUED) chunk.queued = true;
    return chunk;
  }

  toJSON(): ChunkRecord[] {
    const out: ChunkRecord[] = [];
    for (let i = 0; i < this.length; i++) out.push(this.at(i) as ChunkRecord);
    return out;
  }

  private grow(capacity: number): void {
    const data = new Float64Array(capacity * STRIDE);
    data.set(this.data.subarray(0, this.length * STRIDE));
    this.data = data;
  }
}

/**
 * How the response ended: `complete` with its protocol's end marker; `error` before any body (4xx/5xx);
 * `truncated`, `reset` and `error-event` by a fault; `client-closed` when the client went away;
 * `shutdown` when the server stopped; `in-progress` while it runs.
 */
export type Outcome = 'in-progress' | 'complete' | 'error' | 'truncated' | 'reset' | 'error-event' | 'client-closed' | 'shutdown';

/**
 * What the server did for one request: the truth a client's measurements are checked against, as
 * `GET /_mock/requests/{id}` returns it.
 */
export interface RequestRecord {
  id: string;
  provider: string;
  model: string | null;
  stream: boolean;
  /** When the request body had arrived. */
  received: number;
  head: TimePair;
  chunks: ChunkRecord[];
  /** When the response was ended (last byte written or socket closed). */
  end: number | null;
  /** Prompt tokens, cached ones included. */
  inputTokens: number;
  /** Output tokens the answer has (what usage reports), whether or not all were sent; reasoning included. */
  outputTokens: number;
  /** The leading output tokens that are reasoning. */
  reasoningTokens: number;
  /** The answer is a refusal sentence. */
  refusal: boolean;
  cachedTokens: number;
  cacheWriteTokens: number;
  status: number;
  fault: FaultName | null;
  faults: FaultName[];
  finishReason: string | null;
  outcome: Outcome;
  /** TTFT and gap the plan used (after load factor), ms. */
  plan: { ttftMs: number; itlMs: number; loadFactor: number; tokensPerChunk: number } | null;
}

/** A record as the server keeps it: its writes packed in a `ChunkLog`, which serializes as `RequestRecord.chunks`. */
export type TruthRecord = Omit<RequestRecord, 'chunks'> & { chunks: ChunkLog };

export interface MockStats {
  requests: number;
  byStatus: Record<string, number>;
  byProvider: Record<string, number>;
  byFault: Record<string, number>;
  byOutcome: Record<string, number>;
  /** Generations in flight (streamed or not). */
  active: number;
  /** Streams with an open response. */
  activeStreams: number;
  /** Highest `active` seen. */
  peakConcurrency: number;
  startedAt: number;
  uptimeMs: number;
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** Chunk entries kept across all records: 32 MB of packed numbers at most, whatever the output lengths. */
export const MAX_KEPT_CHUNKS = 1_000_000;

/**
 * The last `size` request records, oldest dropped first, plus running counters. An insertion-ordered Map is the
 * ring: adding past the size, or past `maxChunks` chunk entries in total, drops the oldest records, so memory stays
 * flat however long the server runs. Records are mutable while their request runs; counters are taken when a
 * request is finished.
 */
export class GroundTruth {
  private readonly records = new Map<string, TruthRecord>();
  private keptChunks = 0;
  private counters = emptyCounters();
  active = 0;
  activeStreams = 0;
  peakConcurrency = 0;

  constructor(
    private readonly size: number,
    private readonly startedAt: number,
    private readonly maxChunks = MAX_KEPT_CHUNKS,
  ) {}

  add(record: TruthRecord): void {
    this.records.set(record.id, record);
    record.chunks.kept = true;
    this.keptChunks += record.chunks.length;
    this.trim();
  }

  /** Appends a written chunk to a record (use this, not `record.chunks.push`, so the budget is kept). */
  addChunk(record: TruthRecord, planned: number, actual: number, tokens: number, flags = 0, stalledMs = 0): void {
    record.chunks.push(planned, actual, tokens, flags, stalledMs);
    if (record.chunks.kept) {
      this.keptChunks++;
      if (this.keptChunks > this.maxChunks) this.trim();
    }
  }

  private trim(): void {
    while (this.records.size > this.size || (this.keptChunks > this.maxChunks && this.records.size > 1)) {
      const oldest = this.records.values().next();
      if (oldest.done) break;
      this.records.delete(oldest.value.id);
      oldest.value.chunks.kept = false;
      this.keptChunks -= oldest.value.chunks.length;
    }
  }

  get(id: string): TruthRecord | undefined {
    return this.records.get(id);
  }

  /** The newest `limit` records, newest first. */
  recent(limit: number): TruthRecord[] {
    const all = [...this.records.values()];
    return all.slice(Math.max(0, all.length - limit)).reverse();
  }

  /** Counts a finished request. */
  count(record: TruthRecord): void {
    this.counters.requests++;
    bump(this.counters.byStatus, String(record.status));
    bump(this.counters.byProvider, record.provider);
    bump(this.counters.byOutcome, record.outcome);
    for (const fault of record.faults) bump(this.counters.byFault, fault);
  }

  enter(stream: boolean): void {
    this.active++;
    if (stream) this.activeStreams++;
    this.peakConcurrency = Math.max(this.peakConcurrency, this.active);
  }

  leave(stream: boolean): void {
    this.active--;
    if (stream) this.activeStreams--;
  }

  stats(now: number): MockStats {
    return {
      ...structuredClone(this.counters),
      active: this.active,
      activeStreams: this.activeStreams,
      peakConcurrency: this.peakConcurrency,
      startedAt: this.startedAt,
      uptimeMs: now - this.startedAt,
    };
  }

  /** Forgets records and counters (not requests in flight). */
  clear(): void {
    for (const record of this.records.values()) record.chunks.kept = false;
    this.records.clear();
    this.keptChunks = 0;
    this.counters = emptyCounters();
    this.peakConcurrency = this.active;
  }
}

function emptyCounters(): Pick<MockStats, 'requests' | 'byStatus' | 'byProvider' | 'byFault' | 'byOutcome'> {
  return { requests: 0, byStatus: {}, byProvider: {}, byFault: {}, byOutcome: {} };
}
