// Recording fake of k6/metrics for unit tests: every add() lands in `samples`, with the
// VU's tags (k6/execution's exec.vu.metrics.tags) merged under the call's own, as k6 does.
import { state } from './k6-execution';
export interface RecordedSample {
  metric: string;
  type: 'trend' | 'counter' | 'rate' | 'gauge';
  value: number;
  tags: Record<string, string>;
}

export const samples: RecordedSample[] = [];
export const declared = new Map<string, { type: RecordedSample['type']; isTime: boolean }>();

export function resetSamples(): void {
  samples.length = 0;
}

/** Samples of one metric, optionally only those whose tags include `where`. */
export function samplesOf(metric: string, where: Record<string, string> = {}): RecordedSample[] {
  return samples.filter((s) => s.metric === metric && Object.entries(where).every(([k, v]) => s.tags[k] === v));
}

class Metric {
  constructor(
    readonly name: string,
    private readonly type: RecordedSample['type'],
    isTime = false,
  ) {
    const existing = declared.get(name);
    if (existing && existing.type !== type) throw new Error(`metric ${name} redeclared as ${type}`);
    declared.set(name, { type, isTime });
  }
  add(value: number | boolean, tags: Record<string, string> = {}): void {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`${this.name}: non-finite sample ${value}`);
    samples.push({ metric: this.name, type: this.type, value: Number(value), tags: { ...state.vu.metrics.tags, ...tags } });
  }
}

export class Trend extends Metric {
  constructor(name: string, isTime?: boolean) {
    super(name, 'trend', isTime);
  }
}
export class Counter extends Metric {
  constructor(name: string) {
    super(name, 'counter');
  }
}
export class Rate extends Metric {
  constructor(name: string) {
    super(name, 'rate');
  }
}
export class Gauge extends Metric {
  constructor(name: string) {
    super(name, 'gauge');
  }
}
