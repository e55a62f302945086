// How late the relay's event loop runs: a timer due every INTERVAL_MS records how late it fired, into a ring of
// samples. An exchange notes the sample count when it starts and reads the worst and mean delay of the samples
// taken while it was in flight: a read that arrived in that span could have been stamped up to that late.
// The timer runs only while exchanges are in flight.
import { performance } from 'node:perf_hooks';

const INTERVAL_MS = 5;
const RING = 1 << 17; // 131,072 samples: 11 minutes at 5 ms; an exchange longer than that reads the last 11 minutes.

export interface LoopDelay {
  /** Worst sample, ms. */
  max: number;
  /** Mean of the samples, ms. */
  mean: number;
}

export class LoopDelayMonitor {
  private readonly samples = new Float64Array(RING);
  private count = 0;
  private active = 0;
  private timer: NodeJS.Timeout | undefined;
  private due = 0;

  /** An exchange starts: returns its mark for `end`. */
  begin(): number {
    if (this.active++ === 0) this.schedule();
    return this.count;
  }

  /** An exchange ended: the delay over the samples since its mark (the latest sample when none was taken since). */
  end(mark: number): LoopDelay {
    if (--this.active === 0 && this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const last = this.count;
    let first = Math.max(mark, last - RING);
    if (first >= last) first = Math.max(0, last - 1);
    if (first >= last) return { max: 0, mean: 0 };
    let max = 0;
    let sum = 0;
    for (let i = first; i < last; i++) {
      const v = this.samples[i & (RING - 1)] as number;
      if (v > max) max = v;
      sum += v;
    }
    return { max, mean: sum / (last - first) };
  }

  /** Samples taken so far (for tests and the relay's status). */
  get taken(): number {
    return this.count;
  }

  private schedule(): void {
    this.due = performance.now() + INTERVAL_MS;
    this.timer = setTimeout(this.tick, INTERVAL_MS);
    // The sampler must never keep a finished process alive.
    this.timer.unref();
  }

  private readonly tick = (): void => {
    const now = performance.now();
    this.samples[this.count & (RING - 1)] = Math.max(0, now - this.due);
    this.count++;
    if (this.active > 0) this.schedule();
    else this.timer = undefined;
  };
}
