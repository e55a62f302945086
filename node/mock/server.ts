import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chooseTool, planAnswer, type Answer } from './answer';
import { nowMs } from './clock';
import { Exchange } from './exchange';
import { ChunkLog, GroundTruth, type TruthRecord } from './ground-truth';
import {
  normalizeOptions, OverrideHeaderError, requestSettings,
  type FaultName, type MockOptions, type RequestSettings, type ResolvedOptions,
} from './options';
import { estimateTokens, RequestError, type MockRequest } from './prompt';
import { PromptCache } from './prompt-cache';
import { providers, type MockProvider, type RouteParams } from './providers/index';
import type { ErrorInfo } from './providers/types';
import { createRandom, type Random } from './random';
import { Scheduler } from './scheduler';
import { anthropicRateHeaders, openAiRateHeaders, RateLimiter, retryAfterHeaders, type RateDecision } from './rate-limit';

export { MockOptionsError, type MockOptions } from './options';
export type { MockStats, RequestRecord } from './ground-truth';

/** A running mock server. */
export interface MockServer {
  /** Base URL, e.g. `http://127.0.0.1:8787`. */
  url: string;
  port: number;
  /** Stops accepting connections, ends open streams, and resolves when the server has closed. */
  close(): Promise<void>;
}

/** The largest request body accepted; above it the answer is 413, as Anthropic's 32 MB Messages limit. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

const STATUS_FAULTS: Partial<Record<FaultName, { status: number; kind: ErrorInfo['kind']; message: string }>> = {
  '429': { status: 429, kind: 'rate_limit', message: 'Rate limit reached (injected by the mock).' },
  '500': { status: 500, kind: 'server', message: 'The server had an error while processing your request.' },
  '503': { status: 503, kind: 'unavailable', message: 'The service is temporarily unavailable.' },
  '529': { status: 529, kind: 'overloaded', message: 'Overloaded' },
};

interface State {
  options: ResolvedOptions;
  truth: GroundTruth;
  cache: PromptCache;
  limiter: RateLimiter;
  faultRandom: Random;
  /** Draws of the configured refusal probability. */
  refusalRandom: Random;
  /** Requests seen, numbering the per-request variation sequence. */
  requestCount: number;
  exchanges: Set<Exchange>;
  /** The one timer every generation's writes wait on. */
  scheduler: Scheduler;
}

/** The reasoning source of an answer without reasoning: never drawn from. */
const NO_THOUGHTS: Random = createRandom('no reasoning');

interface Route {
  provider: MockProvider;
  params: RouteParams;
}

/** Which provider serves a POST, by path. Gemini carries the model and the method in the path. */
function matchRoute(path: string, search: URLSearchParams, accept: string | undefined): Route | undefined {
  switch (path) {
    case '/api/ask':
      return { provider: providers.custom, params: { stream: false } };
    case '/api/stream': {
      const ndjson = search.get('format') === 'ndjson' || (accept ?? '').toLowerCase().includes('application/x-ndjson');
      return { provider: providers.custom, params: { stream: true, ndjson } };
    }
    case '/v1/chat/completions':
      return { provider: providers['openai-chat'], params: {} };
    case '/v1/responses':
      return { provider: providers['openai-responses'], params: {} };
    case '/v1/messages':
      return { provider: providers.anthropic, params: {} };
    case '/api/chat':
      return { provider: providers.ollama, params: {} };
  }
  const gemini = /^\/(?:v1beta|v1)\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(path);
  if (gemini) {
    return {
      provider: providers.gemini,
      params: { model: decodeURIComponent(gemini[1] ?? ''), stream: gemini[2] === 'streamGenerateContent', sse: search.get('alt') === 'sse' },
    };
  }
  return undefined;
}

function firstHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text?.trim() || undefined;
}

/** The API key from any header a provider uses (or Gemini's `?key=`); undefined when none is given or it is empty. */
export function apiKeyOf(req: IncomingMessage, search: URLSearchParams): string | undefined {
  const auth = firstHeader(req, 'authorization');
  const bearer = auth === undefined ? undefined : /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim();
  return bearer || firstHeader(req, 'x-api-key') || firstHeader(req, 'x-goog-api-key') || firstHeader(req, 'api-key') || search.get('key')?.trim() || undefined;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function newRecord(id: string, provider: string, received: number): TruthRecord {
  return {
    id, provider, model: null, stream: false, received,
    head: { planned: null, actual: null }, chunks: new ChunkLog(), end: null,
    inputTokens: 0, outputTokens: 0, reasoningTokens: 0, refusal: false, cachedTokens: 0, cacheWriteTokens: 0,
    status: 0, fault: null, faults: [], finishReason: null, outcome: 'in-progress', plan: null,
  };
}

function drawFaults(options: ResolvedOptions, settings: RequestSettings, random: Random): FaultName[] {
  if (settings.faults !== undefined) return settings.faults;
  const drawn: FaultName[] = [];
  for (const [name, p] of Object.entries(options.faults) as [FaultName, number][]) {
    if (p > 0 && random.next() < p) drawn.push(name);
  }
  return drawn;
}

function rateHeaders(provider: MockProvider, decision: RateDecision, now: number): Record<string, string> {
  if (provider.rateLimitHeaders === 'openai') return openAiRateHeaders(decision);
  if (provider.rateLimitHeaders === 'anthropic') return anthropicRateHeaders(decision, now);
  return {};
}

/** Answers before any generation: writes the provider's error envelope and closes the record. */
function refuse(state: State, res: ServerResponse, record: TruthRecord, provider: MockProvider, error: ErrorInfo, headers: Record<string, string> = {}): void {
  const extra = error.retryAfterMs === undefined ? {} : retryAfterHeaders(error.retryAfterMs);
  sendJson(res, error.status, provider.errorBody(error), { ...headers, ...extra });
  const now = nowMs();
  record.status = error.status;
  record.head = { planned: now, actual: now };
  record.end = now;
  record.outcome = 'error';
  state.truth.count(record);
}

function providerIdHeaders(provider: MockProvider, id: string): Record<string, string> {
  if (provider.name === 'anthropic') return { 'request-id': id };
  if (provider.name === 'openai-chat' || provider.name === 'openai-responses') return { 'x-request-id': id };
  return {};
}

async function handleGeneration(state: State, route: Route, req: IncomingMessage, res: ServerResponse, search: URLSearchParams, id: string): Promise<void> {
  const { options } = state;
  const { provider } = route;
  const body = await readBody(req);
  const received = nowMs();
  const record = newRecord(id, provider.name, received);
  state.truth.add(record);
  const idHeaders = providerIdHeaders(provider, id);
  const fail = (status: number, kind: ErrorInfo['kind'], message: string, headers: Record<string, string> = {}, more: Partial<ErrorInfo> = {}): void =>
    refuse(state, res, record, provider, { status, kind, message, requestId: id, ...more }, { ...idHeaders, ...headers });

  if (body === 'too-large') return fail(413, 'invalid_request', `invalid body: expected at most ${MAX_BODY_BYTES} bytes`);
  const needsKey = provider.name === 'ollama' ? options.ollamaRequiresApiKey : options.requireApiKey;
  const apiKey = apiKeyOf(req, search);
  if (needsKey && apiKey === undefined) {
    return fail(401, 'authentication', 'missing API key: expected an Authorization: Bearer, x-api-key, x-goog-api-key or api-key header');
  }
  let json: unknown;
  let settings: RequestSettings;
  let request: MockRequest;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (error) {
    return fail(400, 'invalid_request', `invalid body: expected JSON, got a parse error (${(error as Error).message})`);
  }
  try {
    settings = requestSettings(options, req.headers);
    request = provider.parse(json, route.params, options);
  } catch (error) {
    if (error instanceof RequestError || error instanceof OverrideHeaderError) return fail(400, 'invalid_request', error.message);
    throw error;
  }
  record.model = request.model;
  record.stream = request.stream;

  // Words and tool arguments come from the request content, so the same request reads the same. Jitter and sampled
  // lengths must differ between identical requests (a load test often repeats one prompt), so they come from the
  // server's request sequence, unless x-mock-seed pins them to the content too.
  const prompt = request.promptParts.join('\u0001');
  const content = createRandom(settings.seed, provider.name, request.model, prompt);
  const variation = req.headers['x-mock-seed'] === undefined
    ? createRandom(options.seed, 'request', state.requestCount++)
    : createRandom(settings.seed, 'variation', provider.name, request.model, prompt);
  const inputTokens = estimateTokens(request.promptParts);
  let tool;
  try {
    tool = chooseTool(request, options.autoToolCalls, content);
  } catch (error) {
    if (error instanceof RequestError) return fail(400, 'invalid_request', error.message);
    throw error;
  }
  const refusal = settings.refusal ?? (options.refusal > 0 && state.refusalRandom.next() < options.refusal);
  const plan = planAnswer({
    request, tool: refusal ? undefined : tool, refusal, reasoningTokens: settings.reasoningTokens,
    outputTokensOverride: settings.outputTokensOverride, options, content, variation,
    // Drawn from only when the answer reasons; each source costs a SHA-256.
    thoughts: settings.reasoningTokens > 0 ? createRandom(settings.seed, 'reasoning', provider.name, request.model, prompt) : NO_THOUGHTS,
  });
  const { pieces, call } = plan;
  record.inputTokens = inputTokens;
  record.outputTokens = pieces.length;
  record.reasoningTokens = plan.reasoningTokens;
  record.refusal = refusal;

  const now = nowMs();
  const decision = state.limiter.check(apiKey ?? 'anonymous', { inputTokens, outputTokens: pieces.length }, now);
  const headers = { ...idHeaders, ...rateHeaders(provider, decision, now) };
  if (!decision.allowed) {
    const limitedBy = decision.limitedBy ?? 'requests';
    return fail(429, 'rate_limit', `Rate limit reached for ${limitedBy} per minute. Please try again later.`, headers, { retryAfterMs: decision.retryAfterMs, limitedBy });
  }
  const faults = drawFaults(options, settings, state.faultRandom);
  record.faults = faults;
  record.fault = faults[0] ?? null;
  for (const fault of faults) {
    const status = STATUS_FAULTS[fault];
    if (status === undefined) continue;
    return fail(status.status, status.kind, status.message, headers, fault === '500' ? {} : { retryAfterMs: options.retryAfterMs, limitedBy: 'requests' });
  }

  // Ollama's prompt reuse depends on the server slot, not a prefix cache; it reports no cached counts.
  const cache = settings.cache && provider.name !== 'ollama'
    ? state.cache.lookup(`${provider.name}\u0000${request.model}`, request.promptParts, inputTokens, now)
    : { cachedTokens: 0, writeTokens: 0 };
  record.cachedTokens = cache.cachedTokens;
  record.cacheWriteTokens = cache.writeTokens;
  const finish = call ? 'tool' : plan.capped ? 'length' : 'stop';
  record.finishReason = finish;
  const answer: Answer = {
    idSuffix: id.slice(4),
    model: request.model,
    created: Math.floor(Date.now() / 1000),
    pieces,
    tool: call,
    refusal,
    finish,
    usage: {
      inputTokens, outputTokens: pieces.length, reasoningTokens: plan.reasoningTokens, cachedTokens: cache.cachedTokens, cacheWriteTokens: cache.writeTokens,
    },
    // Only OpenAI Chat has stream_options; `streamUsage: "always"` plays servers that send usage unasked.
    includeUsage: request.includeUsage || (provider.name === 'openai-chat' && options.streamUsage === 'always'),
  };
  const exchange = new Exchange({
    options, truth: state.truth, scheduler: state.scheduler, provider, route: route.params, res, record, answer, settings, faults,
    prefillTokens: inputTokens - cache.cachedTokens, random: variation, headers,
    onDone: (done) => state.exchanges.delete(done),
  });
  state.exchanges.add(exchange);
  exchange.start();
}

function handleAdmin(state: State, req: IncomingMessage, res: ServerResponse, path: string, search: URLSearchParams): boolean {
  const { options, truth } = state;
  if (req.method === 'GET' && path === '/health') {
    sendJson(res, 200, { status: 'ok' });
    return true;
  }
  if (req.method === 'GET' && path === '/v1/models') {
    const created = Math.floor(truth.stats(nowMs()).startedAt / 1000);
    if (req.headers['anthropic-version'] !== undefined) {
      const data = options.models.map((m) => ({ type: 'model', id: m, display_name: m, created_at: new Date(created * 1000).toISOString() }));
      sendJson(res, 200, { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null });
    } else {
      sendJson(res, 200, { object: 'list', data: options.models.map((m) => ({ id: m, object: 'model', created, owned_by: 'k6-llm-mock' })) });
    }
    return true;
  }
  if (req.method === 'GET' && path === '/v1beta/models') {
    sendJson(res, 200, {
      models: options.models.map((m) => ({ name: `models/${m}`, displayName: m, supportedGenerationMethods: ['generateContent', 'streamGenerateContent'] })),
    });
    return true;
  }
  if (req.method === 'GET' && path === '/api/tags') {
    const modified = new Date(truth.stats(nowMs()).startedAt).toISOString();
    sendJson(res, 200, { models: options.models.map((m) => ({ name: m, model: m, modified_at: modified, size: 0, digest: '', details: {} })) });
    return true;
  }
  if (req.method === 'GET' && path === '/_mock/stats') {
    sendJson(res, 200, truth.stats(nowMs()));
    return true;
  }
  if (req.method === 'GET' && path === '/_mock/config') {
    sendJson(res, 200, options);
    return true;
  }
  if (req.method === 'POST' && path === '/_mock/reset') {
    truth.clear();
    state.cache.clear();
    state.limiter.clear();
    sendJson(res, 200, { status: 'ok' });
    return true;
  }
  if (req.method === 'GET' && path === '/_mock/requests') {
    const limit = Math.max(1, Math.min(1000, Number(search.get('limit') ?? 100) || 100));
    sendJson(res, 200, { data: truth.recent(limit) });
    return true;
  }
  const one = /^\/_mock\/requests\/([^/]+)$/.exec(path);
  if (req.method === 'GET' && one) {
    const record = truth.get(decodeURIComponent(one[1] ?? ''));
    if (record) sendJson(res, 200, record);
    else sendJson(res, 404, { error: { message: `unknown request id ${JSON.stringify(one[1])}`, type: 'not_found' } });
    return true;
  }
  return false;
}

/**
 * Starts the mock LLM server and resolves once it listens. `port: 0` picks a free port; read it from the result.
 * Throws `MockOptionsError` on invalid options.
 */
export async function startMockServer(options: MockOptions = {}): Promise<MockServer> {
  const resolved = normalizeOptions(options);
  const state: State = {
    options: resolved,
    truth: new GroundTruth(resolved.historySize, nowMs()),
    cache: new PromptCache(resolved.cacheTtlMs),
    limiter: new RateLimiter(resolved),
    faultRandom: createRandom(resolved.seed, 'faults'),
    refusalRandom: createRandom(resolved.seed, 'refusals'),
    requestCount: 0,
    exchanges: new Set(),
    scheduler: new Scheduler(),
  };

  // noDelay: every chunk must leave when written, not when Nagle's algorithm lets it, or the timing is a lie.
  // Ids are a random prefix per server and a counter: unique, and no call to the system's random source per request.
  const idPrefix = randomBytes(8).toString('hex');
  let idCount = 0;
  const server = createServer({ noDelay: true, keepAlive: true }, (req, res) => {
    const id = `req_${idPrefix}${(idCount++ >>> 0).toString(16).padStart(8, '0')}`;
    res.setHeader('x-mock-request-id', id);
    const url = new URL(req.url ?? '/', 'http://mock.local');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (handleAdmin(state, req, res, path, url.searchParams)) return;
    const route = req.method === 'POST' ? matchRoute(path, url.searchParams, firstHeader(req, 'accept')) : undefined;
    if (route === undefined) {
      req.resume();
      sendJson(res, 404, { error: { message: `unknown route: ${req.method ?? ''} ${path}`, type: 'invalid_request_error', param: null, code: 'unknown_url' } });
      return;
    }
    handleGeneration(state, route, req, res, url.searchParams, id).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: `mock server bug: ${(error as Error).message}`, type: 'server_error' } });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const exchange of [...state.exchanges]) exchange.abort('shutdown');
        server.closeIdleConnections();
        // Requests still arriving or half-read get a moment to finish before their sockets are cut.
        setTimeout(() => server.closeAllConnections(), 500).unref();
      });
      return closing;
    },
  };
}
