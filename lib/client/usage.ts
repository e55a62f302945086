// Token counts the server did not report, estimated from the text (about four characters a token), so tokens, cost
// and TPOT still have a figure; the result says so (`usage.source: 'estimated'`, `llm_estimated_usage`).
import { estimateTokens } from '../internal/token-estimate';
import type { ChatRequest, Completion } from '../providers/index';
import type { Pacer } from './pacing';

/** The request's prompt in tokens, estimated: system prompt, prompt and every message. */
export function promptTokens(request: ChatRequest): number {
  let text = (request.system ?? '') + (request.prompt ?? '');
  for (const message of request.messages ?? []) text += message.content;
  return estimateTokens(text);
}

/**
 * Fills in `completion.usage` when the server reported no output count and the response has output: output from the
 * text, reasoning and tool calls, input from the request when that is missing too. True when it estimated.
 */
export function estimateUsage(completion: Completion, request: ChatRequest): boolean {
  const usage = completion.usage;
  if (usage.outputTokens !== undefined) return false;
  if (completion.text === '' && completion.reasoningText === '' && completion.toolCalls.length === 0) return false;
  usage.outputTokens = estimateTokens(completion.text) + estimateTokens(completion.reasoningText) +
    completion.toolCalls.reduce((sum, call) => sum + estimateTokens(call.name) + estimateTokens(call.arguments), 0);
  if (usage.inputTokens === undefined) usage.inputTokens = promptTokens(request);
  usage.source = 'estimated';
  return true;
}

/**
 * Finishes a response's usage: estimated where the server reported none (`estimateUsage`), then settled against the
 * pacer's tokens-per-minute budget with what was used. True when the usage was estimated.
 */
export function finalizeUsage(completion: Completion, request: ChatRequest, pacer: Pacer | undefined, reservedTokens: number): boolean {
  const estimated = estimateUsage(completion, request);
  if (pacer) {
    const u = completion.usage;
    pacer.settle(reservedTokens, u.inputTokens !== undefined || u.outputTokens !== undefined ? (u.inputTokens ?? 0) + (u.outputTokens ?? 0) : undefined);
  }
  return estimated;
}
