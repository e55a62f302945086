import { nowMs } from './clock';

/** Something to run at a planned time: one generation's next write. */
export interface Timed {
  /** The planned epoch-ms time of the next run, set by `Scheduler.at`. */
  due: number;
  /** Its place in the scheduler's heap; -1 when not scheduled. */
  slot: number;
  run(): void;
}

/**
 * One timer for the whole server: every generation's next write waits in a binary heap ordered by planned time,
 * and a single Node timer is armed for the earliest. When it fires, everything due is run, in planned order,
 * before the timer is armed again. A timer per write cost a `Timeout` object and a timer-list insertion per token;
 * writes due in the same millisecond now share one wake-up.
 *
 * Nothing runs before its planned time (the ground truth promises actual ≥ planned). Node timers count whole
 * milliseconds from a clock cached at the start of each loop iteration, so one may fire a fraction early: the
 * heap is checked against the monotonic clock and the timer armed again for what is not yet due.
 */
export class Scheduler {
  private readonly heap: Timed[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  /** The planned time the pending timer was armed for. */
  private armedFor = Infinity;
  private running = false;
  /** The tasks of one pass, reused. */
  private readonly batch: Timed[] = [];

  /** Runs `task` at `due` (epoch ms), or as soon as possible when that has passed; never synchronously. */
  at(task: Timed, due: number): void {
    if (task.slot >= 0) this.remove(task);
    task.due = due;
    task.slot = this.heap.length;
    this.heap.push(task);
    this.up(task.slot);
    // While due tasks are being run, `fire` arms the timer once at the end.
    if (!this.running && this.heap[0] === task) this.arm();
  }

  /** Forgets a scheduled task; nothing happens when it is not scheduled. */
  cancel(task: Timed): void {
    if (task.slot < 0) return;
    this.remove(task);
    if (!this.running) this.arm();
  }

  /** Tasks waiting. */
  get size(): number {
    return this.heap.length;
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.immediate = undefined;
    this.armedFor = Infinity;
    this.running = true;
    const batch = this.batch;
    try {
      // What is due now runs in this pass. A late task that schedules its next write in the past waits for the next
      // pass (an immediate), so the event loop reads sockets in between, as it would between two real writes.
      const now = nowMs();
      for (let top = this.heap[0]; top !== undefined && top.due <= now; top = this.heap[0]) {
        this.remove(top);
        batch.push(top);
      }
      for (let i = 0; i < batch.length; i++) (batch[i] as Timed).run();
    } finally {
      batch.length = 0;
      this.running = false;
      this.arm();
    }
  };

  private arm(): void {
    const top = this.heap[0];
    if (top === undefined) {
      this.disarm();
      return;
    }
    const wait = top.due - nowMs();
    if (wait <= 0) {
      // Overdue: run in this loop iteration's check phase, after pending I/O, rather than recursing.
      if (this.immediate !== undefined) return;
      this.disarm();
      this.immediate = setImmediate(this.fire);
      return;
    }
    if (this.immediate !== undefined) return;
    if (this.timer !== undefined && this.armedFor <= top.due) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(this.fire, Math.ceil(wait));
    this.armedFor = top.due;
  }

  private disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    this.armedFor = Infinity;
  }

  private remove(task: Timed): void {
    const i = task.slot;
    const last = this.heap.pop() as Timed;
    task.slot = -1;
    if (last === task) return;
    this.heap[i] = last;
    last.slot = i;
    this.down(i);
    this.up(last.slot);
  }

  private up(i: number): void {
    const heap = this.heap;
    const task = heap[i] as Timed;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = heap[parent] as Timed;
      if (above.due <= task.due) break;
      heap[i] = above;
      above.slot = i;
      i = parent;
    }
    heap[i] = task;
    task.slot = i;
  }

  private down(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const task = heap[i] as Timed;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && (heap[right] as Timed).due < (heap[left] as Timed).due ? right : left;
      const below = heap[child] as Timed;
      if (below.due >= task.due) break;
      heap[i] = below;
      below.slot = i;
      i = child;
    }
    heap[i] = task;
    task.slot = i;
  }
}
