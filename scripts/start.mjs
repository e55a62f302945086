#!/usr/bin/env node
// `npm start`: provisions k6, starts the mock on a free loopback port, runs the flagship
// example against it (which prints k6-llm's LLM summary), stops the mock and exits with k6's exit code.
import { spawn } from 'node:child_process';
import { ensureK6 } from './k6-binary.mjs';
import { startMockProcess } from './mock-process.mjs';

let k6;
try {
  k6 = ensureK6();
} catch (err) {
  process.stderr.write(`${err.message}\n`);
  process.exit(127);
}
const mock = await startMockProcess();
process.stderr.write(`k6-llm: mock LLM server at ${mock.url}\n`);
const script = process.argv[2] ?? 'dist/examples/quickstart.js';
const child = spawn(k6, ['run', script], { stdio: 'inherit', env: { ...process.env, MOCK_URL: mock.url } });
const forward = (sig) => child.kill(sig);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
const code = await new Promise((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 130 : 1))));
await mock.stop();
process.exit(code);
