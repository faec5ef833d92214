import { describe, expect, it } from "vitest";

import { calculateBackoff, withRetry } from "../../../provider/backends/retry";
import { BackendError } from "../../../provider/errors";

const ctx = { backend: "kubevirt" as const, operation: "test", resource: "test" };
const FAST = { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 };

describe("calculateBackoff", () => {
  it.each([
    { attempt: 1, random: 1, delay: 500 },
    { attempt: 2, random: 1, delay: 1000 },
    { attempt: 3, random: 0, delay: 1500 },
    { attempt: 10, random: 1, delay: 8000 },
  ])("waits $delay ms before retry $attempt (jitter draw $random)", ({ attempt, random, delay }) => {
    expect(calculateBackoff({ attempts: 5, baseDelayMs: 500, maxDelayMs: 8000 }, attempt, () => random)).toBe(delay);
  });
});

describe("withRetry", () => {
  it("repeats a retryable failure until the call succeeds", async () => {
    let calls = 0;
    const result = await withRetry(FAST, async () => {
      calls++;
      if (calls < 3) {
        throw new BackendError(ctx, "busy", { status: 503, retryable: true });
      }
      return "done";
    });
    expect([result, calls]).toEqual(["done", 3]);
  });

  it("gives up after the policy's attempts, with the last error", async () => {
    let calls = 0;
    await expect(
      withRetry(FAST, async () => {
        calls++;
        throw new BackendError(ctx, `busy ${calls}`, { status: 503, retryable: true });
      }),
    ).rejects.toThrow("kubevirt test of test failed: busy 3");
    expect(calls).toBe(3);
  });

  it("never repeats an error that is not retryable", async () => {
    let calls = 0;
    await expect(
      withRetry(FAST, async () => {
        calls++;
        throw new BackendError(ctx, "forbidden", { status: 403 });
      }),
    ).rejects.toThrow("forbidden");
    expect(calls).toBe(1);
  });
});
