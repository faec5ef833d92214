/**
 * Time for the emulated engine. Every delayed transition (disks finishing,
 * VMs booting, the prestart monitor, background pool removal) is a timer on
 * this clock, so tests can run them in milliseconds or step them by hand,
 * and demo mode can use realistic delays.
 */

/** A clock the engine model schedules its transitions on. */
export interface EngineClock {
  /** Milliseconds since the epoch, on this clock. */
  now(): number;
  /** Runs `task` after `delayMs` of this clock's time. */
  schedule(delayMs: number, task: () => void): void;
  /** Stops every pending timer (the server is closing). */
  dispose(): void;
}

/**
 * Real time, optionally sped up: with `speed` 100 a 5-minute monitor
 * interval passes in 3 seconds.
 */
export class SystemClock implements EngineClock {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly startReal = Date.now();

  constructor(private readonly speed = 1) {}

  now(): number {
    return this.startReal + (Date.now() - this.startReal) * this.speed;
  }

  schedule(delayMs: number, task: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      task();
    }, Math.max(0, delayMs / this.speed));
    timer.unref();
    this.timers.add(timer);
  }

  dispose(): void {
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
    this.timers.clear();
  }
}

interface ManualTask {
  at: number;
  seq: number;
  task: () => void;
}

/** Time that moves only when a test calls {@link ManualClock.advance}. */
export class ManualClock implements EngineClock {
  private current: number;
  private seq = 0;
  private tasks: ManualTask[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  schedule(delayMs: number, task: () => void): void {
    this.tasks.push({ at: this.current + Math.max(0, delayMs), seq: this.seq++, task });
  }

  /** Moves time forward, running every task that falls due, in order (tasks may schedule more). */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const due = this.tasks.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (due === undefined) {
        break;
      }
      this.tasks = this.tasks.filter((t) => t !== due);
      this.current = Math.max(this.current, due.at);
      due.task();
    }
    this.current = target;
  }

  /** Number of tasks not yet run. */
  pending(): number {
    return this.tasks.length;
  }

  dispose(): void {
    this.tasks = [];
  }
}
