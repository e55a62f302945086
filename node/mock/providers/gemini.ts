import { reasoningText, visibleText, type Answer } from '../answer';
import { contentText, isRecord, RequestError, type ToolChoice, type ToolDef } from '../prompt';
import { type ErrorKind, type MockProvider, type RouteParams } from './types';

const STATUS_NAMES: Record<ErrorKind, string> = {
  invalid_request: 'INVALID_ARGUMENT',
  authentication: 'UNAUTHENTICATED',
  not_found: 'NOT_FOUND',
  rate_limit: 'RESOURCE_EXHAUSTED',
  server: 'INTERNAL',
  unavailable: 'UNAVAILABLE',
  overloaded: 'UNAVAILABLE',
};

/** A protobuf Duration string (`27s`, `3.7s`), as `RetryInfo.retryDelay` carries it. */
function protobufDuration(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;
}

function readTools(body: Record<string, unknown>): ToolDef[] {
  if (body.tools === undefined || body.tools === null) return [];
  if (!Array.isArray(body.tools)) throw new RequestError(`invalid tools: expected an array, got ${JSON.stringify(body.tools)}`);
  const tools: ToolDef[] = [];
  for (const tool of body.tools) {
    if (!isRecord(tool) || !Array.isArray(tool.functionDeclarations)) continue;
    for (const decl of tool.functionDeclarations) {
      if (!isRecord(decl) || typeof decl.name !== 'string') throw new RequestError('invalid functionDeclarations: expected { name, parameters }');
      tools.push({ name: decl.name, parameters: decl.parametersJsonSchema ?? decl.parameters });
    }
  }
  return tools;
}

function readToolChoice(body: Record<string, unknown>, tools: ToolDef[]): { choice: ToolChoice; tools: ToolDef[] } {
  const config = isRecord(body.toolConfig) && isRecord(body.toolConfig.functionCallingConfig) ? body.toolConfig.functionCallingConfig : {};
  const mode = typeof config.mode === 'string' ? config.mode.toUpperCase() : 'AUTO';
  if (tools.length === 0 || mode === 'NONE') return { choice: 'none', tools };
  if (mode !== 'ANY') return { choice: 'auto', tools };
  const allowed = Array.isArray(config.allowedFunctionNames) ? config.allowedFunctionNames.filter((n): n is string => typeof n === 'string') : [];
  if (allowed.length === 1 && allowed[0] !== undefined) return { choice: { name: allowed[0] }, tools };
  const narrowed = allowed.length > 0 ? tools.filter((t) => allowed.includes(t.name)) : tools;
  if (narrowed.length === 0) throw new RequestError('invalid allowedFunctionNames: none names a declared function');
  return { choice: 'required', tools: narrowed };
}

function finishReason(answer: Answer): string {
  if (answer.finish === 'length') return 'MAX_TOKENS';
  return answer.refusal ? 'SAFETY' : 'STOP';
}

/** A refusal ends as Gemini's safety filter ends a candidate: `SAFETY`, with the rating that blocked it. */
const BLOCKED_RATINGS = [
  { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true },
  { category: 'HARM_CATEGORY_HARASSMENT', probability: 'NEGLIGIBLE' },
];

/** Running counts: visible tokens (`candidatesTokenCount`) and thoughts (`thoughtsTokenCount`), sent so far. */
function usageMetadata(answer: Answer, candidates: number, thoughts: number): Record<string, unknown> {
  const u = answer.usage;
  const meta: Record<string, unknown> = { promptTokenCount: u.inputTokens };
  // Gemini leaves zero counts out (proto3); thoughts are not part of the candidates, but are part of the total.
  if (candidates > 0) meta.candidatesTokenCount = candidates;
  if (thoughts > 0) meta.thoughtsTokenCount = thoughts;
  meta.totalTokenCount = u.inputTokens + candidates + thoughts;
  meta.promptTokensDetails = [{ modality: 'TEXT', tokenCount: u.inputTokens }];
  // Gemini leaves the cached count out when nothing came from the cache.
  if (u.cachedTokens > 0) {
    meta.cachedContentTokenCount = u.cachedTokens;
    meta.cacheTokensDetails = [{ modality: 'TEXT', tokenCount: u.cachedTokens }];
  }
  return meta;
}

function responseChunk(answer: Answer, parts: unknown[], candidates: number, thoughts: number, last: boolean): Record<string, unknown> {
  const candidate: Record<string, unknown> = { content: { parts, role: 'model' }, index: 0 };
  if (last) candidate.finishReason = finishReason(answer);
  if (candidate.finishReason === 'SAFETY') candidate.safetyRatings = BLOCKED_RATINGS;
  return {
    candidates: [candidate], usageMetadata: usageMetadata(answer, candidates, thoughts), modelVersion: answer.model, responseId: answer.idSuffix,
  };
}

/** `generationConfig.responseJsonSchema` / `responseSchema`, or `responseMimeType: "application/json"` alone. */
function readStructured(generation: Record<string, unknown>): { schema: unknown } | undefined {
  const schema = generation.responseJsonSchema ?? generation.responseSchema;
  if (schema !== undefined && schema !== null) return { schema };
  return generation.responseMimeType === 'application/json' ? { schema: undefined } : undefined;
}

function sse(route: RouteParams): boolean {
  return route.sse === true;
}

export const gemini: MockProvider = {
  name: 'gemini',
  rateLimitHeaders: 'none',
  paddingField: 'padding',
  wholeToolCall: true,

  parse(body, route) {
    if (!isRecord(body)) throw new RequestError('invalid body: expected a JSON object');
    const model = route.model ?? '';
    if (!Array.isArray(body.contents) || body.contents.length === 0) {
      throw new RequestError(`invalid contents: expected a non-empty array, got ${JSON.stringify(body.contents)}`);
    }
    const declared = readTools(body);
    const { choice, tools } = readToolChoice(body, declared);
    const parts: string[] = declared.length > 0 ? [JSON.stringify(body.tools)] : [];
    const system = contentText(body.systemInstruction);
    if (system) parts.push(system);
    for (const content of body.contents) parts.push(contentText(content));
    const last: unknown = body.contents[body.contents.length - 1];
    let lastRole: string | undefined = 'user';
    if (isRecord(last)) {
      if (last.role === 'model') lastRole = 'assistant';
      else if (Array.isArray(last.parts) && last.parts.length > 0 && last.parts.every((p) => isRecord(p) && p.functionResponse !== undefined)) lastRole = 'tool';
    }
    const generation = isRecord(body.generationConfig) ? body.generationConfig : {};
    const structured = readStructured(generation);
    if (structured) parts.push(JSON.stringify(structured.schema ?? {}));
    const cap = generation.maxOutputTokens;
    if (cap !== undefined && (typeof cap !== 'number' || !Number.isInteger(cap) || cap < 1)) {
      throw new RequestError(`invalid maxOutputTokens: expected an integer ≥ 1, got ${JSON.stringify(cap)}`);
    }
    return {
      model,
      stream: route.stream === true,
      maxTokens: cap,
      promptParts: parts,
      lastRole,
      tools,
      toolChoice: choice,
      includeUsage: false,
      structured,
    };
  },

  streamContentType: (route) => (sse(route) ? 'text/event-stream' : 'application/json; charset=UTF-8'),

  body(answer) {
    const thoughts = answer.usage.reasoningTokens;
    const parts: unknown[] = thoughts > 0 ? [{ text: reasoningText(answer), thought: true }] : [];
    if (answer.tool) parts.push({ functionCall: { name: answer.tool.name, args: answer.tool.args } });
    else if (answer.pieces.length > thoughts) parts.push({ text: visibleText(answer) });
    return responseChunk(answer, parts, answer.usage.outputTokens - thoughts, thoughts, true);
  },

  encoder(answer, route) {
    // With alt=sse each response is a `data:` event; without it the stream is one JSON array, written piece by piece.
    let count = 0;
    let sent = 0;
    let thoughts = 0;
    const frame = (value: unknown): string => {
      const json = JSON.stringify(value);
      const out = sse(route) ? `data: ${json}\n\n` : `${count === 0 ? '' : ',\r\n'}${json}`;
      count++;
      return out;
    };
    return {
      preamble: () => (sse(route) ? '' : '['),
      chunk(text, tokens, last, reasoning) {
        if (reasoning) {
          thoughts += tokens;
          return frame(responseChunk(answer, [{ text, thought: true }], sent, thoughts, last));
        }
        sent += tokens;
        const parts = answer.tool ? [{ functionCall: { name: answer.tool.name, args: answer.tool.args } }] : [{ text }];
        return frame(responseChunk(answer, parts, sent, thoughts, last));
      },
      finish: () => (sse(route) ? '' : ']'),
      error() {
        const out = frame({ error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } });
        return sse(route) ? out : `${out}]`;
      },
    };
  },

  errorBody(error) {
    const body: Record<string, unknown> = { code: error.status, message: error.message, status: STATUS_NAMES[error.kind] };
    if (error.retryAfterMs !== undefined) {
      body.details = [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: protobufDuration(error.retryAfterMs) }];
    }
    return { error: body };
  },
};
