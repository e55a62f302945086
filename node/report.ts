// `k6-llm report <k6 --out json file>`: streams k6's NDJSON output (files of a long run run to
// gigabytes), aggregates it per time bucket and writes one self-contained HTML page.
import { createReadStream, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parseK6Duration } from '../lib/cost/index';
import { createLoadCurveAggregator, loadCurveHtml, type LoadCurve } from '../lib/report/index';
import { processIo, UsageError, type CliIo } from './args';

const USAGE = `Usage: k6-llm report <k6-output.json[.gz]> [options]

Reads the file \`k6 run --out json=FILE\` wrote and writes a self-contained HTML report of
latency against load over time: TTFT and ITL p50/p95, active VUs, request rate, errors and
429s, output tokens/s and cumulative cost per time bucket.

  -o, --output FILE     HTML file to write (default report.html)
  --bucket DURATION     width of a time bucket: 500ms, 5s, 1m (default 5s)
  --where TAG=VALUE     keep only llm_* samples with this tag (repeatable), e.g. --where model=gpt-4o
  --json FILE           also write the aggregated buckets as JSON
  --title TEXT          heading of the report
  -h, --help            print this help
`;

/** Where `k6-llm report` writes. */
export type ReportCliIo = Pick<CliIo, 'stdout' | 'stderr'>;

interface CliArgs {
  input: string;
  output: string;
  bucketMs: number;
  where: Record<string, string>;
  json?: string;
  title?: string;
}

function parseArgs(argv: readonly string[]): CliArgs | 'help' {
  let input: string | undefined;
  const args: Omit<CliArgs, 'input'> = { output: 'report.html', bucketMs: 5000, where: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '-h':
      case '--help':
        return 'help';
      case '-o':
      case '--output':
        args.output = value();
        break;
      case '--bucket': {
        const text = value();
        const ms = parseK6Duration(text);
        if (ms === undefined || !(ms > 0)) throw new UsageError(`invalid --bucket: expected a duration such as 5s or 500ms, got ${JSON.stringify(text)}`);
        args.bucketMs = ms;
        break;
      }
      case '--where': {
        const text = value();
        const at = text.indexOf('=');
        if (at <= 0) throw new UsageError(`invalid --where: expected TAG=VALUE, got ${JSON.stringify(text)}`);
        args.where[text.slice(0, at)] = text.slice(at + 1);
        break;
      }
      case '--json':
        args.json = value();
        break;
      case '--title':
        args.title = value();
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
        if (input !== undefined) throw new UsageError(`one input file expected, got ${JSON.stringify(input)} and ${JSON.stringify(arg)}`);
        input = arg;
    }
  }
  if (input === undefined) throw new UsageError('missing the input file (the file of k6 run --out json=FILE)');
  return { input, ...args };
}

/** Streams one k6 JSON output file (gzip when it ends in `.gz`, as k6 writes `--out json=x.gz`) into a load curve. */
export async function aggregateK6JsonFile(path: string, options: { bucketMs?: number; where?: Record<string, string> } = {}): Promise<LoadCurve> {
  const aggregator = createLoadCurveAggregator(options);
  const file = createReadStream(path);
  const opened = new Promise<void>((resolve, reject) => {
    file.once('open', () => resolve());
    file.once('error', reject);
  });
  await opened;
  let input: Readable = file;
  if (path.endsWith('.gz')) {
    const gunzip = createGunzip();
    file.pipe(gunzip);
    // A cut-off gzip stream ends with an error; what was decompressed before it still counts.
    input = gunzip;
  }
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) aggregator.addLine(line);
  } catch (err) {
    if (!path.endsWith('.gz')) throw err;
  }
  return aggregator.result();
}

/** Runs `k6-llm report` with its arguments (without the `report`); resolves to the exit code. */
export async function runReportCli(argv: readonly string[], io: ReportCliIo = processIo): Promise<number> {
  let args: CliArgs | 'help';
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr(`k6-llm report: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (args === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  let curve: LoadCurve;
  try {
    curve = await aggregateK6JsonFile(args.input, { bucketMs: args.bucketMs, where: args.where });
  } catch (err) {
    io.stderr(`k6-llm report: cannot read ${args.input}: ${(err as Error).message}\n`);
    return 1;
  }
  try {
    write(args.output, loadCurveHtml(curve, { title: args.title, subtitle: basename(args.input) }));
    if (args.json) write(args.json, JSON.stringify(curve, null, 2) + '\n');
  } catch (err) {
    io.stderr(`k6-llm report: cannot write: ${(err as Error).message}\n`);
    return 1;
  }
  if (curve.skippedLines > 0) {
    io.stderr(
      `k6-llm report: skipped ${curve.skippedLines} line${curve.skippedLines === 1 ? '' : 's'} that ${curve.skippedLines === 1 ? 'was' : 'were'} not JSON` +
        `${curve.truncatedLastLine ? ' (the last line was cut off: k6 stopped while writing it)' : ''}\n`,
    );
  }
  if (curve.totals.requests === 0) io.stderr('k6-llm report: no llm_requests sample found; is this the --out json file of a k6-llm script?\n');
  io.stdout(
    `wrote ${args.output}: ${curve.buckets.length} buckets of ${curve.bucketS} s, ${curve.points} samples from ${curve.lines} lines, ` +
      `${curve.totals.requests} requests${args.json ? `; ${args.json}` : ''}\n`,
  );
  return 0;
}

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
