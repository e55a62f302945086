import type { ResolvedOptions } from './options.js';
import { RequestError, type MockRequest, type ToolDef } from './prompt.js';
import { pseudoWords, type Random } from './random.js';
import { valueForSchema } from './schema-value.js';

/** A tool call the mock decided to make, with arguments valid against the tool's schema. */
export interface ToolCallAnswer {
  name: string;
  args: unknown;
  /** `args` as the JSON string that is streamed in fragments. */
  json: string;
}

export interface AnswerUsage {
  /** Every prompt token, cached and cache-written ones included. */
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
}

/** Why generation stopped, before each provider spells it its own way. */
export type FinishKind = 'stop' | 'length' | 'tool';

/** The whole answer, decided before the first byte is sent; the providers only render it. */
export interface Answer {
  /** Unique per request; provider ids (`chatcmpl-…`, `msg_…`) are built from it. */
  idSuffix: string;
  model: string;
  /** Unix seconds. */
  created: number;
  /** One entry per output token: pseudo-words for text, fragments of the arguments JSON for a tool call. */
  pieces: string[];
  tool: ToolCallAnswer | undefined;
  finish: FinishKind;
  usage: AnswerUsage;
  includeUsage: boolean;
}

/** The tool to call, or undefined for a text answer. */
export function chooseTool(request: MockRequest, autoToolCalls: boolean, random: Random): ToolDef | undefined {
  const { tools, toolChoice } = request;
  if (tools.length === 0 || toolChoice === 'none') return undefined;
  if (typeof toolChoice === 'object') {
    const named = tools.find((t) => t.name === toolChoice.name);
    if (named === undefined) {
      throw new RequestError(`invalid tool_choice: expected one of the tools' names, got ${JSON.stringify(toolChoice.name)}`);
    }
    return named;
  }
  if (toolChoice === 'required' || (autoToolCalls && request.lastRole === 'user')) return random.pick(tools);
  return undefined;
}

/**
 * Output length: in `fill` mode a request's cap is the length (the cap cut the answer); otherwise the natural
 * length (override header or configured distribution) cut to the cap.
 */
export function outputLength(
  maxTokens: number | undefined,
  override: number | undefined,
  options: Pick<ResolvedOptions, 'outputTokens' | 'maxTokensMode'>,
  random: Random,
): { tokens: number; capped: boolean } {
  if (maxTokens !== undefined && override === undefined && options.maxTokensMode === 'fill') {
    return { tokens: maxTokens, capped: true };
  }
  const natural = override ?? sampleLength(options.outputTokens, random);
  if (maxTokens !== undefined && natural > maxTokens) return { tokens: maxTokens, capped: true };
  return { tokens: natural, capped: false };
}

function sampleLength(spec: ResolvedOptions['outputTokens'], random: Random): number {
  if (typeof spec === 'number') return spec;
  if ('min' in spec) return random.int(spec.min, spec.max);
  return Math.max(1, Math.round(spec.mean + spec.sd * random.normal()));
}

/** Cuts the arguments JSON into fragments of 2 to 6 characters, one token each, as a model streams them. */
export function splitFragments(json: string, random: Random): string[] {
  const fragments: string[] = [];
  for (let i = 0; i < json.length; ) {
    const size = random.int(2, 6);
    fragments.push(json.slice(i, i + size));
    i += size;
  }
  return fragments.length > 0 ? fragments : [json];
}

export function buildPieces(
  tool: ToolDef | undefined,
  length: number,
  random: Random,
): { pieces: string[]; call: ToolCallAnswer | undefined } {
  if (tool === undefined) return { pieces: pseudoWords(random, length), call: undefined };
  const args = valueForSchema(tool.parameters ?? { type: 'object' }, random);
  const json = JSON.stringify(args);
  return { pieces: splitFragments(json, random), call: { name: tool.name, args, json } };
}
