/** One dispatched Server-Sent Event, exactly as the WHATWG "interpreting an event stream" rules produce it. */
export interface SSEMessage {
  /** The event type: the last `event:` field of the block, or `"message"` when there was none or it was empty. */
  type: string;
  /** The `data:` lines of the block joined with LF. */
  data: string;
  /** The last event ID buffer at dispatch time; persists across events, `""` until an `id` field sets it. */
  lastEventId: string;
}

/** A recoverable problem found while parsing a stream. Parsing goes on after it unless `type` says it cannot. */
export interface StreamParseError {
  /**
   * `max-buffer-size-exceeded`: a line or event grew past `maxBufferSize`; the parser drops input until the next line end.
   * `invalid-json`: an NDJSON line that is not JSON (carries `line`).
   */
  type: 'max-buffer-size-exceeded' | 'invalid-json';
  message: string;
  /** 1-based line number, for NDJSON. */
  line?: number;
  /** The offending input, cut to at most 200 characters. */
  input?: string;
}

/** Callbacks and limits for {@link SSEParser}. */
export interface SSEParserOptions {
  /** Called once per dispatched event, in stream order. */
  onEvent: (message: SSEMessage) => void;
  /**
   * Called with the new reconnection time, in milliseconds, for each `retry` field whose value is only ASCII
   * digits (read in base ten, so `02000` is 2000). Other `retry` values are ignored, as the spec says.
   */
  onRetry?: (ms: number) => void;
  /** Called with each comment line's text after its leading colon (`": ping"` gives `" ping"`). */
  onComment?: (comment: string) => void;
  /** Called with recoverable problems; parsing goes on after each one. */
  onError?: (error: StreamParseError) => void;
  /**
   * Most characters the parser holds for one event: the line being read plus the event's data buffer.
   *
   * When a `data`, `event`, `id` or `retry` line (or a comment line, if `onComment` is set) would take the total
   * over this limit, the parser calls `onError` with `type: 'max-buffer-size-exceeded'`, skips the rest of that
   * line up to its line end, and drops the pending event: its data and event type are cleared and an `id` seen in
   * the same block is forgotten (the last committed ID stays). Parsing then resumes with the next line as usual;
   * field lines that follow in the same block start a new pending event. Lines the parser would ignore anyway
   * (unknown fields, comments without `onComment`) are skipped without being held, so they never count.
   * @default 16777216 (16 MiB of UTF-16 code units)
   */
  maxBufferSize?: number;
}

/** A push parser for one `text/event-stream`, created by `createSSEParser`. */
export interface SSEParser {
  /**
   * Parses the next piece of the decoded stream. Any split gives the same callbacks as feeding the whole text at
   * once. Never throws on odd input; an exception thrown by a callback propagates, and the unparsed rest of that
   * chunk is kept and parsed first by the next `feed()`.
   */
  feed(chunk: string): void;
  /** Returns to the initial state: empty buffers, `lastEventId` `""`, and a leading BOM stripped again. */
  reset(): void;
  /**
   * The event source's last event ID string: the ID buffer as committed by the most recent blank line, the value
   * a reconnecting client would send as `Last-Event-ID`. An `id` in a block that has not ended yet is not included.
   */
  readonly lastEventId: string;
}

/** Callbacks and limits for {@link NDJSONParser}. */
export interface NDJSONParserOptions {
  /** Called with each parsed value and its 1-based line number, in stream order. */
  onValue: (value: unknown, line: number) => void;
  /** Called with `invalid-json` for a line that is not JSON and `max-buffer-size-exceeded` for an oversized line. */
  onError?: (error: StreamParseError) => void;
  /**
   * Longest line, in characters, the parser holds. A longer line is reported once through `onError`
   * (`max-buffer-size-exceeded`, with its line number) and skipped up to its LF; the lines after it parse as usual.
   * @default 16777216 (16 MiB of UTF-16 code units)
   */
  maxBufferSize?: number;
  /**
   * Parses one line, throwing on invalid JSON as `JSON.parse` does. @default JSON.parse
   * A faster equivalent is the only reason to change it.
   */
  parse?: (text: string) => unknown;
}

/** A push parser for newline-delimited JSON, created by `createNDJSONParser`. */
export interface NDJSONParser {
  /** Parses the next piece of the stream; complete lines are reported at once, a partial last line is held. */
  feed(chunk: string): void;
  /** Parses the held last line, which NDJSON allows to lack a newline, then returns to the initial state. */
  end(): void;
  /** Drops any held input and returns to the initial state (line numbers restart at 1). */
  reset(): void;
}

/** What `parseNDJSON` found in a whole body. */
export interface NDJSONParseResult {
  values: unknown[];
  errors: StreamParseError[];
}
