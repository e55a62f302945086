// SSE parser benchmark in Node: k6-llm's createSSEParser against eventsource-parser's createParser (and a naive
// split-based parser as a floor) on the same inputs. Not a test: it prints figures for docs/benchmarks.md.
// Throughput is computed from the process's CPU time (user + system) per run, not wall time: on a shared machine
// wall time mostly measures the neighbours, and the parsers are single-threaded either way.
//
//   node bench/sse/run-node.mjs            # bundles lib/sse for Node and for k6, then runs the Node bench
//   node bench/sse/run-node.mjs --build    # only writes the bundles in bench/output/ (see bench/sse/k6-parse.js)
//
// The k6 bundle targets es2017, as the library's k6 builds do; bench/sse/k6-parse.js imports it.
import { build } from 'esbuild';
import { createParser } from 'eventsource-parser';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { naiveParse, oneTokenPerEventChunks, openAIChatStream, splitIntoChunks } from './workloads.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const outputDir = `${root}bench/output`;
mkdirSync(outputDir, { recursive: true });

const common = { entryPoints: [`${root}lib/sse/index.ts`], bundle: true, format: 'esm', logLevel: 'warning' };
await build({ ...common, outfile: `${outputDir}/sse-node.mjs`, platform: 'node', target: 'node20' });
await build({ ...common, outfile: `${outputDir}/sse-k6.js`, platform: 'neutral', target: 'es2017' });
// eventsource-parser for the k6 comparison, bundled the same way.
await build({
  ...common,
  entryPoints: [fileURLToPath(import.meta.resolve('eventsource-parser'))],
  outfile: `${outputDir}/eventsource-parser-k6.js`,
  platform: 'neutral',
  target: 'es2017',
});
if (process.argv.includes('--build')) {
  console.log(`wrote sse-node.mjs, sse-k6.js and eventsource-parser-k6.js in ${outputDir}`);
  process.exit(0);
}

const { createSSEParser } = await import(pathToFileURL(`${outputDir}/sse-node.mjs`).href);

const RUNS = 21;
const WARMUP = 5;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

// Each parser counts events and data characters, so both do the same observable work and nothing is optimized away.
const parsers = {
  'k6-llm createSSEParser': (chunks) => {
    let events = 0;
    let dataChars = 0;
    const parser = createSSEParser({
      onEvent: (message) => {
        events++;
        dataChars += message.data.length;
      },
    });
    for (let i = 0; i < chunks.length; i++) parser.feed(chunks[i]);
    return { events, dataChars };
  },
  'eventsource-parser 4.1.3': (chunks) => {
    let events = 0;
    let dataChars = 0;
    const parser = createParser({
      onEvent: (message) => {
        events++;
        dataChars += message.data.length;
      },
    });
    for (let i = 0; i < chunks.length; i++) parser.feed(chunks[i]);
    return { events, dataChars };
  },
  'naive split (whole body only)': (chunks) => naiveParse(chunks.length === 1 ? chunks[0] : chunks.join('')),
};

function bench(name, chunks, repeat) {
  const chars = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const names = Object.keys(parsers);
  const expected = parsers[names[0]](chunks);
  for (const parserName of names) {
    const got = parsers[parserName](chunks);
    if (got.events !== expected.events || got.dataChars !== expected.dataChars) {
      throw new Error(`${parserName} disagrees on ${name}: ${JSON.stringify(got)} vs ${JSON.stringify(expected)}`);
    }
  }
  const samples = Object.fromEntries(names.map((parserName) => [parserName, []]));
  // The two streaming parsers alternate run by run, so that drift in machine load hits them alike. The naive
  // parser allocates far more (whole-body splits), so it runs on its own afterwards rather than leaving garbage
  // for the others' timed runs to collect.
  const timeRun = (parserName, run) => {
    const start = process.cpuUsage();
    for (let r = 0; r < repeat; r++) parsers[parserName](chunks);
    const used = process.cpuUsage(start);
    if (run >= WARMUP) samples[parserName].push((used.user + used.system) / 1e6 / repeat);
  };
  for (let run = 0; run < WARMUP + RUNS; run++) {
    timeRun(names[0], run);
    timeRun(names[1], run);
  }
  for (let run = 0; run < WARMUP + RUNS; run++) timeRun(names[2], run);
  const rows = names.map((parserName) => {
    const seconds = median(samples[parserName]);
    return { parser: parserName, mbPerS: chars / 1e6 / seconds, eventsPerS: expected.events / seconds };
  });
  return { name, chars, chunks: chunks.length, events: expected.events, rows };
}

const chat = openAIChatStream(1_000_000);
const results = [
  bench('(a) OpenAI chat stream, ~1 MB in 1-4 KB chunks', splitIntoChunks(chat.text, 1024, 4096, 7), 10),
  bench('(b) one token per event, one event per chunk', oneTokenPerEventChunks(20_000), 10),
];

console.log(
  `node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), median of ${RUNS} runs, CPU time`,
);
for (const result of results) {
  console.log(`\n${result.name}: ${result.chars} chars, ${result.chunks} chunks, ${result.events} events`);
  const ours = result.rows[0];
  for (const row of result.rows) {
    const ratio = row.mbPerS / result.rows[1].mbPerS;
    console.log(
      `  ${row.parser.padEnd(30)} ${row.mbPerS.toFixed(1).padStart(8)} MB/s ${Math.round(row.eventsPerS)
        .toLocaleString('en-US')
        .padStart(12)} events/s  ${ratio.toFixed(2)}x eventsource-parser`,
    );
  }
  result.ratio = ours.mbPerS / result.rows[1].mbPerS;
}
writeFileSync(`${outputDir}/sse-node.json`, JSON.stringify({ node: process.version, cpus: os.cpus().length, results }, null, 2));
