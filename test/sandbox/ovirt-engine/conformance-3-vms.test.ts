/**
 * Conformance of the sandbox with reference §3: pool VMs (listing by pool,
 * status transitions, what happens when a VM goes down in an automatic or a
 * manual pool, detach, stop and shutdown, suspend, failed actions,
 * permissions on pool VMs) and `POST /vmpools/{id}/allocatevm` (§2.1).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { TEST_TIMINGS } from "../../../sandbox/ovirt-engine/model";
import { DEFAULT_SEED_IDS } from "../../../sandbox/ovirt-engine/seed";
import { createPool, expectBare404, expectFailedAction, expectOperationFailed, getPool, poolVms, startManualSandbox, vmByName, vmStatuses, type Link, type VmJson } from "./pool-conformance-helpers";
import type { RawResponse, TestSandbox } from "./sandbox-client";

describe("§3 pool VMs", () => {
  let t: TestSandbox;
  let aliceToken: string;
  const advance = (ms: number): void => {
    t.sandbox.control.advanceClock(ms);
  };
  const vm = async (name: string): Promise<VmJson> => {
    const found = await vmByName(t, name);
    expect(found, `VM ${name}`).toBeDefined();
    return found as VmJson;
  };
  const action = async (name: string, verb: string): Promise<RawResponse> => t.api("POST", `/vms/${(await vm(name)).id}/${verb}`, { body: {} });
  const usersOf = (poolName: string, vmName: string): string[] | undefined =>
    t.sandbox.control
      .pools()
      .find((p) => p.name === poolName)
      ?.vms.find((v) => v.name === vmName)?.users;
  /** A pool whose VMs are down, with `<name>-1` taken by alice and up. */
  const poolWithTakenVm = async (name: string, extra: Record<string, unknown> = {}): Promise<string> => {
    const pool = await createPool(t, name, extra);
    advance(TEST_TIMINGS.diskCreateMs);
    t.sandbox.control.takeVm({ vm: `${name}-1` }, "alice");
    advance(TEST_TIMINGS.vmBootMs);
    expect([(await vm(`${name}-1`)).status, usersOf(name, `${name}-1`)]).toEqual(["up", ["alice"]]);
    return pool.id;
  };
  /** `POST /vmpools/{id}/allocatevm` as alice, who is first given UserRole on the pool. */
  const allocate = async (poolId: string): Promise<RawResponse> => {
    const grant = await t.api("POST", `/vmpools/${poolId}/permissions`, { body: { role: { name: "UserRole" }, user: { id: DEFAULT_SEED_IDS.alice } } });
    expect(grant.status).toBe(201);
    return t.api("POST", `/vmpools/${poolId}/allocatevm`, { body: {}, auth: { bearer: aliceToken } });
  };

  beforeAll(async () => {
    t = await startManualSandbox();
    aliceToken = await t.token("alice@internal", "alice-password");
  });
  afterAll(async () => t?.close());

  it("§3 GET /vms?search=pool=<name> lists the pool's VMs, each with a vm_pool link", async () => {
    const pool = await createPool(t, "list-pool", { size: 2 });
    await createPool(t, "list-other");
    const vms = await poolVms(t, "list-pool");
    expect(vms.map((v): [string, Link | undefined] => [v.name, v.vm_pool]).sort(([a], [b]) => a.localeCompare(b))).toEqual([
      ["list-pool-1", { id: pool.id, href: `/ovirt-engine/api/vmpools/${pool.id}` }],
      ["list-pool-2", { id: pool.id, href: `/ovirt-engine/api/vmpools/${pool.id}` }],
    ]);
  });

  it("§3 the pool search matches case-insensitively and takes * as a wildcard", async () => {
    expect((await poolVms(t, "LIST-POOL")).map((v) => v.name).sort()).toEqual(["list-pool-1", "list-pool-2"]);
    expect((await poolVms(t, "list-p*")).map((v) => v.name).sort()).toEqual(["list-pool-1", "list-pool-2"]);
  });

  it("§3 a new pool VM goes image_locked -> down", async () => {
    await createPool(t, "st-new");
    expect(await vmStatuses(t, "st-new")).toEqual([["st-new-1", "image_locked"]]);
    advance(TEST_TIMINGS.diskCreateMs);
    expect(await vmStatuses(t, "st-new")).toEqual([["st-new-1", "down"]]);
  });

  it("§3 a prestarted VM goes wait_for_launch -> powering_up -> up", async () => {
    await createPool(t, "st-pre", { prestarted_vms: 1 });
    advance(TEST_TIMINGS.diskCreateMs);
    t.sandbox.control.runPrestartMonitor();
    expect(await vmStatuses(t, "st-pre")).toEqual([["st-pre-1", "wait_for_launch"]]);
    advance(TEST_TIMINGS.vmBootMs / 2);
    expect(await vmStatuses(t, "st-pre")).toEqual([["st-pre-1", "powering_up"]]);
    advance(TEST_TIMINGS.vmBootMs / 2);
    expect(await vmStatuses(t, "st-pre")).toEqual([["st-pre-1", "up"]]);
  });

  it("§3 stop answers 200 with the action status complete; the VM is powering_down and reaches down later", async () => {
    await poolWithTakenVm("st-stop", { type: "manual" });
    const res = await action("st-stop-1", "stop");
    expect({ status: res.status, body: res.json }).toEqual({ status: 200, body: { status: "complete" } });
    expect((await vm("st-stop-1")).status).toBe("powering_down");
    advance(TEST_TIMINGS.vmStopMs);
    expect((await vm("st-stop-1")).status).toBe("down");
  });

  it("§3 shutdown is accepted the same way: 200 complete, the VM reaches down later", async () => {
    await poolWithTakenVm("st-shutdown", { type: "manual" });
    const res = await action("st-shutdown-1", "shutdown");
    expect({ status: res.status, body: res.json }).toEqual({ status: 200, body: { status: "complete" } });
    advance(TEST_TIMINGS.vmStopMs);
    expect((await vm("st-shutdown-1")).status).toBe("down");
  });

  it("§3 automatic pool: when a VM goes down its user is detached and the stateless restore shows a short image_locked", async () => {
    await poolWithTakenVm("auto-down");
    expect((await action("auto-down-1", "stop")).status).toBe(200);
    advance(TEST_TIMINGS.vmStopMs);
    expect([(await vm("auto-down-1")).status, usersOf("auto-down", "auto-down-1")]).toEqual(["image_locked", []]);
    advance(TEST_TIMINGS.diskCreateMs);
    expect((await vm("auto-down-1")).status).toBe("down");
  });

  it("§3 manual pool: when a VM goes down its user stays attached and the VM goes straight to down", async () => {
    await poolWithTakenVm("manual-down", { type: "manual" });
    expect((await action("manual-down-1", "stop")).status).toBe(200);
    advance(TEST_TIMINGS.vmStopMs);
    expect([(await vm("manual-down-1")).status, usersOf("manual-down", "manual-down-1")]).toEqual(["down", ["alice"]]);
  });

  it("§3 automatic stateful pool: the user is detached, and with no stateless snapshot the VM goes straight to down (inferred)", async () => {
    await poolWithTakenVm("auto-stateful", { stateful: true });
    expect((await action("auto-stateful-1", "stop")).status).toBe(200);
    advance(TEST_TIMINGS.vmStopMs);
    expect([(await vm("auto-stateful-1")).status, usersOf("auto-stateful", "auto-stateful-1")]).toEqual(["down", []]);
  });

  it("§3 detach: the VM stays as a normal VM with the same name and the pool's size drops by one", async () => {
    const pool = await createPool(t, "det-basic", { size: 3 });
    advance(TEST_TIMINGS.diskCreateMs);
    const before = await vm("det-basic-2");
    const res = await action("det-basic-2", "detach");
    expect({ status: res.status, body: res.json }).toEqual({ status: 200, body: { status: "complete" } });
    const after = await vm("det-basic-2");
    expect([after.id, after.name, after.status, after.vm_pool]).toEqual([before.id, "det-basic-2", "down", undefined]);
    expect((await getPool(t, pool.id)).size).toBe(2);
  });

  it("§3 detach caps prestarted_vms at the new VM count", async () => {
    const pool = await createPool(t, "det-cap", { size: 2, prestarted_vms: 2 });
    advance(TEST_TIMINGS.diskCreateMs);
    expect((await action("det-cap-1", "detach")).status).toBe(200);
    const after = await getPool(t, pool.id);
    expect([after.size, after.prestarted_vms]).toEqual([1, 1]);
  });

  it("§3 detaching the last VM deletes the pool", async () => {
    const pool = await createPool(t, "det-last");
    advance(TEST_TIMINGS.diskCreateMs);
    expect((await action("det-last-1", "detach")).status).toBe(200);
    expectBare404(await t.api("GET", `/vmpools/${pool.id}`));
    expect((await vm("det-last-1")).vm_pool).toBeUndefined();
  });

  it("§3 detaching a running VM fails with 409: the action comes back with status failed and a nested fault", async () => {
    await poolWithTakenVm("det-running");
    expectFailedAction(await action("det-running-1", "detach"), 409, "[Cannot detach VM from VM-Pool. VM is running.]");
    expect((await vm("det-running-1")).vm_pool).toBeDefined();
  });

  it("§3 detaching a VM that is in no pool fails with 409 [VM is not attached to the VM-Pool.]", async () => {
    await createPool(t, "det-twice", { size: 2 });
    advance(TEST_TIMINGS.diskCreateMs);
    expect((await action("det-twice-1", "detach")).status).toBe(200);
    expectFailedAction(await action("det-twice-1", "detach"), 409, "[Cannot detach VM from pool. VM is not attached to the VM-Pool.]");
  });

  it("§3 suspending a pool VM is refused with 409 [Cannot suspend VM that belongs to a  VM-Pool.]", async () => {
    await poolWithTakenVm("no-suspend");
    expectFailedAction(await action("no-suspend-1", "suspend"), 409, "[Cannot suspend VM that belongs to a  VM-Pool.]");
    expect((await vm("no-suspend-1")).status).toBe("up");
  });

  it("§3 permissions cannot be added on a pool VM: 409, to be given on the pool instead", async () => {
    await createPool(t, "perm-vm");
    const target = await vm("perm-vm-1");
    const res = await t.api("POST", `/vms/${target.id}/permissions`, { body: { role: { name: "UserRole" }, user: { id: DEFAULT_SEED_IDS.alice } } });
    expectOperationFailed(res, 409, "[Cannot add permission, VM is part of VM-Pool, permission should be given on VM-Pool instead]");
  });

  it("§3 allocatevm attaches a free VM to the caller and runs it: 200, status complete, the VM's link", async () => {
    const pool = await createPool(t, "alloc");
    advance(TEST_TIMINGS.diskCreateMs);
    const target = await vm("alloc-1");
    const res = await allocate(pool.id);
    expect({ status: res.status, body: res.json }).toEqual({ status: 200, body: { status: "complete", vm: { id: target.id, href: target.href } } });
    expect([(await vm("alloc-1")).status, usersOf("alloc", "alloc-1")]).toEqual(["wait_for_launch", ["alice"]]);
  });

  it("§3 allocatevm hands out a prestarted VM that is already up", async () => {
    const pool = await createPool(t, "alloc-pre", { size: 2, prestarted_vms: 1 });
    advance(TEST_TIMINGS.diskCreateMs);
    t.sandbox.control.runPrestartMonitor();
    advance(TEST_TIMINGS.vmBootMs);
    const up = (await poolVms(t, "alloc-pre")).find((v) => v.status === "up");
    const res = await allocate(pool.id);
    expect([res.status, (res.json as { vm?: Link }).vm?.id]).toEqual([200, up?.id]);
    expect(await vmStatuses(t, "alloc-pre")).toEqual([
      ["alloc-pre-1", "up"],
      ["alloc-pre-2", "down"],
    ]);
  });

  it("§3 allocatevm beyond max_user_vms fails with 409 [User is already attached to maximum number of VMs from this VM-Pool.]", async () => {
    const pool = await createPool(t, "alloc-max", { size: 2, max_user_vms: 1 });
    advance(TEST_TIMINGS.diskCreateMs);
    expect((await allocate(pool.id)).status).toBe(200);
    expectFailedAction(await allocate(pool.id), 409, "[User is already attached to maximum number of VMs from this VM-Pool.]");
  });

  it("§3 allocatevm with no free VM fails with 409 [no available VMs], checked before the per-user limit", async () => {
    const pool = await createPool(t, "alloc-none", { max_user_vms: 1 });
    advance(TEST_TIMINGS.diskCreateMs);
    expect((await allocate(pool.id)).status).toBe(200);
    const detail = "[Cannot allocate and run VM from VM-Pool. There are no available VMs in the VM-Pool.]";
    expectFailedAction(await allocate(pool.id), 409, detail);
  });
});
