// Checks in k6's own JavaScript runtime (Sobek) that ajv compiles a schema at run time (its generated
// code goes through `new Function`), that ajv-formats' `email` / `date-time` checks work there, and
// that the other validators (regexes with a typographic apostrophe, surrogate pairs) agree with Node, and that the
// cheaper checks of lib/validate/ajv-fast-paths.ts (format fast paths, code point counts) give ajv's answers in Sobek.
// Bundle and run:
//   npx esbuild bench/validate/k6-runtime-check.js --bundle --format=esm --target=es2017 --supported:object-rest-spread=true --supported:class-field=true --platform=neutral \
//     --external:k6 --external:'k6/*' --outfile=bench/output/k6-runtime-check.js
//   k6 run --quiet bench/output/k6-runtime-check.js
import { check } from 'k6';
import {
  finish,
  formatIssues,
  isJSON,
  jsonSchema,
  lengthBetween,
  notMatches,
  REFUSAL_PATTERN,
  requiredFields,
  runValidators,
  streamIntegrity,
  toolCall,
} from '../../lib/validate/index.ts';
import ucs2lengthModule from 'ajv/dist/runtime/ucs2length.js';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { FORMAT_FAST_PATHS, withFastPath } from '../../lib/validate/ajv-fast-paths.ts';
import { countCodePoints } from '../../lib/validate/code-points.ts';
import { FORMAT_CASES } from './format-cases.ts';
import { answer20, REQUIRED_20, SCHEMA_20 } from './schema-20.ts';

// A CommonJS module imported from an ES module: esbuild hands `module.exports` as the default.
const ucs2length = ucs2lengthModule.default ?? ucs2lengthModule;

export const options = {
  iterations: 1,
  vus: 1,
  thresholds: { checks: ['rate==1'] },
};

// Init context: compiled once per VU. The first compile also builds ajv's meta-schema validator.
const started = Date.now();
const validators = [isJSON(), jsonSchema(SCHEMA_20), requiredFields(REQUIRED_20)];
const compileMs = Date.now() - started;
const others = {
  refusal: notMatches(REFUSAL_PATTERN),
  length: lengthBetween({ maxChars: 3, maxTokens: 10 }),
  finish: finish(),
  integrity: streamIntegrity(),
  lengths: jsonSchema({ type: 'string', minLength: 2, maxLength: 3 }),
  tool: toolCall({ name: 'get_weather', argsSchema: { type: 'object', required: ['city'], properties: { city: { type: 'string' } } } }),
};

function withText(value) {
  return { text: typeof value === 'string' ? value : JSON.stringify(value, null, 2) };
}

export default function () {
  console.log(`init: jsonSchema(SCHEMA_20) compiled in ${compileMs} ms`);
  const good = answer20();
  const cases = [
    { name: 'valid answer', completion: withText(good), valid: true, keywords: [] },
    { name: 'fenced valid answer', completion: withText('```json\n' + JSON.stringify(good) + '\n```'), valid: true, keywords: [] },
    { name: 'bad email', completion: withText({ ...good, email: 'not-an-email' }), valid: false, keywords: ['format'] },
    { name: 'bad date-time', completion: withText({ ...good, createdAt: '2025-13-45 25:61' }), valid: false, keywords: ['format'] },
    { name: 'bad uuid and uri', completion: withText({ ...good, id: 'nope', website: 'not a uri' }), valid: false, keywords: ['format', 'format'] },
    { name: 'wrong type and enum', completion: withText({ ...good, age: 'old', status: 'gone' }), valid: false, keywords: ['enum', 'type'] },
    { name: 'missing nested field', completion: withText({ ...good, address: { street: 'x', postcode: 'y' } }), valid: false, keywords: ['required', 'required'] },
    { name: 'trailing text', completion: withText(JSON.stringify(good) + '\nHope this helps!'), valid: false, keywords: ['json', 'json', 'json'] },
  ];
  for (const c of cases) {
    const report = runValidators(validators, c.completion);
    const keywords = report.issues.map((i) => i.keyword);
    console.log(`${c.name}: valid=${report.valid} failed=${JSON.stringify(report.failed)} keywords=${JSON.stringify(keywords)}`);
    if (!report.valid) console.log(formatIssues(report));
    check(report, {
      [`${c.name}: valid is ${c.valid}`]: (r) => r.valid === c.valid,
      [`${c.name}: keywords ${c.keywords.join(',') || 'none'}`]: () => JSON.stringify(keywords) === JSON.stringify(c.keywords),
    });
  }
  const kw = (validator, completion) => validator.validate(completion).issues.map((i) => i.keyword).join(',');
  const results = {
    'refusal with typographic apostrophe': kw(others.refusal, { text: 'I\u2019m sorry, but I can\u2019t help with that.' }) === 'notPattern',
    'no refusal in a plain answer': kw(others.refusal, { text: 'The capital of France is Paris.' }) === '',
    'three emoji are three characters': kw(others.length, { text: '\ud83d\ude00\ud83d\ude00\ud83d\ude00', usage: { outputTokens: 3 } }) === '',
    'unknown output tokens reported': kw(others.length, { text: 'ab', usage: {} }) === 'unknown',
    'MAX_TOKENS is truncation': kw(others.finish, { finishReason: 'MAX_TOKENS' }) === 'truncated',
    'in-stream error reported': kw(others.integrity, { complete: false, error: { type: 'overloaded_error', message: 'Overloaded' } }) === 'incomplete,error',
    'maxLength and minLength count a surrogate pair once': ['"😀😀😀"', '"😀😀😀😀"', '"😀"'].map((t) => kw(others.lengths, { text: t })).join('|') === '|maxLength|minLength',
    'code points counted as ajv counts them, lone surrogates included': surrogateMixes().every((s) => countCodePoints(s) === ucs2length(s)),
    'format fast paths give ajv-formats\' answers': formatDisagreements().length === 0,
    'tool arguments checked': kw(others.tool, { toolCalls: [{ id: '1', name: 'get_weather', arguments: '{"city":1}' }] }) === 'type',
  };
  const disagreements = formatDisagreements();
  if (disagreements.length > 0) console.log(`format fast paths disagree with ajv-formats on: ${JSON.stringify(disagreements)}`);
  for (const [name, ok] of Object.entries(results)) {
    console.log(`${name}: ${ok}`);
    check(ok, { [name]: (v) => v === true });
  }
}

/** Strings of lone and paired surrogates, astral and BMP characters, built from char codes (Sobek's parser rejects some such literals). */
function surrogateMixes() {
  const units = [[0x61], [0xe9], [0xd83d, 0xde00], [0xd800], [0xdbff], [0xdc00], [0xdfff]];
  const out = [];
  for (const a of units) for (const b of units) for (const c of units) out.push(String.fromCharCode(...a, ...b, ...c));
  return out;
}

/** `format value` for every case where the fast path and ajv-formats' full check answer differently. */
function formatDisagreements() {
  const out = [];
  for (const [name, values] of Object.entries(FORMAT_CASES)) {
    const full = fullFormats[name];
    const fullCheck = typeof full === 'function' ? full : full.validate;
    const fast = withFastPath(FORMAT_FAST_PATHS[name], full).validate;
    for (const value of values) if (fast(value) !== fullCheck(value)) out.push(`${name} ${value}`);
  }
  return out;
}
