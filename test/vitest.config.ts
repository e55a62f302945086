import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const fake = (name: string) => fileURLToPath(new URL(`./fakes/${name}.ts`, import.meta.url));

// k6 modules do not exist in Node: unit tests alias them to small recording fakes.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^k6\/metrics$/, replacement: fake('k6-metrics') },
      { find: /^k6\/http$/, replacement: fake('k6-http') },
      { find: /^k6\/data$/, replacement: fake('k6-data') },
      { find: /^k6\/execution$/, replacement: fake('k6-execution') },
      { find: /^k6$/, replacement: fake('k6') },
    ],
  },
  test: {
    include: ['test/unit/**/*.test.ts'],
    root: fileURLToPath(new URL('..', import.meta.url)),
    testTimeout: 30_000,
  },
});
