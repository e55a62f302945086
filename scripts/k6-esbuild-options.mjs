// How k6-llm bundles a script for k6, in one place: the build (build.mjs), the tests and benches, and `k6-llm run`
// (which bundles a TypeScript script before handing it to k6).
//
// Sobek (k6's JavaScript runtime) lacks async iteration (for-await, async generators), so the output targets ES2017,
// which lowers it. The later syntax Sobek does run is kept as written: lowered, an object spread becomes esbuild's
// helper calls, ~8x slower in Sobek (a five-key spread: 42 vs 5 us) and the client spreads several objects per
// request; a class field becomes a defineProperty call per field per instance. K6_SUPPORTED is that list.
export const K6_TARGET = 'es2017';
export const K6_SUPPORTED = {
  // k6 runs top-level await in ES modules (needed for `await secrets.get(...)` in the init context).
  'top-level-await': true,
  'object-rest-spread': true,
  'optional-chain': true,
  'nullish-coalescing': true,
  'logical-assignment': true,
  'class-field': true,
  'class-static-field': true,
};

/** esbuild options for a k6 bundle: one ES module, k6 and k6/* left to k6. */
export const K6_BUNDLE_OPTIONS = {
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: K6_TARGET,
  supported: K6_SUPPORTED,
  external: ['k6', 'k6/*'],
  mainFields: ['module', 'main'],
  conditions: ['import', 'default'],
  legalComments: 'none',
  logLevel: 'warning',
  sourcemap: false,
};
