// Cost of validating a ~2 KB JSON answer against a 20-property schema in k6's runtime (Sobek):
// isJSON + jsonSchema + requiredFields per call, plus each part alone and JSON.parse as a floor.
// k6 has no clock finer than Date.now() (1 ms), so each sample times CALLS calls and divides.
// Bundle and run:
//   npx esbuild bench/validate/k6-validate.js --bundle --format=esm --target=es2017 --platform=neutral \
//     --main-fields=module,main --external:k6 --external:'k6/*' --outfile=bench/output/k6-validate.js
//   k6 run --quiet bench/output/k6-validate.js            (CALLS=500 and ITERATIONS=20 by default, -e to change)
import { Trend } from 'k6/metrics';
import { isJSON, jsonSchema, requiredFields, runValidators } from '../../lib/validate/index.ts';
import { answer20, REQUIRED_20, SCHEMA_20 } from './schema-20.ts';

const CALLS = Number(__ENV.CALLS || 500);

export const options = {
  vus: 1,
  iterations: Number(__ENV.ITERATIONS || 20),
  summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'max'],
};

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

const isJson = isJSON();
const schema = jsonSchema(SCHEMA_20);
const required = requiredFields(REQUIRED_20);
const trio = [isJson, schema, required];

const trends = {
  parse: new Trend('bench_json_parse_us'),
  isJSON: new Trend('bench_is_json_us'),
  jsonSchema: new Trend('bench_json_schema_us'),
  requiredFields: new Trend('bench_required_fields_us'),
  trio: new Trend('bench_validate_us'),
  trioInvalid: new Trend('bench_validate_invalid_us'),
};

// Results feed a sum so no call's work is unused (Sobek does not drop dead code today; this keeps it honest if it ever does).
let sink = 0;

function time(trend, texts, fn) {
  const started = Date.now();
  for (let i = 0; i < CALLS; i++) fn({ text: texts[i % texts.length] });
  trend.add(((Date.now() - started) * 1000) / CALLS);
}

export default function () {
  time(trends.parse, TEXTS, (c) => { sink += JSON.parse(c.text) ? 1 : 0; });
  time(trends.isJSON, TEXTS, (c) => { sink += isJson.validate(c).valid ? 1 : 0; });
  time(trends.jsonSchema, TEXTS, (c) => { sink += schema.validate(c).valid ? 1 : 0; });
  time(trends.requiredFields, TEXTS, (c) => { sink += required.validate(c).valid ? 1 : 0; });
  time(trends.trio, TEXTS, (c) => { sink += runValidators(trio, c).valid ? 1 : 0; });
  time(trends.trioInvalid, INVALID, (c) => { sink += runValidators(trio, c).issues.length; });
  if (sink < 0) console.log(sink);
}
