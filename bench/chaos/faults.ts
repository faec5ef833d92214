/**
 * The faults the campaign injects, drawn at random per run: 500/502/503/504
 * before or after the engine ran the request, dropped connections before and
 * after, 409 "Related operation is currently in progress", token expiry
 * mid-run, and latency, on the requests pools and permissions are made of.
 * Each rule hits at most a few times, as a real outage ends: the provider
 * is expected to ride through by its retries or leave state that the next
 * run repairs, never to lose or duplicate anything.
 */
import type { FaultRule } from "../../sandbox/ovirt-engine/fault-injection";
import type { Random } from "./random";

const API = "^/ovirt-engine/api";
/** Requests that change the engine, by method and path. */
const WRITES: readonly [string, string][] = [
  ["POST", `${API}/vmpools$`],
  ["PUT", `${API}/vmpools/[^/]+$`],
  ["DELETE", `${API}/vmpools/[^/]+$`],
  ["POST", `${API}/vmpools/[^/]+/permissions$`],
  ["DELETE", `${API}/vmpools/[^/]+/permissions/[^/]+$`],
  ["POST", `${API}/vms/[^/]+/detach$`],
  ["DELETE", `${API}/vms/[^/]+$`],
];
/** Requests that read, including those recovery relies on (jobs, search by name). */
const READS: readonly [string, string][] = [
  ["GET", `${API}/vms$`],
  ["GET", `${API}/vmpools$`],
  ["GET", `${API}/vmpools/[^/]+$`],
  ["GET", `${API}/jobs$`],
  ["GET", `${API}/clusters$`],
  ["GET", `${API}/templates$`],
  ["GET", `${API}/vmpools/[^/]+/permissions(/[^/]+)?$`],
  ["GET", `${API}/vms/[^/]+/permissions(/[^/]+)?$`],
  ["GET", `${API}/users$`],
];

/** One rule for a write or a read. */
function randomRule(rng: Random): FaultRule {
  const [method, path] = rng.pick(rng.chance(0.7) ? WRITES : READS);
  // Mostly short outages the client's retries ride through; now and then a
  // longer one that outlasts them, so the next run must repair the state.
  const times = rng.pick([1, 1, 2, 2, 3, 6]);
  const rate = rng.pick([1, 1, 0.5]);
  const kind = rng.pick(["error", "error", "drop", "drop", "conflict", "expire-token", "latency"] as const);
  switch (kind) {
    case "error":
      return { method, path, kind, status: rng.pick([500, 502, 503, 504] as const), phase: rng.pick(["before", "after"] as const), times, rate };
    case "drop":
      return { method, path, kind, phase: rng.pick(["before", "after"] as const), times, rate };
    case "conflict":
      return { method, path, kind, times, rate };
    case "expire-token":
      return { path: API, kind, times: 1, rate: rng.pick([0.05, 0.2]) };
    case "latency":
      return { method, path, kind, latencyMs: rng.int(50, 400), times: rng.int(1, 5), rate };
  }
}

/** Zero (one run in ten) to four rules for one run. */
export function drawFaults(rng: Random): FaultRule[] {
  if (rng.chance(0.1)) {
    return [];
  }
  return Array.from({ length: rng.int(1, 4) }, () => randomRule(rng));
}

/** A short label of a rule, for counts by kind. */
export function describeFault(rule: FaultRule): string {
  const detail = rule.kind === "error" ? ` ${rule.status ?? 503} ${rule.phase ?? "before"}` : rule.kind === "drop" ? ` ${rule.phase ?? "before"}` : "";
  return `${rule.kind}${detail}`;
}
