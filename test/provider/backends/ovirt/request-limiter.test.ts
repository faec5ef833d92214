/**
 * The per-engine limit of requests in flight: never more than the window at
 * once, first come first served, halved once per burst of overload answers
 * and widened again by successes, one limiter per engine in a process.
 */
import { describe, expect, it } from "vitest";

import { getRequestLimiter, RequestLimiter } from "../../../../provider/backends/ovirt/request-limiter";

/** A task that stays in flight until released by the test. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe("RequestLimiter", () => {
  it("keeps at most the limit in flight and admits waiters in the order they came", async () => {
    const limiter = new RequestLimiter(2);
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    const runs = gates.map((g, i) =>
      limiter.run(async () => {
        started.push(i);
        await g.promise;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect(limiter.stats()).toMatchObject({ active: 2, queued: 2 });
    gates[1]?.open();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) {
      g.open();
    }
    await Promise.all(runs);
    expect(started).toEqual([0, 1, 2, 3]);
    expect(limiter.stats()).toMatchObject({ max: 2, window: 2, active: 0, queued: 0, peakActive: 2 });
  });

  it("halves the window once for a burst of overload answers to requests sent together, down to one", async () => {
    const limiter = new RequestLimiter(8);
    const burst = await Promise.all(Array.from({ length: 8 }, () => limiter.acquire()));
    for (const p of burst) {
      p.overloaded();
      p.release();
    }
    expect(limiter.stats()).toMatchObject({ window: 4, narrowed: 1 });
    for (const expected of [2, 1, 1]) {
      const permit = await limiter.acquire();
      permit.overloaded();
      permit.release();
      expect(limiter.stats().window).toBe(expected);
    }
  });

  it("widens a narrowed window by one after a window's worth of successes, up to the limit", async () => {
    const limiter = new RequestLimiter(3);
    const first = await limiter.acquire();
    first.overloaded();
    first.release();
    expect(limiter.stats().window).toBe(1);
    const succeed = async (): Promise<void> => {
      const p = await limiter.acquire();
      p.succeeded();
      p.release();
    };
    await succeed();
    expect(limiter.stats().window).toBe(2);
    await succeed();
    await succeed();
    expect(limiter.stats().window).toBe(3);
    await succeed();
    await succeed();
    await succeed();
    expect(limiter.stats().window).toBe(3);
  });

  it("releases a permit once however often release is called", async () => {
    const limiter = new RequestLimiter(1);
    const permit = await limiter.acquire();
    permit.release();
    permit.release();
    expect(limiter.stats().active).toBe(0);
  });

  it("refuses a limit that is not a positive whole number", () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => new RequestLimiter(bad)).toThrow(`the limit of concurrent requests must be a positive whole number (got ${String(bad)})`);
    }
  });

  it("is one per engine origin in a process, taking the latest configured limit", () => {
    const a = getRequestLimiter("https://limiter-test-a.example", 4);
    expect(getRequestLimiter("https://limiter-test-a.example", 6)).toBe(a);
    expect(a.stats().max).toBe(6);
    expect(getRequestLimiter("https://limiter-test-b.example", 4)).not.toBe(a);
  });
});
