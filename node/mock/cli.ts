import { readFileSync } from 'node:fs';
import { processIo, UsageError, type CliIo } from '../args';
import { FAULT_NAMES, isFaultName, MockOptionsError, normalizeOptions, type FaultName, type MockOptions, type OutputTokens } from './options';
import { startMockServer } from './server';

/** The port `k6-llm mock` listens on when none is given. */
export const DEFAULT_CLI_PORT = 8787;

const USAGE = `Usage: k6-llm mock [options]

Starts the mock LLM server. Prints "listening on <url>" when ready; SIGINT/SIGTERM stop it.

  --host HOST                  interface to bind (default 127.0.0.1)
  --port N                     port, 0 for any free one (default ${DEFAULT_CLI_PORT})
  --config FILE                JSON file of options (flags override it)
  --seed N                     seed of every pseudo-random choice (default 1)
  --ttft-ms MS                 time to first token (default 200)
  --itl-ms MS                  gap between tokens (default 20)
  --prefill-ms-per-token MS    TTFT added per uncached input token (default 0.02)
  --jitter F                   relative jitter of TTFT and gaps, 0..1 (default 0)
  --jitter-distribution D      uniform | lognormal (default uniform)
  --tokens-per-chunk N         tokens per stream event (default 1)
  --output-tokens SPEC         N, MIN-MAX or normal:MEAN:SD (default 64)
  --max-tokens-mode M          cap | exact | fill (default cap: the request's cap cuts the natural length)
  --capacity N                 streams at full speed; 0 = unlimited (default 64)
  --profile P                  default | ollama-openai: a real server's quirks at once (default default)
  --chat-role R                first-chunk | every-delta: where OpenAI Chat streams name the role
                               (default first-chunk)
  --stream-usage U             requested | always: when OpenAI Chat streams end with usage (default requested)
  --finish-write W             with-last-token | apart: how a stream's closing events are written
                               (default with-last-token)
  --ignore-max-completion-tokens   OpenAI Chat reads max_tokens only, as Ollama does
  --rpm N / --tpm N            requests / tokens per minute per API key (default 0 = off)
  --itpm N / --otpm N          input / output tokens per minute per API key (default 0 = off)
  --fault NAME=P               inject a fault with probability P (repeatable); NAME is one of
                               ${FAULT_NAMES.join(', ')}
  --fault-ms MS                stall and slow-head duration (default 2000)
  --fault-at N                 output token where mid-stream faults strike (default -1 = middle)
  --oversize-bytes N           size of an oversize line (default 1048576)
  --retry-after-ms MS          retry-after sent with injected 429/503/529 (default 1000)
  --no-cache                   turn prompt-cache emulation off
  --cache-ttl-ms MS            cached prefix lifetime (default 300000)
  --no-auth                    accept requests without an API key
  --ollama-auth                require an API key on Ollama routes too
  --auto-tool-calls            with tool_choice auto, call a tool after a user turn
  --refusal P                  probability 0..1 that an answer is a refusal (default 0)
  --reasoning-tokens N         reasoning tokens before the visible output (default 0)
  --history-size N             ground-truth records kept (default 10000)
  --models A,B,...             model ids listed by GET /v1/models
  -h, --help                   print this help
`;

export type { CliIo } from '../args';

const NUMBER_FLAGS: Record<string, keyof MockOptions> = {
  '--port': 'port', '--seed': 'seed', '--ttft-ms': 'ttftMs', '--itl-ms': 'itlMs',
  '--prefill-ms-per-token': 'prefillMsPerToken', '--jitter': 'jitter', '--tokens-per-chunk': 'tokensPerChunk',
  '--capacity': 'capacity', '--rpm': 'rpm', '--tpm': 'tpm', '--itpm': 'itpm', '--otpm': 'otpm',
  '--fault-ms': 'faultMs', '--fault-at': 'faultAt', '--oversize-bytes': 'oversizeBytes',
  '--retry-after-ms': 'retryAfterMs', '--cache-ttl-ms': 'cacheTtlMs', '--history-size': 'historySize',
  '--refusal': 'refusal', '--reasoning-tokens': 'reasoningTokens',
};
const STRING_FLAGS: Record<string, keyof MockOptions> = {
  '--host': 'host', '--jitter-distribution': 'jitterDistribution', '--max-tokens-mode': 'maxTokensMode',
  '--profile': 'profile', '--chat-role': 'chatRole', '--stream-usage': 'streamUsage', '--finish-write': 'finishWrite',
};
const SWITCHES: Record<string, [keyof MockOptions, boolean]> = {
  '--no-cache': ['cache', false], '--no-auth': ['requireApiKey', false],
  '--ollama-auth': ['ollamaRequiresApiKey', true], '--auto-tool-calls': ['autoToolCalls', true],
  '--ignore-max-completion-tokens': ['ignoreMaxCompletionTokens', true],
};

function parseNumber(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`invalid ${flag}: expected a number, got ${JSON.stringify(text)}`);
  return value;
}

function parseOutputTokens(text: string): OutputTokens {
  const range = /^(\d+)-(\d+)$/.exec(text);
  if (range) return { min: Number(range[1]), max: Number(range[2]) };
  const normal = /^normal:([\d.]+):([\d.]+)$/.exec(text);
  if (normal) return { mean: Number(normal[1]), sd: Number(normal[2]) };
  return parseNumber('--output-tokens', text);
}

/** Reads the arguments after `mock` into options, the config file first and flags over it. */
export function parseMockArgs(argv: readonly string[]): { options: MockOptions; help: boolean } {
  const flags: MockOptions = {};
  const faults: Partial<Record<FaultName, number>> = {};
  let configFile: string | undefined;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const takeValue = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`invalid ${flag}: expected a value`);
      return value;
    };
    if (flag === '-h' || flag === '--help') help = true;
    else if (flag === '--config') configFile = takeValue();
    else if (flag in NUMBER_FLAGS) (flags as Record<string, unknown>)[NUMBER_FLAGS[flag] as string] = parseNumber(flag, takeValue());
    else if (flag in STRING_FLAGS) (flags as Record<string, unknown>)[STRING_FLAGS[flag] as string] = takeValue();
    else if (flag in SWITCHES) {
      const [key, value] = SWITCHES[flag] as [keyof MockOptions, boolean];
      (flags as Record<string, unknown>)[key] = value;
    } else if (flag === '--output-tokens') flags.outputTokens = parseOutputTokens(takeValue());
    else if (flag === '--models') flags.models = takeValue().split(',').map((m) => m.trim()).filter(Boolean);
    else if (flag === '--fault') {
      const text = takeValue();
      const [name = '', p] = text.split('=');
      if (!isFaultName(name)) throw new UsageError(`invalid --fault: expected NAME=P with NAME one of ${FAULT_NAMES.join(', ')}, got ${JSON.stringify(text)}`);
      faults[name] = p === undefined ? 1 : parseNumber('--fault', p);
    } else throw new UsageError(`invalid argument: unknown ${JSON.stringify(arg)} (see --help)`);
  }
  let options: MockOptions = { port: DEFAULT_CLI_PORT };
  if (configFile !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(configFile, 'utf8'));
    } catch (error) {
      throw new UsageError(`invalid --config: expected a readable JSON file, got ${(error as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new UsageError(`invalid --config: expected a JSON object in ${configFile}`);
    }
    options = { ...options, ...(parsed as MockOptions) };
  }
  options = { ...options, ...flags };
  if (Object.keys(faults).length > 0) options.faults = { ...options.faults, ...faults };
  return { options, help };
}

/**
 * `k6-llm mock ...`: starts the server, prints exactly one `listening on <url>` line on stdout, and resolves with
 * the exit code once SIGINT or SIGTERM has stopped it (0), or at once on bad arguments (2) or a failed start (1).
 */
export async function runMockCli(argv: string[], io: CliIo = processIo): Promise<number> {
  let options: MockOptions;
  try {
    const parsed = parseMockArgs(argv);
    if (parsed.help) {
      io.stdout(USAGE);
      return 0;
    }
    options = parsed.options;
    normalizeOptions(options);
  } catch (error) {
    if (error instanceof UsageError || error instanceof MockOptionsError) {
      io.stderr(`k6-llm mock: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  let server;
  try {
    server = await startMockServer(options);
  } catch (error) {
    io.stderr(`k6-llm mock: cannot start: ${(error as Error).message}\n`);
    return 1;
  }
  io.stdout(`listening on ${server.url}\n`);
  const running = server;
  return new Promise<number>((resolve) => {
    const stop = (): void => {
      io.offSignal('SIGINT', stop);
      io.offSignal('SIGTERM', stop);
      running.close().then(() => resolve(0), () => resolve(1));
    };
    io.onSignal('SIGINT', stop);
    io.onSignal('SIGTERM', stop);
  });
}
