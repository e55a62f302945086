import type { LlmResult } from '../client/types';
import type { ChatMessage, ChatRequest } from '../providers/types';

/** A stub tool: what the model is told about it, what it returns, and how long it pretends to take. */
export interface AgentTool {
  /** What the model sees; the tool's name is its key in `tools`. */
  spec: {
    description?: string;
    /** JSON Schema of the arguments object. @default { type: 'object', properties: {} } */
    parameters?: Record<string, unknown>;
  };
  /** Returns the tool's output: a string as it is, anything else as JSON. A throw becomes an error output the model sees. */
  run(args: Record<string, unknown>): unknown;
  /** Simulated latency, slept with k6's `sleep`: fixed, or uniform in [min, max]. @default 0 */
  latencyMs?: number | { min: number; max: number };
}

/** Options of `createSession`. */
export interface SessionOptions {
  /** Tags the session metrics with `session: <name>`. */
  name?: string;
  system?: string;
  tools: Record<string, AgentTool>;
  /** Model calls per `send()`; a turn still asking for tools at the cap stops there. @default 8 */
  maxSteps?: number;
  /**
   * Tool choice for each model call, or a function of the step (0 = the first call of a `send()`), e.g.
   * `(step) => (step === 0 ? 'required' : 'auto')` to make the agent consult a tool before answering. @default 'auto'
   */
  toolChoice?: ChatRequest['toolChoice'] | ((step: number) => ChatRequest['toolChoice']);
  /** Run one step's tool calls side by side, as agents with parallel tool calls do: the step waits for the slowest. @default false */
  parallelToolCalls?: boolean;
  /** Request fields sent with every model call (maxTokens, temperature, headers, extra, model). */
  request?: Omit<ChatRequest, 'messages' | 'prompt' | 'system' | 'tools' | 'toolChoice'>;
  /** Extra tags on the session metrics. */
  tags?: Record<string, string>;
  /** Source of the latency draws. @default Math.random */
  random?: () => number;
}

/** One tool call the agent ran. */
export interface ToolCallRecord {
  id: string;
  name: string;
  /** The arguments as the model sent them (a JSON string). */
  arguments: string;
  /** The output sent back to the model. */
  output: string;
  /** Why the call failed (unknown tool, arguments not JSON, a throw); the model still gets an error output. */
  error?: string;
  /** Simulated latency plus the stub's own run time. */
  latencyMs: number;
  /** The model call (1-based) that asked for it. */
  step: number;
}

/** The outcome of one `send()`: a user turn and the tool loop behind it. */
export interface TurnResult {
  /** The final answer, or '' when the turn did not reach one. */
  text: string;
  /** Model calls made. */
  steps: number;
  toolCalls: ToolCallRecord[];
  /** Wall time of the turn, model calls and tool latency included. */
  durationMs: number;
  /** Every model call succeeded and the model answered within `maxSteps`. */
  ok: boolean;
  /** `ok`, and every model call met the client's goodput (SLOs and validation). */
  goodput: boolean;
  /** `answer`: a final answer; `max_steps`: still calling tools at the cap; `error`: a model call failed. */
  stopReason: 'answer' | 'max_steps' | 'error';
  /** The failed call's error type when `stopReason` is `error`. */
  errorType?: string;
  /** Each model call's result, in order. */
  results: LlmResult[];
}

/** A multi-turn conversation with tools. */
export interface AgentSession {
  /** Sends a user message and runs the tool loop until the model answers, the step cap, or a failed call. */
  send(userText: string): TurnResult;
  /** The conversation so far, in the library's neutral message shape. */
  readonly messages: readonly ChatMessage[];
  /** Forgets the conversation. */
  reset(): void;
}

/** What the session needs of a client: `createClient(...)` gives it. */
export interface SessionClient {
  chat(request: ChatRequest): LlmResult;
  readonly config?: Readonly<Record<string, unknown>>;
}
