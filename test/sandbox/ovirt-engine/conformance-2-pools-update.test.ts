/**
 * Conformance of the sandbox with reference §2.4: `PUT /vmpools/{id}`
 * (absolute size that only grows, immutable fields, omitted fields, the
 * prestarted bounds, template changes within a chain, partial failure) and
 * the prestart monitor that an update triggers and a create does not.
 */
import { afterEach, beforeAll, afterAll, beforeEach, describe, expect, it } from "vitest";

import { TEST_TIMINGS } from "../../../sandbox/ovirt-engine/model";
import { DEFAULT_SEED_IDS } from "../../../sandbox/ovirt-engine/seed";
import { createPool, expectOperationFailed, getPool, longName, poolVms, startManualSandbox, vmByName, vmStatuses, type PoolJson } from "./pool-conformance-helpers";
import type { RawResponse, TestSandbox } from "./sandbox-client";

const PROT_V1 = "b1b2c3d4-0000-4000-8000-0000000f0001";
const PROT_V2 = "b1b2c3d4-0000-4000-8000-0000000f0002";
const OTHER = "b1b2c3d4-0000-4000-8000-0000000f0003";
const PRESTARTED = "[Cannot edit VM-Pool. Number of Prestarted VMs cannot exceed the number of VMs in the Pool.]";
const MINUTE = 60_000;

describe("§2.4 VM pools: update", () => {
  let t: TestSandbox;
  const put = (pool: PoolJson, body: Record<string, unknown>): Promise<RawResponse> => t.api("PUT", `/vmpools/${pool.id}`, { body });
  const disksReady = (): void => {
    t.sandbox.control.advanceClock(TEST_TIMINGS.diskCreateMs);
  };

  beforeAll(async () => {
    t = await startManualSandbox();
    t.sandbox.control.seed({
      templates: [
        { id: PROT_V1, name: "prot-chain", cluster: "Default", version: 1, deleteProtected: true },
        { id: PROT_V2, name: "prot-chain", cluster: "Default", version: 2, baseTemplate: PROT_V1, deleteProtected: true },
        { id: OTHER, name: "other-chain", cluster: "Default" },
      ],
    });
  });
  afterAll(async () => t?.close());

  it("§2.4 size is the absolute target: a larger size creates the missing VMs inside the request", async () => {
    const pool = await createPool(t, "grow", { size: 2 });
    disksReady();
    const res = await put(pool, { size: 4 });
    expect([res.status, (res.json as PoolJson).size]).toEqual([200, 4]);
    expect(await vmStatuses(t, "grow")).toEqual([
      ["grow-1", "down"],
      ["grow-2", "down"],
      ["grow-3", "image_locked"],
      ["grow-4", "image_locked"],
    ]);
  });

  it("§2.4 the same size adds no VM", async () => {
    const pool = await createPool(t, "same-size", { size: 2 });
    const res = await put(pool, { size: 2 });
    expect([res.status, (res.json as PoolJson).size]).toEqual([200, 2]);
    expect((await poolVms(t, "same-size")).map((vm) => vm.name).sort()).toEqual(["same-size-1", "same-size-2"]);
  });

  it("§2.4 a smaller size is refused with 400 [Cannot decrease VMs from VM-Pool.]", async () => {
    const pool = await createPool(t, "shrink", { size: 3 });
    expectOperationFailed(await put(pool, { size: 2 }), 400, "[Cannot decrease VMs from VM-Pool.]");
    expect((await getPool(t, pool.id)).size).toBe(3);
  });

  it("§2.4 growing starts the counter at 1 again: taken names are skipped and freed ones refilled", async () => {
    const pool = await createPool(t, "refill", { size: 3 });
    disksReady();
    const second = await vmByName(t, "refill-2");
    expect((await t.api("POST", `/vms/${second?.id ?? ""}/detach`, { body: {} })).status).toBe(200);
    expect((await put(pool, { size: 3 })).status).toBe(200);
    expect((await poolVms(t, "refill")).map((vm) => vm.name).sort()).toEqual(["refill-1", "refill-3", "refill-4"]);
    expect((await t.api("DELETE", `/vms/${second?.id ?? ""}`)).status).toBe(200);
    expect((await put(pool, { size: 4 })).status).toBe(200);
    expect((await poolVms(t, "refill")).map((vm) => vm.name).sort()).toEqual(["refill-1", "refill-2", "refill-3", "refill-4"]);
  });

  it("§2.4 fields left out of the PUT keep their current values", async () => {
    const pool = await createPool(t, "keep", { description: "d1", comment: "c1", size: 2, prestarted_vms: 1, max_user_vms: 3, type: "manual", stateful: true });
    const res = await put(pool, { description: "d2" });
    expect(res.status).toBe(200);
    const after = await getPool(t, pool.id);
    expect([after.description, after.comment, after.size, after.prestarted_vms, after.max_user_vms, after.type, after.stateful, after.template?.id]).toEqual([
      "d2",
      "c1",
      2,
      1,
      3,
      "manual",
      true,
      DEFAULT_SEED_IDS.template,
    ]);
  });

  it("§2.4 renaming is refused with 400 [Cannot change VM-Pool name.]", async () => {
    const pool = await createPool(t, "rename-me");
    expectOperationFailed(await put(pool, { name: "renamed" }), 400, "[Cannot change VM-Pool name.]");
    expect((await getPool(t, pool.id)).name).toBe("rename-me");
  });

  it("§2.4 renaming to another pool's name is refused first by the uniqueness check, 409", async () => {
    await createPool(t, "rename-taken");
    const pool = await createPool(t, "rename-from");
    const res = await put(pool, { name: "rename-taken" });
    expectOperationFailed(res, 409, "[Cannot edit VM-Pool. The VM-Pool name is already in use, please choose a unique name and try again.]");
  });

  it("§2.4 type, stateful and auto_storage_select cannot change (400 each)", async () => {
    const pool = await createPool(t, "immutable");
    expectOperationFailed(await put(pool, { type: "manual" }), 400, "[Cannot change VM-Pool type.]");
    expectOperationFailed(await put(pool, { stateful: true }), 400, "[Cannot change VM-Pool stateful option.]");
    expectOperationFailed(await put(pool, { auto_storage_select: true }), 400, "[Cannot change VM-Pool automatic selection of target storage domains during disks allocation.]");
  });

  it("§2.4 sending the immutable fields with their current values is accepted", async () => {
    const pool = await createPool(t, "immutable-same");
    const res = await put(pool, { name: "immutable-same", type: "automatic", stateful: false, auto_storage_select: false, description: "ok" });
    expect([res.status, (res.json as PoolJson).description]).toEqual([200, "ok"]);
  });

  it("§2.4 several immutable changes report only the first, in the order type, stateful, name, auto_storage_select", async () => {
    const pool = await createPool(t, "immutable-order");
    expectOperationFailed(await put(pool, { auto_storage_select: true, name: "x1", stateful: true, type: "manual" }), 400, "[Cannot change VM-Pool type.]");
    expectOperationFailed(await put(pool, { auto_storage_select: true, name: "x2", stateful: true }), 400, "[Cannot change VM-Pool stateful option.]");
    expectOperationFailed(await put(pool, { auto_storage_select: true, name: "x3" }), 400, "[Cannot change VM-Pool name.]");
  });

  it("§2.4 without size, prestarted_vms may reach the current VM count but not exceed it (409)", async () => {
    const pool = await createPool(t, "pre-bound", { size: 2 });
    expectOperationFailed(await put(pool, { prestarted_vms: 3 }), 409, PRESTARTED);
    const res = await put(pool, { prestarted_vms: 2 });
    expect([res.status, (res.json as PoolJson).prestarted_vms]).toEqual([200, 2]);
  });

  it("§2.4 growing from c to s VMs bounds prestarted_vms by s + (s - c), as the engine's arithmetic does (inferred)", async () => {
    const pool = await createPool(t, "pre-grow", { size: 2 });
    expectOperationFailed(await put(pool, { size: 3, prestarted_vms: 5 }), 409, PRESTARTED);
    const res = await put(pool, { size: 3, prestarted_vms: 4 });
    expect([res.status, (res.json as PoolJson).size, (res.json as PoolJson).prestarted_vms]).toEqual([200, 3, 4]);
  });

  it("§2.4 the prestarted check runs before the decrease check: shrinking a pool with prestarted VMs answers 409 (inferred)", async () => {
    const pool = await createPool(t, "pre-shrink", { size: 3, prestarted_vms: 1 });
    expectOperationFailed(await put(pool, { size: 1 }), 409, PRESTARTED);
  });

  it("§2.4 max_user_vms outside 1..32767 is refused on update with 400", async () => {
    const pool = await createPool(t, "muv-update");
    const res = await put(pool, { max_user_vms: 0 });
    expectOperationFailed(res, 400, "[Number of max assigned VMs per user must be between 1 and 32,767., Attribute: vmPool.maxAssignedVmsPerUser]");
  });

  it("§2.4 the template may change to another version of the same base template, and every pool VM follows", async () => {
    const pool = await createPool(t, "tpl-chain", { size: 2 });
    const res = await put(pool, { template: { id: DEFAULT_SEED_IDS.templateV2 } });
    expect([res.status, (res.json as PoolJson).template?.id]).toEqual([200, DEFAULT_SEED_IDS.templateV2]);
    expect((await poolVms(t, "tpl-chain")).map((vm) => vm.template.id)).toEqual([DEFAULT_SEED_IDS.templateV2, DEFAULT_SEED_IDS.templateV2]);
  });

  it("§2.4 a template of another chain is refused with 400 and the pool keeps its template", async () => {
    const pool = await createPool(t, "tpl-other");
    const res = await put(pool, { template: { id: OTHER } });
    expectOperationFailed(res, 400, "[Cannot edit VM-Pool. The requested template doesn't belong to the same base template as the original template.]");
    expect((await getPool(t, pool.id)).template?.id).toBe(DEFAULT_SEED_IDS.template);
  });

  it("§2.4 use_latest_template_version can be switched on, and the pool then reads the latest version", async () => {
    const pool = await createPool(t, "tpl-latest");
    const res = await put(pool, { use_latest_template_version: true });
    expect([res.status, (res.json as PoolJson).use_latest_template_version, (res.json as PoolJson).template?.id]).toEqual([200, true, DEFAULT_SEED_IDS.templateV2]);
  });

  it("§2.4 with delete-protected VMs neither the template nor the latest-version flag can change (400)", async () => {
    const pool = await createPool(t, "tpl-protected", { template: { id: PROT_V1 } });
    const detail = "[Cannot change the VM Template when the VMs created are set to Delete Protected.]";
    expectOperationFailed(await put(pool, { template: { id: PROT_V2 } }), 400, detail);
    expectOperationFailed(await put(pool, { use_latest_template_version: true }), 400, detail);
  });

  it("§2.4 partial failure on grow: the call answers 400, the pool keeps the VMs that fit and the other changes (inferred)", async () => {
    const name = longName("upd62-", 62);
    const pool = await createPool(t, name, { size: 8 });
    expectOperationFailed(await put(pool, { size: 11, description: "grown" }), 400, "[Cannot edit VM-Pool. The given name is too long.]");
    const after = await getPool(t, pool.id);
    expect([after.size, after.description]).toEqual([9, "grown"]);
    expect((await vmByName(t, `${name}-9`))?.vm_pool?.id).toBe(pool.id);
  });
});

describe("§2.4 the prestart monitor: triggered at once by an update, not by a create", () => {
  let t: TestSandbox;
  const advance = (ms: number): void => {
    t.sandbox.control.advanceClock(ms);
  };

  beforeEach(async () => {
    // A fresh engine per test: the periodic monitor runs every 5 minutes from the start.
    t = await startManualSandbox({ prestartMonitor: true });
  });
  afterEach(async () => t?.close());

  it("§2.4 after a create, prestarted VMs wait for the next monitor cycle (VmPoolMonitorIntervalInMinutes = 5)", async () => {
    await createPool(t, "mon-create", { size: 2, prestarted_vms: 1 });
    advance(4 * MINUTE);
    expect(await vmStatuses(t, "mon-create")).toEqual([
      ["mon-create-1", "down"],
      ["mon-create-2", "down"],
    ]);
    advance(MINUTE);
    expect(await vmStatuses(t, "mon-create")).toEqual([
      ["mon-create-1", "wait_for_launch"],
      ["mon-create-2", "down"],
    ]);
  });

  it("§2.4 an update triggers the monitor at once: the prestarted VM is up within a second", async () => {
    const pool = await createPool(t, "mon-update", { size: 2 });
    advance(TEST_TIMINGS.diskCreateMs);
    expect((await t.api("PUT", `/vmpools/${pool.id}`, { body: { prestarted_vms: 1 } })).status).toBe(200);
    advance(1_000);
    expect(await vmStatuses(t, "mon-update")).toEqual([
      ["mon-update-1", "up"],
      ["mon-update-2", "down"],
    ]);
  });

  it("§2.4 the monitor starts at most VmPoolMonitorBatchSize (5) VMs per pool per cycle", async () => {
    await createPool(t, "mon-batch", { size: 7, prestarted_vms: 7 });
    advance(5 * MINUTE + 1_000);
    expect((await vmStatuses(t, "mon-batch")).filter(([, status]) => status === "up")).toHaveLength(5);
    advance(5 * MINUTE);
    expect((await vmStatuses(t, "mon-batch")).filter(([, status]) => status === "up")).toHaveLength(7);
  });

  it("§2.4 the monitor ignores the pool type: a manual pool is prestarted too", async () => {
    const pool = await createPool(t, "mon-manual", { type: "manual" });
    advance(TEST_TIMINGS.diskCreateMs);
    expect((await t.api("PUT", `/vmpools/${pool.id}`, { body: { prestarted_vms: 1 } })).status).toBe(200);
    advance(1_000);
    expect(await vmStatuses(t, "mon-manual")).toEqual([["mon-manual-1", "up"]]);
  });
});
