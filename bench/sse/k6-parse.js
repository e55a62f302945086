// SSE parsing speed inside k6 (Sobek, an interpreter): k6-llm's parser against a naive split-based parser, and
// against eventsource-parser when its bundle is given. Not a test; it prints throughput with console.log.
//
//   node bench/sse/run-node.mjs --build      # writes bench/output/sse-k6.js and eventsource-parser-k6.js (es2017)
//   PARSER=$PWD/bench/output/sse-k6.js EVENTSOURCE_PARSER=$PWD/bench/output/eventsource-parser-k6.js \
//     k6 run --quiet bench/sse/k6-parse.js
//
// PARSER (required) and EVENTSOURCE_PARSER (optional) are paths to ES module bundles; absolute paths are safest.
// ROUNDS (default 7) sets how many timed rounds each figure is the median of.
import { naiveParse, oneTokenPerEventChunks, openAIChatStream, splitIntoChunks } from './workloads.js';

if (!__ENV.PARSER) throw new Error('invalid PARSER: expected the path of the bundled k6-llm/sse module, got nothing');
// A static import cannot take its path from __ENV; k6's init context resolves require() at run time instead.
/* global require */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sse = require(__ENV.PARSER);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const esp = __ENV.EVENTSOURCE_PARSER ? require(__ENV.EVENTSOURCE_PARSER) : null;
const ROUNDS = Number(__ENV.ROUNDS || 7);
const MIN_ROUND_MS = 400; // Date.now() ticks in whole milliseconds: each round repeats the work for at least this

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

// Median milliseconds per run for each contender. Rounds alternate between contenders, so that changes in
// machine load during the bench hit them alike.
function timeAll(contenders) {
  const perRun = contenders.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < contenders.length; i++) perRun[i].push(timeRound(contenders[i].run));
  }
  return perRun.map(median);
}

function report(workload, chars, events, name, ms, naiveMs, eventsourceParserMs) {
  const seconds = ms / 1000;
  const versus = eventsourceParserMs ? ` | ${(eventsourceParserMs / ms).toFixed(2)}x eventsource-parser` : '';
  console.log(
    `${workload} | ${name} | ${(chars / 1e6 / seconds).toFixed(2)} MB/s | ${Math.round(events / seconds)} events/s | ` +
      `${(naiveMs / ms).toFixed(2)}x naive${versus}`,
  );
}

export default function () {
  const chat = openAIChatStream(1000000);
  const workloads = [
    { name: '(a) OpenAI chat ~1 MB in 1-4 KB chunks', chunks: splitIntoChunks(chat.text, 1024, 4096, 7) },
    { name: '(b) one token per event, one event per chunk', chunks: oneTokenPerEventChunks(20000) },
  ];
  for (const workload of workloads) {
    const whole = workload.chunks.join('');
    const expected = naiveParse(whole);
    const contenders = [
      { name: 'naive split (whole body)', run: () => naiveParse(whole) },
      { name: 'k6-llm createSSEParser', run: () => feedAll(sse.createSSEParser, workload.chunks) },
    ];
    if (esp) contenders.push({ name: 'eventsource-parser', run: () => feedAll(esp.createParser, workload.chunks) });
    for (const contender of contenders) {
      const got = contender.run();
      if (got.events !== expected.events || got.dataChars !== expected.dataChars) {
        throw new Error(`${contender.name} disagrees with the naive parser on ${workload.name}`);
      }
    }
    const ms = timeAll(contenders);
    for (let i = 0; i < contenders.length; i++) {
      report(workload.name, whole.length, expected.events, contenders[i].name, ms[i], ms[0], esp ? ms[2] : 0);
    }
  }
}
