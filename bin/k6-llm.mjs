#!/usr/bin/env node
// The `k6-llm` command: run, relay, mock, report, k6 (see `k6-llm --help`). The programs are built into dist/node/cli.js.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/node/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write(`k6-llm: ${cli} is missing; run \`npm run build\` first\n`);
  process.exit(2);
}
const { main } = await import(cli);
process.exit(await main(process.argv.slice(2)));
