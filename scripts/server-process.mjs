// Starts a `k6-llm` server command (`mock` or `relay`) as a child process on a free loopback port and waits for its
// `listening on <url>` line. Used by `k6-llm run`, the integration tests and the benchmarks.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// (A bundle of this module, such as `k6-llm run`'s, passes its own `bin`: import.meta.url is then the bundle's.)
const defaultBin = fileURLToPath(new URL('../bin/k6-llm.mjs', import.meta.url));

/**
 * Starts `k6-llm <command> --host 127.0.0.1 --port 0 ...args` and resolves once it printed its address, with every
 * `NAME=value` line it printed alongside (the relay prints K6_LLM_RELAY and K6_LLM_RELAY_TOKEN).
 */
export function startServerProcess(command, args = [], { timeoutMs = 15_000, stderr = 'inherit', bin = defaultBin } = {}) {
  const child = spawn(process.execPath, [bin, command, '--host', '127.0.0.1', '--port', '0', ...args], {
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
      reject(new Error(`${command} did not print its address within ${timeoutMs} ms; output: ${out}`));
    }, timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text) => {
      out += text;
      const m = /listening on (http:\/\/\S+)\n/.exec(out);
      // The relay prints its two variables right after the address, in the same write.
      if (m && (command !== 'relay' || /K6_LLM_RELAY_TOKEN=\S+\n/.test(out))) {
        clearTimeout(timer);
        child.stdout.removeAllListeners('data');
        child.stdout.resume();
        const vars = {};
        for (const line of out.split('\n')) {
          const kv = /^([A-Z0-9_]+)=(.*)$/.exec(line);
          if (kv) vars[kv[1]] = kv[2];
        }
        resolve({ url: m[1], vars, child, stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code} before listening; output: ${out}`));
    });
  });
}

/** `k6-llm mock` on a free loopback port. */
export function startMockProcess(args = [], options = {}) {
  return startServerProcess('mock', args, options);
}

/** `k6-llm relay` on a free loopback port; `vars` holds K6_LLM_RELAY and K6_LLM_RELAY_TOKEN. */
export function startRelayProcess(args = [], options = {}) {
  return startServerProcess('relay', args, options);
}
