// Types of k6-llm's k6 extension (k6/ source in this package).
declare module 'k6/x/llmstream' {
  export interface LlmStreamRequest {
    method?: string;
    url: string;
    body?: string;
    headers?: Record<string, string>;
    /** Whole-request timeout. @default 120000 */
    timeoutMs?: number;
    /** Abort when no byte arrives for this long after the head. 0 = never. */
    stallTimeoutMs?: number;
    /** Tags for k6's http_* metrics of this request. */
    tags?: Record<string, string>;
    /** Statuses counted as expected (not http_req_failed) besides 200–399. */
    expectedStatuses?: readonly number[];
  }
  export interface LlmStreamResponse {
    status: number;
    proto: string;
    headers: Record<string, string>;
    error: string;
    errorCode: string;
    startMs: number;
    sentMs: number;
    headMs: number;
    endMs: number;
    bytes: number;
    chunks: number;
    stopped: boolean;
  }
  /**
   * Sends the request; calls onChunk(text, arrivalMs, status, contentType) for every body read
   * (return true to stop). Blocks the VU.
   */
  export function request(
    options: LlmStreamRequest,
    onChunk?: (chunk: string, atMs: number, status: number, contentType: string) => boolean | void,
  ): LlmStreamResponse;
  /** Epoch milliseconds from a monotonic clock, with sub-millisecond fractions. */
  export function now(): number;
  /**
   * A faster JSON.parse for small documents. Returns undefined for input it leaves to JSON.parse: invalid JSON
   * and the rare valid inputs it does not build itself. Absent from extension builds before it was added.
   */
  export function parseJSON(text: string): unknown;
  export const version: string;
  const llmstream: { request: typeof request; now: typeof now; parseJSON?: typeof parseJSON; version: string };
  export default llmstream;
}
