// The one request every overhead and memory script sends, and the scenario they run, read from __ENV so the
// library scripts and the hand-written baselines are driven identically. Deliberately imports nothing from k6-llm:
// the baselines use it too, and the memory bench compares scripts with and without the library.

export const MODEL = 'gpt-4o-mini';
export const API_KEY = 'bench-key';
export const PROMPT = 'Summarise in a few sentences why streaming matters for a chat product.';
export const MAX_TOKENS = Number(__ENV.MAX_TOKENS || 64);

export function baseUrl() {
  if (!__ENV.MOCK_URL) throw new Error('invalid MOCK_URL: expected the mock server URL, got nothing');
  return `${__ENV.MOCK_URL}/v1`;
}

/** The body k6-llm's openai-chat provider builds for PROMPT (checked against it by the overhead bench). */
export function requestBody(stream) {
  const body = { model: MODEL, messages: [{ role: 'user', content: PROMPT }], max_tokens: MAX_TOKENS, stream };
  if (stream) body.stream_options = { include_usage: true };
  return JSON.stringify(body);
}

export function requestHeaders(stream) {
  const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${API_KEY}` };
  if (stream) headers.Accept = 'text/event-stream';
  return headers;
}

/**
 * EXECUTOR=arrival: constant-arrival-rate at RATE/s for DURATION with VUS pre-allocated (the overhead bench).
 * EXECUTOR=vus: VUS constant VUs for DURATION (the memory bench).
 */
export function benchOptions() {
  const vus = Number(__ENV.VUS || 50);
  const duration = __ENV.DURATION || '20s';
  const scenario =
    __ENV.EXECUTOR === 'vus'
      ? { executor: 'constant-vus', vus, duration, gracefulStop: __ENV.GRACEFUL_STOP || '30s' }
      : { executor: 'constant-arrival-rate', rate: Number(__ENV.RATE || 100), timeUnit: '1s', duration, preAllocatedVUs: vus, maxVUs: vus };
  return { scenarios: { bench: scenario }, summaryTrendStats: ['avg', 'med', 'p(99)', 'max', 'count'] };
}
