// The HTML reports as users get them: rendered by a real k6 run's handleSummary (the bundled
// library inside Sobek) and by `k6-llm report` on the same run's --out json file, then opened in
// headless Debian Chromium to check the charts are really drawn, nothing is fetched and no text
// collides. Screenshots land in test-output/ for a human look.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LlmReport, LoadCurve } from '../../lib/report/index';
import { runReportCli } from '../../node/report';
import { selfContainmentProblems } from '../unit/report/self-contained';
import { bundleScript, outputDir, runK6, startMock, type K6Run, type MockHandle } from './harness';
import { CHROMIUM, hasChromium, launchChromium } from './browser';

if (!hasChromium) console.warn(`report.test.ts: SKIPPED, ${CHROMIUM} is absent (apt-get install chromium); the HTML reports were not checked in a browser`);

const dir = join(outputDir, 'report');
let mock: MockHandle | undefined;
let run: K6Run;
let context: BrowserContext | undefined;
let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;

// The little of the DOM the page.evaluate() callback uses; the project compiles without lib.dom.
interface DomRect {
  left: number;
  right: number;
  top: number;
  bottom: number;
  width: number;
  height: number;
}
interface DomElement {
  textContent: string | null;
  getBoundingClientRect(): DomRect;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
}
declare const document: { querySelectorAll(selector: string): ArrayLike<DomElement> };

interface ChartFacts {
  id: string;
  width: number;
  height: number;
  bars: number;
  lines: number;
  points: number;
  /** Pairs of text labels whose boxes overlap by more than 1 px each way. */
  overlaps: string[];
}

interface PageFacts {
  requests: string[];
  console: string[];
  charts: ChartFacts[];
}

/** Opens a report file, reads every chart's geometry as laid out, and screenshots the page. */
async function inspect(file: string, screenshot: string): Promise<PageFacts> {
  if (!context) throw new Error('no browser');
  const page = await context.newPage();
  const requests: string[] = [];
  const messages: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  const charts = await page.evaluate(() =>
    Array.from(document.querySelectorAll('svg.chart')).map((svg) => {
      const box = svg.getBoundingClientRect();
      const texts = Array.from(svg.querySelectorAll('text')).map((t) => ({ text: t.textContent ?? '', r: t.getBoundingClientRect() }));
      const overlaps: string[] = [];
      for (let i = 0; i < texts.length; i++) {
        for (let j = i + 1; j < texts.length; j++) {
          const a = texts[i]!.r;
          const b = texts[j]!.r;
          const dx = Math.min(a.right, b.right) - Math.max(a.left, b.left);
          const dy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
          if (dx > 1 && dy > 1) overlaps.push(`${JSON.stringify(texts[i]!.text)} / ${JSON.stringify(texts[j]!.text)}`);
        }
      }
      const visible = (sel: string) => Array.from(svg.querySelectorAll(sel)).filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 || r.height > 0;
      }).length;
      return {
        id: svg.getAttribute('data-chart') ?? '',
        width: box.width,
        height: box.height,
        bars: visible('rect.bar'),
        lines: visible('path.line'),
        points: visible('circle.point'),
        overlaps,
      };
    }),
  );
  await page.screenshot({ path: screenshot, fullPage: true });
  await page.close();
  return { requests, console: messages, charts };
}

function chart(facts: PageFacts, id: string): ChartFacts {
  const found = facts.charts.find((c) => c.id === id);
  if (!found) throw new Error(`no chart ${id}; have ${facts.charts.map((c) => c.id).join(', ')}`);
  return found;
}

beforeAll(async () => {
  if (!hasChromium) return;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  mock = await startMock();
  const script = await bundleScript('report-run');
  run = await runK6(script, {
    env: { MOCK_URL: mock.url, OUT_DIR: dir, RAMP: '4s', HOLD: '3s', VUS: '8' },
    args: [`--out=json=${join(dir, 'out.json')}`],
  });
  browser = await launchChromium();
  context = browser.context;
});

afterAll(async () => {
  await browser?.close();
  await mock?.stop();
});

describe.skipIf(!hasChromium)(`HTML reports in headless Chromium${hasChromium ? '' : ` (SKIPPED: ${CHROMIUM} is absent)`}`, () => {
  it('renders the end-of-test report that handleSummary wrote inside k6, with every chart drawn and nothing fetched', async () => {
    // 99: report-run's deliberately failing threshold; the reports must still be written.
    expect(run.code, run.stderr).toBe(99);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(selfContainmentProblems(html)).toEqual([]);
    const report = JSON.parse(readFileSync(join(dir, 'llm.json'), 'utf8')) as LlmReport;
    expect(report.requests.total).toBeGreaterThan(20);

    const facts = await inspect(join(dir, 'report.html'), join(outputDir, 'report-summary.png'));
    expect(facts.requests).toEqual([pathToFileURL(join(dir, 'report.html')).href]);
    expect(facts.console).toEqual([]);
    for (const c of facts.charts) {
      expect(c.width, c.id).toBeGreaterThan(200);
      expect(c.height, c.id).toBeGreaterThan(40);
      expect(c.overlaps, c.id).toEqual([]);
    }
    const pcts = (['p50', 'p90', 'p95', 'p99'] as const).filter((p) => report.latency.some((row) => row.stats[p] !== undefined)).length;
    expect(pcts).toBe(4);
    const first = report.latency.filter((row) => ['llm_ttfb', 'llm_ttft', 'llm_ttfo', 'llm_e2e', 'llm_request_duration'].includes(row.metric)).length;
    expect(chart(facts, 'latency-first').bars).toBe(first * pcts);
    expect(chart(facts, 'latency-token').bars).toBe(2 * pcts);
    const buckets = report.byOutputBucket.filter((row) => row.ttft !== undefined).length;
    expect(buckets).toBe(3);
    expect(chart(facts, 'ttft-by-bucket').bars).toBe(buckets * pcts);
    expect(chart(facts, 'ttft-by-model').bars).toBe(2 * pcts);
    expect(chart(facts, 'throughput').bars).toBe(3 * pcts);
    expect(chart(facts, 'errors').bars).toBe(report.errorsByType.length);
    expect(chart(facts, 'cost-by-model').bars).toBe(2);
    // The thresholds table: three passed, the deliberate one failed.
    expect(html.match(/<td class="pass">PASS<\/td>/g)).toHaveLength(3);
    expect(html.match(/<td class="fail">FAIL<\/td>/g)).toHaveLength(1);
    // JUnit and the text summary came from the same handleSummary.
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toContain('tests="4" failures="1"');
    expect(run.stdout).toContain(`${report.requests.total} requests`);
    expect(run.stdout).toContain('run trust:');
  });

  it('renders the latency-vs-load report of k6-llm report over the same run\'s JSON output', async () => {
    const log: string[] = [];
    const code = await runReportCli([join(dir, 'out.json'), '-o', join(dir, 'curve.html'), '--bucket', '1s', '--json', join(dir, 'curve.json')], {
      stdout: (t) => log.push(t),
      stderr: (t) => log.push(t),
    });
    expect(code, log.join('')).toBe(0);
    const curve = JSON.parse(readFileSync(join(dir, 'curve.json'), 'utf8')) as LoadCurve;
    const report = JSON.parse(readFileSync(join(dir, 'llm.json'), 'utf8')) as LlmReport;
    // The stream may hold a sample or two from iterations cut at the end that the summary left out.
    expect(curve.totals.requests).toBeGreaterThanOrEqual(report.requests.total);
    expect(curve.totals.requests).toBeLessThanOrEqual(report.requests.total + 8);
    // 7 s of load in 1 s buckets; the first and last may be partial or merged.
    expect(curve.buckets.length).toBeGreaterThanOrEqual(6);

    const facts = await inspect(join(dir, 'curve.html'), join(outputDir, 'report-curve.png'));
    expect(facts.requests).toEqual([pathToFileURL(join(dir, 'curve.html')).href]);
    expect(facts.console).toEqual([]);
    for (const c of facts.charts) {
      expect(c.width, c.id).toBeGreaterThan(200);
      expect(c.height, c.id).toBeGreaterThan(40);
      expect(c.overlaps, c.id).toEqual([]);
    }
    expect(chart(facts, 'ttft-over-time').lines).toBe(2);
    expect(chart(facts, 'itl-over-time').lines).toBe(2);
    expect(chart(facts, 'vus-over-time').lines).toBe(1);
    expect(chart(facts, 'requests-over-time').lines).toBe(1);
    expect(chart(facts, 'errors-over-time').lines).toBe(2);
    expect(chart(facts, 'cost-over-time').lines).toBe(1);
    const withLoad = curve.buckets.filter((b) => b.ttft !== undefined && b.vus !== undefined).length;
    expect(chart(facts, 'ttft-vs-load').points).toBe(2 * withLoad);
  });
});
