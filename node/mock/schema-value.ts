import { isRecord } from './prompt';
import { pseudoWords, type Random } from './random';

type Schema = Record<string, unknown>;

const MAX_DEPTH = 8;

/**
 * A value valid against a JSON Schema, made from the seeded source, so the mock's tool calls carry arguments a
 * client can validate. Covers what tool schemas use: objects with required and optional properties, strings (length,
 * enum, common formats), numbers and integers (bounds, exclusive bounds, multipleOf), booleans, null, arrays
 * (item count, unique items), `const`, `enum`, `$ref` to local definitions, `allOf`, `anyOf`, `oneOf` (the first
 * branch) and type lists. `pattern` is not honoured. Gemini's upper-case types (`OBJECT`, `STRING`) are accepted.
 */
export function valueForSchema(schema: unknown, random: Random): unknown {
  return generate(schema, random, isRecord(schema) ? schema : {}, 0);
}

function resolveRef(ref: string, root: Schema): unknown {
  if (!ref.startsWith('#')) return {};
  const path = ref.slice(1).split('/').filter(Boolean).map((p) => decodeURIComponent(p.replace(/~1/g, '/').replace(/~0/g, '~')));
  let node: unknown = root;
  for (const key of path) {
    if (!isRecord(node)) return {};
    node = node[key];
  }
  return node ?? {};
}

function mergeAllOf(schema: Schema, root: Schema): Schema {
  const parts = Array.isArray(schema.allOf) ? schema.allOf : [];
  const merged: Schema = { ...schema };
  delete merged.allOf;
  const properties: Schema = isRecord(schema.properties) ? { ...schema.properties } : {};
  const required = new Set<string>(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []);
  for (const raw of parts) {
    const part = isRecord(raw) && typeof raw.$ref === 'string' ? resolveRef(raw.$ref, root) : raw;
    if (!isRecord(part)) continue;
    for (const [key, value] of Object.entries(part)) {
      if (key === 'properties' && isRecord(value)) Object.assign(properties, value);
      else if (key === 'required' && Array.isArray(value)) value.forEach((r) => typeof r === 'string' && required.add(r));
      else if (!(key in merged)) merged[key] = value;
    }
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.size > 0) merged.required = [...required];
  return merged;
}

function typeOf(schema: Schema): string {
  const raw = schema.type;
  const types = (Array.isArray(raw) ? raw : [raw]).filter((t): t is string => typeof t === 'string').map((t) => t.toLowerCase());
  const concrete = types.find((t) => t !== 'null');
  if (concrete) return concrete;
  if (types.includes('null')) return 'null';
  if (isRecord(schema.properties) || Array.isArray(schema.required)) return 'object';
  if (schema.items !== undefined || Array.isArray(schema.prefixItems)) return 'array';
  if (typeof schema.minimum === 'number' || typeof schema.maximum === 'number') return 'number';
  return 'string';
}

function generate(raw: unknown, random: Random, root: Schema, depth: number): unknown {
  if (!isRecord(raw)) return raw === false ? null : 'value';
  let schema: Schema = raw;
  if (typeof schema.$ref === 'string') {
    if (depth > MAX_DEPTH) return null;
    return generate(resolveRef(schema.$ref, root), random, root, depth + 1);
  }
  if (Array.isArray(schema.allOf)) schema = mergeAllOf(schema, root);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return random.pick(schema.enum);
  const branches = Array.isArray(schema.oneOf) ? schema.oneOf.slice(0, 1) : Array.isArray(schema.anyOf) ? schema.anyOf : undefined;
  if (branches && branches.length > 0) {
    const { oneOf: _o, anyOf: _a, ...rest } = schema;
    const branch = random.pick(branches);
    return generate(isRecord(branch) ? { ...rest, ...branch } : branch, random, root, depth + 1);
  }
  switch (typeOf(schema)) {
    case 'object':
      return objectFor(schema, random, root, depth);
    case 'array':
      return arrayFor(schema, random, root, depth);
    case 'integer':
      return numberFor(schema, random, true);
    case 'number':
      return numberFor(schema, random, false);
    case 'boolean':
      return random.next() < 0.5;
    case 'null':
      return null;
    default:
      return stringFor(schema, random);
  }
}

function objectFor(schema: Schema, random: Random, root: Schema, depth: number): Record<string, unknown> {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []);
  const result: Record<string, unknown> = {};
  const maxProperties = typeof schema.maxProperties === 'number' ? schema.maxProperties : Infinity;
  for (const [name, propSchema] of Object.entries(properties)) {
    const include = required.has(name) || (depth < MAX_DEPTH && random.next() < 0.5 && Object.keys(result).length + required.size < maxProperties);
    if (include) result[name] = generate(propSchema, random, root, depth + 1);
  }
  // A required name with no property schema: anything is valid unless additionalProperties says otherwise.
  for (const name of required) {
    if (!(name in result)) {
      const extra = schema.additionalProperties;
      result[name] = isRecord(extra) ? generate(extra, random, root, depth + 1) : 'value';
    }
  }
  return result;
}

function arrayFor(schema: Schema, random: Random, root: Schema, depth: number): unknown[] {
  const min = typeof schema.minItems === 'number' ? Math.ceil(schema.minItems) : 0;
  const max = typeof schema.maxItems === 'number' ? Math.floor(schema.maxItems) : Math.max(min, 3);
  const count = depth >= MAX_DEPTH ? min : random.int(Math.max(min, Math.min(1, max)), Math.max(min, Math.min(max, min + 3)));
  const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
  const items: unknown[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    const itemSchema = prefix[i] ?? schema.items ?? {};
    let value = generate(itemSchema, random, root, depth + 1);
    if (schema.uniqueItems === true) {
      for (let tries = 0; seen.has(JSON.stringify(value)) && tries < 20; tries++) {
        value = generate(itemSchema, random, root, depth + 1);
      }
      if (seen.has(JSON.stringify(value))) {
        if (items.length >= min) break;
        continue;
      }
      seen.add(JSON.stringify(value));
    }
    items.push(value);
  }
  return items;
}

function numberFor(schema: Schema, random: Random, integer: boolean): number {
  // Draft 4 writes exclusive bounds as booleans beside minimum/maximum; later drafts as numbers.
  let low = -Infinity;
  let high = Infinity;
  let lowOpen = false;
  let highOpen = false;
  if (typeof schema.minimum === 'number') {
    low = schema.minimum;
    lowOpen = schema.exclusiveMinimum === true;
  }
  if (typeof schema.exclusiveMinimum === 'number' && schema.exclusiveMinimum >= low) {
    low = schema.exclusiveMinimum;
    lowOpen = true;
  }
  if (typeof schema.maximum === 'number') {
    high = schema.maximum;
    highOpen = schema.exclusiveMaximum === true;
  }
  if (typeof schema.exclusiveMaximum === 'number' && schema.exclusiveMaximum <= high) {
    high = schema.exclusiveMaximum;
    highOpen = true;
  }
  if (low === -Infinity && high === Infinity) {
    low = 0;
    high = 100;
  } else if (low === -Infinity) {
    low = high - 100;
  } else if (high === Infinity) {
    high = low + 100;
  }
  const inRange = (v: number): boolean => (lowOpen ? v > low : v >= low) && (highOpen ? v < high : v <= high);
  const step = typeof schema.multipleOf === 'number' && schema.multipleOf > 0 ? schema.multipleOf : integer ? 1 : undefined;
  if (step !== undefined) {
    const candidates: number[] = [];
    const first = Math.ceil(low / step);
    const last = Math.floor(high / step);
    for (let k = first; k <= last && candidates.length < 1000; k++) {
      const value = Number.isInteger(step) ? k * step : Number((k * step).toPrecision(12));
      if (inRange(value) && (!integer || Number.isInteger(value))) candidates.push(value);
    }
    if (candidates.length > 0) return random.pick(candidates);
    return integer ? Math.ceil(low) : low;
  }
  const value = Math.round((low + (high - low) * random.next()) * 100) / 100;
  return inRange(value) ? value : (low + high) / 2;
}

function stringFor(schema: Schema, random: Random): string {
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  let text: string;
  const n = random.int(0, 9999);
  switch (typeof schema.format === 'string' ? schema.format : '') {
    case 'date-time':
      text = new Date(Date.UTC(2026, 0, 1) + n * 3_600_000).toISOString().replace('.000Z', 'Z');
      break;
    case 'date':
      text = new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
      break;
    case 'time':
      text = `${String(n % 24).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}:00Z`;
      break;
    case 'email':
      text = `user${n}@example.com`;
      break;
    case 'uri':
    case 'url':
      text = `https://example.com/item/${n}`;
      break;
    case 'hostname':
      text = `host${n}.example.com`;
      break;
    case 'ipv4':
      text = `10.0.${n % 256}.${(n >> 8) % 256}`;
      break;
    case 'uuid': {
      let hex = '';
      for (let i = 0; i < 32; i++) hex += Math.floor(random.next() * 16).toString(16);
      text = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
      break;
    }
    default:
      text = pseudoWords(random, random.int(1, 3)).join('').replace(/[.,]/g, '').trim() || 'value';
  }
  // Length bounds count code points, as JSON Schema does; the generated text is ASCII, so length works.
  if (text.length < min) text = text.padEnd(min, 'x');
  if (text.length > max) text = text.slice(0, max);
  return text;
}
