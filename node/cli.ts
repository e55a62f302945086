// The `k6-llm` command line: one entry for every Node-side program of the package.
import { runMockCli } from './mock/cli';
import { runReportCli } from './report';
import { ensureK6 } from '../scripts/k6-binary.mjs';
import { runRelayCli } from './relay/cli';
import { runRelayWorker } from './relay/workers';
import { runRunCli } from './run';

const USAGE = `usage: k6-llm <command> [args]

  run [--mock] script.(js|ts) [k6 args]  run k6 with a relay (and the mock) started for it (k6-llm run --help)
  relay [--port N] [...]                 start the relay on its own (k6-llm relay --help)
  mock [--host H] [--port N] [...]       start the mock LLM server (k6-llm mock --help)
  report <k6 --out json file> [-o report.html]
                                         latency-vs-load HTML report (k6-llm report --help)
  k6 <k6 args>                           run the k6 k6-llm uses (the one on PATH, else the pinned release)
`;

async function runK6(args: string[]): Promise<number> {
  let bin: string;
  try {
    bin = ensureK6();
  } catch (err) {
    process.stderr.write(`k6-llm: ${(err as Error).message}\n`);
    return 127;
  }
  const { spawn } = await import('node:child_process');
  const child = spawn(bin, args, { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
}

/** Runs one command; resolves with the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'run':
      return runRunCli(args);
    case 'relay':
      return runRelayCli(args);
    case 'relay-worker':
      return runRelayWorker();
    case 'mock': {
      const code = await runMockCli(args);
      return typeof code === 'number' ? code : 0;
    }
    case 'report':
      return runReportCli(args);
    case 'k6':
      return runK6(args);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`k6-llm: unknown command ${JSON.stringify(command)}\n${USAGE}`);
      return 2;
  }
}
