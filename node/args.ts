// Flag reading shared by the k6-llm commands: `--flag value`, `--flag=value`, switches, repeatable flags; and where the
// `k6-llm` command itself is, for the processes the commands start.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** bin/k6-llm.mjs, from this module in the sources (node/) or in the bundle (dist/node/). */
export function cliBin(): string {
  for (const relative of ['../bin/k6-llm.mjs', '../../bin/k6-llm.mjs']) {
    const path = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error('bin/k6-llm.mjs not found beside the k6-llm package');
}

/** A wrong command line: the command prints it with its usage hint and exits 2. */
export class UsageError extends Error {}

/** Where a command writes and which signals stop it: the real process by default, fakes in tests. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  onSignal(signal: NodeJS.Signals, handler: () => void): void;
  offSignal(signal: NodeJS.Signals, handler: () => void): void;
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  onSignal: (signal, handler) => process.on(signal, handler),
  offSignal: (signal, handler) => process.off(signal, handler),
};

export interface FlagSpec {
  /** Flags that take a value, by name (`--port`); `repeat` ones collect every value. */
  values?: Record<string, { repeat?: boolean }>;
  /** Flags that take none (`--mock`). */
  switches?: string[];
}

export interface ParsedFlags {
  values: Record<string, string[]>;
  switches: Set<string>;
  /** Arguments that are not flags, in order. */
  rest: string[];
}

/**
 * Reads flags until `stop(arg)` is true (that argument and all after it go to `rest` untouched) or the arguments
 * end. Unknown flags are an error, unless `passthrough` is given: every argument that is not one of `spec`'s then
 * goes there, in order (another program's flags and their values).
 */
export function parseFlags(
  argv: readonly string[],
  spec: FlagSpec,
  options: { stop?: (arg: string) => boolean; passthrough?: string[] } = {},
): ParsedFlags {
  const out: ParsedFlags = { values: {}, switches: new Set(), rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (options.stop?.(arg)) {
      out.rest.push(...argv.slice(i));
      break;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (spec.values && Object.prototype.hasOwnProperty.call(spec.values, flag)) {
      let value: string | undefined;
      if (eq > 0) value = arg.slice(eq + 1);
      else value = argv[++i];
      if (value === undefined) throw new UsageError(`invalid ${flag}: expected a value`);
      const list = (out.values[flag] ??= []);
      if (spec.values[flag]?.repeat) list.push(value);
      else list.splice(0, list.length, value);
    } else if (spec.switches?.includes(flag) && eq < 0) {
      out.switches.add(flag);
    } else if (options.passthrough) {
      options.passthrough.push(arg);
    } else if (!arg.startsWith('-') || arg === '-') {
      out.rest.push(arg);
    } else {
      throw new UsageError(`invalid argument: unknown ${JSON.stringify(arg)} (see --help)`);
    }
  }
  return out;
}

/** A flag's value as a whole number in [min, max]. */
export function intFlag(flags: ParsedFlags, flag: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const text = flags.values[flag]?.[0];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`invalid ${flag}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}
