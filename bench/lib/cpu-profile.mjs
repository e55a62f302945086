// Where a Node process spends its CPU, from a V8 `.cpuprofile` (`node --cpu-prof`): self time per function,
// idle time left out, so a bench that misses a goal can say what the time went to.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** The newest `.cpuprofile` in `dir`, parsed. */
export function readNewestProfile(dir) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort();
  if (files.length === 0) throw new Error(`no .cpuprofile written in ${dir}`);
  return JSON.parse(readFileSync(join(dir, files[files.length - 1]), 'utf8'));
}

/**
 * Self time per function (name and file, line), largest first, as shares of the busy (non-idle) samples.
 * Returns `{ busyMs, rows: [{ name, share, ms }] }` with at most `top` rows.
 */
export function selfTimes(profile, { top = 10 } = {}) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const hits = new Map();
  const deltas = profile.timeDeltas ?? [];
  // Each sample's time is the delta to the next sample; the last gets the mean.
  const mean = deltas.length ? deltas.reduce((a, b) => a + b, 0) / deltas.length : 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const us = i + 1 < deltas.length ? deltas[i + 1] : mean;
    hits.set(profile.samples[i], (hits.get(profile.samples[i]) ?? 0) + us);
  }
  const byName = new Map();
  let busy = 0;
  for (const [id, us] of hits) {
    const frame = byId.get(id)?.callFrame ?? {};
    if (frame.functionName === '(idle)') continue;
    busy += us;
    const where = frame.url ? ` (${basename(frame.url)}:${frame.lineNumber + 1})` : '';
    const name = `${frame.functionName || '(anonymous)'}${where}`;
    byName.set(name, (byName.get(name) ?? 0) + us);
  }
  const rows = [...byName.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({ name, share: busy ? us / busy : 0, ms: us / 1000 }));
  return { busyMs: busy / 1000, rows };
}

/**
 * Busy main-thread time in kinds of work, each sample counted once, in the first kind (in `kinds` order) any frame
 * of its stack names: `kinds` is `[[label, [function names]]]`. Returns `[{ label, share }]` of the busy time, with
 * `other` for the rest. The profile samples wall time, so a write's kernel time shows under the native call.
 */
export function timeByKind(profile, kinds) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const deltas = profile.timeDeltas ?? [];
  const totals = new Map(kinds.map(([label]) => [label, 0]));
  totals.set('other', 0);
  let busy = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const leaf = profile.samples[i];
    if (byId.get(leaf)?.callFrame.functionName === '(idle)') continue;
    const us = deltas[i + 1] ?? 0;
    busy += us;
    const names = new Set();
    for (let id = leaf; id !== undefined; id = parent.get(id)) names.add(byId.get(id)?.callFrame.functionName);
    const kind = kinds.find(([, fns]) => fns.some((f) => names.has(f)))?.[0] ?? 'other';
    totals.set(kind, totals.get(kind) + us);
  }
  return [...totals.entries()].map(([label, us]) => ({ label, share: busy ? us / busy : 0 })).sort((a, b) => b.share - a.share);
}
