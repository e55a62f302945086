// k6's built-in web dashboard with k6-llm's configuration: where the shipped configuration is, and the environment
// `k6 run` needs to serve it. k6 reads all of it from its own environment (K6_WEB_DASHBOARD_*, XK6_DASHBOARD_CONFIG).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UsageError } from './args';

/** The configuration's place in the package. */
export const DASHBOARD_CONFIG = 'dashboard/k6-llm.dashboard.json';

/** The file k6 loads by itself, from its working directory, when XK6_DASHBOARD_CONFIG is not set. */
export const CWD_DASHBOARD_CONFIG = '.dashboard.json';

/**
 * Tags the dashboard keeps a series for, besides the ungrouped one. `error_type` draws the errors-by-type chart; k6's
 * own default is `group` alone.
 */
export const DASHBOARD_TAGS = 'group,error_type';

/** The package is missing its dashboard configuration (a broken install): `k6-llm run` exits 1 saying so. */
export class DashboardConfigMissing extends Error {}

/** The shipped configuration's absolute path: from dist/node/cli.js in the package, from node/ in a checkout. */
export function shippedDashboardConfig(): string {
  const candidates = [`../../${DASHBOARD_CONFIG}`, `../${DASHBOARD_CONFIG}`].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new DashboardConfigMissing(`the dashboard configuration is missing (looked for ${candidates.join(', ')})`);
  return found;
}

/** What `k6-llm run --dashboard...` was asked for. */
export interface DashboardRequest {
  /** K6_WEB_DASHBOARD_EXPORT: the HTML report k6 writes at the end of the run. */
  export?: string;
  /** K6_WEB_DASHBOARD_PORT: -1 serves nothing (export only), 0 any free port. k6's default is 5665. */
  port?: number;
  /** K6_WEB_DASHBOARD_HOST. @default '127.0.0.1' (k6's own default listens on every interface) */
  host?: string;
  /** K6_WEB_DASHBOARD_PERIOD: one chart point per period. k6's default is 10s. */
  period?: string;
}

export interface DashboardEnv {
  /** Variables to add to k6's environment. */
  vars: Record<string, string>;
  /** Which configuration k6 will load, for a line on stderr. */
  config: string;
}

const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/** A K6_WEB_DASHBOARD_PERIOD k6 accepts (Go's time.ParseDuration): `1s`, `500ms`, `1m30s`. */
export function checkDashboardPeriod(text: string): string {
  if (!GO_DURATION.test(text) || !/[1-9]/.test(text)) {
    throw new UsageError(`invalid --dashboard-period: expected a duration such as 1s, 500ms or 1m, got ${JSON.stringify(text)}`);
  }
  return text;
}

/**
 * The environment that turns the dashboard on. Flags win over the caller's environment; a configuration the user
 * chose (XK6_DASHBOARD_CONFIG, or a .dashboard.json where k6 runs) wins over the shipped one, as it would over k6's
 * default. k6 listens on every interface by default: here it is loopback unless a host is given.
 */
export function dashboardEnv(request: DashboardRequest, env: NodeJS.ProcessEnv, where: { shipped: string; cwdHasConfig: boolean }): DashboardEnv {
  const vars: Record<string, string> = { K6_WEB_DASHBOARD: 'true' };
  let config: string;
  if (env.XK6_DASHBOARD_CONFIG) {
    config = `${env.XK6_DASHBOARD_CONFIG} (XK6_DASHBOARD_CONFIG)`;
  } else if (where.cwdHasConfig) {
    config = `${CWD_DASHBOARD_CONFIG} in the working directory`;
  } else {
    vars.XK6_DASHBOARD_CONFIG = where.shipped;
    config = `k6-llm's (${where.shipped})`;
  }
  if (!env.K6_WEB_DASHBOARD_TAGS) vars.K6_WEB_DASHBOARD_TAGS = DASHBOARD_TAGS;
  const host = request.host ?? env.K6_WEB_DASHBOARD_HOST;
  vars.K6_WEB_DASHBOARD_HOST = host === undefined ? '127.0.0.1' : host;
  if (request.port !== undefined) vars.K6_WEB_DASHBOARD_PORT = String(request.port);
  if (request.export !== undefined) vars.K6_WEB_DASHBOARD_EXPORT = request.export;
  if (request.period !== undefined) vars.K6_WEB_DASHBOARD_PERIOD = checkDashboardPeriod(request.period);
  return { vars, config };
}
