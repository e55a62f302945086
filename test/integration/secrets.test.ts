// API keys never reach logs, tags, summaries or reports.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleScript, outputDir, runK6, useMock } from './harness';

const mock = useMock();

const KEY = 'sk-secret-k6llm-0123456789';

describe('API keys', () => {
  it("a key from k6 secrets is used for requests but appears in no output, tag, summary or relay log line", async () => {
    const jsonOut = join(outputDir, `secrets-${Date.now()}.ndjson`);
    const run = await runK6(await bundleScript('secrets'), {
      env: { MOCK_URL: mock.url },
      args: [`--secret-source=mock=llm=${KEY}`, `--out=json=${jsonOut}`, '--log-format=raw'],
      relay: ['--relay-verbose'],
    });
    expect(run.code, run.stderr).toBe(0);
    // The key was sent: the mock answered (a missing key gets a 401).
    expect(run.metric('llm_requests').count).toBe(4);
    expect(run.metric('llm_errors').count).toBe(2);
    expect(run.stderr).toContain('result {');
    expect(run.stderr).toContain('"apiKey":"[redacted]"');
    // The relay logged every exchange (so its lines were there to check) and its closing counts: two answers, and
    // two failing requests of three attempts each (the client's default two retries).
    expect(run.stderr.match(/k6-llm relay: POST 127\.0\.0\.1:\d+ 200 /g)).toHaveLength(2);
    expect(run.stderr.match(/k6-llm relay: POST 127\.0\.0\.1:\d+ 500 /g)).toHaveLength(6);
    expect(run.stderr).toMatch(/k6-llm relay: 8 exchanges/);
    const everything = [run.stdout, run.stderr, JSON.stringify(run.metrics), readFileSync(jsonOut, 'utf8')];
    for (const file of readdirSync(outputDir).filter((f) => f.startsWith('summary-secrets'))) everything.push(readFileSync(join(outputDir, file), 'utf8'));
    for (const text of everything) expect(text.includes(KEY)).toBe(false);
  });
});
