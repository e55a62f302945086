// The `k6-llm relay` and `k6-llm run` command lines, and how the k6 binary is found.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFlags, UsageError } from '../../../node/args';
import { describeStats, runRelayCli, type RelayCliIo } from '../../../node/relay/cli';
import { runRunCli, splitRunArgs } from '../../../node/run';
import { ensureK6, k6VersionOf } from '../../../scripts/k6-binary.mjs';

function io(): RelayCliIo & { out: string[]; err: string[]; fire(signal: NodeJS.Signals): void } {
  const handlers = new Map<string, () => void>();
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    onSignal: (s, h) => handlers.set(s, h),
    offSignal: (s) => handlers.delete(s),
    fire: (s) => handlers.get(s)?.(),
  };
}

describe('k6-llm run: arguments', () => {
  it('takes the first .js/.ts/.tar argument as the script and hands everything it does not know to k6', () => {
    expect(splitRunArgs(['--mock', '--vus', '10', 'test.js', '--duration', '5s'])).toEqual({
      own: ['--mock', '--vus', '10'],
      k6: ['--duration', '5s'],
      script: 'test.js',
    });
    expect(splitRunArgs(['archive.tar']).script).toBe('archive.tar');
    expect(splitRunArgs(['my-test.mts']).script).toBe('my-test.mts');
    expect(splitRunArgs(['--out', 'json=x.json']).script).toBeUndefined();
    const passthrough: string[] = [];
    const flags = parseFlags(['--mock', '--vus', '10', '--relay-port=7400', '--out', 'json=o.json'], { values: { '--relay-port': {} }, switches: ['--mock'] }, { passthrough });
    expect([...flags.switches]).toEqual(['--mock']);
    expect(flags.values['--relay-port']).toEqual(['7400']);
    // Another program's flags keep their values and their order.
    expect(passthrough).toEqual(['--vus', '10', '--out', 'json=o.json']);
  });

  it('refuses a run without a script, and a bad flag value, with exit code 2', async () => {
    const err: string[] = [];
    const cli = { stderr: (t: string) => err.push(t), onSignal: () => {}, offSignal: () => {} };
    expect(await runRunCli(['--mock'], cli)).toBe(2);
    expect(err.join('')).toContain('expected a script.js or script.ts to run');
    err.length = 0;
    expect(await runRunCli(['--relay-port', 'x', 'a.js'], cli)).toBe(2);
    expect(err.join('')).toContain('invalid --relay-port: expected a whole number from 0 to 65535, got "x"');
    // The dashboard flags are checked before anything starts.
    err.length = 0;
    expect(await runRunCli(['--dashboard-port', '70000', 'a.js'], cli)).toBe(2);
    expect(err.join('')).toContain('invalid --dashboard-port: expected a whole number from -1 to 65535, got "70000"');
    err.length = 0;
    expect(await runRunCli(['--dashboard', '--dashboard-period=soon', 'a.js'], cli)).toBe(2);
    expect(err.join('')).toContain('invalid --dashboard-period: expected a duration such as 1s, 500ms or 1m, got "soon"');
  });

  it('reads repeatable flags and rejects a missing value', () => {
    const flags = parseFlags(['--allow-host', 'a.com', '--allow-host=b.com'], { values: { '--allow-host': { repeat: true } } });
    expect(flags.values['--allow-host']).toEqual(['a.com', 'b.com']);
    expect(() => parseFlags(['--allow-host'], { values: { '--allow-host': {} } })).toThrow(UsageError);
    expect(() => parseFlags(['--nope'], { values: {} })).toThrow(/unknown "--nope"/);
  });
});

describe('k6-llm relay', () => {
  it('prints its URL and the two variables a run needs, serves, and stops on SIGTERM with its counts', async () => {
    const cli = io();
    const done = runRelayCli(['--port', '0', '--token', 'fixed-token'], cli);
    await new Promise((r) => setTimeout(r, 200));
    const printed = cli.out.join('');
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(printed)?.[1];
    expect(url).toBeDefined();
    expect(printed).toContain(`K6_LLM_RELAY=${url}\n`);
    expect(printed).toContain('K6_LLM_RELAY_TOKEN=fixed-token\n');
    const health = await (await fetch(`${url}/v1/health`)).json();
    expect(health).toMatchObject({ v: 1, inFlight: 0, memory: { rss: expect.any(Number), heapUsed: expect.any(Number) } });
    cli.fire('SIGTERM');
    expect(await done).toBe(0);
    expect(cli.err.join('')).toContain('k6-llm relay: 0 exchanges, no errors');
  });

  it('refuses bad flags with exit code 2 and a message naming the flag', async () => {
    const cli = io();
    expect(await runRelayCli(['--port', '99999'], cli)).toBe(2);
    expect(await runRelayCli(['--ca', '/nonexistent.pem'], cli)).toBe(2);
    expect(await runRelayCli(['--proxy', 'http://[bad'], cli)).toBe(2);
    expect(cli.err.join('')).toMatch(/invalid --port[\s\S]*invalid --ca: expected a readable PEM file[\s\S]*invalid --proxy: expected a URL/);
  });

  it('describes its counts without anything of a request', () => {
    expect(describeStats({ exchanges: 12, inFlight: 0, errors: { stall: 2, reset: 1 }, refused: { relay_auth: 3 }, maxLoopDelayMs: 4.25 })).toBe(
      'k6-llm relay: 12 exchanges, errors: 2 stall, 1 reset, refused: 3 relay_auth; worst event-loop delay 4.3 ms',
    );
  });
});

describe('the k6 binary', () => {
  const saved = { K6_LLM_K6: process.env.K6_LLM_K6, PATH: process.env.PATH };
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  function fakeK6(dir: string, versionLine: string, extensions = false): string {
    mkdirSync(dir, { recursive: true });
    const bin = join(dir, 'k6');
    writeFileSync(bin, `#!/bin/sh\necho '${versionLine}'\n${extensions ? "echo 'Extensions:'\necho '  k6/x/something'\n" : ''}`);
    chmodSync(bin, 0o755);
    return bin;
  }

  it('reads the version and extensions of a binary, and refuses one older than v1', () => {
    const dir = join(tmpdir(), `k6-llm-fake-${process.pid}`);
    const stock = fakeK6(join(dir, 'stock'), 'k6 v2.2.0 (go1.26.8, linux/amd64)');
    expect(k6VersionOf(stock)).toEqual({ line: 'k6 v2.2.0 (go1.26.8, linux/amd64)', version: '2.2.0', major: 2, extensions: false });
    expect(k6VersionOf(fakeK6(join(dir, 'ext'), 'k6 v1.4.0 (go1.24, linux/amd64)', true))?.extensions).toBe(true);
    process.env.K6_LLM_K6 = stock;
    expect(ensureK6()).toBe(stock);
    process.env.K6_LLM_K6 = fakeK6(join(dir, 'old'), 'k6 v0.49.0 (go1.21, linux/amd64)');
    expect(() => ensureK6()).toThrow(/is k6 v0\.49\.0 .*needs k6 v1\.0\.0 or newer/);
  });

  it('takes the k6 on PATH before the cache', () => {
    const dir = join(tmpdir(), `k6-llm-fake-path-${process.pid}`);
    const onPath = fakeK6(dir, 'k6 v1.5.0 (go1.25, linux/amd64)');
    delete process.env.K6_LLM_K6;
    process.env.PATH = `${dir}:${saved.PATH}`;
    expect(ensureK6()).toBe(onPath);
  });
});
