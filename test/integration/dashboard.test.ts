// k6's own web dashboard with k6-llm's configuration, as users get it from `k6-llm run --dashboard`: the pinned k6
// serves the shipped dashboard/k6-llm.dashboard.json during a real streamed run against the mock, and exports its HTML
// report at the end. Headless Debian Chromium opens the live dashboard during the run and the exported report after
// it, and checks that the LLM tab draws data in its TTFT, ITL, tokens/s and cost charts. Screenshots land in
// test-output/ (docs/images/dashboard-*.png are copies of them).
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleScript, outputDir, runK6, startMock, type K6Run, type MockHandle } from './harness';
import { CHROMIUM, hasChromium, launchChromium } from './browser';

if (!hasChromium) console.warn(`dashboard.test.ts: SKIPPED, ${CHROMIUM} is absent (apt-get install chromium); the web dashboard was not checked in a browser`);

const dir = join(outputDir, 'dashboard');
const exported = join(dir, 'dashboard-report.html');

/** The LLM tab's charts the issue names, with the series each must draw. */
const CHARTS: Record<string, string[]> = {
  'Time to first token (TTFT)': ['p50', 'p95', 'p99'],
  'Inter-token latency (ITL)': ['p50', 'p95', 'p99'],
  'Output tokens/s': ['all requests', 'per request p50', 'per request min'],
  'Spend (USD/s)': ['USD/s'],
};

/** The overview tab's charts. */
const OVERVIEW = ['Virtual users', 'Iterations per second', 'HTTP requests per second', 'HTTP failures'];

let mock: MockHandle | undefined;
let running: Promise<K6Run> | undefined;
let port = 0;
let runStarted = 0;
let context: BrowserContext | undefined;
let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;

// The little of the DOM the page.evaluate() callbacks use; the project compiles without lib.dom.
interface DomElement {
  textContent: string | null;
  parentElement: DomElement | null;
  width: number;
  height: number;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
}
declare const document: { querySelectorAll(selector: string): ArrayLike<DomElement> };

interface ChartFacts {
  title: string;
  noData: boolean;
  width: number;
  height: number;
  /** Series names in the legend, k6's time axis left out. */
  legend: string[];
  /** Canvas pixels in colour: the series' lines and fills (axes, grid and text are grey). 0 for an empty chart. */
  colouredPixels: number;
}

/** Every chart on the page (the active tab), by title. */
async function charts(page: Page): Promise<Record<string, ChartFacts>> {
  const list = await page.evaluate(() =>
    Array.from(document.querySelectorAll('h3, h4')).flatMap((heading) => {
      // The chart's own box: the nearest ancestor of its title that holds one plot.
      let box = heading.parentElement;
      while (box && box.querySelectorAll('.uplot').length === 0) box = box.parentElement;
      if (!box || box.querySelectorAll('.uplot').length !== 1) return [];
      const canvas = box.querySelector('canvas');
      if (!canvas) return [];
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let coloured = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        const r = pixels[i] as number;
        const g = pixels[i + 1] as number;
        const b = pixels[i + 2] as number;
        if ((pixels[i + 3] as number) > 0 && Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
      }
      return [
        {
          title: heading.textContent ?? '',
          noData: Array.from(box.querySelectorAll('p')).some((p) => p.textContent === 'no data'),
          width: canvas.width,
          height: canvas.height,
          legend: Array.from(box.querySelectorAll('.u-legend .u-series .u-label')).map((l) => l.textContent ?? '').filter((l) => l !== 'time'),
          colouredPixels: coloured,
        },
      ];
    }),
  );
  return Object.fromEntries(list.map((c) => [c.title, c]));
}

/** Points at the middle of a chart and reads the value its legend shows for every series there. */
async function valuesUnderCursor(page: Page, title: string): Promise<Record<string, string>> {
  const chart = page.locator('div', { has: page.locator(`:is(h3, h4):text-is(${JSON.stringify(title)})`) }).filter({ has: page.locator('.uplot') }).last();
  const plot = chart.locator('.u-over');
  await plot.scrollIntoViewIfNeeded();
  const box = await plot.boundingBox();
  if (!box) throw new Error(`chart ${title} has no plot area`);
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
  const rows = await chart.locator('.u-legend .u-series').evaluateAll((els) =>
    (els as unknown as DomElement[]).map((el) => [el.querySelector('.u-label')?.textContent ?? '', el.querySelector('.u-value')?.textContent ?? ''] as const),
  );
  return Object.fromEntries(rows.filter(([label]) => label !== 'time'));
}

function expectChartsDrawn(facts: Record<string, ChartFacts>): void {
  for (const [title, series] of Object.entries(CHARTS)) {
    const chart = facts[title];
    expect(chart, `no chart "${title}"; have: ${Object.keys(facts).join(', ')}`).toBeDefined();
    expect(chart!.noData, title).toBe(false);
    expect(chart!.width, title).toBeGreaterThan(300);
    expect(chart!.height, title).toBeGreaterThan(150);
    expect(chart!.legend, title).toEqual(series);
    expect(chart!.colouredPixels, title).toBeGreaterThan(1000);
  }
}

async function expectValuesUnderCursor(page: Page): Promise<void> {
  for (const [title, series] of Object.entries(CHARTS)) {
    const values = await valuesUnderCursor(page, title);
    expect(Object.keys(values), title).toEqual(series);
    for (const [serie, value] of Object.entries(values)) {
      // A point without a value shows "--" (no point) or nothing (no sample in that period).
      expect(value, `${title} / ${serie}`).toMatch(/\d/);
      if (title !== 'Spend (USD/s)') expect(value, `${title} / ${serie}`).toMatch(/[1-9]/);
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Polls `probe` until it gives a value; `failed` says early why waiting is pointless (a crashed page). */
async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, failed: () => string | undefined = () => undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const why = failed();
    if (why) throw new Error(`gave up waiting for ${what}: ${why}`);
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  if (!hasChromium) return;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  mock = await startMock();
  const script = await bundleScript('dashboard-run');
  port = await freePort();
  runStarted = Date.now();
  // A period of 1 s gives the 10 s run enough points for a chart and for the exported report, which k6 skips when
  // the run had fewer than two periods.
  running = runK6(script, {
    env: { MOCK_URL: mock.url, XK6_DASHBOARD_CONFIG: '', K6_WEB_DASHBOARD_TAGS: '' },
    relay: ['--dashboard', '--dashboard-port', String(port), '--dashboard-period', '1s', '--dashboard-export', exported],
    timeoutMs: 60_000,
  });
  browser = await launchChromium();
  context = browser.context;
});

afterAll(async () => {
  await browser?.close();
  await running?.catch(() => undefined);
  await mock?.stop();
});

describe.skipIf(!hasChromium)(`k6's web dashboard with k6-llm's configuration${hasChromium ? '' : ` (SKIPPED: ${CHROMIUM} is absent)`}`, () => {
  it('serves the LLM tab live during the run, with TTFT, ITL, tokens/s and cost drawn, and an overview tab', async () => {
    if (!context) throw new Error('no browser');
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (e) => errors.push(`${e.message} ${e.stack ?? ''}`));
    page.on('request', (r) => requests.push(r.url()));
    // k6's page goes blank on an error in its own code (a chart that gains a series once drawn): fail at once, saying so.
    const crashed = () => (errors.length > 0 ? `the page failed: ${errors.join('; ')}` : undefined);
    // k6 ends only once every dashboard page has gone: the page is closed whatever happens.
    try {
      const url = `http://127.0.0.1:${port}/`;
      await waitFor('the dashboard to listen', 20_000, async () => ((await fetch(url)).ok ? true : undefined));
      await page.goto(url, { waitUntil: 'load' });

      // The tabs are k6-llm's: the default configuration is replaced, not merged.
      const tabs = page.locator('nav button');
      await waitFor('the tabs', 10_000, async () => ((await tabs.count()) > 0 ? true : undefined), crashed);
      expect(await tabs.allTextContents()).toEqual(['LLM', 'Overview']);
      // A chart needs two periods of data; wait until each named one has its lines.
      const facts = await waitFor('the LLM charts to draw data', 20_000, async () => {
        const now = await charts(page);
        const ready = Object.keys(CHARTS).every((t) => now[t] && !now[t].noData && now[t].colouredPixels > 1000);
        return ready ? now : undefined;
      }, crashed);
      expectChartsDrawn(facts);
      await expectValuesUnderCursor(page);
      // Errors by type, counted from the start: every VU's first request failed with a 500.
      await expect(page.getByText('llm_errors{error_type:http_500}', { exact: true }).first().isVisible()).resolves.toBe(true);
      // The summary row: the latest period's values, one stat each.
      for (const stat of ['Requests/s', 'TTFT p95', 'ITL p95', 'Output tokens/s', '429 share', 'Goodput']) {
        await expect(page.getByText(stat, { exact: true }).first().isVisible(), stat).resolves.toBe(true);
      }
      await page.mouse.move(0, 0);
      await page.evaluate('window.scrollTo(0, 0)');
      // The picture near the end of the run's load, with more periods in it.
      await page.waitForTimeout(Math.max(0, runStarted + 10_000 - Date.now()));
      await page.screenshot({ path: join(outputDir, 'dashboard-live.png'), fullPage: true });

      await tabs.filter({ hasText: 'Overview' }).click();
      const overview = await waitFor('the overview charts', 10_000, async () => {
        const now = await charts(page);
        return OVERVIEW.every((t) => now[t]) ? now : undefined;
      }, crashed);
      for (const title of OVERVIEW) {
        expect(overview[title]!.noData, title).toBe(false);
        expect(overview[title]!.colouredPixels, title).toBeGreaterThan(1000);
      }
    } finally {
      await page.close();
    }
    expect(errors).toEqual([]);
    expect(requests.filter((r) => !r.startsWith(`http://127.0.0.1:${port}/`))).toEqual([]);
  });

  it('exports the HTML report at the end of the run with the same LLM charts, and nothing fetched', async () => {
    if (!context || !running) throw new Error('no browser or run');
    const run = await running;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("k6-llm: web dashboard with the configuration k6-llm's");
    expect(run.stdout + run.stderr).not.toContain('report generation was skipped');
    // What the charts drew came from a run that counted these.
    expect(run.metric('llm_ttft').count).toBeGreaterThan(20);
    expect(run.metric('llm_cost_usd').count).toBeGreaterThan(0);
    expect(existsSync(exported)).toBe(true);

    const page = await context.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(exported).href, { waitUntil: 'load' });
    const facts = await waitFor('the report charts', 10_000, async () => {
      const now = await charts(page);
      return Object.keys(CHARTS).every((t) => now[t]) ? now : undefined;
    });
    expectChartsDrawn(facts);
    await expectValuesUnderCursor(page);
    // The report has both tabs, one after the other, and the run-so-far tables.
    for (const heading of ['LLM', 'Overview', 'Requests per second', 'End to end (e2e)', 'Goodput', '429 share', 'Errors per second', 'Errors by type', 'llm_errors{error_type:http_500}', 'The run so far', ...OVERVIEW]) {
      await expect(page.getByText(heading, { exact: true }).first().isVisible(), heading).resolves.toBe(true);
    }
    await page.mouse.move(0, 0);
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(outputDir, 'dashboard-export.png'), fullPage: true });
    await page.close();
    expect(errors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(exported).href]);
  });
});
