/**
 * Retrying calls that may succeed later (5xx, 429, conflicts of concurrent
 * operations, dropped connections), with exponential backoff and jitter.
 */
import { setTimeout as sleep } from "node:timers/promises";

import { BackendError } from "../errors";

/** Retry policy for answers that may succeed later. */
export interface RetryPolicy {
  /** Attempts in all, the first included. @default 5 */
  readonly attempts: number;
  /** First backoff in ms, doubled each time, with jitter. @default 500 */
  readonly baseDelayMs: number;
  /** Longest backoff in ms. @default 8000 */
  readonly maxDelayMs: number;
}

/** The default retry policy. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 8_000 };

/** The delay before retry number `attempt` (1-based), with up to 25% jitter. */
export function calculateBackoff(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(base * (0.75 + random() * 0.25));
}

/**
 * Runs `call` until it succeeds, fails with an error that is not retryable,
 * or the policy's attempts are used up. Only for calls that are safe to
 * repeat.
 */
export async function withRetry<T>(policy: RetryPolicy, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!(BackendError.isInstance(err) && err.retryable) || attempt >= policy.attempts) {
        throw err;
      }
      await sleep(calculateBackoff(policy, attempt));
    }
  }
}
