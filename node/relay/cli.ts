// `k6-llm relay`: runs the relay on its own, for a k6 started some other way (a CI step, a k6 Operator sidecar).
import { readFileSync } from 'node:fs';
import { cliBin, intFlag, parseFlags, processIo, UsageError, type CliIo } from '../args';
import { RELAY_DEFAULTS, startRelay, type Relay, type RelayOptions, type RelayStats } from './server';
import { startRelayWorkers } from './workers';

/** The port `k6-llm relay` listens on when none is given. */
export const DEFAULT_RELAY_PORT = 7333;

export const RELAY_USAGE = `Usage: k6-llm relay [options]

Starts the k6-llm relay: k6 scripts using relayTransport() send it one request per LLM call; it sends the
upstream request, stamps every read and answers with the decoded response and its timings. Prints its URL and
the two variables a k6 run needs, then serves until SIGINT/SIGTERM.

  --host HOST               interface to bind (default 127.0.0.1; anything else lets other hosts in)
  --port N                  port, 0 for any free one (default ${DEFAULT_RELAY_PORT})
  --token T                 the token requests must carry (default $K6_LLM_RELAY_TOKEN, else a random one)
  --allow-host H            upstream host the relay may call; repeatable; *.example.com for subdomains
                            (default: any host)
  --ca FILE                 PEM certificate(s) to trust for upstream TLS besides Node's roots; repeatable
  --insecure                accept any upstream certificate (test servers only)
  --proxy URL               HTTP proxy for upstream requests (default: HTTPS_PROXY / HTTP_PROXY / NO_PROXY)
  --max-request-bytes N     largest request body (default ${RELAY_DEFAULTS.maxRequestBytes})
  --max-response-bytes N    largest upstream response body (default ${RELAY_DEFAULTS.maxResponseBytes})
  --workers N               relay processes sharing the port, each with its own event loop (default 1)
  --verbose                 one line per exchange: method, host, status, duration, bytes
  -h, --help                print this help
`;

const SPEC = {
  values: {
    '--host': {}, '--port': {}, '--token': {}, '--allow-host': { repeat: true }, '--ca': { repeat: true },
    '--proxy': {}, '--max-request-bytes': {}, '--max-response-bytes': {}, '--workers': {},
  },
  switches: ['--insecure', '--verbose', '--help', '-h'],
};

/** Relay options from `k6-llm relay` / `k6-llm run` flags (the ones both take). */
export function relayOptionsFrom(flags: ReturnType<typeof parseFlags>, log: (line: string) => void): RelayOptions {
  const options: RelayOptions = {
    host: flags.values['--host']?.[0] ?? RELAY_DEFAULTS.host,
    maxRequestBytes: intFlag(flags, '--max-request-bytes', RELAY_DEFAULTS.maxRequestBytes, 1),
    maxResponseBytes: intFlag(flags, '--max-response-bytes', RELAY_DEFAULTS.maxResponseBytes, 1),
    insecure: flags.switches.has('--insecure'),
  };
  const token = flags.values['--token']?.[0] ?? process.env.K6_LLM_RELAY_TOKEN;
  if (token !== undefined && token !== '') options.token = token;
  const allow = flags.values['--allow-host'];
  if (allow?.length) options.allowHosts = allow.flatMap((h) => h.split(',')).map((h) => h.trim()).filter(Boolean);
  const ca = flags.values['--ca'];
  if (ca?.length) {
    options.ca = ca.map((file) => {
      try {
        return readFileSync(file, 'utf8');
      } catch (err) {
        throw new UsageError(`invalid --ca: expected a readable PEM file, got ${(err as Error).message}`);
      }
    });
  }
  const proxy = flags.values['--proxy']?.[0];
  if (proxy !== undefined) {
    try {
      new URL(proxy.includes('://') ? proxy : `http://${proxy}`);
    } catch {
      throw new UsageError(`invalid --proxy: expected a URL, got ${JSON.stringify(proxy)}`);
    }
    options.proxy = proxy;
  }
  if (flags.switches.has('--verbose')) options.log = log;
  return options;
}

/** One relay process, or `workers` of them sharing the port. */
export function startRelayProcesses(options: RelayOptions & { port?: number }, workers: number): Promise<Relay> {
  return workers > 1 ? startRelayWorkers(options, workers, cliBin()) : startRelay(options);
}

/** The closing line: counts and error types, never a request's content. */
export function describeStats(s: RelayStats): string {
  const list = (counts: Record<string, number>): string =>
    Object.entries(counts)
      .map(([type, n]) => `${n} ${type}`)
      .join(', ');
  const errors = list(s.errors);
  const refused = list(s.refused);
  return (
    `k6-llm relay: ${s.exchanges} exchanges` +
    (errors ? `, errors: ${errors}` : ', no errors') +
    (refused ? `, refused: ${refused}` : '') +
    `; worst event-loop delay ${s.maxLoopDelayMs.toFixed(1)} ms`
  );
}

/** Where `k6-llm relay` writes and which signals stop it. */
export type RelayCliIo = CliIo;

/** `k6-llm relay ...`; resolves with the exit code once SIGINT or SIGTERM stopped it (0), or on bad arguments (2). */
export async function runRelayCli(argv: string[], io: RelayCliIo = processIo): Promise<number> {
  let options: RelayOptions;
  let port: number;
  let workers: number;
  try {
    const flags = parseFlags(argv, SPEC);
    if (flags.switches.has('--help') || flags.switches.has('-h')) {
      io.stdout(RELAY_USAGE);
      return 0;
    }
    if (flags.rest.length > 0) throw new UsageError(`invalid argument: unexpected ${JSON.stringify(flags.rest[0])} (see --help)`);
    port = intFlag(flags, '--port', DEFAULT_RELAY_PORT, 0, 65535);
    workers = intFlag(flags, '--workers', 1, 1, 64);
    options = relayOptionsFrom(flags, (line) => io.stderr(`k6-llm relay: ${line}\n`));
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`k6-llm relay: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  let relay: Relay;
  try {
    relay = await startRelayProcesses({ ...options, port }, workers);
  } catch (err) {
    io.stderr(`k6-llm relay: cannot start: ${(err as Error).message}\n`);
    return 1;
  }
  if (!/^(127\.|\[::1\]|localhost)/.test(new URL(relay.url).host)) {
    io.stderr('k6-llm relay: listening beyond loopback; any host that learns the token can send requests through it\n');
  }
  io.stdout(`listening on ${relay.url}\nK6_LLM_RELAY=${relay.url}\nK6_LLM_RELAY_TOKEN=${relay.token}\n`);
  return new Promise<number>((resolve) => {
    const stop = (): void => {
      io.offSignal('SIGINT', stop);
      io.offSignal('SIGTERM', stop);
      relay.close().then(
        () => {
          io.stderr(`${describeStats(relay.stats())}\n`);
          resolve(0);
        },
        () => resolve(1),
      );
    };
    io.onSignal('SIGINT', stop);
    io.onSignal('SIGTERM', stop);
  });
}
