import { lazy } from '../internal/lazy';
import { describe } from '../internal/values';

/** 16 MiB of UTF-16 code units: far above any real LLM event, small enough to stop a runaway line. */
export const DEFAULT_MAX_BUFFER_SIZE = 16 * 1024 * 1024;

/** The option checks both parsers share, built on first use (see lib/internal/lazy.ts). */
export const parserOptions = lazy(() => {
  function requireOptionsObject(options: unknown, required: string): void {
    if (options === null || typeof options !== 'object') {
      throw new TypeError(`invalid options: expected an object with ${required}, got ${describe(options)}`);
    }
  }

  function requireCallback<T>(value: T | undefined, name: string): T {
    if (typeof value !== 'function') {
      throw new TypeError(`invalid ${name}: expected a function, got ${describe(value)}`);
    }
    return value;
  }

  function optionalCallback<T>(value: T | undefined, name: string): T | undefined {
    if (value === undefined || value === null) return undefined;
    return requireCallback(value, name);
  }

  function normalizeMaxBufferSize(value: number | undefined): number {
    if (value === undefined) return DEFAULT_MAX_BUFFER_SIZE;
    if (typeof value !== 'number' || !(value > 0)) {
      throw new TypeError(`invalid maxBufferSize: expected a positive number of characters, got ${describe(value)}`);
    }
    return value;
  }

  /** The error `feed()` throws for a chunk that is not a string (a misuse: callers decode bytes first). */
  function chunkTypeError(chunk: unknown): TypeError {
    return new TypeError(`invalid chunk: expected a decoded string, got ${describe(chunk)}`);
  }

  return { requireOptionsObject, requireCallback, optionalCallback, normalizeMaxBufferSize, chunkTypeError };
});
