/**
 * Lifecycle of a VmPool on oVirt through the real Pulumi CLI against the
 * engine sandbox: up, no-change preview, grow, a replacing change, refresh
 * after an out-of-band change, destroy; the sandbox's request counts show
 * no duplicate pool and nothing left behind.
 */
import * as path from "node:path";

import type { Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { OvirtSandbox } from "../../sandbox/ovirt-engine/server";
import { classroomPoolProgram } from "../fixtures/programs";
import { ovirtStackConfig, startEngineWithCaFile, type EngineUnderTest } from "../harness/ovirt-engine";
import { createPulumiSandbox, exportState, openStack, vmpools, writeProject, type PulumiSandbox } from "../harness/pulumi";
import { missingTools } from "../harness/tools";

const skip = missingTools("pulumi", "pulumi-resource-pulumi-nodejs", "node").length > 0;
const POOLS_PATH = /^\/ovirt-engine\/api\/vmpools$/;

describe.skipIf(skip)("VmPool on oVirt through the Pulumi CLI", () => {
  let under: EngineUnderTest;
  let engine: OvirtSandbox;
  let sandbox: PulumiSandbox;
  let stack: Stack;
  let projectDir = "";
  let firstId = "";

  const poolsNamed = (name: string): { id: string; size: number }[] => engine.control.pools().filter((p) => p.name === name);
  const writes = (): number => ["POST", "PUT", "DELETE"].reduce((n, method) => n + engine.control.countRequests(method, /^\/ovirt-engine\/api\//), 0);

  beforeAll(async () => {
    under = await startEngineWithCaFile();
    engine = under.engine;
    sandbox = createPulumiSandbox();
    projectDir = writeProject(path.join(sandbox.root, "project"), "ovirt-lifecycle");
    stack = await openStack(sandbox, projectDir, "dev", classroomPoolProgram);
    await stack.setAllConfig({ ...ovirtStackConfig(under), size: { value: "2" } });
  });

  afterAll(async () => {
    await under?.dispose();
    sandbox?.dispose();
  });

  it("creates the pool on pulumi up, with exactly one POST", async () => {
    const result = await stack.up();
    expect(result.summary.resourceChanges).toEqual({ create: 2 });
    const pools = poolsNamed("classroom");
    expect(pools.map((p) => p.size)).toEqual([2]);
    firstId = pools[0]?.id ?? "";
    expect(result.outputs["uid"]?.value).toBe(firstId);
    expect(engine.control.countRequests("POST", POOLS_PATH)).toBe(1);
  });

  it("plans no change right after up, and keeps the password out of state", async () => {
    await expect(stack.preview({ expectNoChanges: true })).resolves.toMatchObject({ changeSummary: { same: 2 } });
    const state = await exportState(sandbox, projectDir, "dev");
    expect(state.text).not.toContain(engine.credentials.password);
  });

  it("grows the pool in place", async () => {
    await stack.setConfig("size", { value: "3" });
    expect((await stack.up()).summary.resourceChanges).toEqual({ same: 1, update: 1 });
    expect(poolsNamed("classroom")).toMatchObject([{ id: firstId, size: 3 }]);
  });

  it("shows a description changed outside Pulumi after refresh", async () => {
    const pool = engine.control.engine.store.pools.get(firstId);
    if (pool !== undefined) {
      pool.description = "edited in the Administration Portal";
    }
    expect((await stack.refresh()).summary.resourceChanges).toEqual({ same: 1, update: 1 });
    const exported = (await exportState(sandbox, projectDir, "dev")).resources.find((r) => r.type === vmpools.VM_POOL_TYPE);
    expect(exported?.outputs?.["description"]).toBe("edited in the Administration Portal");
    await expect(stack.preview()).resolves.toMatchObject({ changeSummary: { same: 1, update: 1 } });
  });

  it("replaces the pool when its type changes, deleting the old one first since the name is kept", async () => {
    await stack.setConfig("type", { value: "manual" });
    const result = await stack.up();
    expect(result.summary.resourceChanges).toEqual({ same: 1, replace: 1 });
    const pools = poolsNamed("classroom");
    expect(pools).toHaveLength(1);
    expect(pools[0]?.id).not.toBe(firstId);
    expect(engine.control.engine.store.pools.get(pools[0]?.id ?? "")?.type).toBe("manual");
    expect(engine.control.countRequests("POST", POOLS_PATH)).toBe(2);
  });

  it("fails the preview for a template that does not exist, changing nothing on the engine", async () => {
    await stack.setConfig("template", { value: "no-such-template" });
    engine.control.resetRequestCounts();
    const err: unknown = await stack.preview().catch((e: unknown) => e);
    expect(String(err)).toContain("template 'no-such-template' does not exist on the engine; create it or fix 'backend.template'");
    expect(writes()).toBe(0);
    await stack.removeConfig("template");
  });

  it("fails the preview for a shrink that would take VMs users hold, naming them, changing nothing", async () => {
    engine.control.takeVm({ vm: "classroom-3" }, "alice");
    engine.control.takeVm({ vm: "classroom-2" }, "bob");
    // Let both VMs finish booting, so the message below is deterministic.
    for (let i = 0; i < 200 && !["classroom-2", "classroom-3"].every((n) => [...engine.control.engine.store.vms.values()].find((vm) => vm.name === n)?.status === "up"); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    await stack.setConfig("size", { value: "1" });
    engine.control.resetRequestCounts();
    const err: unknown = await stack.preview().catch((e: unknown) => e);
    expect(String(err)).toContain(
      "cannot shrink from 3 to 1 VMs safely: only 1 VM is down and free; in use: classroom-3 (up, held by alice@internal-authz); classroom-2 (up, held by bob@internal-authz)",
    );
    expect(writes()).toBe(0);
    expect(poolsNamed("classroom").map((p) => p.size)).toEqual([3]);
  });

  it("shrinks the pool by the one VM that is down and free, keeping the VMs users hold", async () => {
    await stack.setConfig("size", { value: "2" });
    expect((await stack.up()).summary.resourceChanges).toEqual({ same: 1, update: 1 });
    const pool = engine.control.pools().find((p) => p.name === "classroom");
    expect(pool?.vms.map((vm) => [vm.name, vm.users])).toEqual([
      ["classroom-2", ["bob"]],
      ["classroom-3", ["alice"]],
    ]);
  });

  it("removes the pool and its VMs on pulumi destroy", async () => {
    expect((await stack.destroy()).summary.resourceChanges).toEqual({ delete: 2 });
    expect(poolsNamed("classroom")).toEqual([]);
    expect([...engine.control.engine.store.vms.values()].filter((vm) => vm.name.startsWith("classroom-"))).toEqual([]);
  });
});
