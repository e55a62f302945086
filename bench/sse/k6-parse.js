// SSE parsing speed inside k6 (Sobek, an interpreter): k6-llm's parser against a naive split-based parser, and
// against eventsource-parser and an older k6-llm parser when their bundles are given. Not a test; it prints
// throughput with console.log.
//
//   node bench/sse/run-node.mjs --build      # writes bench/output/sse-k6.js and eventsource-parser-k6.js (es2017)
//   PARSER=$PWD/bench/output/sse-k6.js EVENTSOURCE_PARSER=$PWD/bench/output/eventsource-parser-k6.js \
//     k6 run --quiet bench/sse/k6-parse.js
//
// PARSER (required), EVENTSOURCE_PARSER and BASELINE (optional: a k6-llm bundle built from another revision, see
// run-node.mjs --baseline) are paths to ES module bundles; absolute paths are safest. ROUNDS (default 15) sets how
// many timed rounds each figure is the median of; FORMAT=json prints one JSON line per workload instead of text
// (bench/sse/run.mjs runs this with --log-format=raw and reads those lines).
import { naiveParse, oneTokenPerEventChunks, openAIChatStream, splitIntoChunks } from './workloads.js';

if (!__ENV.PARSER) throw new Error('invalid PARSER: expected the path of the bundled k6-llm/sse module, got nothing');
// A static import cannot take its path from __ENV; k6's init context resolves require() at run time instead.
/* global require */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sse = require(__ENV.PARSER);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const baseline = __ENV.BASELINE ? require(__ENV.BASELINE) : null;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const esp = __ENV.EVENTSOURCE_PARSER ? require(__ENV.EVENTSOURCE_PARSER) : null;
const ROUNDS = Number(__ENV.ROUNDS || 15);
// Date.now() ticks in whole milliseconds: each round repeats the work for at least this long. Short rounds, many
// of them, give a machine shared with other work more chances to leave a round alone.
const MIN_ROUND_MS = 150;
const JSON_OUTPUT = __ENV.FORMAT === 'json';

export const options = {
  scenarios: { bench: { executor: 'shared-iterations', vus: 1, iterations: 1, maxDuration: '30m' } },
};

function feedAll(createParser, chunks) {
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
}

function median(values) {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

// Milliseconds per run of `fn` in one round of at least MIN_ROUND_MS.
function timeRound(fn) {
  const start = Date.now();
  let runs = 0;
  let elapsed = 0;
  do {
    fn();
    runs++;
    elapsed = Date.now() - start;
  } while (elapsed < MIN_ROUND_MS);
  return elapsed / runs;
}

// Milliseconds per run for each contender in each round. Rounds alternate between contenders, so that changes in
// machine load during the bench hit them alike; one untimed round first.
function timeAll(contenders) {
  for (let i = 0; i < contenders.length; i++) contenders[i].run();
  const perRun = contenders.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < contenders.length; i++) perRun[i].push(timeRound(contenders[i].run));
  }
  return perRun;
}

export default function () {
  const chat = openAIChatStream(1000000);
  const workloads = [
    { key: 'a', name: '(a) OpenAI chat ~1 MB in 1-4 KB chunks', chunks: splitIntoChunks(chat.text, 1024, 4096, 7) },
    { key: 'b', name: '(b) one token per event, one event per chunk', chunks: oneTokenPerEventChunks(20000) },
  ];
  for (const workload of workloads) {
    const whole = workload.chunks.join('');
    const expected = naiveParse(whole);
    const contenders = [
      { name: 'naive split (whole body)', role: 'naive', run: () => naiveParse(whole) },
      { name: 'k6-llm createSSEParser', role: 'current', run: () => feedAll(sse.createSSEParser, workload.chunks) },
    ];
    if (baseline) {
      contenders.push({ name: 'k6-llm createSSEParser (baseline)', role: 'baseline', run: () => feedAll(baseline.createSSEParser, workload.chunks) });
    }
    if (esp) contenders.push({ name: 'eventsource-parser', role: 'eventsource-parser', run: () => feedAll(esp.createParser, workload.chunks) });
    for (const contender of contenders) {
      const got = contender.run();
      if (got.events !== expected.events || got.dataChars !== expected.dataChars) {
        throw new Error(`${contender.name} disagrees with the naive parser on ${workload.name}`);
      }
    }
    const perRun = timeAll(contenders);
    const espIndex = contenders.findIndex((c) => c.role === 'eventsource-parser');
    // Ratios are medians of round-by-round ratios: each compares two rounds made back to back, under the same load.
    const ratio = (base, i) => median(perRun[i].map((ms, round) => perRun[base][round] / ms));
    const rows = contenders.map((contender, i) => {
      const seconds = median(perRun[i]) / 1000;
      return {
        name: contender.name,
        role: contender.role,
        mbPerS: whole.length / 1e6 / seconds,
        eventsPerS: expected.events / seconds,
        vsNaive: ratio(0, i),
        vsEventsourceParser: espIndex === -1 ? null : ratio(espIndex, i),
      };
    });
    if (JSON_OUTPUT) {
      console.log(JSON.stringify({ key: workload.key, name: workload.name, chars: whole.length, chunks: workload.chunks.length, events: expected.events, rounds: ROUNDS, rows }));
      continue;
    }
    for (const row of rows) {
      const versus = row.vsEventsourceParser === null ? '' : ` | ${row.vsEventsourceParser.toFixed(2)}x eventsource-parser`;
      console.log(
        `${workload.name} | ${row.name} | ${row.mbPerS.toFixed(2)} MB/s | ${Math.round(row.eventsPerS)} events/s | ` +
          `${row.vsNaive.toFixed(2)}x naive${versus}`,
      );
    }
  }
}
