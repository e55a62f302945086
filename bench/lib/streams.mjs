// The stream workload of the mock bench: what each stream asks the mock for, how long one request lasts, and the mock's
// flags for it. (The race bench, bench/race, has its own workload and ground truth.)
export const STREAM_WORKLOAD = {
  ttftMs: 500,
  itlMs: 20,
  tokens: 50,
  durationS: 7,
  warmupMs: 1_500,
};

/** One request's length on the mock: TTFT plus the gaps between its tokens. */
export function requestLengthMs(w = STREAM_WORKLOAD) {
  return w.ttftMs + (w.tokens - 1) * w.itlMs;
}

export function mockArgsFor(w = STREAM_WORKLOAD) {
  return [
    '--ttft-ms', String(w.ttftMs),
    '--itl-ms', String(w.itlMs),
    '--jitter', '0',
    '--capacity', '0',
    '--prefill-ms-per-token', '0',
    '--output-tokens', String(w.tokens),
    '--history-size', '200000',
    '--no-cache',
  ];
}
