// Running stub tools: arguments in, output text out. Pure apart from the injected sleep; a
// tool that fails answers the model with an error output, as a real agent framework does.
import type { ToolCall } from '../providers/types';
import type { AgentTool, ToolCallRecord } from './types';

/** The simulated latency of one call, in ms. */
export function drawLatencyMs(latency: AgentTool['latencyMs'], random: () => number): number {
  if (latency === undefined) return 0;
  if (typeof latency === 'number') return latency;
  return latency.min + (latency.max - latency.min) * random();
}

/** Checks a tool definition at session creation; misuse throws. */
export function checkTool(name: string, tool: AgentTool): void {
  if (!tool || typeof tool.run !== 'function') throw new Error(`invalid tool "${name}": expected { spec, run(args) }, got no run function`);
  if (!tool.spec || typeof tool.spec !== 'object') throw new Error(`invalid tool "${name}": expected a spec object`);
  const p = tool.spec.parameters;
  if (p !== undefined && (typeof p !== 'object' || p === null || Array.isArray(p))) {
    throw new Error(`invalid tool "${name}".spec.parameters: expected a JSON Schema object`);
  }
  const l = tool.latencyMs;
  const ok =
    l === undefined ||
    (typeof l === 'number' && Number.isFinite(l) && l >= 0) ||
    (typeof l === 'object' && l !== null && Number.isFinite(l.min) && Number.isFinite(l.max) && l.min >= 0 && l.max >= l.min);
  if (!ok) throw new Error(`invalid tool "${name}".latencyMs: expected a non-negative number or { min, max } with min <= max, got ${JSON.stringify(l)}`);
}

function outputText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value);
}

/** A call before its latency is slept: what to send back and how long to pretend it took. */
export interface PreparedCall {
  record: ToolCallRecord;
  simulatedMs: number;
}

/** Runs one stub on one call. `runMs` is the stub's own time; the caller sleeps `simulatedMs`. */
export function runToolCall(call: ToolCall, tools: Record<string, AgentTool>, step: number, random: () => number): PreparedCall {
  const record: ToolCallRecord = { id: call.id, name: call.name, arguments: call.arguments, output: '', latencyMs: 0, step };
  const tool = Object.prototype.hasOwnProperty.call(tools, call.name) ? tools[call.name] : undefined;
  if (!tool) {
    record.error = `unknown tool: ${call.name}`;
    record.output = JSON.stringify({ error: record.error });
    return { record, simulatedMs: 0 };
  }
  let args: unknown;
  try {
    args = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
  } catch (err) {
    record.error = `invalid arguments: expected JSON, got ${JSON.stringify(call.arguments.slice(0, 80))} (${(err as Error).message})`;
    record.output = JSON.stringify({ error: record.error });
    return { record, simulatedMs: drawLatencyMs(tool.latencyMs, random) };
  }
  const started = Date.now();
  try {
    record.output = outputText(tool.run((args ?? {}) as Record<string, unknown>));
  } catch (err) {
    record.error = `tool ${call.name} failed: ${err instanceof Error ? err.message : String(err)}`;
    record.output = JSON.stringify({ error: record.error });
  }
  const simulatedMs = drawLatencyMs(tool.latencyMs, random);
  record.latencyMs = Date.now() - started;
  return { record, simulatedMs };
}
