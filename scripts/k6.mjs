#!/usr/bin/env node
// `npm run k6 -- <k6 args>`: runs k6-llm's pinned k6 (built on first use).
import { spawn } from 'node:child_process';
import { ensureK6 } from './k6-binary.mjs';

let bin;
try {
  bin = ensureK6();
} catch (err) {
  process.stderr.write(`${err.message}\n`);
  process.exit(127);
}
const child = spawn(bin, process.argv.slice(2), { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
