// The shipped web-dashboard configuration (dashboard/k6-llm.dashboard.json) against the metrics k6-llm records and k6's
// built-in ones, and the environment `k6-llm run --dashboard` gives k6. The integration test
// (test/integration/dashboard.test.ts) checks the same file in the pinned k6's dashboard and in a browser.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { llmMetrics, METRIC_NAMES } from '../../../lib/metrics/index';
import { UsageError } from '../../../node/args';
import { DASHBOARD_CONFIG, DASHBOARD_TAGS, dashboardEnv, shippedDashboardConfig } from '../../../node/dashboard';
import { declared } from '../../fakes/k6-metrics';

type MetricType = 'trend' | 'counter' | 'rate' | 'gauge';

interface Serie {
  query: string;
  legend?: string;
}
interface Panel {
  id: string;
  title: string;
  kind: string;
  summary?: string;
  fullWidth?: boolean;
  series: Serie[];
}
interface Section {
  id: string;
  title?: string;
  summary?: string;
  panels: Panel[];
}
interface Tab {
  id: string;
  title: string;
  summary?: string;
  sections: Section[];
}
interface DashboardConfig {
  title?: string;
  tabs: Tab[];
}

const config = JSON.parse(readFileSync(new URL(`../../../${DASHBOARD_CONFIG}`, import.meta.url), 'utf8')) as DashboardConfig;

/** k6's built-in metrics the configuration may name (k6 docs, "Built-in metrics"), with their types. */
const K6_BUILT_IN: Record<string, MetricType> = {
  vus: 'gauge',
  vus_max: 'gauge',
  iterations: 'counter',
  iteration_duration: 'trend',
  dropped_iterations: 'counter',
  data_received: 'counter',
  data_sent: 'counter',
  checks: 'rate',
  http_reqs: 'counter',
  http_req_failed: 'rate',
  http_req_duration: 'trend',
  http_req_waiting: 'trend',
};

/** The aggregates the dashboard keeps per metric type (the `param` event of k6 v2.2.0: p(95) is `p95` in a query). */
const AGGREGATES: Record<MetricType, string[]> = {
  trend: ['avg', 'max', 'med', 'min', 'p90', 'p95', 'p99'],
  counter: ['count', 'rate'],
  rate: ['rate'],
  gauge: ['value'],
};

void llmMetrics; // importing lib/metrics declares every llm_* metric in the k6/metrics fake, with its type
function metricType(name: string): MetricType | undefined {
  return declared.get(name)?.type ?? K6_BUILT_IN[name];
}

const panels = config.tabs.flatMap((tab) => tab.sections.flatMap((section) => section.panels.map((panel) => ({ tab, section, panel }))));

// The queries are JMESPath over what the dashboard keeps. A chart or stat query, `metric[?<filter> && <aggregate>]`,
// picks the series of one aggregate of a metric (untagged with `!tags`, one per tag value with `tags.<name>`). A
// summary query picks rows of the totals so far: `[?name=='metric']` one metric untagged, `[?tags.<name> &&
// starts_with(name, 'metric{')]` one row per value of a tag.
const SERIES_QUERY = /^([a-z_][a-z0-9_]*)\[\?(!tags|tags\.([a-z_]+)) && ([a-z0-9]+)\]$/;
const SUMMARY_QUERY = /^\[\?name=='([a-z_][a-z0-9_]*)'\]$/;
const SUMMARY_BY_TAG_QUERY = /^\[\?tags\.([a-z_]+) && starts_with\(name, '([a-z_][a-z0-9_]*)\{'\)\]$/;

function parse(panel: Panel, serie: Serie): { metric: string; aggregate?: string; tag?: string } {
  if (panel.kind === 'summary') {
    const byTag = SUMMARY_BY_TAG_QUERY.exec(serie.query);
    if (byTag) return { metric: byTag[2]!, tag: byTag[1] };
    const one = SUMMARY_QUERY.exec(serie.query);
    if (one) return { metric: one[1]! };
  } else {
    const m = SERIES_QUERY.exec(serie.query);
    if (m) return { metric: m[1]!, tag: m[3], aggregate: m[4] };
  }
  throw new Error(`panel ${panel.id}: query ${JSON.stringify(serie.query)} is not of a form the checks here know`);
}

/**
 * When a metric gets its first sample: with the first request that ends (failed or not), the first response that
 * succeeds, the first attempt, the first failure; k6's own at the start, the first iteration, the first response.
 */
const FIRST_SAMPLE: Record<string, string> = {
  llm_requests: 'request', llm_e2e: 'request', llm_goodput: 'request', llm_incomplete: 'request',
  llm_ttft: 'success', llm_itl: 'success', llm_output_tokens: 'success', llm_output_tokens_per_s: 'success', llm_cost_usd: 'success', llm_tpot: 'success',
  llm_rate_limited: 'attempt',
  llm_errors: 'error',
  vus: 'start',
  iterations: 'iteration', iteration_duration: 'iteration',
  http_reqs: 'http', http_req_failed: 'http',
};

/** The queries of the chart or table with this title (a stat may share it). */
function queriesOf(title: string): string[] {
  const found = panels.find(({ panel }) => panel.title === title && panel.kind !== 'stat');
  if (!found) throw new Error(`no chart or table titled ${title}`);
  return found.panel.series.map((s) => s.query);
}

describe('the shipped dashboard configuration', () => {
  it('names only metrics k6-llm records or k6 has built in, each with an aggregate the dashboard keeps for its type', () => {
    const llm = new Set<string>(Object.values(METRIC_NAMES));
    expect(panels.length).toBeGreaterThan(20);
    for (const { panel } of panels) {
      for (const serie of panel.series) {
        const { metric, aggregate, tag } = parse(panel, serie);
        const type = metricType(metric);
        expect(type, `${panel.id}: ${metric} is neither in METRIC_NAMES nor a k6 built-in`).toBeDefined();
        if (metric.startsWith('llm_')) expect(llm.has(metric), `${panel.id}: ${metric}`).toBe(true);
        if (aggregate !== undefined) expect(AGGREGATES[type!], `${panel.id}: ${metric} (${type}) has no ${aggregate}`).toContain(aggregate);
        // The dashboard keeps per-tag series only for the tags in K6_WEB_DASHBOARD_TAGS.
        if (tag !== undefined) expect(DASHBOARD_TAGS.split(','), `${panel.id}: tag ${tag}`).toContain(tag);
      }
    }
  });

  it('is well formed for the dashboard: unique ids, a kind on every panel, one metric type per summary table', () => {
    const ids = [...config.tabs.map((t) => t.id), ...config.tabs.flatMap((t) => t.sections.map((s) => s.id)), ...panels.map((p) => p.panel.id)];
    expect(new Set(ids).size).toBe(ids.length);
    for (const { panel } of panels) {
      // A panel without a kind is drawn by neither the live dashboard nor the report.
      expect(['chart', 'stat', 'summary'], panel.id).toContain(panel.kind);
      expect(panel.title, panel.id).toBeTruthy();
      expect(panel.series.length, panel.id).toBeGreaterThan(0);
      // A stat shows its first series only.
      if (panel.kind === 'stat') expect(panel.series, panel.id).toHaveLength(1);
      // A summary table takes its columns from its first row: every row must be a metric of the same type.
      if (panel.kind === 'summary') expect(new Set(panel.series.map((s) => metricType(parse(panel, s).metric))).size, panel.id).toBe(1);
    }
  });

  it('groups charts so that none gains a series once drawn: k6 v2.2.0\'s live page goes blank when one does', () => {
    // A section shows all its panels as soon as one has data, and a chart drawn without a series it later gets, or
    // with fewer series than it later has, throws in k6's page (mergeSeries in its Chart hooks). So every chart and
    // table in a section with charts names metrics that get their first sample at the same moment.
    for (const tab of config.tabs) {
      for (const section of tab.sections) {
        if (!section.panels.some((p) => p.kind === 'chart')) continue;
        const moments = new Set<string>();
        for (const panel of section.panels.filter((p) => p.kind !== 'stat')) {
          for (const serie of panel.series) {
            const { metric } = parse(panel, serie);
            const moment = FIRST_SAMPLE[metric];
            expect(moment, `${section.id}: when does ${metric} get its first sample? (FIRST_SAMPLE)`).toBeDefined();
            moments.add(moment!);
          }
        }
        expect([...moments], section.id).toHaveLength(1);
      }
    }
  });

  it('has an LLM tab first: latency percentiles, tokens/s, requests, errors by type, 429s, cost, goodput and a summary row', () => {
    expect(config.tabs.map((t) => t.title)).toEqual(['LLM', 'Overview']);
    for (const [title, metric] of [
      ['Time to first token (TTFT)', 'llm_ttft'],
      ['Inter-token latency (ITL)', 'llm_itl'],
      ['End to end (e2e)', 'llm_e2e'],
    ] as const) {
      expect(queriesOf(title)).toEqual([`${metric}[?!tags && med]`, `${metric}[?!tags && p95]`, `${metric}[?!tags && p99]`]);
    }
    expect(queriesOf('Output tokens/s')).toContain('llm_output_tokens[?!tags && rate]');
    expect(queriesOf('Output tokens/s')).toContain('llm_output_tokens_per_s[?!tags && med]');
    expect(queriesOf('Requests per second')).toEqual(['llm_requests[?!tags && rate]']);
    expect(queriesOf('Errors per second')).toEqual(['llm_errors[?!tags && rate]']);
    expect(queriesOf('Errors by type')).toEqual(["[?tags.error_type && starts_with(name, 'llm_errors{')]"]);
    expect(queriesOf('429 share')).toEqual(['llm_rate_limited[?!tags && rate]']);
    expect(queriesOf('Spend (USD/s)')).toEqual(['llm_cost_usd[?!tags && rate]']);
    expect(queriesOf('Goodput')[0]).toBe('llm_goodput[?!tags && rate]');
    // The totals so far, cost included, in tables the exported report keeps too.
    expect(queriesOf('Requests, tokens and cost')).toContain("[?name=='llm_cost_usd']");
    const llmTab = config.tabs[0]!;
    const stats = llmTab.sections[0]!.panels;
    expect(stats.every((p) => p.kind === 'stat')).toBe(true);
    expect(stats.map((p) => parse(p, p.series[0]!).metric)).toEqual(['llm_requests', 'llm_ttft', 'llm_itl', 'llm_output_tokens', 'llm_rate_limited', 'llm_goodput']);
  });

  it('has an overview tab of requests, failures, VUs and iteration rate', () => {
    const overview = config.tabs[1]!;
    const queries = overview.sections.flatMap((s) => s.panels.flatMap((p) => p.series.map((q) => q.query)));
    for (const q of ['vus[?!tags && value]', 'iterations[?!tags && rate]', 'http_reqs[?!tags && rate]', 'http_req_failed[?!tags && rate]']) {
      expect(queries).toContain(q);
    }
  });
});

describe('the environment of k6-llm run --dashboard', () => {
  const where = { shipped: '/pkg/dashboard/k6-llm.dashboard.json', cwdHasConfig: false };

  it('turns the dashboard on with the shipped configuration, the error_type tag and a loopback address', () => {
    expect(dashboardEnv({}, {}, where)).toEqual({
      vars: {
        K6_WEB_DASHBOARD: 'true',
        XK6_DASHBOARD_CONFIG: '/pkg/dashboard/k6-llm.dashboard.json',
        K6_WEB_DASHBOARD_TAGS: 'group,error_type',
        K6_WEB_DASHBOARD_HOST: '127.0.0.1',
      },
      config: "k6-llm's (/pkg/dashboard/k6-llm.dashboard.json)",
    });
  });

  it('passes the export file, port, host and period as k6 reads them', () => {
    const { vars } = dashboardEnv({ export: 'report.html', port: -1, host: '0.0.0.0', period: '1s' }, {}, where);
    expect(vars).toMatchObject({
      K6_WEB_DASHBOARD_EXPORT: 'report.html',
      K6_WEB_DASHBOARD_PORT: '-1',
      K6_WEB_DASHBOARD_HOST: '0.0.0.0',
      K6_WEB_DASHBOARD_PERIOD: '1s',
    });
    expect(dashboardEnv({ port: 0 }, {}, where).vars.K6_WEB_DASHBOARD_PORT).toBe('0');
  });

  it('leaves a configuration and tags the user chose to k6, and takes a host from the environment unless a flag gives one', () => {
    const mine = dashboardEnv({}, { XK6_DASHBOARD_CONFIG: 'mine.json', K6_WEB_DASHBOARD_TAGS: 'group,model', K6_WEB_DASHBOARD_HOST: '::1' }, where);
    expect(mine.vars).toEqual({ K6_WEB_DASHBOARD: 'true', K6_WEB_DASHBOARD_HOST: '::1' });
    expect(mine.config).toBe('mine.json (XK6_DASHBOARD_CONFIG)');
    const cwd = dashboardEnv({ host: '127.0.0.2' }, { K6_WEB_DASHBOARD_HOST: '::1' }, { ...where, cwdHasConfig: true });
    expect(cwd.vars.XK6_DASHBOARD_CONFIG).toBeUndefined();
    expect(cwd.vars.K6_WEB_DASHBOARD_HOST).toBe('127.0.0.2');
    expect(cwd.config).toBe('.dashboard.json in the working directory');
  });

  it('refuses a period k6 could not read, before k6 starts', () => {
    for (const bad of ['1', 'fast', '0s', '-1s', '1 s', '']) {
      expect(() => dashboardEnv({ period: bad }, {}, where), bad).toThrow(UsageError);
    }
    expect(() => dashboardEnv({ period: 'x' }, {}, where)).toThrow('invalid --dashboard-period: expected a duration such as 1s, 500ms or 1m, got "x"');
    for (const good of ['1s', '500ms', '1m30s', '0.5s', '10s']) expect(dashboardEnv({ period: good }, {}, where).vars.K6_WEB_DASHBOARD_PERIOD).toBe(good);
  });

  it('finds the shipped configuration from the source tree', () => {
    expect(shippedDashboardConfig().endsWith(DASHBOARD_CONFIG)).toBe(true);
  });
});
