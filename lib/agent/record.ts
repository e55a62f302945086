// The k6 edge of sessions: one sample per metric per send(), one llm_tool_latency per tool call.
import { llmMetrics as m } from '../metrics/index';
import type { TurnResult } from './types';

export function recordTurn(turn: TurnResult, tags: Record<string, string>): void {
  m.sessionDuration.add(turn.durationMs, tags);
  m.sessionSteps.add(turn.steps, tags);
  m.sessionToolCalls.add(turn.toolCalls.length, tags);
  m.sessionGoodput.add(turn.goodput, tags);
  for (const call of turn.toolCalls) m.toolLatency.add(call.latencyMs, { ...tags, tool: call.name });
}
