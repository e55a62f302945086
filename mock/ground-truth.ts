import type { FaultName } from './options.js';

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
}

/**
 * How the response ended: `complete` with its protocol's end marker; `error` before any body (4xx/5xx);
 * `truncated`, `reset` and `error-event` by a fault; `client-closed` when the client went away;
 * `shutdown` when the server stopped; `in-progress` while it runs.
 */
export type Outcome = 'in-progress' | 'complete' | 'error' | 'truncated' | 'reset' | 'error-event' | 'client-closed' | 'shutdown';

/** What the server did for one request: the truth a client's measurements are checked against. */
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

/** Chunk entries kept across all records: about 100 MB at most, whatever the output lengths. */
export const MAX_KEPT_CHUNKS = 1_000_000;

/**
 * The last `size` request records, oldest dropped first, plus running counters. An insertion-ordered Map is the
 * ring: adding past the size, or past `maxChunks` chunk entries in total, drops the oldest records, so memory stays
 * flat however long the server runs. Records are mutable while their request runs; counters are taken when a
 * request is finished.
 */
export class GroundTruth {
  private readonly records = new Map<string, RequestRecord>();
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

  add(record: RequestRecord): void {
    this.records.set(record.id, record);
    this.keptChunks += record.chunks.length;
    this.trim();
  }

  /** Appends a written chunk to a record (use this, not `record.chunks.push`, so the budget is kept). */
  addChunk(record: RequestRecord, chunk: ChunkRecord): void {
    record.chunks.push(chunk);
    if (this.records.get(record.id) === record) {
      this.keptChunks++;
      if (this.keptChunks > this.maxChunks) this.trim();
    }
  }

  private trim(): void {
    while (this.records.size > this.size || (this.keptChunks > this.maxChunks && this.records.size > 1)) {
      const oldest = this.records.values().next();
      if (oldest.done) break;
      this.records.delete(oldest.value.id);
      this.keptChunks -= oldest.value.chunks.length;
    }
  }

  get(id: string): RequestRecord | undefined {
    return this.records.get(id);
  }

  /** The newest `limit` records, newest first. */
  recent(limit: number): RequestRecord[] {
    const all = [...this.records.values()];
    return all.slice(Math.max(0, all.length - limit)).reverse();
  }

  /** Counts a finished request. */
  count(record: RequestRecord): void {
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
    this.records.clear();
    this.keptChunks = 0;
    this.counters = emptyCounters();
    this.peakConcurrency = this.active;
  }
}

function emptyCounters(): Pick<MockStats, 'requests' | 'byStatus' | 'byProvider' | 'byFault' | 'byOutcome'> {
  return { requests: 0, byStatus: {}, byProvider: {}, byFault: {}, byOutcome: {} };
}
