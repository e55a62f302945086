/** Small readers for untrusted JSON: wire shapes are typed, but nothing a server sends is trusted to match them. */
import { lazy } from '../../internal/lazy';
import { isRecord } from '../../internal/values';

export type JsonRecord = Record<string, unknown>;

export type ParsedJson = { ok: true; value: unknown } | { ok: false; message: string };

/** The readers, built on first use (see lib/internal/lazy.ts). */
export const jsonReaders = lazy(() => {
  /** The value as a record, or undefined. Lets a handler read a wire shape without trusting it. */
  function asRecord<T extends object = JsonRecord>(value: unknown): Partial<T> | undefined {
    return isRecord(value) ? (value as Partial<T>) : undefined;
  }

  function asString(value: unknown): string | undefined {
    return typeof value === 'string' ? value : undefined;
  }

  /** A finite number, or undefined (`null`, strings and NaN are "not reported"). */
  function asCount(value: unknown): number | undefined {
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  }

  function asArray(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [];
  }

  /** Parses with `parse` (JSON.parse unless a transport supplies a faster equivalent); never throws. */
  function parseJson(text: string, parse: (text: string) => unknown = JSON.parse): ParsedJson {
    try {
      return { ok: true, value: parse(text) };
    } catch (err) {
      return { ok: false, message: err instanceof Error ? err.message : String(err) };
    }
  }

  /** Reads a dot-path such as `choices.0.delta.content`; numeric segments index arrays. */
  function getPath(value: unknown, path: string): unknown {
    if (path === '') return value;
    let current: unknown = value;
    for (const key of path.split('.')) {
      if (Array.isArray(current)) {
        current = /^\d+$/.test(key) ? current[Number(key)] : undefined;
      } else if (isRecord(current)) {
        current = Object.prototype.hasOwnProperty.call(current, key) ? current[key] : undefined;
      } else {
        return undefined;
      }
    }
    return current;
  }

  /** Short text of an input for an error message, so a huge or secret-bearing line is never copied whole. */
  function excerpt(text: string, max = 80): string {
    return text.length > max ? `${text.slice(0, max)}…` : text;
  }

  /** A table entry by an untrusted key, never one inherited from Object.prototype (`constructor`, `__proto__`). */
  function lookup<T>(table: Record<string, T>, key: string): T | undefined {
    return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
  }

  return { asRecord, asString, asCount, asArray, parseJson, getPath, excerpt, lookup };
});
