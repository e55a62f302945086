// k6-llm/agent: multi-step agent sessions with stub tools, for load testing tool-calling loops.
export { createSession, SESSION_DEFAULTS } from './session';
export { drawLatencyMs } from './tool-runner';
export type { AgentSession, AgentTool, SessionClient, SessionOptions, ToolCallRecord, TurnResult } from './types';
