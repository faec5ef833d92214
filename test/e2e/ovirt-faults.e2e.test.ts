/**
 * Pulumi's own handling of a pool the engine made before failing, through
 * the real CLI (the Automation API): the fault campaign (`npm run chaos`)
 * drives the providers in-process and relies on what this test shows of the
 * engine, that a create failing with the pool's id records the pool as
 * "failed to initialize" and the next `up` updates that pool instead of
 * creating a second one. Also: a stack of pools shares one login.
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

describe.skipIf(skip)("VmPool on oVirt through the Pulumi CLI when the engine fails half-way", () => {
  let under: EngineUnderTest;
  let engine: OvirtSandbox;
  let sandbox: PulumiSandbox;
  let stack: Stack;
  let projectDir = "";

  beforeAll(async () => {
    under = await startEngineWithCaFile();
    engine = under.engine;
    sandbox = createPulumiSandbox();
    projectDir = writeProject(path.join(sandbox.root, "project"), "ovirt-faults");
    stack = await openStack(sandbox, projectDir, "dev", classroomPoolProgram);
    await stack.setAllConfig({ ...ovirtStackConfig(under), size: { value: "2" } });
  });

  afterAll(async () => {
    await under?.dispose();
    sandbox?.dispose();
  });

  it("records the pool the engine made when the wait for its VMs fails beyond every retry", async () => {
    // After the POST, every listing of the VMs fails for longer than the client retries.
    engine.control.addFault({ method: "GET", path: "^/ovirt-engine/api/vms$", kind: "error", status: 500, times: 5 });
    const err: unknown = await stack.up().catch((e: unknown) => e);
    expect(String(err)).toContain("the pool was created, but");
    const made = engine.control.pools().filter((p) => p.name === "classroom");
    expect(made).toHaveLength(1);
    const recorded = (await exportState(sandbox, projectDir, "dev")).resources.find((r) => r.type === vmpools.VM_POOL_TYPE);
    expect(recorded?.id).toBe(made[0]?.id);
  });

  it("updates that pool on the next up, creating no second one, with one login for the whole run", async () => {
    engine.control.clearFaults();
    engine.control.resetRequestCounts();
    const result = await stack.up();
    expect(result.summary.resourceChanges).toMatchObject({ update: 1 });
    expect(engine.control.pools().filter((p) => p.name === "classroom").map((p) => p.size)).toEqual([2]);
    expect(engine.control.countRequests("POST", /^\/ovirt-engine\/api\/vmpools$/)).toBe(0);
    expect(engine.control.countRequests("POST", /^\/ovirt-engine\/sso\/oauth\/token$/)).toBe(1);
    await expect(stack.preview({ expectNoChanges: true })).resolves.toBeDefined();
  });

  it("removes the pool on destroy", async () => {
    await stack.destroy();
    expect(engine.control.pools()).toEqual([]);
  });
});
