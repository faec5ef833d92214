/**
 * An overloaded engine: above a threshold of requests in flight, the proxy
 * in front of the engine answers 503 with no body, as Apache's `mod_proxy`
 * does when every connection to the engine is busy, and the engine never
 * sees the request. Off by default. It also counts the requests in flight,
 * their peak and the refusals, so a benchmark can show how hard a client
 * pressed the engine.
 */

/** What the gate has seen since its counters were last reset. */
export interface OverloadStats {
  /** Requests in flight from which on the sandbox answers 503; null when off. */
  maxConcurrentRequests: number | null;
  /** Requests in flight now. */
  inFlight: number;
  /** Most requests in flight at once (refused ones not included). */
  peakInFlight: number;
  /** Requests answered 503 because too many were in flight. */
  rejected: number;
}

/** Counts API and SSO requests in flight and refuses those above the threshold. */
export class ConcurrencyGate {
  private limit: number | undefined;
  private inFlight = 0;
  private peak = 0;
  private rejected = 0;

  constructor(maxConcurrentRequests?: number) {
    this.setLimit(maxConcurrentRequests);
  }

  /**
   * Sets the threshold (a positive whole number), or turns the gate off with
   * undefined. Throws on anything else, since it may arrive as JSON.
   */
  setLimit(maxConcurrentRequests: number | undefined): void {
    if (maxConcurrentRequests !== undefined && (!Number.isInteger(maxConcurrentRequests) || maxConcurrentRequests < 1)) {
      throw new Error("maxConcurrentRequests must be a positive whole number, or null to turn the overload off");
    }
    this.limit = maxConcurrentRequests;
  }

  /**
   * A request arrives. Returns false when it must be refused with 503 (it is
   * then not in flight); otherwise it is in flight until {@link leave}.
   */
  enter(): boolean {
    if (this.limit !== undefined && this.inFlight >= this.limit) {
      this.rejected++;
      return false;
    }
    this.inFlight++;
    this.peak = Math.max(this.peak, this.inFlight);
    return true;
  }

  /** A request admitted by {@link enter} has been answered (or its connection dropped). */
  leave(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }

  /** The threshold and counters. */
  stats(): OverloadStats {
    return { maxConcurrentRequests: this.limit ?? null, inFlight: this.inFlight, peakInFlight: this.peak, rejected: this.rejected };
  }

  /** Forgets the peak and the refusals (requests in flight stay counted). */
  resetStats(): void {
    this.peak = this.inFlight;
    this.rejected = 0;
  }
}
