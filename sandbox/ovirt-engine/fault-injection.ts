/**
 * Faults a test asks for, each scoped to a method and a path pattern:
 * latency, 500/503 answers, dropped connections (before or after the engine
 * ran the request), token expiry mid-run, and 409 "Related operation is
 * currently in progress". A fault decides only how the request is answered;
 * the engine's state is changed only by requests that really run.
 */

import type { EngineVariableKey } from "./engine-messages";
import { EngineFault, operationFailed } from "./faults";

/** What a rule does to a matching request. */
export type FaultKind = "latency" | "error" | "drop" | "expire-token" | "conflict";

const KINDS: readonly FaultKind[] = ["latency", "error", "drop", "expire-token", "conflict"];
const RULE_KEYS = new Set(["method", "path", "kind", "rate", "times", "latencyMs", "status", "phase"]);

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
  /** `error`: the status answered: 500 from the engine, or 502, 503, 504 from the proxy in front of it. @default 503 */
  status?: ErrorStatus;
  /**
   * `drop`: close the connection before the engine runs the request, or after
   * it ran (the answer is lost). `error`: answer the status instead of
   * running the request, or after the engine ran it (a gateway timing out on
   * a slow command). @default "before"
   */
  phase?: "before" | "after";
}

/** Statuses an `error` fault answers: the engine's 500, and what the Apache proxy in front of it answers (502, 503, 504). */
export const ERROR_STATUSES = [500, 502, 503, 504] as const;
/** One of {@link ERROR_STATUSES}. */
export type ErrorStatus = (typeof ERROR_STATUSES)[number];

interface ActiveRule extends FaultRule {
  id: number;
  hits: number;
  /** State of this rule's own pseudo-random stream. */
  random: number;
}

/** The faults that apply to one request. */
export interface FaultDecision {
  latencyMs: number;
  error: { status: ErrorStatus; phase: "before" | "after" } | undefined;
  drop: "before" | "after" | undefined;
  expireTokens: boolean;
  conflict: boolean;
}

/**
 * Holds the rules and decides which fire. Each rule draws from its own
 * pseudo-random stream, seeded from the injector's seed and the rule's id,
 * so whether the n-th request a rule matches is hit repeats from run to run
 * and does not depend on other rules or other requests.
 */
export class FaultInjector {
  private rules: ActiveRule[] = [];
  private nextId = 1;

  constructor(private readonly seed = 42) {}

  /** The next number in [0, 1) of a rule's stream (mulberry32, exact 32-bit arithmetic). */
  private static next(rule: ActiveRule): number {
    rule.random = (rule.random + 0x6d2b79f5) >>> 0;
    let t = rule.random;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /**
   * Adds a rule; returns its id. Throws on an invalid rule (unknown kind or
   * attribute, bad pattern, rate outside 0..1, ...), as rules may come as JSON
   * over the control API.
   */
  add(rule: FaultRule): number {
    const checked = validateRule(rule);
    const id = this.nextId++;
    this.rules.push({ ...checked, id, hits: 0, random: (this.seed + Math.imul(id, 0x9e3779b9)) >>> 0 });
    return id;
  }

  /** Removes one rule, or all. */
  clear(id?: number): void {
    this.rules = id === undefined ? [] : this.rules.filter((r) => r.id !== id);
  }

  /** The rules in force, with how often each fired. */
  list(): (FaultRule & { id: number; hits: number })[] {
    return this.rules.map(({ random: _random, ...r }) => r);
  }

  /** Whether a rule with this id is in force. */
  has(id: number): boolean {
    return this.rules.some((r) => r.id === id);
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
      if (FaultInjector.next(rule) >= (rule.rate ?? 1)) {
        continue;
      }
      rule.hits++;
      switch (rule.kind) {
        case "latency":
          decision.latencyMs += rule.latencyMs ?? 0;
          break;
        case "error":
          decision.error = { status: rule.status ?? 503, phase: rule.phase ?? "before" };
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

function validateRule(input: unknown): FaultRule {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new Error("a fault rule must be an object");
  }
  const rule = input as Record<string, unknown>;
  const unknown = Object.keys(rule).filter((key) => !RULE_KEYS.has(key));
  if (unknown.length > 0) {
    throw new Error(`unknown fault rule attribute(s): ${unknown.join(", ")}; known: ${[...RULE_KEYS].join(", ")}`);
  }
  const { method, path, kind, rate, times, latencyMs, status, phase } = rule;
  if (typeof kind !== "string" || !(KINDS as readonly string[]).includes(kind)) {
    throw new Error(`fault rule kind must be one of ${KINDS.join(", ")}`);
  }
  if (typeof path !== "string") {
    throw new Error("fault rule path must be a regular expression (string)");
  }
  new RegExp(path);
  if (method !== undefined && typeof method !== "string") {
    throw new Error("fault rule method must be a string");
  }
  if (rate !== undefined && (typeof rate !== "number" || !(rate >= 0 && rate <= 1))) {
    throw new Error("fault rule rate must be a number from 0 to 1");
  }
  if (times !== undefined && (typeof times !== "number" || !Number.isInteger(times) || times < 1)) {
    throw new Error("fault rule times must be a positive integer");
  }
  if (latencyMs !== undefined && (typeof latencyMs !== "number" || !Number.isFinite(latencyMs) || latencyMs < 0)) {
    throw new Error("fault rule latencyMs must be a non-negative number");
  }
  if (kind === "latency" && latencyMs === undefined) {
    throw new Error("a latency rule needs latencyMs");
  }
  if (status !== undefined && !(ERROR_STATUSES as readonly unknown[]).includes(status)) {
    throw new Error(`fault rule status must be one of ${ERROR_STATUSES.join(", ")}`);
  }
  if (phase !== undefined && phase !== "before" && phase !== "after") {
    throw new Error('fault rule phase must be "before" or "after"');
  }
  return rule as unknown as FaultRule;
}

/**
 * The `${action}` and `${type}` fillers the engine command behind a request
 * adds to its validation messages (`setActionMessageParameters`), by method
 * and path below the API root. Undefined for requests that run no command
 * (GET), whose placeholders then stay as they are, as `StrSubstitutor`
 * leaves unknown variables.
 */
export function commandVariables(method: string, apiPath: string): [EngineVariableKey, EngineVariableKey] | undefined {
  const table: [string, RegExp, EngineVariableKey, EngineVariableKey][] = [
    ["POST", /^\/vmpools$/, "VAR__ACTION__CREATE", "VAR__TYPE__DESKTOP_POOL"],
    ["PUT", /^\/vmpools\/[^/]+$/, "VAR__ACTION__UPDATE", "VAR__TYPE__DESKTOP_POOL"],
    ["DELETE", /^\/vmpools\/[^/]+$/, "VAR__ACTION__REMOVE", "VAR__TYPE__DESKTOP_POOL"],
    ["POST", /^\/vmpools\/[^/]+\/allocatevm$/, "VAR__ACTION__ALLOCATE_AND_RUN", "VAR__TYPE__VM_FROM_VM_POOL"],
    ["POST", /^\/clusters$/, "VAR__ACTION__CREATE", "VAR__TYPE__CLUSTER"],
    ["PUT", /^\/clusters\/[^/]+$/, "VAR__ACTION__UPDATE", "VAR__TYPE__CLUSTER"],
    ["DELETE", /^\/clusters\/[^/]+$/, "VAR__ACTION__REMOVE", "VAR__TYPE__CLUSTER"],
    ["POST", /^(\/[^/]+\/[^/]+)?\/permissions$/, "VAR__ACTION__ADD", "VAR__TYPE__PERMISSION"],
    ["DELETE", /^(\/[^/]+\/[^/]+)?\/permissions\/[^/]+$/, "VAR__ACTION__REMOVE", "VAR__TYPE__PERMISSION"],
    ["DELETE", /^\/vms\/[^/]+$/, "VAR__ACTION__REMOVE", "VAR__TYPE__VM"],
    ["POST", /^\/vms\/[^/]+\/detach$/, "VAR__ACTION__DETACH", "VAR__TYPE__VM"],
    ["POST", /^\/vms\/[^/]+\/stop$/, "VAR__ACTION__STOP", "VAR__TYPE__VM"],
    ["POST", /^\/vms\/[^/]+\/shutdown$/, "VAR__ACTION__SHUTDOWN", "VAR__TYPE__VM"],
    ["POST", /^\/vms\/[^/]+\/start$/, "VAR__ACTION__RUN", "VAR__TYPE__VM"],
    ["POST", /^\/vms\/[^/]+\/suspend$/, "VAR__ACTION__HIBERNATE", "VAR__TYPE__VM"],
  ];
  const path = apiPath.replace(/\/$/, "");
  const row = table.find(([m, pattern]) => m === method && pattern.test(path));
  return row === undefined ? undefined : [row[2], row[3]];
}

/** Whether a request is an action (`POST .../<verb>`), whose failures come back in an `action` body. */
export function isActionRequest(method: string, apiPath: string): boolean {
  return method === "POST" && /^\/(vmpools\/[^/]+\/allocatevm|vms\/[^/]+\/(detach|stop|shutdown|start|suspend))\/?$/.test(apiPath);
}

/**
 * The injected 409: `ACTION_TYPE_FAILED_OBJECT_LOCKED` with the fillers of
 * the command behind the request, e.g. `[Cannot create VM-Pool. Related
 * operation is currently in progress. Please try again later.]`.
 */
export function relatedOperationInProgress(method: string, apiPath: string): EngineFault {
  const vars = commandVariables(method, apiPath);
  return operationFailed(vars?.[0], vars?.[1], "ACTION_TYPE_FAILED_OBJECT_LOCKED");
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
