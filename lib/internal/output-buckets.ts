// The `output_bucket` tag: which length class a response's output token count falls in.

/** Default output-length bucket edges (upper bounds, inclusive): 0–64, 65–256, 257–1024, 1025+ tokens. */
export const DEFAULT_OUTPUT_BUCKETS: readonly number[] = [64, 256, 1024];

/** The `output_bucket` tag value for an output token count: `0-64`, `65-256`, `257-1024`, `1025+`. */
export function outputBucket(outputTokens: number | undefined, edges: readonly number[] = DEFAULT_OUTPUT_BUCKETS): string {
  if (outputTokens === undefined) return 'unknown';
  let low = 0;
  for (let i = 0; i < edges.length; i++) {
    const edge = edges[i] as number;
    if (outputTokens <= edge) return `${low}-${edge}`;
    low = edge + 1;
  }
  return `${low}+`;
}
