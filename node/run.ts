// `k6-llm run [--mock] [--relay-port N] [--dashboard...] script.(js|ts) [k6 args...]`: starts the relay (and the mock)
// on loopback, runs k6 with K6_LLM_RELAY, K6_LLM_RELAY_TOKEN (and MOCK_URL; with --dashboard, k6's web dashboard with
// k6-llm's configuration) set, forwards signals, and exits with k6's code.
// k6 runs at a lower CPU priority than the relay, so a busy k6 cannot delay the relay's stamps.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { build } from 'esbuild';
import { ensureK6 } from '../scripts/k6-binary.mjs';
import { K6_BUNDLE_OPTIONS } from '../scripts/k6-esbuild-options.mjs';
import { startMockProcess, type MockProcess } from '../scripts/server-process.mjs';
import { cliBin, intFlag, parseFlags, processIo, UsageError, type CliIo } from './args';
import { CWD_DASHBOARD_CONFIG, DashboardConfigMissing, dashboardEnv, shippedDashboardConfig, type DashboardEnv } from './dashboard';
import { describeStats, relayOptionsFrom, startRelayProcesses } from './relay/cli';
import type { Relay } from './relay/server';

export const RUN_USAGE = `Usage: k6-llm run [options] script.(js|ts|tar) [k6 run options...]

Starts a k6-llm relay (and with --mock the mock LLM server) on loopback, then runs \`k6 run\` on the script with
K6_LLM_RELAY and K6_LLM_RELAY_TOKEN (and MOCK_URL) set, at a lower CPU priority than the relay. Stops them when
k6 exits, and exits with k6's code. A .ts script is bundled first (k6-llm's esbuild settings). k6 options may come
before or after the script. k6 is the one on PATH, else the pinned release (installed once, cached).

  --mock                    start the mock LLM server and pass its URL as MOCK_URL
  --mock-arg ARG            one argument for the mock (repeatable), e.g. --mock-arg=--capacity=512
  --relay-port N            relay port (default: any free one)
  --allow-host H            upstream host the relay may call; repeatable (default: any)
  --ca FILE                 PEM certificate(s) the relay trusts for upstream TLS; repeatable
  --insecure                the relay accepts any upstream certificate (test servers only)
  --proxy URL               HTTP proxy for the relay's upstream requests
  --max-request-bytes N     largest request body the relay takes
  --max-response-bytes N    largest upstream response body the relay reads
  --relay-workers N         relay processes sharing the port, each with its own event loop (default 1)
  --relay-verbose           the relay prints one line per exchange (no content)
  --k6-nice N               how much lower k6's CPU priority is than the relay's (default 10; 0 = same)
  --dashboard               k6's web dashboard with k6-llm's LLM tab (http://127.0.0.1:5665 by default)
  --dashboard-export FILE   write the dashboard's HTML report at the end of the run (implies --dashboard)
  --dashboard-port N        dashboard port (-1: none, export only; 0: any free one; implies --dashboard)
  --dashboard-host H        dashboard address (default 127.0.0.1; implies --dashboard)
  --dashboard-period D      one chart point per D, e.g. 1s (k6's default 10s; implies --dashboard)
  -h, --help                print this help
`;

const SPEC = {
  values: {
    '--mock-arg': { repeat: true }, '--relay-port': {}, '--allow-host': { repeat: true }, '--ca': { repeat: true },
    '--proxy': {}, '--max-request-bytes': {}, '--max-response-bytes': {}, '--k6-nice': {}, '--relay-workers': {},
    '--dashboard-export': {}, '--dashboard-port': {}, '--dashboard-host': {}, '--dashboard-period': {},
  },
  switches: ['--mock', '--insecure', '--relay-verbose', '--dashboard', '--help', '-h'],
};

const SCRIPT = /\.((m|c)?(js|ts)|tar)$/;

/**
 * The script argument: the first that names a .js/.ts file or a k6 archive (.tar); k6's own flags and their values
 * come before or after it.
 */
export function splitRunArgs(argv: readonly string[]): { own: string[]; k6: string[]; script?: string } {
  const at = argv.findIndex((arg) => !arg.startsWith('-') && SCRIPT.test(arg));
  if (at < 0) return { own: [...argv], k6: [] };
  return { own: argv.slice(0, at), k6: argv.slice(at + 1), script: argv[at] };
}

/** A TypeScript script becomes a k6 bundle beside it (so its relative `open()` paths still resolve). */
async function bundleIfTypeScript(script: string): Promise<{ path: string; cleanup(): void }> {
  if (!/\.(m|c)?ts$/.test(script)) return { path: script, cleanup() {} };
  const out = join(dirname(script), `.${basename(script).replace(/\.(m|c)?ts$/, '')}.k6-llm-bundle.js`);
  await build({ ...K6_BUNDLE_OPTIONS, entryPoints: [script], outfile: out, logLevel: 'error' });
  return { path: out, cleanup: () => rmSync(out, { force: true }) };
}

/** `--dashboard` and the flags that imply it, as k6's environment; undefined when none is given. */
function dashboardFrom(flags: ReturnType<typeof parseFlags>): DashboardEnv | undefined {
  const v = flags.values;
  const on = flags.switches.has('--dashboard') || ['--dashboard-export', '--dashboard-port', '--dashboard-host', '--dashboard-period'].some((f) => v[f]);
  if (!on) return undefined;
  const port = v['--dashboard-port'] ? intFlag(flags, '--dashboard-port', 0, -1, 65535) : undefined;
  return dashboardEnv(
    { export: v['--dashboard-export']?.[0], port, host: v['--dashboard-host']?.[0], period: v['--dashboard-period']?.[0] },
    process.env,
    { shipped: shippedDashboardConfig(), cwdHasConfig: existsSync(CWD_DASHBOARD_CONFIG) },
  );
}

/** Where `k6-llm run` writes and which signals it forwards. */
export type RunIo = Pick<CliIo, 'stderr' | 'onSignal' | 'offSignal'>;

/** `k6-llm run ...`: resolves with k6's exit code (2 for bad arguments, 127 when there is no k6). */
export async function runRunCli(argv: string[], io: RunIo = processIo): Promise<number> {
  const { own, k6, script } = splitRunArgs(argv);
  const passthrough: string[] = [];
  let flags: ReturnType<typeof parseFlags>;
  let relayOptions: ReturnType<typeof relayOptionsFrom>;
  let relayPort: number;
  let relayWorkers: number;
  let nice: number;
  let dashboard: DashboardEnv | undefined;
  try {
    flags = parseFlags(own, SPEC, { passthrough });
    if (flags.switches.has('--help') || flags.switches.has('-h')) {
      io.stderr(RUN_USAGE);
      return 0;
    }
    if (!script) throw new UsageError('invalid arguments: expected a script.js or script.ts to run');
    relayPort = intFlag(flags, '--relay-port', 0, 0, 65535);
    relayWorkers = intFlag(flags, '--relay-workers', 1, 1, 64);
    nice = intFlag(flags, '--k6-nice', 10, 0, 19);
    if (flags.switches.has('--relay-verbose')) flags.switches.add('--verbose');
    relayOptions = relayOptionsFrom(flags, (line) => io.stderr(`k6-llm relay: ${line}\n`));
    dashboard = dashboardFrom(flags);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`k6-llm run: ${err.message}\n`);
      return 2;
    }
    if (err instanceof DashboardConfigMissing) {
      io.stderr(`k6-llm run: ${err.message}\n`);
      return 1;
    }
    throw err;
  }

  let k6Bin: string;
  try {
    k6Bin = ensureK6();
  } catch (err) {
    io.stderr(`k6-llm run: ${(err as Error).message}\n`);
    return 127;
  }
  let bundle: { path: string; cleanup(): void };
  try {
    bundle = await bundleIfTypeScript(script);
  } catch (err) {
    io.stderr(`k6-llm run: bundling ${script} failed: ${(err as Error).message}\n`);
    return 1;
  }

  let relay: Relay | undefined;
  let mock: MockProcess | undefined;
  const stopAll = async (): Promise<void> => {
    bundle.cleanup();
    if (relay) {
      await relay.close();
      io.stderr(`${describeStats(relay.stats())}\n`);
    }
    await mock?.stop();
  };
  try {
    relay = await startRelayProcesses({ ...relayOptions, port: relayPort }, relayWorkers);
    if (flags.switches.has('--mock')) {
      mock = await startMockProcess(flags.values['--mock-arg'] ?? [], { stderr: 'inherit', bin: cliBin() });
      io.stderr(`k6-llm: mock LLM server at ${mock.url}\n`);
    }
  } catch (err) {
    io.stderr(`k6-llm run: cannot start: ${(err as Error).message}\n`);
    await stopAll();
    return 1;
  }
  io.stderr(`k6-llm: relay at ${relay.url}; running ${basename(k6Bin)} run ${script}\n`);

  const env: NodeJS.ProcessEnv = { ...process.env, K6_LLM_RELAY: relay.url, K6_LLM_RELAY_TOKEN: relay.token };
  if (mock) env.MOCK_URL = mock.url;
  if (dashboard) {
    Object.assign(env, dashboard.vars);
    io.stderr(`k6-llm: web dashboard with the configuration ${dashboard.config}\n`);
  }
  const child = spawn(k6Bin, ['run', ...passthrough, ...k6, bundle.path], { stdio: 'inherit', env });
  if (nice > 0 && child.pid !== undefined) {
    try {
      setPriority(child.pid, Math.min(19, getPriority() + nice));
    } catch {
      // Lowering another process's priority is always allowed for its owner; if the platform refuses, k6 runs as is.
    }
  }
  // k6 stops gracefully on the first SIGINT (teardown and summary still run) and hard on the second.
  const forward = (signal: NodeJS.Signals) => () => {
    child.kill(signal);
  };
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  io.onSignal('SIGINT', onInt);
  io.onSignal('SIGTERM', onTerm);
  const code = await new Promise<number>((resolve) => {
    child.once('error', (err) => {
      io.stderr(`k6-llm run: cannot start k6: ${err.message}\n`);
      resolve(127);
    });
    child.once('exit', (c, signal) => resolve(c ?? (signal ? 128 + (signal === 'SIGKILL' ? 9 : signal === 'SIGTERM' ? 15 : 2) : 1)));
  });
  io.offSignal('SIGINT', onInt);
  io.offSignal('SIGTERM', onTerm);
  await stopAll();
  return code;
}
