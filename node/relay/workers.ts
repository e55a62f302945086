// Several relay processes behind one port (node:cluster): the primary accepts k6's connections and hands them to the
// workers in turn, each with its own event loop, so one busy loop does not delay every stamp. k6 keeps a connection
// per VU, so a VU's exchanges stay on one worker. The primary only accepts; the workers do the exchanges.
import cluster, { type Worker } from 'node:cluster';
import { startRelay, type Relay, type RelayOptions, type RelayStats } from './server';

/** The environment variable a worker reads its options from (JSON; the token and CA certificates included). */
const WORKER_ENV = 'K6_LLM_RELAY_WORKER';

type WorkerOptions = Omit<RelayOptions, 'log'> & { port: number; verbose: boolean };

type FromWorker = { type: 'listening'; url: string } | { type: 'stats'; stats: RelayStats } | { type: 'failed'; message: string };

function sumStats(all: RelayStats[]): RelayStats {
  const out: RelayStats = { exchanges: 0, inFlight: 0, errors: {}, refused: {}, maxLoopDelayMs: 0 };
  for (const s of all) {
    out.exchanges += s.exchanges;
    out.inFlight += s.inFlight;
    for (const [k, v] of Object.entries(s.errors)) out.errors[k] = (out.errors[k] ?? 0) + v;
    for (const [k, v] of Object.entries(s.refused)) out.refused[k] = (out.refused[k] ?? 0) + v;
    out.maxLoopDelayMs = Math.max(out.maxLoopDelayMs, s.maxLoopDelayMs);
  }
  return out;
}

/**
 * Starts `count` relay workers sharing one port; `bin` is the `k6-llm` command that runs `relay-worker`. Resolves
 * once every worker listens. `stats()` sums the workers' counts as they were when `close()` collected them.
 */
export async function startRelayWorkers(options: RelayOptions & { port?: number }, count: number, bin: string): Promise<Relay> {
  const { log, ...rest } = options;
  const workerOptions: WorkerOptions = { ...rest, port: options.port ?? 0, verbose: log !== undefined, token: options.token };
  // Every worker needs the same token; the first start makes one if the caller did not.
  if (workerOptions.token === undefined) workerOptions.token = (await import('./server')).newToken();
  cluster.setupPrimary({ exec: bin, args: ['relay-worker'], silent: false });
  const workers: Worker[] = [];
  let last: RelayStats = { exchanges: 0, inFlight: 0, errors: {}, refused: {}, maxLoopDelayMs: 0 };
  const urls = await Promise.all(
    Array.from({ length: count }, () => {
      const worker = cluster.fork({ [WORKER_ENV]: JSON.stringify(workerOptions) });
      workers.push(worker);
      return new Promise<string>((resolve, reject) => {
        const onMessage = (m: FromWorker): void => {
          if (m.type === 'listening') resolve(m.url);
          else if (m.type === 'failed') reject(new Error(m.message));
        };
        worker.on('message', onMessage);
        worker.once('exit', (code) => reject(new Error(`relay worker exited with ${code} before listening`)));
      });
    }),
  ).catch(async (err) => {
    for (const w of workers) w.kill();
    throw err;
  });
  return {
    url: urls[0] as string,
    token: workerOptions.token,
    stats: () => last,
    async close() {
      const collected = await Promise.all(
        workers.map(
          (w) =>
            new Promise<RelayStats | undefined>((resolve) => {
              if (w.isDead()) return resolve(undefined);
              const timer = setTimeout(() => {
                w.kill('SIGKILL');
                resolve(undefined);
              }, 5_000);
              w.on('message', (m: FromWorker) => {
                if (m.type === 'stats') {
                  clearTimeout(timer);
                  resolve(m.stats);
                }
              });
              w.send({ type: 'stop' });
            }),
        ),
      );
      last = sumStats(collected.filter((s): s is RelayStats => s !== undefined));
      await Promise.all(workers.map((w) => (w.isDead() ? undefined : new Promise((r) => w.once('exit', r)))));
    },
  };
}

/** `k6-llm relay-worker`: one worker, started by startRelayWorkers with its options in the environment. */
export async function runRelayWorker(): Promise<number> {
  const text = process.env[WORKER_ENV];
  if (!text || !process.send) {
    process.stderr.write('k6-llm relay-worker: run by `k6-llm relay --workers N` or `k6-llm run --relay-workers N`, not on its own\n');
    return 2;
  }
  const { verbose, ...options } = JSON.parse(text) as WorkerOptions;
  let relay: Relay;
  try {
    relay = await startRelay({ ...options, log: verbose ? (line) => process.stderr.write(`k6-llm relay: ${line}\n`) : undefined });
  } catch (err) {
    process.send({ type: 'failed', message: (err as Error).message } satisfies FromWorker);
    return 1;
  }
  process.send({ type: 'listening', url: relay.url } satisfies FromWorker);
  return new Promise<number>((resolve) => {
    process.on('message', (m: { type?: string }) => {
      if (m?.type !== 'stop') return;
      relay.close().then(() => {
        process.send?.({ type: 'stats', stats: relay.stats() } satisfies FromWorker, undefined, undefined, () => resolve(0));
      });
    });
    // The primary stops the workers; a signal to the process group must not end one before its stats are sent.
    process.on('SIGINT', () => {});
    process.on('SIGTERM', () => {});
    // A primary that is gone cannot stop them: they go too.
    process.on('disconnect', () => process.exit(0));
  });
}
