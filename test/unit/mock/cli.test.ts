import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventEmitter } from 'node:events';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMockArgs, runMockCli, type CliIo } from '../../../node/mock/cli';

function fakeIo(): CliIo & { out: string[]; err: string[]; signals: EventEmitter } {
  const signals = new EventEmitter();
  const out: string[] = [];
  const err: string[] = [];
  return {
    out, err, signals,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    onSignal: (s, h) => signals.on(s, h),
    offSignal: (s, h) => signals.off(s, h),
  };
}

async function waitFor<T>(get: () => T | undefined, ms = 3000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('parseMockArgs', () => {
  it('maps flags to options, in both --flag value and --flag=value forms', () => {
    const { options, help } = parseMockArgs([
      '--host', '0.0.0.0', '--port=0', '--ttft-ms', '50', '--itl-ms=10', '--tokens-per-chunk', '3', '--output-tokens', '10-20',
      '--fault', 'truncate=0.1', '--fault', '529=0.05', '--no-cache', '--no-auth', '--models', 'a, b', '--jitter-distribution', 'lognormal',
    ]);
    expect(help).toBe(false);
    expect(options).toEqual({
      host: '0.0.0.0', port: 0, ttftMs: 50, itlMs: 10, tokensPerChunk: 3, outputTokens: { min: 10, max: 20 },
      faults: { truncate: 0.1, '529': 0.05 }, cache: false, requireApiKey: false, models: ['a', 'b'], jitterDistribution: 'lognormal',
    });
  });

  it('defaults the port to 8787 and lets flags override the config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k6-llm-mock-'));
    const file = join(dir, 'mock.json');
    writeFileSync(file, JSON.stringify({ ttftMs: 300, itlMs: 30, faults: { stall: 0.5 } }));
    try {
      expect(parseMockArgs([]).options).toEqual({ port: 8787 });
      const { options } = parseMockArgs(['--config', file, '--itl-ms', '5', '--fault', 'reset=0.2']);
      expect(options).toEqual({ port: 8787, ttftMs: 300, itlMs: 5, faults: { stall: 0.5, reset: 0.2 } });
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('reads --refusal and --reasoning-tokens as the refusal and reasoningTokens options', () => {
    expect(parseMockArgs(['--refusal', '0.1', '--reasoning-tokens=64']).options).toEqual({ port: 8787, refusal: 0.1, reasoningTokens: 64 });
  });

  it('reads the profile and the real-server variation flags', () => {
    expect(parseMockArgs(['--profile', 'ollama-openai', '--finish-write=with-last-token']).options).toEqual({
      port: 8787, profile: 'ollama-openai', finishWrite: 'with-last-token',
    });
    expect(parseMockArgs(['--chat-role', 'every-delta', '--stream-usage', 'always', '--ignore-max-completion-tokens']).options).toEqual({
      port: 8787, chatRole: 'every-delta', streamUsage: 'always', ignoreMaxCompletionTokens: true,
    });
  });

  it('reads normal:MEAN:SD output lengths', () => {
    expect(parseMockArgs(['--output-tokens', 'normal:200:40']).options.outputTokens).toEqual({ mean: 200, sd: 40 });
  });

  it('rejects unknown flags, bad numbers and unknown faults with a message', () => {
    expect(() => parseMockArgs(['--bogus'])).toThrow(/unknown "--bogus"/);
    expect(() => parseMockArgs(['--ttft-ms', 'fast'])).toThrow(/invalid --ttft-ms: expected a number/);
    expect(() => parseMockArgs(['--fault', 'explode=1'])).toThrow(/invalid --fault/);
    expect(() => parseMockArgs(['--port'])).toThrow(/expected a value/);
  });
});

describe('runMockCli in process', () => {
  it('prints exactly one listening line, serves, and resolves 0 after SIGTERM', async () => {
    const io = fakeIo();
    const exit = runMockCli(['--port', '0', '--ttft-ms', '1', '--itl-ms', '0'], io);
    const line = await waitFor(() => io.out[0]);
    expect(line).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    const url = line.trim().slice('listening on '.length);
    expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: 'ok' });
    io.signals.emit('SIGTERM');
    expect(await exit).toBe(0);
    expect(io.out).toHaveLength(1);
    expect(io.signals.listenerCount('SIGINT')).toBe(0);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });

  it('returns 2 with a message on stderr for a bad option, and prints help with 0', async () => {
    const bad = fakeIo();
    expect(await runMockCli(['--tokens-per-chunk', '0'], bad)).toBe(2);
    expect(bad.err.join('')).toMatch(/invalid tokensPerChunk: expected an integer ≥ 1, got 0/);
    const help = fakeIo();
    expect(await runMockCli(['--help'], help)).toBe(0);
    expect(help.out.join('')).toContain('--ttft-ms');
    expect(help.out.join('')).toMatch(/--refusal P[\s\S]*--reasoning-tokens N/);
  });

  it('returns 1 when the port is taken', async () => {
    const first = fakeIo();
    const running = runMockCli(['--port', '0'], first);
    const port = (await waitFor(() => first.out[0])).trim().split(':').pop() ?? '';
    const second = fakeIo();
    expect(await runMockCli(['--port', port], second)).toBe(1);
    expect(second.err.join('')).toMatch(/cannot start/);
    first.signals.emit('SIGINT');
    expect(await running).toBe(0);
  });
});

describe('the bundled CLI as a process', () => {
  let dir: string;
  let bundle: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'k6-llm-cli-'));
    bundle = join(dir, 'cli.mjs');
    const cli = fileURLToPath(new URL('../../../node/mock/cli.ts', import.meta.url));
    await build({
      stdin: { contents: `import { runMockCli } from ${JSON.stringify(cli)};\nprocess.exitCode = await runMockCli(process.argv.slice(2));\n`, resolveDir: dir, loader: 'ts' },
      bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'silent',
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`ends an open stream and exits 0 on ${signal}`, async () => {
      const child = spawn(process.execPath, [bundle, '--port', '0', '--ttft-ms', '1', '--itl-ms', '50'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const line = await waitFor(() => (stdout.includes('\n') ? stdout : undefined));
      const url = line.trim().replace('listening on ', '');
      const res = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST', headers: { authorization: 'Bearer k' },
        body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
      });
      const reader = res.body!.getReader();
      await reader.read();
      child.kill(signal);
      let body = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        body += new TextDecoder().decode(value);
      }
      expect(await exited).toBe(0);
      expect(stdout).toBe(`${line.trim()}\n`);
      expect(body).not.toContain('[DONE]');
    });
  }
});
