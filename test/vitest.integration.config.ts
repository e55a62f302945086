import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Integration tests spawn the real mock server and real `k6 run` processes.
// They run one file at a time: each k6 run wants both cores to itself.
export default defineConfig({
  test: {
    include: ['test/integration/**/*.test.ts'],
    root: fileURLToPath(new URL('..', import.meta.url)),
    testTimeout: 240_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
