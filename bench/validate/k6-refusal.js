// CPU per call in k6's runtime (Sobek) of refusal detection on one response, behind the choice that the client reads
// provider signals on every response but runs the text heuristic only where a notRefused() validator asks for it
// (docs/validation.md, "Refusals").
//
// CPU mode, as bench/validate/k6-validate.js: one iteration that runs only PART, CALLS times; k6's CPU seconds (GNU
// time) minus those of a PART=none run, divided by CALLS. Stock k6 is enough. Bundle and run:
//   npx esbuild bench/validate/k6-refusal.js --bundle --format=esm --target=es2017 --platform=neutral \
//     --main-fields=module,main --external:k6 --external:'k6/*' --outfile=bench/output/k6-refusal.js
//   /usr/bin/time -f '%U %S' k6 run --quiet -e PART=heuristic2k -e CALLS=20000 bench/output/k6-refusal.js
// Parts: none, provider (notRefused({ heuristic: false }) on a 2 KB answer), heuristic2k (notRefused() on a 2 KB
// answer that is no refusal: the common case), heuristicQuoted (notRefused() on 2 KB answers that open with a quoted,
// idiomatic or hedged decline phrase: the worst case), heuristicShort (notRefused() on the labelled answers, half of
// them refusals), pattern2k (REFUSAL_PATTERN.test on the 2 KB answer, for comparison).
import { LABELLED_ANSWERS } from '../../test/fixtures/refusals/labelled-answers.ts';
import { notRefused, REFUSAL_PATTERN } from '../../lib/validate/index.ts';

const PART = __ENV.PART || 'none';
const CALLS = Number(__ENV.CALLS || 20000);

export const options = { vus: 1, iterations: 1, summaryTrendStats: ['avg'] };

// Plain answers and apologies: what most responses look like. The hard ones open with a decline phrase that is quoted,
// an idiom or a hedge, which the heuristic must look at and set aside: its worst case.
const answers = LABELLED_ANSWERS.filter((a) => !a.refusal && (a.kind === 'plain' || a.kind === 'apology')).map((a) => a.text);
const tricky = LABELLED_ANSWERS.filter((a) => !a.refusal && (a.kind === 'quote' || a.kind === 'idiom' || a.kind === 'caveat')).map((a) => a.text);

/** ~2 KB of answer prose starting at answer `start`: distinct texts, as a load test sees. */
function twoKb(pool, start) {
  const parts = [];
  let length = 0;
  for (let i = start; length < 2048; i++) {
    const text = pool[i % pool.length];
    parts.push(text);
    length += text.length + 2;
  }
  return parts.join('\n\n');
}
const PLAIN = [];
const TRICKY = [];
for (let i = 0; i < 64; i++) {
  PLAIN.push({ text: twoKb(answers, i) });
  TRICKY.push({ text: twoKb(tricky, i) });
}
const SHORT = LABELLED_ANSWERS.map((a) => ({ text: a.text }));

const withHeuristic = notRefused();
const providerOnly = notRefused({ heuristic: false });

const PARTS = {
  none: { items: PLAIN, fn: () => 0 },
  provider: { items: PLAIN, fn: (c) => (providerOnly.validate(c).valid ? 1 : 0) },
  heuristic2k: { items: PLAIN, fn: (c) => (withHeuristic.validate(c).valid ? 1 : 0) },
  heuristicQuoted: { items: TRICKY, fn: (c) => (withHeuristic.validate(c).valid ? 1 : 0) },
  heuristicShort: { items: SHORT, fn: (c) => (withHeuristic.validate(c).valid ? 1 : 0) },
  pattern2k: { items: PLAIN, fn: (c) => (REFUSAL_PATTERN.test(c.text) ? 1 : 0) },
};
if (!(PART in PARTS)) throw new Error(`invalid PART: expected one of ${Object.keys(PARTS).join(', ')}, got ${JSON.stringify(PART)}`);

let sink = 0;

export default function () {
  const { items, fn } = PARTS[PART];
  for (let i = 0; i < CALLS; i++) sink += fn(items[i % items.length]);
  if (sink < 0) console.log(sink);
}
