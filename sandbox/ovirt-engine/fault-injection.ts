/**
 * Faults a test asks for, each scoped to a method and a path pattern:
 * latency, 500/503 answers, dropped connections (before or after the engine
 * ran the request), token expiry mid-run, and 409 "Related operation is
 * currently in progress". A fault decides only how the request is answered;
 * the engine's state is changed only by requests that really run.
 */

/** What a rule does to a matching request. */
export type FaultKind = "latency" | "error" | "drop" | "expire-token" | "conflict";

/** One fault rule. */
export interface FaultRule {
  /** HTTP method to match; any when absent. */
  method?: string;
  /** Regular expression matched against the path without the query, e.g. `^/ovirt-engine/api/vmpools$`. */
  path: string;
  kind: FaultKind;
  /** Fraction of matching requests hit, 0..1. @default 1 */
  rate?: number;
  /** Hit at most this many requests, then the rule retires. @default unlimited */
  times?: number;
  /** `latency`: added delay in ms. */
  latencyMs?: number;
  /** `error`: 500 or 503. @default 503 */
  status?: 500 | 503;
  /** `drop`: close the connection before the engine runs the request, or after it ran (the answer is lost). @default "before" */
  phase?: "before" | "after";
}

interface ActiveRule extends FaultRule {
  id: number;
  hits: number;
}

/** The faults that apply to one request. */
export interface FaultDecision {
  latencyMs: number;
  error: 500 | 503 | undefined;
  drop: "before" | "after" | undefined;
  expireTokens: boolean;
  conflict: boolean;
}

/** Holds the rules and decides, deterministically for a given seed, which fire. */
export class FaultInjector {
  private rules: ActiveRule[] = [];
  private nextId = 1;
  private random: number;

  constructor(seed = 42) {
    this.random = seed;
  }

  /** A deterministic pseudo-random number in [0, 1) (LCG), so rates repeat from run to run. */
  private next(): number {
    this.random = (this.random * 1_103_515_245 + 12_345) % 2_147_483_648;
    return this.random / 2_147_483_648;
  }

  /** Adds a rule; returns its id. Throws on an invalid pattern. */
  add(rule: FaultRule): number {
    new RegExp(rule.path);
    const id = this.nextId++;
    this.rules.push({ ...rule, id, hits: 0 });
    return id;
  }

  /** Removes one rule, or all. */
  clear(id?: number): void {
    this.rules = id === undefined ? [] : this.rules.filter((r) => r.id !== id);
  }

  /** The rules in force, with how often each fired. */
  list(): (FaultRule & { id: number; hits: number })[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** Which faults hit this request. */
  decide(method: string, path: string): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0, error: undefined, drop: undefined, expireTokens: false, conflict: false };
    for (const rule of this.rules) {
      if ((rule.method !== undefined && rule.method.toUpperCase() !== method) || !new RegExp(rule.path).test(path)) {
        continue;
      }
      if (rule.times !== undefined && rule.hits >= rule.times) {
        continue;
      }
      if (this.next() >= (rule.rate ?? 1)) {
        continue;
      }
      rule.hits++;
      switch (rule.kind) {
        case "latency":
          decision.latencyMs += rule.latencyMs ?? 0;
          break;
        case "error":
          decision.error = rule.status ?? 503;
          break;
        case "drop":
          decision.drop = rule.phase ?? "before";
          break;
        case "expire-token":
          decision.expireTokens = true;
          break;
        case "conflict":
          decision.conflict = true;
          break;
      }
    }
    return decision;
  }
}

/** Counts requests per method and path. */
export class RequestLog {
  private readonly counts = new Map<string, number>();

  /** Records one request. */
  record(method: string, path: string): void {
    const key = `${method} ${path}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** Requests so far, as `{"POST /ovirt-engine/api/vmpools": 1}`. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  /** How many requests matched a method and a path pattern. */
  count(method: string, pathPattern: RegExp): number {
    let total = 0;
    for (const [key, n] of this.counts) {
      const space = key.indexOf(" ");
      if (key.slice(0, space) === method && pathPattern.test(key.slice(space + 1))) {
        total += n;
      }
    }
    return total;
  }

  /** Forgets every count. */
  reset(): void {
    this.counts.clear();
  }
}
