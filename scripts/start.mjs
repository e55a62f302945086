#!/usr/bin/env node
// `npm start [-- script.js] [k6 args]`: the flagship (or the given script) through `k6-llm run --mock`: the relay and
// the mock on loopback, then k6. Run after the build (`npm start` builds first).
import { fileURLToPath } from 'node:url';

const { main } = await import(fileURLToPath(new URL('../dist/node/cli.js', import.meta.url)));
const args = process.argv.slice(2);
const hasScript = args.some((arg) => !arg.startsWith('-') && /\.(m|c)?(js|ts)$/.test(arg));
process.exit(await main(['run', '--mock', ...args, ...(hasScript ? [] : ['dist/examples/quickstart.js'])]));
