/**
 * What must hold on the engine and in state after every run of the fault
 * campaign, faulty or clean, read from the sandbox's own store (not through
 * the provider):
 *
 * - no duplicate pool, and no pool of the campaign's names that state does
 *   not track (it would make the next create fail, or be created twice);
 * - no orphaned VM: every VM of the campaign's names belongs to a tracked pool;
 * - no orphaned permission: every permission on a campaign pool is tracked;
 * - no VM deleted that the safe-shrink rule did not allow: a VM that was
 *   running or held by a user when the run began and that is gone while its
 *   pool remains;
 * - no inherited permission deleted (cluster, data center, system);
 * - after a clean run, Pulumi's state equal to the engine's: every tracked
 *   pool and permission exists with the settings, VMs and grant state says.
 */
import { describeValue } from "../../provider/check";
import type { SandboxControl } from "../../sandbox/ovirt-engine/control";
import type { StateEntry } from "./deployment";
import { POOL_NAMES } from "./program";

/** One broken invariant. */
export interface Violation {
  /** Which invariant, e.g. `orphaned VM`. */
  readonly invariant: string;
  readonly detail: string;
}

/** A VM of the campaign as the run began. */
export interface VmBefore {
  readonly id: string;
  readonly name: string;
  readonly poolId: string | undefined;
  readonly status: string;
  readonly users: number;
}

const isCampaignName = (name: string): boolean => POOL_NAMES.some((p) => name === p || name.startsWith(`${p}-`));

/** The campaign's VMs now, by id. */
export function snapshotVms(control: SandboxControl): Map<string, VmBefore> {
  const vms = [...control.engine.store.vms.values()].filter((vm) => isCampaignName(vm.name));
  return new Map(vms.map((vm) => [vm.id, { id: vm.id, name: vm.name, poolId: vm.poolId, status: vm.status, users: vm.userIds.length }]));
}

/** What the checks need. */
export interface InvariantInput {
  readonly control: SandboxControl;
  readonly state: readonly StateEntry[];
  /** The campaign's VMs as the run began. */
  readonly before: ReadonlyMap<string, VmBefore>;
  /** Ids of the inherited permissions seeded on the cluster, data center and system. */
  readonly inherited: readonly string[];
  /** Compare state with the engine (after a clean run that succeeded). */
  readonly compareState: boolean;
}

function roleName(control: SandboxControl, roleId: string): string {
  return control.engine.store.roles.get(roleId)?.name ?? roleId;
}

function principalOf(control: SandboxControl, p: { userId: string | undefined; groupId: string | undefined }): string {
  const { store } = control.engine;
  if (p.userId !== undefined) {
    const user = store.users.get(p.userId);
    return `user:${user === undefined ? p.userId : `${user.principal}@${user.domain}`}`;
  }
  return `group:${store.groups.get(p.groupId ?? "")?.name ?? String(p.groupId)}`;
}

/** Every broken invariant; empty when all hold. */
export function checkInvariants(input: InvariantInput): Violation[] {
  const { control, state } = input;
  const { store } = control.engine;
  const violations: Violation[] = [];
  const add = (invariant: string, detail: string): void => {
    violations.push({ invariant, detail });
  };
  const trackedPools = new Set(state.filter((e) => e.kind === "VmPool").map((e) => e.id));
  const trackedPermissions = new Set(state.filter((e) => e.kind === "PoolPermission").map((e) => e.id));
  const pools = [...store.pools.values()].filter((p) => isCampaignName(p.name));

  for (const name of POOL_NAMES) {
    const same = pools.filter((p) => p.name === name);
    if (same.length > 1) {
      add("duplicate pool", `${same.length} pools named ${name}: ${same.map((p) => p.id).join(", ")}`);
    }
  }
  for (const pool of pools.filter((p) => !trackedPools.has(p.id))) {
    add("untracked pool", `pool ${pool.name} (${pool.id}) exists on the engine but not in state`);
  }
  // VMs an interrupted shrink detached are tracked by their pool's state until the next update removes them.
  const pendingRemovals = new Set(state.flatMap((e) => (Array.isArray(e.outputs["pendingVmRemovals"]) ? (e.outputs["pendingVmRemovals"] as unknown[]) : [])));
  for (const vm of [...store.vms.values()].filter((v) => isCampaignName(v.name) && !pendingRemovals.has(v.id))) {
    if (vm.poolId === undefined || !store.pools.has(vm.poolId) || !trackedPools.has(vm.poolId)) {
      add("orphaned VM", `VM ${vm.name} (${vm.id}) belongs to ${vm.poolId === undefined ? "no pool" : `untracked pool ${vm.poolId}`}`);
    }
  }
  for (const p of [...store.permissions.values()].filter((x) => x.objectType === "vm_pool" && pools.some((pool) => pool.id === x.objectId))) {
    if (!trackedPermissions.has(p.id)) {
      add("orphaned permission", `${roleName(control, p.roleId)} for ${principalOf(control, p)} on pool ${store.pools.get(p.objectId)?.name ?? p.objectId} (${p.id}) is not in state`);
    }
  }
  for (const vm of input.before.values()) {
    const inUse = vm.status !== "down" || vm.users > 0;
    const poolRemains = vm.poolId !== undefined && store.pools.has(vm.poolId) && !(store.pools.get(vm.poolId)?.beingDestroyed ?? true);
    if (inUse && poolRemains && !store.vms.has(vm.id)) {
      add("unsafe shrink", `VM ${vm.name} was ${vm.status}${vm.users > 0 ? ", held by a user" : ""} and was removed while its pool remains`);
    }
  }
  for (const id of input.inherited.filter((i) => !store.permissions.has(i))) {
    add("inherited permission deleted", `permission ${id}`);
  }
  if (input.compareState) {
    violations.push(...compareStateWithEngine(control, state));
  }
  return violations;
}

/** Differences between Pulumi's state and the engine, as violations. */
function compareStateWithEngine(control: SandboxControl, state: readonly StateEntry[]): Violation[] {
  const { store } = control.engine;
  const violations: Violation[] = [];
  const add = (detail: string): void => {
    violations.push({ invariant: "state differs from engine", detail });
  };
  for (const entry of state) {
    const out = entry.outputs;
    if (entry.initError) {
      add(`${entry.urn} is still marked as failed to initialize after a clean run`);
    }
    if (entry.kind === "VmPool") {
      const pool = store.pools.get(entry.id);
      if (pool === undefined) {
        add(`${entry.urn}: pool ${entry.id} is in state but not on the engine`);
        continue;
      }
      const vms = store.poolVms(pool.id);
      const engineView = { name: pool.name, size: vms.length, description: pool.description, prestarted: pool.prestartedVms, maxVmsPerUser: pool.maxUserVms, vms: vms.map((v) => v.id).sort() };
      const stateView = {
        name: out["name"],
        size: out["size"],
        description: out["description"],
        prestarted: out["prestarted"],
        maxVmsPerUser: out["maxVmsPerUser"],
        vms: ((out["vms"] as { id: string }[] | undefined) ?? []).map((v) => v.id).sort(),
      };
      if (JSON.stringify(engineView) !== JSON.stringify(stateView)) {
        add(`${entry.urn}: state ${JSON.stringify(stateView)}, engine ${JSON.stringify(engineView)}`);
      }
    } else {
      const permission = store.permissions.get(entry.id);
      const poolUid = (out["pool"] as { uid?: string } | undefined)?.uid;
      if (permission === undefined) {
        add(`${entry.urn}: permission ${entry.id} is in state but not on the engine`);
        continue;
      }
      const text = (value: unknown): string => (typeof value === "string" ? value : describeValue(value));
      const want = `${text(out["role"])} ${out["user"] !== undefined ? `user:${text(out["user"])}` : `group:${text(out["group"])}`} on ${text(poolUid)}`;
      const got = `${roleName(control, permission.roleId)} ${principalOf(control, permission)} on ${permission.objectId}`;
      if (permission.objectType !== "vm_pool" || want !== got) {
        add(`${entry.urn}: state says ${want}, engine has ${got}`);
      }
    }
  }
  return violations;
}
