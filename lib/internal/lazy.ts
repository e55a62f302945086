// Code a VU may never run is built on its first use.
//
// k6 gives every VU its own JavaScript runtime (Sobek), and evaluates every module of the bundle in each. Each function
// object a module creates when it is evaluated costs a VU about 0.8 KiB, whatever its syntax (1,000 VUs: 0.8 MB per
// function), while a function defined inside a function that is never called costs nothing. So a part that many VUs
// never run (decoding responses, which the relay does in relay mode) keeps its functions inside a factory, wrapped in
// `lazy`, and its callers ask for them on first use.

/** `build` runs on the first call only; every call returns what it built. */
export function lazy<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}
