/**
 * Pure mapping between VM-Operator objects and what the provider plans
 * with: a `VirtualMachine` as {@link VmFacts}, a `VmPool` as its settings
 * and permission list, and the manifest of a new pool.
 */
import type { KubeObject } from "./client";
import { VMOPERATOR_API_VERSION } from "./client";
import type { VmFacts } from "./membership";
import { parseOwners, type PermissionEntry } from "./permission-entries";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function recordAt(value: unknown, key: string): Record<string, unknown> {
  const inner = isRecord(value) ? value[key] : undefined;
  return isRecord(inner) ? inner : {};
}

function stringAt(value: Record<string, unknown>, key: string): string | undefined {
  const inner = value[key];
  return typeof inner === "string" && inner !== "" ? inner : undefined;
}

/**
 * A VM as the planner sees it. It is held when its status carries an
 * assignment with a user (from any pool: VM-Operator keeps the assignment
 * until the retention expires) or while a console user is connected
 * (`status.consoleUser`, or the `ConsoleConnected` condition True).
 * Example: `status.assignment: { pool: "lab", user: "alice" }` -> `heldBy: "alice"`.
 */
export function toVmFacts(vm: KubeObject): VmFacts {
  const spec = recordAt(vm, "spec");
  const status = recordAt(vm, "status");
  const pools = Array.isArray(spec["pools"]) ? spec["pools"].filter((p): p is string => typeof p === "string") : [];
  const state = stringAt(recordAt(spec, "vm"), "state") ?? "Stopped";
  const assignedTo = stringAt(recordAt(status, "assignment"), "user");
  const conditions = Array.isArray(status["conditions"]) ? status["conditions"].filter(isRecord) : [];
  const consoleConnected = conditions.some((c) => c["type"] === "ConsoleConnected" && c["status"] === "True");
  const consoleUser = stringAt(status, "consoleUser");
  const heldBy = assignedTo ?? (consoleConnected ? (consoleUser ?? "(console connected)") : undefined);
  return { name: vm.metadata?.name ?? "", labels: vm.metadata?.labels ?? {}, pools, state, heldBy };
}

/** A VmPool object's settings as the provider compares them. */
export interface ObservedVmoperatorPool {
  /** `metadata.uid`. */
  readonly uid: string;
  /** `spec.retention`. */
  readonly retention: string;
  /** `spec.loginOnAssignment`. */
  readonly loginOnAssignment: boolean;
  /** `spec.permissions`. */
  readonly permissions: PermissionEntry[];
  /** Which permission entries PoolPermissions added (see permission-entries.ts). */
  readonly owners: Record<string, string>;
}

function toEntry(value: Record<string, unknown>): PermissionEntry {
  const may = Array.isArray(value["may"]) ? value["may"].filter((m): m is string => typeof m === "string") : undefined;
  const user = stringAt(value, "user");
  const role = stringAt(value, "role");
  return { ...(user === undefined ? {} : { user }), ...(role === undefined ? {} : { role }), ...(may === undefined ? {} : { may }) };
}

/** Reads a VmPool object; the CRD's defaults stand in for fields a cluster without defaulting left out. */
export function fromVmoperatorPool(pool: KubeObject): ObservedVmoperatorPool {
  const spec = recordAt(pool, "spec");
  const permissions = Array.isArray(spec["permissions"]) ? spec["permissions"].filter(isRecord).map(toEntry) : [];
  return {
    uid: pool.metadata?.uid ?? "",
    retention: stringAt(spec, "retention") ?? "PT1h",
    loginOnAssignment: spec["loginOnAssignment"] === true,
    permissions,
    owners: parseOwners(pool.metadata?.annotations),
  };
}

/**
 * The manifest of a new VmPool: its settings and an empty permission list,
 * which the CRD requires; `PoolPermission`s add entries later.
 */
export function toVmoperatorPoolManifest(namespace: string, name: string, settings: { retention: string; loginOnAssignment: boolean }): KubeObject {
  return {
    apiVersion: VMOPERATOR_API_VERSION,
    kind: "VmPool",
    metadata: { name, namespace, labels: { "app.kubernetes.io/managed-by": "pulumi-vmpools" } },
    spec: { retention: settings.retention, loginOnAssignment: settings.loginOnAssignment, permissions: [] },
  };
}

/**
 * A VM with its `spec.pools` and `spec.vm.state` changed, everything else
 * as read (so a write-back guarded by its `resourceVersion` changes only
 * these). Example: pools `["other"]`, `{ addPool: "lab" }` -> `["other", "lab"]`.
 */
export function withVmChange(vm: KubeObject, change: { addPool?: string; removePool?: string; state?: "Running" | "Stopped" }): KubeObject {
  const spec = recordAt(vm, "spec");
  const pools = toVmFacts(vm).pools.filter((p) => p !== change.removePool);
  if (change.addPool !== undefined && !pools.includes(change.addPool)) {
    pools.push(change.addPool);
  }
  const vmSpec = recordAt(spec, "vm");
  return { ...vm, spec: { ...spec, pools, vm: change.state === undefined ? vmSpec : { ...vmSpec, state: change.state } } };
}
