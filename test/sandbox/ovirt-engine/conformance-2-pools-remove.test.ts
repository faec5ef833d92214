/**
 * Conformance of the sandbox with reference §2.5: `DELETE /vmpools/{id}`
 * answers as soon as removal has begun; down VMs go at once, running ones
 * are powered off first; a delete-protected VM halts the removal; pool VMs
 * cannot be deleted on their own.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { TEST_TIMINGS } from "../../../sandbox/ovirt-engine/model";
import { createPool, expectBare404, expectOperationFailed, getPool, poolVms, startManualSandbox, vmByName, vmStatuses } from "./pool-conformance-helpers";
import type { TestSandbox } from "./sandbox-client";

describe("§2.5 VM pools: remove", () => {
  let t: TestSandbox;
  const advance = (ms: number): void => {
    t.sandbox.control.advanceClock(ms);
  };
  /** A pool of `size` VMs, all down, with the first one taken by alice and up. */
  const poolWithRunningVm = async (name: string, extra: Record<string, unknown> = {}): Promise<string> => {
    const pool = await createPool(t, name, extra);
    advance(TEST_TIMINGS.diskCreateMs);
    t.sandbox.control.takeVm({ vm: `${name}-1` }, "alice");
    advance(TEST_TIMINGS.vmBootMs);
    expect((await vmByName(t, `${name}-1`))?.status).toBe("up");
    return pool.id;
  };

  beforeAll(async () => {
    t = await startManualSandbox();
    t.sandbox.control.seed({ templates: [{ name: "protected-tpl", cluster: "Default", deleteProtected: true }] });
  });
  afterAll(async () => t?.close());

  it("§2.5 removing a pool whose VMs are all down answers 200, and the pool and its VMs are gone at once", async () => {
    const pool = await createPool(t, "rm-down", { size: 2 });
    advance(TEST_TIMINGS.diskCreateMs);
    expect((await t.api("DELETE", `/vmpools/${pool.id}`)).status).toBe(200);
    expectBare404(await t.api("GET", `/vmpools/${pool.id}`));
    expect(await poolVms(t, "rm-down")).toEqual([]);
    expect(await vmByName(t, "rm-down-1")).toBeUndefined();
  });

  it("§2.5 DELETE with async=true answers 202", async () => {
    const pool = await createPool(t, "rm-async");
    advance(TEST_TIMINGS.diskCreateMs);
    expect((await t.api("DELETE", `/vmpools/${pool.id}?async=true`)).status).toBe(202);
  });

  it("§2.5 running VMs do not block removal: DELETE answers 200 while the running VM is powered off, the down one is already gone", async () => {
    const id = await poolWithRunningVm("rm-running", { size: 2 });
    expect((await t.api("DELETE", `/vmpools/${id}`)).status).toBe(200);
    expect(await vmStatuses(t, "rm-running")).toEqual([["rm-running-1", "powering_down"]]);
    expect(await vmByName(t, "rm-running-2")).toBeUndefined();
  });

  it("§2.5 GET keeps answering 200 until the powered-off VMs are removed, then 404", async () => {
    const id = await poolWithRunningVm("rm-poll", { size: 2 });
    expect((await t.api("DELETE", `/vmpools/${id}`)).status).toBe(200);
    expect((await getPool(t, id)).size).toBe(1);
    advance(1_000);
    expectBare404(await t.api("GET", `/vmpools/${id}`));
    expect(await vmByName(t, "rm-poll-1")).toBeUndefined();
  });

  it("§2.5 removal sets prestarted_vms to 0 at once", async () => {
    const id = await poolWithRunningVm("rm-prestarted", { size: 2, prestarted_vms: 2 });
    expect((await t.api("DELETE", `/vmpools/${id}`)).status).toBe(200);
    expect((await getPool(t, id)).prestarted_vms).toBe(0);
  });

  it("§2.5 a VM of a pool being removed is removed as soon as it is down, without a stateless restore in between (inferred)", async () => {
    const id = await poolWithRunningVm("rm-norestore");
    expect((await t.api("DELETE", `/vmpools/${id}`)).status).toBe(200);
    advance(TEST_TIMINGS.vmStopMs);
    expect(await vmByName(t, "rm-norestore-1")).toBeUndefined();
    expectBare404(await t.api("GET", `/vmpools/${id}`));
  });

  it("§2.5 while the removal runs, an update is refused with 409 [VM Pool <name> is being removed.]", async () => {
    const id = await poolWithRunningVm("rm-busy");
    expect((await t.api("DELETE", `/vmpools/${id}`)).status).toBe(200);
    const res = await t.api("PUT", `/vmpools/${id}`, { body: { description: "late" } });
    expectOperationFailed(res, 409, "[Cannot edit VM-Pool. VM Pool rm-busy is being removed.]");
  });

  it("§2.5 a delete-protected VM is detached and left standalone, the removal stops and the pool stays (inferred)", async () => {
    const pool = await createPool(t, "rm-protected", { template: { name: "protected-tpl" }, size: 2 });
    advance(TEST_TIMINGS.diskCreateMs);
    expect((await t.api("DELETE", `/vmpools/${pool.id}`)).status).toBe(200);
    advance(1_000);
    expect((await getPool(t, pool.id)).size).toBe(1);
    const first = await vmByName(t, "rm-protected-1");
    expect([first?.status, first?.delete_protected, first?.vm_pool]).toEqual(["down", true, undefined]);
    expect((await vmByName(t, "rm-protected-2"))?.vm_pool?.id).toBe(pool.id);
  });

  it("§2.5 a pool VM cannot be deleted directly: 409 [Cannot remove VM. VM is attached to a VM Pool.]", async () => {
    await createPool(t, "rm-vm");
    advance(TEST_TIMINGS.diskCreateMs);
    const vm = await vmByName(t, "rm-vm-1");
    expectOperationFailed(await t.api("DELETE", `/vms/${vm?.id ?? ""}`), 409, "[Cannot remove VM. VM is attached to a VM Pool.]");
    expect((await vmByName(t, "rm-vm-1"))?.id).toBe(vm?.id);
  });

  it("§2.5 deleting a running pool VM is refused as running first: 409 [Cannot remove VM. VM is running.]", async () => {
    await poolWithRunningVm("rm-vm-running");
    const vm = await vmByName(t, "rm-vm-running-1");
    expectOperationFailed(await t.api("DELETE", `/vms/${vm?.id ?? ""}`), 409, "[Cannot remove VM. VM is running.]");
  });
});
