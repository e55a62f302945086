import { describe, expect, it } from 'vitest';
import { nowMs } from '../../../node/mock/clock';
import { Scheduler, type Timed } from '../../../node/mock/scheduler';

/** A task that notes when it ran, and may schedule itself again. */
function task(name: string, log: { name: string; due: number; ran: number }[], next?: (t: Timed) => void): Timed {
  const t: Timed = {
    due: 0,
    slot: -1,
    run() {
      log.push({ name, due: t.due, ran: nowMs() });
      next?.(t);
    },
  };
  return t;
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Scheduler', () => {
  it('runs tasks in planned order and never before their planned time', async () => {
    const scheduler = new Scheduler();
    const log: { name: string; due: number; ran: number }[] = [];
    const t0 = nowMs();
    const plan: [string, number][] = [['c', 9.5], ['a', 2.25], ['d', 14], ['b', 5.75]];
    for (const [name, at] of plan) scheduler.at(task(name, log), t0 + at);
    await settle(40);
    expect(log.map((l) => l.name)).toEqual(['a', 'b', 'c', 'd']);
    for (const l of log) expect(l.ran).toBeGreaterThanOrEqual(l.due);
    expect(scheduler.size).toBe(0);
  });

  it('forgets a cancelled task and re-arms for an earlier one', async () => {
    const scheduler = new Scheduler();
    const log: { name: string; due: number; ran: number }[] = [];
    const late = task('late', log);
    const gone = task('gone', log);
    scheduler.at(late, nowMs() + 30);
    scheduler.at(gone, nowMs() + 5);
    scheduler.cancel(gone);
    scheduler.at(task('early', log), nowMs() + 2);
    expect(gone.slot).toBe(-1);
    await settle(50);
    expect(log.map((l) => l.name)).toEqual(['early', 'late']);
  });

  it('runs overdue tasks soon, and what a run schedules in the past only after the event loop has turned', async () => {
    const scheduler = new Scheduler();
    const log: { name: string; due: number; ran: number }[] = [];
    let passes = 0;
    const other = task('other', log);
    const again = task('again', log, (t) => {
      passes++;
      if (passes === 1) {
        setImmediate(() => log.push({ name: 'loop', due: 0, ran: nowMs() }));
        scheduler.at(other, t.due);
      }
      if (passes < 3) scheduler.at(t, t.due + 0.001);
    });
    scheduler.at(again, nowMs() - 50);
    await settle(20);
    expect(log.map((l) => l.name)).toEqual(['again', 'loop', 'other', 'again', 'again']);
  });

  it('moves a task that is scheduled again to its new time', async () => {
    const scheduler = new Scheduler();
    const log: { name: string; due: number; ran: number }[] = [];
    const t = task('moved', log);
    scheduler.at(t, nowMs() + 2);
    scheduler.at(t, nowMs() + 12);
    expect(scheduler.size).toBe(1);
    await settle(40);
    expect(log).toHaveLength(1);
    expect(log[0]!.ran).toBeGreaterThanOrEqual(log[0]!.due);
  });
});
