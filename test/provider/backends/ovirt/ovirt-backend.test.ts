/**
 * The oVirt backend against the engine sandbox: create with waiting,
 * recovery of a create whose answer was lost, no adoption, partial failure,
 * read, grow, in-place changes, delete with protection and waiting.
 */
import * as fs from "node:fs";
import * as path from "node:path";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { OvirtClient } from "../../../../provider/backends/ovirt/client";
import { OvirtBackend } from "../../../../provider/backends/ovirt/ovirt-backend";
import { PoolInitError } from "../../../../provider/errors";
import { vmPoolInputsSchema, type VmPoolInputs } from "../../../../provider/schemas/vm-pool";
import { DEFAULT_SEED_IDS } from "../../../../sandbox/ovirt-engine/seed";
import type { VmPoolState } from "../../../../provider/backends/backend";
import { ManualClock } from "../../../../sandbox/ovirt-engine/clock";
import { TEST_TIMINGS } from "../../../../sandbox/ovirt-engine/model";
import { startOvirtSandbox, type OvirtSandbox } from "../../../../sandbox/ovirt-engine/server";
import { startEngineWithCaFile, type EngineUnderTest } from "../../../harness/ovirt-engine";

const FAST_RETRY = { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 };
const FAST_WAITS = { pollMs: 10, timeoutMs: 5_000 };

function pool(name: string, size: number, extra: Record<string, unknown> = {}, backend: Record<string, unknown> = {}): VmPoolInputs {
  return vmPoolInputsSchema.parse({ name, size, ...extra, backend: { kind: "ovirt", cluster: "Default", template: "rhel9-desktop", ...backend } });
}

describe("OvirtBackend against the engine sandbox", () => {
  let under: EngineUnderTest;
  let sandbox: OvirtSandbox;
  let caDir: string;
  let backend: OvirtBackend;

  beforeAll(async () => {
    under = await startEngineWithCaFile();
    sandbox = under.engine;
    caDir = under.dir;
    backend = new OvirtBackend(
      new OvirtClient({ url: sandbox.url, username: "admin@internal", password: sandbox.credentials.password, caFile: path.join(caDir, "ca.pem"), insecure: false }, FAST_RETRY),
      FAST_WAITS,
    );
  });
  afterAll(async () => under?.dispose());
  beforeEach(() => {
    sandbox.control.clearFaults();
    sandbox.control.resetRequestCounts();
  });

  /** Waits (at most 5 s) until the named VMs are up. */
  async function eventuallyUp(names: string[]): Promise<void> {
    const vms = (): string[] => [...sandbox.control.engine.store.vms.values()].filter((vm) => names.includes(vm.name) && vm.status === "up").map((vm) => vm.name);
    for (let i = 0; i < 500 && vms().length < names.length; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(vms().sort()).toEqual([...names].sort());
  }

  it("creates a pool, waits until every VM has left image_locked, and reports its VMs", async () => {
    const created = await backend.create(pool("desk", 3, { description: "lab desks", prestarted: 1, maxVmsPerUser: 2 }));
    const summary = sandbox.control.pools().find((p) => p.name === "desk");
    expect(created.id).toBe(summary?.id);
    expect(summary?.vms.map((vm) => vm.name)).toEqual(["desk-1", "desk-2", "desk-3"]);
    expect(summary?.vms.every((vm) => vm.status !== "image_locked")).toBe(true);
    expect(created.state).toMatchObject({ name: "desk", size: 3, description: "lab desks", prestarted: 1, maxVmsPerUser: 2, vmCount: 3, uid: summary?.id });
    expect(created.inputs.backend).toEqual({ kind: "ovirt", cluster: "Default", template: "rhel9-desktop", autoStorageSelect: false, keepVmsOnDelete: false, forceShrink: false });
  });

  it("fails with a clear message, creating nothing, when the template does not exist", async () => {
    await expect(backend.create(pool("ghost", 1, {}, { template: "no-such-template" }))).rejects.toThrow(
      "ovirt create of ghost failed: template 'no-such-template' does not exist on the engine; create it or fix 'backend.template'",
    );
    expect(sandbox.control.countRequests("POST", /\/vmpools$/)).toBe(0);
  });

  it("resolves a template version and ids as well as names", async () => {
    const created = await backend.create(pool("versioned", 1, {}, { cluster: DEFAULT_SEED_IDS.cluster, templateVersion: 2 }));
    const vm = sandbox.control.engine.store.poolVms(created.id)[0];
    expect(vm?.templateId).toBe(DEFAULT_SEED_IDS.templateV2);
    expect(created.inputs.backend).toMatchObject({ cluster: DEFAULT_SEED_IDS.cluster, templateVersion: 2 });
  });

  it("claims the pool of a create whose answer was lost, proven by its correlation id, without a second POST", async () => {
    sandbox.control.addFault({ method: "POST", path: "/vmpools$", kind: "drop", phase: "after", times: 1 });
    const created = await backend.create(pool("lost-answer", 2));
    expect(sandbox.control.countRequests("POST", /\/vmpools$/)).toBe(1);
    expect(sandbox.control.pools().filter((p) => p.name === "lost-answer").map((p) => p.id)).toEqual([created.id]);
  });

  it("claims the pool of a create a gateway answered 504 after the engine ran it, without a second POST", async () => {
    // Before the fix, the client repeated the POST on any 5xx; the second got
    // 409 (name taken) and the first pool was left behind as "not ours".
    sandbox.control.resetRequestCounts();
    sandbox.control.addFault({ method: "POST", path: "/vmpools$", kind: "error", status: 504, phase: "after", times: 1 });
    const created = await backend.create(pool("gateway-timeout", 2));
    expect(sandbox.control.countRequests("POST", /\/vmpools$/)).toBe(1);
    expect(sandbox.control.pools().filter((p) => p.name === "gateway-timeout").map((p) => p.id)).toEqual([created.id]);
  });

  it("claims the pool when a 503 after the engine ran the create makes the client repeat the POST, which the engine refuses", async () => {
    // 503 usually means the proxy never reached the engine, so the client
    // repeats even a POST; when the engine had run it, the repeat meets the
    // name taken, and the jobs of the correlation id prove the pool ours.
    sandbox.control.addFault({ method: "POST", path: "/vmpools$", kind: "error", status: 503, phase: "after", times: 1 });
    const created = await backend.create(pool("repeated-post", 2));
    expect(sandbox.control.countRequests("POST", /\/vmpools$/)).toBe(2);
    expect(sandbox.control.pools().filter((p) => p.name === "repeated-post").map((p) => p.id)).toEqual([created.id]);
    expect(created.state).toMatchObject({ size: 2, vmCount: 2 });
  });

  it("never adopts a pool of the same name that it did not create", async () => {
    await backend.create(pool("taken", 1));
    const err: unknown = await backend.create(pool("taken", 2)).catch((e: unknown) => e);
    expect((err as Error).message).toBe(
      "ovirt create of taken failed: a pool named 'taken' already exists on the engine; this provider does not adopt pools it did not create unless told to, so choose another name, remove that pool, or set 'adopt: true' to take it over",
    );
    expect(sandbox.control.pools().find((p) => p.name === "taken")?.size).toBe(1);
  });

  it("takes over an existing pool as it is when adopt is set, creating nothing", async () => {
    const existing = sandbox.control.pools().find((p) => p.name === "taken");
    const adopted = await backend.create(pool("taken", 5, { adopt: true }));
    expect(adopted.id).toBe(existing?.id);
    expect(adopted.state).toMatchObject({ size: 1, adopt: true });
    expect(sandbox.control.countRequests("POST", /\/vmpools$/)).toBe(0);
  });

  it("gives up waiting for locked disks after the pool's create timeout, reporting the pool's id", async () => {
    // An engine whose disks take a minute: a 1 ms budget cannot see them ready.
    const slowEngine = await startOvirtSandbox({ timings: { ...TEST_TIMINGS, diskCreateMs: 60_000 } });
    const slowCa = path.join(caDir, "slow-ca.pem");
    fs.writeFileSync(slowCa, slowEngine.caPem ?? "");
    const slow = new OvirtBackend(new OvirtClient({ url: slowEngine.url, username: "admin@internal", password: slowEngine.credentials.password, caFile: slowCa, insecure: false }, FAST_RETRY), { pollMs: 10 });
    const err: unknown = await slow.create(pool("impatient", 2, { timeouts: { create: "1ms" } })).catch((e: unknown) => e);
    const poolId = slowEngine.control.pools().find((p) => p.name === "impatient")?.id;
    await slowEngine.close();
    expect(PoolInitError.isInstance(err)).toBe(true);
    expect((err as PoolInitError).id).toBe(poolId);
    expect((err as PoolInitError).reasons[0]).toMatch(/^after 0s the pool has 2 of 2 VMs, and impatient-1, impatient-2 still have locked disks; the next 'pulumi up' waits again$/);
  });

  it("reports a partially created pool with its id, so Pulumi keeps track of it", async () => {
    // With a 9-character VM name limit, partial-1..9 fit and partial-10..12 fail.
    sandbox.control.setConfig({ MaxVmNameLength: 9 });
    try {
      const err: unknown = await backend.create(pool("partial", 12)).catch((e: unknown) => e);
      const summary = sandbox.control.pools().find((p) => p.name === "partial");
      expect(PoolInitError.isInstance(err)).toBe(true);
      expect((err as PoolInitError).id).toBe(summary?.id);
      expect((err as PoolInitError).reasons).toEqual([
        "the engine created the pool with 9 of 12 VMs: ovirt create of partial failed: Operation Failed: [Cannot create VM-Pool. The given name is too long.]",
      ]);
      expect(summary?.size).toBe(9);
    } finally {
      sandbox.control.setConfig({ MaxVmNameLength: 64 });
    }
  });

  it("reads a pool with its VM counts, and reports one removed out of band as gone", async () => {
    const created = await backend.create(pool("readable", 2));
    const read = await backend.read(created.id, created.state);
    expect(read?.state).toMatchObject({ size: 2, vmCount: 2, readyVmCount: 0 });
    expect(read?.inputs).toEqual(created.inputs);
    sandbox.control.engine.store.pools.delete(created.id);
    await expect(backend.read(created.id, created.state)).resolves.toBeUndefined();
  });

  it("grows in place with one PUT and changes description, prestarted and max per user", async () => {
    const created = await backend.create(pool("growing", 2));
    const updated = await backend.update(created.id, created.state, pool("growing", 4, { description: "more", prestarted: 1, maxVmsPerUser: 3 }));
    expect(sandbox.control.countRequests("PUT", /\/vmpools\/[^/]+$/)).toBe(1);
    expect(updated.state).toMatchObject({ size: 4, description: "more", prestarted: 1, maxVmsPerUser: 3, vmCount: 4, uid: created.id });
    expect(sandbox.control.pools().find((p) => p.name === "growing")?.vms.map((vm) => vm.name)).toEqual(["growing-1", "growing-2", "growing-3", "growing-4"]);
  });

  it("refuses to delete while delete protection is on, and changes nothing", async () => {
    const created = await backend.create(pool("guarded", 1, { deleteProtection: true }));
    await expect(backend.delete(created.id, created.state)).rejects.toThrow(
      "ovirt delete of guarded failed: delete protection is on; set 'deleteProtection: false' and run 'pulumi up' before deleting the pool",
    );
    expect(sandbox.control.countRequests("DELETE", /\/vmpools\//)).toBe(0);
  });

  it("deletes a pool with running VMs and waits until the engine answers 404; deleting again succeeds", async () => {
    const created = await backend.create(pool("doomed", 2));
    sandbox.control.takeVm({ pool: "doomed" }, "alice");
    await backend.delete(created.id, created.state);
    expect(sandbox.control.pools().some((p) => p.name === "doomed")).toBe(false);
    expect([...sandbox.control.engine.store.vms.values()].filter((vm) => vm.name.startsWith("doomed-"))).toEqual([]);
    await expect(backend.delete(created.id, created.state)).resolves.toBeUndefined();
  });

  it("keeps the VMs as standalone VMs when asked to", async () => {
    const created = await backend.create(pool("kept", 2, {}, { keepVmsOnDelete: true }));
    sandbox.control.takeVm({ pool: "kept" }, "bob");
    await backend.delete(created.id, created.state);
    const vms = [...sandbox.control.engine.store.vms.values()].filter((vm) => vm.name.startsWith("kept-"));
    expect(vms.map((vm) => [vm.name, vm.poolId])).toEqual([
      ["kept-1", undefined],
      ["kept-2", undefined],
    ]);
    expect(sandbox.control.pools().some((p) => p.name === "kept")).toBe(false);
  });

  it("shrinks by detaching and removing the newest VMs that are down and free", async () => {
    const created = await backend.create(pool("shrinking", 4));
    const updated = await backend.update(created.id, created.state, pool("shrinking", 2));
    expect(updated.state).toMatchObject({ size: 2, vmCount: 2, uid: created.id });
    expect(sandbox.control.pools().find((p) => p.name === "shrinking")?.vms.map((vm) => vm.name)).toEqual(["shrinking-1", "shrinking-2"]);
    expect([...sandbox.control.engine.store.vms.values()].filter((vm) => vm.name === "shrinking-3" || vm.name === "shrinking-4")).toEqual([]);
  });

  it("refuses a shrink that would take VMs users hold, naming them, and changes nothing", async () => {
    const created = await backend.create(pool("busy", 3));
    sandbox.control.takeVm({ vm: "busy-3" }, "alice");
    sandbox.control.takeVm({ vm: "busy-2" }, "bob");
    // Let both finish booting, so the statuses in the message are settled.
    await eventuallyUp(["busy-2", "busy-3"]);
    sandbox.control.resetRequestCounts();
    await expect(backend.update(created.id, created.state, pool("busy", 1))).rejects.toThrow(
      "ovirt update of busy failed: cannot shrink from 3 to 1 VMs safely: only 1 VM is down and free; in use: busy-3 (up, held by alice@internal-authz); busy-2 (up, held by bob@internal-authz). Wait until users release them, or set 'backend.forceShrink: true' to stop and remove VMs in use",
    );
    expect(sandbox.control.pools().find((p) => p.name === "busy")?.size).toBe(3);
    expect(sandbox.control.countRequests("POST", /\/detach$/) + sandbox.control.countRequests("PUT", /\/vmpools\//)).toBe(0);
  });

  it("stops and removes VMs in use when the shrink is forced and no free VM is left", async () => {
    const created = await backend.create(pool("forced", 2, {}, { forceShrink: true }));
    sandbox.control.takeVm({ vm: "forced-2" }, "alice");
    sandbox.control.takeVm({ vm: "forced-1" }, "bob");
    const updated = await backend.update(created.id, created.state, pool("forced", 1, {}, { forceShrink: true }));
    expect(updated.state).toMatchObject({ size: 1, vmCount: 1 });
    expect(sandbox.control.pools().find((p) => p.name === "forced")?.vms.map((vm) => vm.name)).toEqual(["forced-1"]);
  });

  it("reports each VM and the counts of VMs running, prestarted and taken", async () => {
    const created = await backend.create(pool("counted", 3, { prestarted: 1 }));
    sandbox.control.takeVm({ vm: "counted-3" }, "alice");
    sandbox.control.runPrestartMonitor();
    await eventuallyUp(["counted-1", "counted-3"]);
    const read = await backend.read(created.id, created.state);
    expect(read?.state).toMatchObject({ runningVmCount: 2, prestartedVmCount: 1, takenVmCount: 1 });
    expect(read?.state.vms?.map((vm) => [vm.name, vm.status])).toEqual([
      ["counted-1", "up"],
      ["counted-2", "down"],
      ["counted-3", "up"],
    ]);
  });

  it("reads each permission and each user once when counting who holds the running VMs of a pool", async () => {
    const created = await backend.create(pool("crowded", 4, { prestarted: 4, maxVmsPerUser: 2 }));
    sandbox.control.takeVm({ vm: "crowded-1" }, "alice");
    sandbox.control.takeVm({ vm: "crowded-2" }, "alice");
    sandbox.control.runPrestartMonitor();
    await eventuallyUp(["crowded-1", "crowded-2", "crowded-3", "crowded-4"]);
    sandbox.control.resetRequestCounts();
    const read = await backend.read(created.id, created.state);
    expect(read?.state).toMatchObject({ runningVmCount: 4, prestartedVmCount: 2, takenVmCount: 2 });
    // One listing per running VM; the admin's system-wide permission (in every listing) read once, each holder's once, alice once.
    expect(sandbox.control.countRequests("GET", /\/vms\/[^/]+\/permissions$/)).toBe(4);
    expect(sandbox.control.countRequests("GET", /\/vms\/[^/]+\/permissions\/[^/]+$/)).toBe(3);
    expect(sandbox.control.countRequests("GET", /\/users\/[^/]+$/)).toBe(1);
  });

  it("waits until the prestarted VMs are up when asked, as the engine's monitor starts them", async () => {
    const creating = backend.create(pool("warm", 2, { prestarted: 2, timeouts: { create: "30s" } }, { waitForPrestarted: true }));
    // Play the engine's 5-minute monitor: run a cycle once the disks are ready.
    for (let i = 0; i < 100 && sandbox.control.pools().find((p) => p.name === "warm")?.vms.some((vm) => vm.status === "down") !== true; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    sandbox.control.runPrestartMonitor();
    const created = await creating;
    expect(created.state).toMatchObject({ runningVmCount: 2, prestartedVmCount: 2, takenVmCount: 0 });
  });

  it("moves the pool to another version of its template in place", async () => {
    const created = await backend.create(pool("versions", 2, {}, { templateVersion: 1 }));
    const updated = await backend.update(created.id, created.state, pool("versions", 2, {}, { templateVersion: 2 }));
    expect(updated.id).toBe(created.id);
    expect(sandbox.control.engine.store.poolVms(created.id).map((vm) => vm.templateId)).toEqual([DEFAULT_SEED_IDS.templateV2, DEFAULT_SEED_IDS.templateV2]);
    expect(updated.inputs.backend).toMatchObject({ templateVersion: 2 });
  });

  it("finishes a create that timed out when Pulumi retries it on the next up, without a second pool", async () => {
    const clock = new ManualClock();
    const slowEngine = await startOvirtSandbox({ clock, prestartMonitor: false });
    const slowCa = path.join(caDir, "retry-ca.pem");
    fs.writeFileSync(slowCa, slowEngine.caPem ?? "");
    const slow = new OvirtBackend(new OvirtClient({ url: slowEngine.url, username: "admin@internal", password: slowEngine.credentials.password, caFile: slowCa, insecure: false }, FAST_RETRY), { pollMs: 10 });
    try {
      // GIVEN a create whose deadline passes while the disks are still locked
      const err: unknown = await slow.create(pool("retried", 2, { timeouts: { create: "1ms" } })).catch((e: unknown) => e);
      expect(PoolInitError.isInstance(err)).toBe(true);
      const failed = err as PoolInitError;
      expect(failed.properties).toMatchObject({ name: "retried", uid: failed.id, vmCount: 2 });
      // WHEN the disks finish and Pulumi calls update with the recorded id and state
      clock.advance(1_000);
      const finished = await slow.update(failed.id, failed.properties as unknown as VmPoolState, pool("retried", 2));
      // THEN it is the same pool, created once
      expect(finished.id).toBe(failed.id);
      expect(finished.state.vms?.map((vm) => vm.status)).toEqual(["down", "down"]);
      expect(slowEngine.control.countRequests("POST", /\/vmpools$/)).toBe(1);
    } finally {
      await slowEngine.close();
    }
  });
});
