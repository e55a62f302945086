// Cost of validating a ~2 KB JSON answer against a 20-property schema in k6's runtime (Sobek):
// isJSON + jsonSchema + requiredFields per call, plus each part alone and JSON.parse as a floor.
//
// Two modes:
// - Trend mode (default): 20 iterations of 500 calls of each part in one VU. k6 has no clock finer than Date.now()
//   (1 ms), so each sample times CALLS calls and divides: wall time, so a busy machine inflates it.
// - CPU mode (-e PART=<name>): one iteration that runs only PART, CALLS times. k6's CPU seconds (GNU time) minus
//   those of a PART=none run (same init: the validators are built, nothing is validated), divided by CALLS, is the
//   part's CPU per call, which other processes on the machine barely move. `node bench/run.mjs validate`
//   (bench/validate/run.mjs) runs every part that way, in interleaved rounds.
//
// Bundle and run:
//   npx esbuild bench/validate/k6-validate.js --bundle --format=esm --target=es2017 --supported:object-rest-spread=true --supported:class-field=true --platform=neutral \
//     --main-fields=module,main --external:k6 --external:'k6/*' --outfile=bench/output/k6-validate.js
//   npx k6-llm k6 run --quiet bench/output/k6-validate.js                  (Trend mode; -e CALLS, -e ITERATIONS)
import { Trend } from 'k6/metrics';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { isJSON, jsonSchema, requiredFields, runValidators } from '../../lib/validate/index.ts';
import { compileSchema } from '../../lib/validate/ajv-compile.ts';
import { answer20, REQUIRED_20, SCHEMA_20 } from './schema-20.ts';

const PART = __ENV.PART;
const CALLS = Number(__ENV.CALLS || (PART ? 4000 : 500));

export const options = PART
  ? { vus: 1, iterations: 1, summaryTrendStats: ['avg'] }
  : { vus: 1, iterations: Number(__ENV.ITERATIONS || 20), summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'max'] };

// Distinct texts, as a load test sees: the parse memo shared by the three validators only helps
// within one response, never across responses.
const TEXTS = [];
for (let i = 0; i < 64; i++) {
  const value = answer20();
  value.name = `Customer ${i}`;
  value.total = 100 + i;
  TEXTS.push(JSON.stringify(value, null, 2));
}
const INVALID = TEXTS.map((t) => t.replace('"ada.lovelace@example.com"', '"not-an-email"').replace('"GB"', '"GBR"'));

// bench/validate/run.mjs bundles this script a second time behind a module that leaves SCHEMA_20 compiled at
// build time (compileSchemaModule) here, to time the precompiled path with everything else the same.
// In CPU mode k6's first init pass (__VU 0, which only reads options) builds nothing: compiling SCHEMA_20 there
// (with the meta-schema check) would add ~0.8 s of CPU, and its noise, to every run.
const precompiled = globalThis.K6LLM_BENCH_PRECOMPILED_SCHEMA_20;
const build = !PART || __VU !== 0;
const isJson = isJSON();
const schema = build ? jsonSchema(precompiled ?? SCHEMA_20) : undefined;
const required = requiredFields(REQUIRED_20);
const trio = [isJson, schema, required];

// References with no validator around the check: JSON.parse (or the extension's parser) and a compiled schema
// check, called directly. `plainCheck` is what a script without k6-llm would compile (ajv + ajv-formats, all errors);
// `libCheck` is the function k6-llm's jsonSchema() calls, with its cheaper length and format checks.
const plainCheck = build && !precompiled ? (() => {
  // validateSchema off only spares each run the meta-schema check at init; the compiled code is the same.
  const ajv = new Ajv({ allErrors: true, validateSchema: false });
  addFormats(ajv);
  return ajv.compile(SCHEMA_20);
})() : undefined;
const libCheck = build ? compileSchema(precompiled ?? SCHEMA_20) : undefined;

// Results feed a sum so no call's work is unused (Sobek does not drop dead code today; this keeps it honest if it ever does).
let sink = 0;

/** Each part: what one call does, and the texts it rotates through. */
const PARTS = {
  none: { texts: TEXTS, fn: () => 0 },
  parse: { texts: TEXTS, fn: (c) => (JSON.parse(c.text) ? 1 : 0) },
  isJSON: { texts: TEXTS, fn: (c) => (isJson.validate(c).valid ? 1 : 0) },
  jsonSchema: { texts: TEXTS, fn: (c) => (schema.validate(c).valid ? 1 : 0) },
  requiredFields: { texts: TEXTS, fn: (c) => (required.validate(c).valid ? 1 : 0) },
  trio: { texts: TEXTS, fn: (c) => (runValidators(trio, c).valid ? 1 : 0) },
  trioInvalid: { texts: INVALID, fn: (c) => runValidators(trio, c).issues.length },
  refPlainAjv: { texts: TEXTS, fn: (c) => (plainCheck(JSON.parse(c.text)) ? 1 : 0) },
  refCheck: { texts: TEXTS, fn: (c) => (libCheck(JSON.parse(c.text)) ? 1 : 0) },
};
if (PART !== undefined && !(PART in PARTS)) throw new Error(`invalid PART: expected one of ${Object.keys(PARTS).join(', ')}, got ${JSON.stringify(PART)}`);

const trends = PART
  ? {}
  : {
      parse: new Trend('bench_json_parse_us'),
      isJSON: new Trend('bench_is_json_us'),
      jsonSchema: new Trend('bench_json_schema_us'),
      requiredFields: new Trend('bench_required_fields_us'),
      trio: new Trend('bench_validate_us'),
      trioInvalid: new Trend('bench_validate_invalid_us'),
    };

function runPart(name) {
  const { texts, fn } = PARTS[name];
  for (let i = 0; i < CALLS; i++) sink += fn({ text: texts[i % texts.length] });
}

export default function () {
  if (PART) {
    runPart(PART);
  } else {
    for (const name of Object.keys(trends)) {
      const started = Date.now();
      runPart(name);
      trends[name].add(((Date.now() - started) * 1000) / CALLS);
    }
  }
  if (sink < 0) console.log(sink);
}
