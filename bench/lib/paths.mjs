// Where the benchmarks read and write. bench/output/ is git-ignored scratch; docs/benchmarks.md is the result.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const outputDir = join(root, 'bench', 'output');
export const docFile = join(root, 'docs', 'benchmarks.md');
