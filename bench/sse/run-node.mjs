// SSE parser benchmark in Node: k6-llm's createSSEParser against eventsource-parser's createParser (and a naive
// split-based parser as a floor) on the same inputs. Not a test: it prints figures for docs/benchmarks.md.
// Throughput is computed from the process's CPU time (user + system) per run, not wall time: on a shared machine
// wall time mostly measures the neighbours, and the parsers are single-threaded either way.
//
//   node bench/sse/run-node.mjs                  # bundles lib/sse for Node and for k6, then runs the Node bench
//   node bench/sse/run-node.mjs --build          # only writes the bundles in bench/output/ (see k6-parse.js)
//   node bench/sse/run-node.mjs --baseline=HEAD  # also lib/sse as it is at a git revision, in the same run
//   node bench/sse/run-node.mjs --json           # one JSON document on stdout (bench/sse/run.mjs reads it)
//   node bench/sse/run-node.mjs --no-build       # reuse the bundles already in bench/output/
//
// bench/sse/run.mjs runs this and the k6 bench several times and writes the table for docs/benchmarks.md.
import { createParser } from 'eventsource-parser';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildParserBundles, outputDir, root } from './bundles.mjs';
import { naiveParse, oneTokenPerEventChunks, openAIChatStream, splitIntoChunks } from './workloads.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const baseline = args.find((arg) => arg.startsWith('--baseline='))?.slice('--baseline='.length);
const bundles = args.includes('--no-build')
  ? {
      node: {
        current: join(outputDir, 'sse-node.mjs'),
        baseline: baseline ? join(outputDir, 'sse-baseline-node.mjs') : undefined,
      },
    }
  : await buildParserBundles({ baseline });
if (args.includes('--build')) {
  console.log(`wrote the k6-llm${baseline ? `, baseline (${baseline})` : ''} and eventsource-parser bundles in ${outputDir}`);
  process.exit(0);
}

const RUNS = 21;
const WARMUP = 5;
const REPEAT = 10; // parses per timed run, so that one run is long enough for the CPU clock
const espVersion = JSON.parse(readFileSync(join(root, 'node_modules/eventsource-parser/package.json'), 'utf8')).version;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

// Each streaming parser gets its own copy of the feeding loop, compiled separately, so that V8's inline caches at
// `parser.feed` and in the callback see one parser each, as they would in a program that uses only that parser.
// Each counts events and data characters, so all do the same observable work and nothing is optimized away.
function makeFeeder(create) {
  return new Function(
    'create',
    `return function feedAll(chunks) {
      let events = 0;
      let dataChars = 0;
      const parser = create({
        onEvent: (message) => {
          events++;
          dataChars += message.data.length;
        },
      });
      for (let i = 0; i < chunks.length; i++) parser.feed(chunks[i]);
      return { events, dataChars };
    };`,
  )(create);
}

const contenders = [{ name: 'k6-llm createSSEParser', role: 'current', feed: makeFeeder((await import(pathToFileURL(bundles.node.current).href)).createSSEParser) }];
if (bundles.node.baseline) {
  const { createSSEParser } = await import(pathToFileURL(bundles.node.baseline).href);
  contenders.push({ name: `k6-llm createSSEParser at ${baseline}`, role: 'baseline', feed: makeFeeder(createSSEParser) });
}
contenders.push({ name: `eventsource-parser ${espVersion}`, role: 'eventsource-parser', feed: makeFeeder(createParser) });
const naive = { name: 'naive split (whole body)', role: 'naive', feed: (chunks) => naiveParse(chunks.length === 1 ? chunks[0] : chunks.join('')) };

function bench(key, name, chunks) {
  const chars = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const expected = naive.feed(chunks);
  for (const contender of contenders) {
    const got = contender.feed(chunks);
    if (got.events !== expected.events || got.dataChars !== expected.dataChars) {
      throw new Error(`${contender.name} disagrees on ${name}: ${JSON.stringify(got)} vs ${JSON.stringify(expected)}`);
    }
  }
  const timeRun = (contender) => {
    const start = process.cpuUsage();
    for (let r = 0; r < REPEAT; r++) contender.feed(chunks);
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1e6 / REPEAT;
  };
  // The streaming parsers alternate run by run, so that drift in machine load hits them alike. The naive parser
  // allocates far more (whole-body splits), so it runs on its own afterwards rather than leaving garbage for the
  // others' timed runs to collect.
  const samples = contenders.map(() => []);
  for (let run = 0; run < WARMUP + RUNS; run++) {
    for (let i = 0; i < contenders.length; i++) {
      const seconds = timeRun(contenders[i]);
      if (run >= WARMUP) samples[i].push(seconds);
    }
  }
  const naiveSamples = [];
  for (let run = 0; run < WARMUP + RUNS; run++) {
    const seconds = timeRun(naive);
    if (run >= WARMUP) naiveSamples.push(seconds);
  }
  const esp = samples[contenders.findIndex((c) => c.role === 'eventsource-parser')];
  const rows = [...contenders, naive].map((contender, i) => {
    const own = i < contenders.length ? samples[i] : naiveSamples;
    const seconds = median(own);
    return {
      name: contender.name,
      role: contender.role,
      mbPerS: chars / 1e6 / seconds,
      eventsPerS: expected.events / seconds,
      // Median of run-by-run ratios: each compares two runs made back to back, under the same load.
      vsEventsourceParser: i < contenders.length ? median(own.map((s, run) => esp[run] / s)) : median(esp) / seconds,
    };
  });
  return { key, name, chars, chunks: chunks.length, events: expected.events, rows };
}

const chat = openAIChatStream(1_000_000);
const workloads = [
  bench('a', '(a) OpenAI chat stream, ~1 MB in 1-4 KB chunks', splitIntoChunks(chat.text, 1024, 4096, 7)),
  bench('b', '(b) one token per event, one event per chunk', oneTokenPerEventChunks(20_000)),
];
const result = { node: process.version, cpus: os.cpus().length, runs: RUNS, workloads };

if (json) {
  console.log(JSON.stringify(result));
} else {
  console.log(`node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), median of ${RUNS} runs, CPU time`);
  for (const workload of workloads) {
    console.log(`\n${workload.name}: ${workload.chars} chars, ${workload.chunks} chunks, ${workload.events} events`);
    for (const row of workload.rows) {
      console.log(
        `  ${row.name.padEnd(36)} ${row.mbPerS.toFixed(1).padStart(8)} MB/s ${Math.round(row.eventsPerS)
          .toLocaleString('en-US')
          .padStart(12)} events/s  ${row.vsEventsourceParser.toFixed(2)}x eventsource-parser`,
      );
    }
  }
}
