// Starts `k6-llm mock` as a child process on a free loopback port and waits for its
// `listening on <url>` line. Used by `npm start`, the integration tests and the benchmarks.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/k6-llm.mjs', import.meta.url));

/** @returns {Promise<{ url: string, child: import('node:child_process').ChildProcess, stop: () => Promise<number | null> }>} */
export function startMockProcess(args = [], { timeoutMs = 15_000, stderr = 'inherit' } = {}) {
  const child = spawn(process.execPath, [bin, 'mock', '--host', '127.0.0.1', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', stderr],
  });
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mock did not print its address within ${timeoutMs} ms; output: ${out}`));
    }, timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text) => {
      out += text;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout.removeAllListeners('data');
        child.stdout.resume();
        resolve({ url: m[1], child, stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`mock exited with ${code} before listening; output: ${out}`));
    });
  });
}
