/**
 * The oVirt backends when the engine fails half-way, beyond what the
 * client's retries ride through (cases the fault campaign found): a create
 * whose pool exists records it by id, a shrink interrupted between detaching
 * a VM and removing it records the VM and the next update removes it, a
 * detach whose answer was lost counts as done, and a permission whose answer
 * was lost is claimed instead of left untracked.
 */
import * as path from "node:path";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import type { VmPoolState } from "../../../../provider/backends/backend";
import { OvirtClient } from "../../../../provider/backends/ovirt/client";
import { OvirtBackend } from "../../../../provider/backends/ovirt/ovirt-backend";
import { OvirtPoolPermissionBackend } from "../../../../provider/backends/ovirt/ovirt-permission-backend";
import { PoolInitError } from "../../../../provider/errors";
import { vmPoolInputsSchema, type VmPoolInputs } from "../../../../provider/schemas/vm-pool";
import type { OvirtSandbox } from "../../../../sandbox/ovirt-engine/server";
import { startEngineWithCaFile, type EngineUnderTest } from "../../../harness/ovirt-engine";

const FAST_RETRY = { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 };
const FAST_WAITS = { pollMs: 10, timeoutMs: 5_000 };

function pool(name: string, size: number): VmPoolInputs {
  return vmPoolInputsSchema.parse({ name, size, backend: { kind: "ovirt", cluster: "Default", template: "rhel9-desktop" } });
}

describe("oVirt backends when the engine fails half-way", () => {
  let under: EngineUnderTest;
  let sandbox: OvirtSandbox;
  let client: OvirtClient;
  let backend: OvirtBackend;

  beforeAll(async () => {
    under = await startEngineWithCaFile();
    sandbox = under.engine;
    client = new OvirtClient({ url: sandbox.url, username: "admin@internal", password: sandbox.credentials.password, caFile: path.join(under.dir, "ca.pem"), insecure: false }, FAST_RETRY);
    backend = new OvirtBackend(client, FAST_WAITS);
  });
  afterAll(async () => {
    client.close();
    await under?.dispose();
  });
  beforeEach(() => {
    sandbox.control.clearFaults();
    sandbox.control.resetRequestCounts();
  });

  const vmNamed = (name: string): { poolId: string | undefined } | undefined => [...sandbox.control.engine.store.vms.values()].find((vm) => vm.name === name);

  it("records a created pool by id when the engine fails after the POST, so it is never forgotten", async () => {
    sandbox.control.addFault({ method: "GET", path: "/vms$", kind: "error", status: 500, times: 6 });
    const err: unknown = await backend.create(pool("half-made", 2)).catch((e: unknown) => e);
    const made = sandbox.control.pools().find((p) => p.name === "half-made");
    expect(PoolInitError.isInstance(err) && err.id).toBe(made?.id);
    expect(PoolInitError.isInstance(err) && err.properties).toMatchObject({ name: "half-made", uid: made?.id });
  });

  it("records a VM detached but not removed when the engine fails mid-shrink, and removes it on the next update", async () => {
    const created = await backend.create(pool("cut-short", 3));
    sandbox.control.addFault({ method: "DELETE", path: "/vms/[^/]+$", kind: "error", status: 500, times: 6 });
    const err: unknown = await backend.update(created.id, created.state, pool("cut-short", 2)).catch((e: unknown) => e);
    expect(PoolInitError.isInstance(err)).toBe(true);
    const pending = (err as PoolInitError).properties["pendingVmRemovals"] as string[];
    expect(pending).toHaveLength(1);
    expect(vmNamed("cut-short-3")?.poolId).toBeUndefined();
    expect((err as Error).message).toMatch(/may be detached from the pool but not yet removed, as the engine failed .*; the next 'pulumi up' removes it/);

    // The engine recovers. A refresh keeps the record; the next update removes the VM.
    sandbox.control.clearFaults();
    const read = await backend.read(created.id, (err as PoolInitError).properties as VmPoolState);
    expect(read?.state).toMatchObject({ pendingVmRemovals: pending, size: 2 });
    const updated = await backend.update(created.id, read?.state as VmPoolState, pool("cut-short", 2));
    expect(vmNamed("cut-short-3")).toBeUndefined();
    expect(updated.state).toMatchObject({ size: 2, vmCount: 2 });
    expect(updated.state).not.toHaveProperty("pendingVmRemovals");
  });

  it("counts a detach whose answer was lost as done, and removes the VM", async () => {
    const created = await backend.create(pool("lost-detach", 2));
    sandbox.control.addFault({ method: "POST", path: "/detach$", kind: "drop", phase: "after", times: 1 });
    const updated = await backend.update(created.id, created.state, pool("lost-detach", 1));
    expect(updated.state).toMatchObject({ size: 1, vmCount: 1 });
    expect(vmNamed("lost-detach-2")).toBeUndefined();
    expect(sandbox.control.countRequests("POST", /\/detach$/)).toBe(2);
  });

  it("claims a permission whose every answer was lost after the engine added it", async () => {
    const created = await backend.create(pool("granted", 1));
    const permissions = new OvirtPoolPermissionBackend(client);
    sandbox.control.addFault({ method: "POST", path: "/vmpools/[^/]+/permissions$", kind: "drop", phase: "after", times: 6 });
    const granted = await permissions.create({ role: "UserRole", user: "alice@internal-authz", pool: { name: "granted", uid: created.id }, backend: { kind: "ovirt" } });
    const onPool = [...sandbox.control.engine.store.permissions.values()].filter((p) => p.objectType === "vm_pool" && p.objectId === created.id);
    expect(onPool.map((p) => p.id)).toEqual([granted.id]);
  });
});
