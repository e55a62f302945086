import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain .mjs build script without types
import { ENTRIES, NODE_ENTRIES, outFile } from '../../build.mjs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

describe('package.json', () => {
  it('exports exactly the entries build.mjs builds, each pointing at its dist file and types', () => {
    const exported = Object.keys(pkg.exports).filter((k) => k !== './package.json');
    const entries = { ...ENTRIES, ...NODE_ENTRIES } as Record<string, string>;
    expect(exported.sort()).toEqual(Object.keys(entries).sort());
    for (const [subpath, src] of Object.entries(entries)) {
      expect(pkg.exports[subpath].default).toBe(`./dist/${outFile(subpath)}`);
      const types = `./dist/types/${(src as string).slice('lib/'.length).replace(/\.ts$/, '.d.ts')}`;
      expect(pkg.exports[subpath].types).toBe(types);
    }
  });

  it('is an ES module package without side effects and with the k6-llm bin', () => {
    expect(pkg.name).toBe('k6-llm');
    expect(pkg.type).toBe('module');
    expect(pkg.sideEffects).toBe(false);
    expect(pkg.bin['k6-llm']).toBe('./bin/k6-llm.mjs');
  });
});
