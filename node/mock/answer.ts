import type { ResolvedOptions } from './options';
import { RequestError, type MockRequest, type ToolDef } from './prompt';
import { pseudoWords, type Random } from './random';
import { valueForSchema } from './schema-value';

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
  /** Every generated token, reasoning included. */
  outputTokens: number;
  /** The leading output tokens that are reasoning, a subset of `outputTokens`. */
  reasoningTokens: number;
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
  /**
   * One entry per output token: first `usage.reasoningTokens` reasoning words, then the visible output (pseudo-words,
   * a refusal sentence, fragments of a JSON document, or fragments of a tool call's arguments).
   */
  pieces: string[];
  tool: ToolCallAnswer | undefined;
  /** The visible output is a refusal sentence, which some providers carry in their own field. */
  refusal: boolean;
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
 * Output length: in `exact` mode a request's cap is the length and the answer ends there naturally (finish
 * `stop`), so token counts are predictable and answers are not truncated; in `fill` mode the cap is the length
 * and the cap cut the answer (finish `length`); otherwise (`cap`, or an override header) the natural length
 * (override or configured distribution) cut to the cap.
 */
export function outputLength(
  maxTokens: number | undefined,
  override: number | undefined,
  options: Pick<ResolvedOptions, 'outputTokens' | 'maxTokensMode'>,
  random: Random,
): { tokens: number; capped: boolean } {
  if (maxTokens !== undefined && override === undefined && options.maxTokensMode !== 'cap') {
    return { tokens: maxTokens, capped: options.maxTokensMode === 'fill' };
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

/** The reasoning that opens the answer. */
export function reasoningText(answer: Answer): string {
  return answer.pieces.slice(0, answer.usage.reasoningTokens).join('');
}

/** The visible output: text, refusal, JSON document or tool arguments. */
export function visibleText(answer: Answer): string {
  return answer.pieces.slice(answer.usage.reasoningTokens).join('');
}

/** The refusal sentence, one token per word or mark as the pseudo-words are. */
export const REFUSAL_PIECES: readonly string[] = ["I'm", ' sorry', ',', ' but', ' I', " can't", ' help', ' with', ' that', ' request', '.'];

/** What `json_object` mode (JSON without a schema) answers with: a small object. */
export const ANY_OBJECT_SCHEMA = {
  type: 'object',
  properties: {
    answer: { type: 'string' },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
    tags: { type: 'array', items: { type: 'string' }, maxItems: 3 },
  },
  required: ['answer', 'confidence'],
  additionalProperties: false,
};

/** What decides an answer's content, once the request is read. */
export interface AnswerPlanInput {
  request: MockRequest;
  /** The tool to call (`chooseTool`), or undefined. A refusal calls no tool. */
  tool: ToolDef | undefined;
  refusal: boolean;
  reasoningTokens: number;
  /** `x-mock-output-tokens`: the natural length of a text answer. */
  outputTokensOverride: number | undefined;
  options: Pick<ResolvedOptions, 'outputTokens' | 'maxTokensMode'>;
  /** Words, JSON values and tool arguments, seeded by the request content. */
  content: Random;
  /** Reasoning words: their own sequence, so the visible words stay the same whatever the reasoning length. */
  thoughts: Random;
  /** Sampled lengths: the request sequence. */
  variation: Random;
}

export interface AnswerPlan {
  /** Reasoning pieces, then visible pieces. */
  pieces: string[];
  reasoningTokens: number;
  call: ToolCallAnswer | undefined;
  refusal: boolean;
  /** The request's cap cut the answer. */
  capped: boolean;
}

/**
 * The answer's tokens. The request's cap covers reasoning and visible output together, as `max_completion_tokens`,
 * Anthropic's `max_tokens` and `num_predict` do, so reasoning may use it all up. Text follows the length model
 * (`fill` or `cap`); a refusal and a JSON document have their own length and are cut only when the cap is shorter;
 * a tool call is never cut, since its arguments must stay valid JSON.
 */
export function planAnswer(input: AnswerPlanInput): AnswerPlan {
  const { request, tool, content } = input;
  const cap = request.maxTokens;
  const reasoning = cap === undefined ? input.reasoningTokens : Math.min(input.reasoningTokens, cap);
  const thoughts = pseudoWords(input.thoughts, reasoning);
  const room = cap === undefined ? undefined : cap - reasoning;
  let capped = reasoning < input.reasoningTokens;
  let visible: string[];
  let call: ToolCallAnswer | undefined;
  if (input.refusal) {
    visible = [...REFUSAL_PIECES];
  } else if (tool !== undefined) {
    const args = valueForSchema(tool.parameters ?? { type: 'object' }, content);
    const json = JSON.stringify(args);
    call = { name: tool.name, args, json };
    visible = splitFragments(json, content);
  } else if (request.structured !== undefined) {
    visible = splitFragments(JSON.stringify(valueForSchema(request.structured.schema ?? ANY_OBJECT_SCHEMA, content)), content);
  } else {
    const length = outputLength(room, input.outputTokensOverride, input.options, input.variation);
    visible = pseudoWords(content, length.tokens);
    capped ||= length.capped;
  }
  if (call === undefined && room !== undefined && visible.length > room) {
    visible = visible.slice(0, room);
    capped = true;
  }
  return { pieces: [...thoughts, ...visible], reasoningTokens: reasoning, call, refusal: input.refusal, capped };
}
