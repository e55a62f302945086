#!/usr/bin/env node
// k6-llm command line: `k6-llm mock [flags]` starts the mock LLM server,
// `k6-llm k6 <args>` runs the pinned k6 with k6-llm's streaming extension.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [command, ...args] = process.argv.slice(2);
const dist = (path) => fileURLToPath(new URL(`../dist/${path}`, import.meta.url));

function usage(code) {
  const out = code === 0 ? process.stdout : process.stderr;
  out.write(
    [
      'usage: k6-llm <command> [args]',
      '',
      '  mock [--host H] [--port N] [...]   start the mock LLM server (k6-llm mock --help)',
      '  report <k6 --out json file> [-o report.html]',
      '                                     latency-vs-load HTML report (k6-llm report --help)',
      '  k6 <k6 args>                       run k6 built with k6-llm\'s streaming extension',
      '',
    ].join('\n'),
  );
  process.exit(code);
}

async function load(path) {
  const file = dist(path);
  if (!existsSync(file)) {
    process.stderr.write(`k6-llm: ${file} is missing; run \`npm run build\` first\n`);
    process.exit(2);
  }
  return import(file);
}

switch (command) {
  case 'mock': {
    const { runMockCli } = await load('mock/cli.js');
    const code = await runMockCli(args);
    process.exit(typeof code === "number" ? code : 0);
    break;
  }
  case 'report': {
    const { runReportCli } = await load('report/cli.js');
    process.exit(await runReportCli(args));
    break;
  }
  case 'k6':
    process.argv = [process.argv[0], 'k6', ...args];
    await import('../scripts/k6.mjs');
    break;
  case undefined:
  case '-h':
  case '--help':
  case 'help':
    usage(0);
    break;
  default:
    process.stderr.write(`k6-llm: unknown command ${JSON.stringify(command)}\n`);
    usage(2);
}
