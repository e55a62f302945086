import { lazy } from '../../internal/lazy';
import type { Redact } from '../../internal/redact';
import type { Completion, CompletionError, EventEffect, Refusal, RefusalSignal, ToolCall, Usage } from '../types';

/** Token counts as one provider snapshot reports them (already normalized); `source` is decided at the end. */
export type UsageCounts = Omit<Usage, 'source'>;

/** How a response ended, as its provider's protocol judges it. */
export interface StreamEnd {
  /** The protocol's end marker arrived (or a whole body parsed). */
  reached: boolean;
  /** Why the response counts as cut off when it did not; becomes the `truncated` error's message. */
  missing: string;
}

/**
 * Accumulates one response, event by event, into a Completion. Every provider reader and every whole-body
 * parser goes through one, which is what makes `parseBody(text, { stream: true })` and the incremental reader agree,
 * and it alone decides the Completion's `complete` and `error`.
 */
export interface CompletionBuilder {
  /** Runs one event's handler and returns what the event carried. */
  event(handle: () => void): EventEffect;
  /**
   * Starts one event; what the builder is told until `endEvent` is that event's effect. The pair is `event()`
   * without a closure, for the per-event path of a stream.
   */
  beginEvent(): void;
  endEvent(): EventEffect;
  addText(fragment: unknown): void;
  addReasoning(fragment: unknown): void;
  hasToolCall(key: string): boolean;
  /** A fragment of a streamed tool call: the first id and name win, argument pieces are joined in arrival order. */
  addToolFragment(key: string, fragment: { id?: unknown; name?: unknown; args?: unknown }): void;
  /** Sets a call's arguments from a `.done`-style event, only when no fragment carried them. */
  setToolArgsIfEmpty(key: string, args: unknown): void;
  /** Arguments to use when no fragment arrived (Anthropic's `input: {}` on a call without parameters). */
  setToolFallbackArgs(key: string, args: string): void;
  /** A tool call that arrives whole (Gemini, Ollama, non-streamed bodies); object arguments are JSON-encoded. */
  addWholeToolCall(call: { id?: unknown; name?: unknown; args?: unknown }): void;
  /** Replaces the usage snapshot: servers report running totals, so the last one is the answer, never a sum. */
  setUsage(counts: UsageCounts): void;
  setFinishReason(reason: unknown): void;
  /** Records the provider's refusal signal; the first one wins (a later one is the same refusal seen again). */
  setRefusal(signal: RefusalSignal, reason: string): void;
  /** Records an error; the first one wins (later ones are usually its consequences). */
  fail(type: string, message: string): void;
  /** `fail` with an error a reader found, when it found one; true when it did, so the reader stops there. */
  failWith(error: CompletionError | undefined): boolean;
  readonly failed: boolean;
  markTerminal(): void;
  /** The first non-empty id wins (TGI's usage chunk carries `id: ""`). */
  setId(id: unknown): void;
  setModel(model: unknown): void;
  readonly isEmpty: boolean;
  /**
   * Ends the response. `cut` is the transport's reason when the body broke off (stall, reset, timeout): the response
   * is then not complete, and that reason wins over the generic `truncated` and over an error the cut caused. The
   * error's message is redacted here, whatever it came from. Idempotent: a second call returns the same Completion.
   */
  build(end: StreamEnd, cut?: CompletionError): Completion;
}

/** A builder for one response; `redact` is applied to the message of the error the Completion ends with. */
export function newCompletionBuilder(redact?: Redact): CompletionBuilder {
  return new (builderClass())(redact);
}

/** How a response that never began ends: there was nothing to read, so it is not complete. */
export const NOTHING_READ: StreamEnd = { reached: false, missing: 'no response' };

/** The class behind `newCompletionBuilder`, defined on the first response a VU reads (see lib/internal/lazy.ts). */
const builderClass = lazy(() => {
  const COUNT_KEYS = [
    'inputTokens',
    'outputTokens',
    'cachedInputTokens',
    'cacheWriteInputTokens',
    'reasoningTokens',
    'totalTokens',
  ] as const;

  interface ToolSlot {
    id?: string;
    name?: string;
    args: string[];
    /** Arguments to use when no fragment arrived (Anthropic's `input: {}` on a call without parameters). */
    fallbackArgs?: string;
  }

  function toToolCall(slot: ToolSlot, index: number): ToolCall {
    const args = slot.args.length > 0 ? slot.args.join('') : (slot.fallbackArgs ?? '');
    // Gemini and Ollama may omit ids; a stable synthetic one lets a script answer the call.
    return { id: slot.id ?? `call_${index}`, name: slot.name ?? '', arguments: args };
  }

  function noEffect(): EventEffect {
    return { content: false, visible: false, terminal: false, error: false };
  }

  /** The effect between events: written to and never read. */
  const SPENT: EventEffect = noEffect();

  /** Drops counts that are not finite numbers and derives `totalTokens` and `source`. */
  function normalizeUsage(counts: UsageCounts | undefined): Usage {
    const usage: Usage = { source: 'none' };
    if (!counts) return usage;
    for (let i = 0; i < COUNT_KEYS.length; i++) {
      const key = COUNT_KEYS[i] as (typeof COUNT_KEYS)[number];
      const value = counts[key];
      if (typeof value === 'number' && Number.isFinite(value)) {
        usage[key] = value;
        usage.source = 'server';
      }
    }
    if (usage.totalTokens === undefined && usage.inputTokens !== undefined && usage.outputTokens !== undefined) {
      usage.totalTokens = usage.inputTokens + usage.outputTokens;
    }
    return usage;
  }

  return class Builder implements CompletionBuilder {
    private readonly textParts: string[] = [];
    private readonly reasoningParts: string[] = [];
    private readonly slots: ToolSlot[] = [];
    private readonly slotsByKey = new Map<string, ToolSlot>();
    private counts: UsageCounts | undefined;
    private finishReason: string | undefined;
    private refusal: Refusal | undefined;
    private error: CompletionError | undefined;
    private id: string | undefined;
    private model: string | undefined;
    private contentEvents = 0;
    private effect: EventEffect = { content: false, visible: false, terminal: false, error: false };
    private result: Completion | undefined;
    private readonly redact: Redact | undefined;

    constructor(redact?: Redact) {
      this.redact = redact;
    }

    event(handle: () => void): EventEffect {
      this.beginEvent();
      handle();
      return this.endEvent();
    }

    beginEvent(): void {
      this.effect = noEffect();
    }

    endEvent(): EventEffect {
      const effect = this.effect;
      if (effect.content) this.contentEvents += 1;
      // Calls outside an event (e.g. after the stream) must not change an effect already handed out.
      this.effect = SPENT;
      return effect;
    }

    addText(fragment: unknown): void {
      if (typeof fragment !== 'string' || fragment === '') return;
      this.textParts.push(fragment);
      this.effect.content = true;
      this.effect.visible = true;
    }

    addReasoning(fragment: unknown): void {
      if (typeof fragment !== 'string' || fragment === '') return;
      this.reasoningParts.push(fragment);
      this.effect.content = true;
    }

    hasToolCall(key: string): boolean {
      return this.slotsByKey.has(key);
    }

    addToolFragment(key: string, fragment: { id?: unknown; name?: unknown; args?: unknown }): void {
      let slot = this.slotsByKey.get(key);
      if (!slot) {
        slot = { args: [] };
        this.slotsByKey.set(key, slot);
        this.slots.push(slot);
      }
      if (slot.id === undefined && typeof fragment.id === 'string' && fragment.id !== '') slot.id = fragment.id;
      if (slot.name === undefined && typeof fragment.name === 'string' && fragment.name !== '') {
        slot.name = fragment.name;
        this.markVisible();
      }
      if (typeof fragment.args === 'string' && fragment.args !== '') {
        slot.args.push(fragment.args);
        this.markVisible();
      }
    }

    setToolArgsIfEmpty(key: string, args: unknown): void {
      const slot = this.slotsByKey.get(key);
      if (!slot || slot.args.length > 0 || typeof args !== 'string' || args === '') return;
      slot.args.push(args);
      this.markVisible();
    }

    setToolFallbackArgs(key: string, args: string): void {
      const slot = this.slotsByKey.get(key);
      if (slot) slot.fallbackArgs = args;
    }

    addWholeToolCall(call: { id?: unknown; name?: unknown; args?: unknown }): void {
      const args = typeof call.args === 'string' ? call.args : JSON.stringify(call.args ?? {});
      this.addToolFragment(`whole:${this.slots.length}`, { id: call.id, name: call.name, args });
      this.markVisible();
    }

    setUsage(counts: UsageCounts): void {
      this.counts = counts;
    }

    setFinishReason(reason: unknown): void {
      if (typeof reason === 'string' && reason !== '') this.finishReason = reason;
    }

    setRefusal(signal: RefusalSignal, reason: string): void {
      this.refusal ??= { source: 'provider', signal, reason };
    }

    fail(type: string, message: string): void {
      this.error ??= { type, message };
      this.effect.error = true;
    }

    failWith(error: CompletionError | undefined): boolean {
      if (error === undefined) return false;
      this.fail(error.type, error.message);
      return true;
    }

    get failed(): boolean {
      return this.error !== undefined;
    }

    markTerminal(): void {
      this.effect.terminal = true;
    }

    setId(id: unknown): void {
      if (this.id === undefined && typeof id === 'string' && id !== '') this.id = id;
    }

    setModel(model: unknown): void {
      if (this.model === undefined && typeof model === 'string' && model !== '') this.model = model;
    }

    get isEmpty(): boolean {
      return this.textParts.length === 0 && this.reasoningParts.length === 0 && this.slots.length === 0;
    }

    build(end: StreamEnd, cut?: CompletionError): Completion {
      if (this.result) return this.result;
      if (cut) this.error = { type: cut.type, message: cut.message };
      else if (!end.reached && !this.error) this.error = { type: 'truncated', message: end.missing };
      const completion: Completion = {
        text: this.textParts.join(''),
        reasoningText: this.reasoningParts.join(''),
        toolCalls: this.slots.map(toToolCall),
        usage: normalizeUsage(this.counts),
        complete: end.reached && !this.error,
        contentEvents: this.contentEvents,
      };
      if (this.finishReason !== undefined) completion.finishReason = this.finishReason;
      if (this.refusal !== undefined) completion.refusal = this.refusal;
      if (this.error) completion.error = this.redact ? { type: this.error.type, message: this.redact(this.error.message) } : this.error;
      if (this.id !== undefined) completion.id = this.id;
      if (this.model !== undefined) completion.model = this.model;
      this.result = completion;
      return completion;
    }

    private markVisible(): void {
      this.effect.content = true;
      this.effect.visible = true;
    }
  };
});
