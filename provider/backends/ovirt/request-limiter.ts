/**
 * How many requests one provider process has in flight to one engine. Every
 * resource of a stack runs in the same dynamic provider process, so with
 * `pulumi up --parallel 64` as many operations may talk to one engine at
 * once; the engine's Apache proxy answers 503 when its connections to the
 * engine are all busy. One limiter per engine, shared by every client and
 * resource of the process, keeps the requests in flight at most at the
 * configured limit (`vmpools:ovirtMaxConcurrentRequests`), and narrows that
 * further while the engine answers 429 or 503: it halves the window on an
 * overload answer and widens it by one after a window's worth of successes
 * (additive increase, multiplicative decrease, as TCP does), so a busy
 * engine sees fewer requests, not the same number retried.
 */

/** One admitted request. Report how the engine answered, then release it. */
export interface RequestPermit {
  /** The engine answered 429 or 503: it is overloaded. */
  overloaded(): void;
  /** The engine answered (not with an overload). */
  succeeded(): void;
  /** The request is finished; the next waiting request may go. Idempotent. */
  release(): void;
}

/** The limiter's state, for tests and benchmarks. */
export interface LimiterStats {
  /** The configured limit. */
  readonly max: number;
  /** Requests allowed in flight now (the limit, narrowed after overload answers). */
  readonly window: number;
  /** Requests in flight. */
  readonly active: number;
  /** Requests waiting for a permit. */
  readonly queued: number;
  /** Most requests in flight at once so far. */
  readonly peakActive: number;
  /** Overload answers that narrowed the window. */
  readonly narrowed: number;
}

/** A per-engine limit of requests in flight with AIMD narrowing on overload answers. */
export class RequestLimiter {
  private max: number;
  private window: number;
  private active = 0;
  private peakActive = 0;
  private narrowed = 0;
  /** Successes since the window last changed; the window widens after `window` of them. */
  private successes = 0;
  /** Bumped on each narrowing, so a burst of 503s to requests sent together narrows once. */
  private epoch = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(max: number) {
    this.max = RequestLimiter.validate(max);
    this.window = this.max;
  }

  private static validate(max: number): number {
    if (!Number.isInteger(max) || max < 1) {
      throw new Error(`the limit of concurrent requests must be a positive whole number (got ${String(max)})`);
    }
    return max;
  }

  /** Changes the configured limit (stack config may differ between runs of a long-lived process). */
  setMax(max: number): void {
    this.max = RequestLimiter.validate(max);
    this.window = Math.min(this.window, this.max);
    if (this.window < 1 || this.narrowed === 0) {
      this.window = this.max;
    }
    this.wake();
  }

  /** Waits for a permit. */
  async acquire(): Promise<RequestPermit> {
    if (this.active < this.window && this.waiting.length === 0) {
      this.admit();
    } else {
      // First come, first served: wake() admits waiters in order.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    const epoch = this.epoch;
    let released = false;
    return {
      overloaded: () => {
        // Only the first overload answer of requests sent under one window narrows it.
        if (epoch === this.epoch) {
          this.epoch++;
          this.narrowed++;
          this.window = Math.max(1, Math.floor(this.window / 2));
          this.successes = 0;
        }
      },
      succeeded: () => {
        if (this.window < this.max && ++this.successes >= this.window) {
          this.window++;
          this.successes = 0;
          this.wake();
        }
      },
      release: () => {
        if (!released) {
          released = true;
          this.active--;
          this.wake();
        }
      },
    };
  }

  /** Runs `task` holding a permit, reporting nothing about the answer. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    const permit = await this.acquire();
    try {
      return await task();
    } finally {
      permit.release();
    }
  }

  /** The limit, the window and the counters. */
  stats(): LimiterStats {
    return { max: this.max, window: this.window, active: this.active, queued: this.waiting.length, peakActive: this.peakActive, narrowed: this.narrowed };
  }

  private admit(): void {
    this.active++;
    this.peakActive = Math.max(this.peakActive, this.active);
  }

  /** Admits waiting requests, in order, while the window has room. */
  private wake(): void {
    for (let next = this.waiting.shift(); next !== undefined; next = this.waiting.shift()) {
      if (this.active >= this.window) {
        this.waiting.unshift(next);
        return;
      }
      this.admit();
      next();
    }
  }
}

/** One limiter per engine in this process, shared by every client and resource. */
const LIMITERS = new Map<string, RequestLimiter>();

/**
 * The limiter of the engine at `origin` (e.g. `https://engine.example.com`),
 * created with `max` on first use; later calls update its limit to `max`.
 */
export function getRequestLimiter(origin: string, max: number): RequestLimiter {
  const found = LIMITERS.get(origin);
  if (found !== undefined) {
    found.setMax(max);
    return found;
  }
  const created = new RequestLimiter(max);
  LIMITERS.set(origin, created);
  return created;
}
