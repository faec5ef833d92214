/**
 * The fault campaign's checks catch what they claim to, so a campaign that
 * reports no violation has looked: an untracked pool, an orphaned VM, an
 * orphaned permission, a VM in use removed while its pool remains, a deleted
 * inherited permission, and state that differs from the engine.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { StateEntry } from "../../../bench/chaos/deployment";
import { checkInvariants, snapshotVms } from "../../../bench/chaos/invariants";
import { DEFAULT_SEED_IDS } from "../../../sandbox/ovirt-engine/seed";
import { poolBody } from "../../sandbox/ovirt-engine/conformance-1-7-helpers";
import { startTestSandbox, type TestSandbox } from "../../sandbox/ovirt-engine/sandbox-client";

describe("the fault campaign's invariants", () => {
  let t: TestSandbox;
  let poolId = "";
  let inherited = "";
  let permissionId = "";
  let state: StateEntry[] = [];

  beforeAll(async () => {
    t = await startTestSandbox({ tls: false, prestartMonitor: false });
    const idOf = (body: unknown): string => String((body as { id?: unknown } | undefined)?.id);
    poolId = idOf((await t.api("POST", "/vmpools", { body: poolBody("chaos-a", { size: 3 }) })).json);
    inherited = idOf((await t.api("POST", `/clusters/${DEFAULT_SEED_IDS.cluster}/permissions`, { body: { role: { name: "UserRole" }, user: { id: DEFAULT_SEED_IDS.bob } } })).json);
    permissionId = idOf((await t.api("POST", `/vmpools/${poolId}/permissions`, { body: { role: { name: "UserRole" }, user: { id: DEFAULT_SEED_IDS.alice } } })).json);
    // Let the disks finish, so the VMs are down.
    await new Promise((r) => setTimeout(r, 100));
    const vms = t.sandbox.control.pools().find((p) => p.id === poolId)?.vms ?? [];
    state = [
      {
        urn: "VmPool::chaos-a",
        kind: "VmPool",
        id: poolId,
        inputs: {},
        outputs: { name: "chaos-a", size: 3, description: "", prestarted: 0, maxVmsPerUser: 1, vms: vms.map((v) => ({ id: v.id })) },
        initError: false,
      },
      { urn: "PoolPermission::p", kind: "PoolPermission", id: permissionId, inputs: {}, outputs: { role: "UserRole", user: "alice@internal-authz", pool: { uid: poolId } }, initError: false },
    ];
  });
  afterAll(async () => t?.close());

  const check = (entries: readonly StateEntry[], before = snapshotVms(t.sandbox.control)): string[] =>
    checkInvariants({ control: t.sandbox.control, state: entries, before, inherited: [inherited], compareState: true }).map((v) => v.invariant);

  it("find nothing wrong when state and engine agree", () => {
    expect([poolId, inherited, permissionId].every((id) => id.length === 36)).toBe(true);
    expect(check(state)).toEqual([]);
  });

  it("report a pool, its VMs and its permission that state does not track", () => {
    expect(check([])).toEqual(["untracked pool", "orphaned VM", "orphaned VM", "orphaned VM", "orphaned permission"]);
  });

  it("report state that differs from the engine", () => {
    const pool = state[0];
    expect(pool).toBeDefined();
    if (pool !== undefined) {
      expect(check([{ ...pool, outputs: { ...pool.outputs, description: "stale" } }, ...state.slice(1)])).toEqual(["state differs from engine"]);
    }
  });

  it("report a VM removed while in use, and the standalone VM a detach left", async () => {
    t.sandbox.control.takeVm({ vm: "chaos-a-3" }, "alice");
    const before = snapshotVms(t.sandbox.control);
    const vm = [...t.sandbox.control.engine.store.vms.values()].find((v) => v.name === "chaos-a-3");
    const standalone = [...t.sandbox.control.engine.store.vms.values()].find((v) => v.name === "chaos-a-2");
    if (vm !== undefined && standalone !== undefined) {
      t.sandbox.control.engine.forgetVm(vm);
      standalone.poolId = undefined;
    }
    const found = check(state, before);
    expect(found).toEqual(["orphaned VM", "unsafe shrink", "state differs from engine"]);
  });

  it("report an inherited permission deleted", async () => {
    expect((await t.api("DELETE", `/clusters/${DEFAULT_SEED_IDS.cluster}/permissions/${inherited}`)).status).toBe(200);
    expect(check(state)).toContain("inherited permission deleted");
  });
});
