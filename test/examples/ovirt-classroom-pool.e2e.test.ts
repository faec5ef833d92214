/**
 * The README's walkthrough, run as a reader runs it: the plain Pulumi CLI in
 * `examples/ovirt-classroom-pool`, its TypeScript compiled by the Node
 * language host, against the engine sandbox. The `pulumi` lines are read
 * from README.md itself, so the README cannot drift from what is tested;
 * after each step the engine shows what it did. Guards the path users take
 * (`Pulumi.yaml` + `package.json` + `index.ts`), which inline Automation API
 * programs never exercise.
 */
import * as fs from "node:fs";
import * as path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DEFAULT_SEED_IDS } from "../../sandbox/ovirt-engine/seed";
import { openExample, type ExampleProject } from "../harness/example-project";
import { startEngineWithCaFile, type EngineUnderTest } from "../harness/ovirt-engine";
import { createPulumiSandbox, vmpools, type PulumiSandbox } from "../harness/pulumi";
import { expectStateFreeOfSecrets, ovirtSecrets } from "../harness/state-secrets";
import { missingTools, REPO_ROOT } from "../harness/tools";

const skip = missingTools("pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs", "node").length > 0;

/** The walkthrough's `pulumi` lines as README.md must show them (`pulumi login` aside: the test brings its own backend). */
const WALKTHROUGH = [
  "pulumi stack init dev",
  "pulumi config set vmpools:ovirtUrl https://127.0.0.1:8443/ovirt-engine/api",
  "pulumi config set vmpools:ovirtUsername admin@internal",
  "pulumi config set --secret vmpools:ovirtPassword sandbox-admin",
  "pulumi config set vmpools:ovirtCaFile ../../sandbox-ca.pem",
  "pulumi config set desks 4",
  "pulumi up --yes",
  "pulumi preview --expect-no-changes",
  "pulumi config set desks 6",
  "pulumi up --yes",
  "pulumi refresh --yes",
  "pulumi destroy --yes",
] as const;

/** The `pulumi` lines of the README's walkthrough block (marked `<!-- walkthrough: ovirt-classroom-pool -->`), comments stripped. */
function readmeWalkthrough(): string[] {
  const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
  const marker = readme.indexOf("<!-- walkthrough: ovirt-classroom-pool -->");
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(marker))?.[1];
  if (marker < 0 || block === undefined) {
    throw new Error("README.md has no walkthrough block after <!-- walkthrough: ovirt-classroom-pool -->");
  }
  return block
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line.startsWith("pulumi ") && !line.startsWith("pulumi login"));
}

/** Splits a walkthrough line into arguments (the lines hold no quotes) and points it at this test's engine, CA file and stack. */
function localize(line: string, engine: EngineUnderTest, stack: string): string[] {
  return line
    .replace("https://127.0.0.1:8443", engine.engine.origin)
    .replace("../../sandbox-ca.pem", engine.caFile)
    .replace("stack init dev", `stack init ${stack}`)
    .split(" ")
    .slice(1);
}

describe.skipIf(skip)("examples/ovirt-classroom-pool through the plain Pulumi CLI (the README walkthrough)", () => {
  let engine: EngineUnderTest;
  let sandbox: PulumiSandbox;
  let project: ExampleProject;
  let poolId = "";
  let step = 0;

  /** Runs the next walkthrough line, checking it is the one the test expects. */
  async function next(expected: (typeof WALKTHROUGH)[number]): Promise<string> {
    const line = WALKTHROUGH[step];
    step += 1;
    expect(line).toBe(expected);
    return (await project.pulumi(localize(expected, engine, project.stack))).stdout;
  }
  const pools = (): ReturnType<EngineUnderTest["engine"]["control"]["pools"]> => engine.engine.control.pools().filter((p) => p.name === "room12-??");
  const writes = (): number => ["POST", "PUT", "DELETE"].reduce((n, method) => n + engine.engine.control.countRequests(method, /^\/ovirt-engine\/api\//), 0);

  beforeAll(async () => {
    engine = await startEngineWithCaFile();
    sandbox = createPulumiSandbox();
    project = openExample(sandbox, "ovirt-classroom-pool");
  });

  afterAll(async () => {
    await project?.dispose();
    await engine?.dispose();
    sandbox?.dispose();
  });

  it("README.md shows exactly the commands this test runs", () => {
    expect(readmeWalkthrough()).toEqual(WALKTHROUGH);
  });

  it("configures a new stack, keeping the password encrypted in the stack's config file", async () => {
    for (const line of WALKTHROUGH.slice(0, 6)) {
      await next(line);
    }
    const stackFile = fs.readFileSync(path.join(project.dir, `Pulumi.${project.stack}.yaml`), "utf8");
    expect(stackFile).toMatch(/vmpools:ovirtPassword:\n\s+secure: /);
    expect(stackFile).not.toContain(engine.engine.credentials.password);
  });

  it("pulumi up creates the pool of four desktops with one POST and the students' permission, and the stack outputs list them", async () => {
    await next("pulumi up --yes");
    const created = pools();
    expect(created.map((p) => [p.size, p.prestartedVms])).toEqual([[4, 4]]);
    poolId = created[0]?.id ?? "";
    expect(engine.engine.control.countRequests("POST", /^\/ovirt-engine\/api\/vmpools$/)).toBe(1);
    const outputs = await project.outputs();
    expect(outputs["poolId"]).toBe(poolId);
    expect(outputs["vmCount"]).toBe(4);
    expect((outputs["desktops"] as { name: string }[]).map((vm) => vm.name)).toEqual(["room12-01", "room12-02", "room12-03", "room12-04"]);
    // The students' group may take the desktops: the engine's UserRole on the pool.
    const grants = [...engine.engine.control.engine.store.permissions.values()].filter((p) => p.objectId === poolId);
    expect(grants.map((p) => [p.roleId, p.groupId])).toEqual([["00000000-0000-0000-0001-000000000001", DEFAULT_SEED_IDS.vdiUsers]]);
    expect(outputs["studentsGroupId"]).toBe(DEFAULT_SEED_IDS.vdiUsers);
  });

  it("pulumi preview --expect-no-changes passes right after up and writes nothing; the password is not in state", async () => {
    engine.engine.control.resetRequestCounts();
    await next("pulumi preview --expect-no-changes");
    expect(writes()).toBe(0);
    await expectStateFreeOfSecrets(project, ovirtSecrets(engine.engine));
    const state = await project.exportState();
    expect(state.resources.find((r) => r.type === vmpools.VM_POOL_TYPE)?.id).toBe(poolId);
  });

  it("a change of desks grows the same pool in place", async () => {
    await next("pulumi config set desks 6");
    await next("pulumi up --yes");
    expect(pools()).toMatchObject([{ id: poolId, size: 6 }]);
  });

  it("pulumi refresh brings a description edited in the Administration Portal into state", async () => {
    const pool = engine.engine.control.engine.store.pools.get(poolId);
    expect(pool).toBeDefined();
    if (pool !== undefined) {
      pool.description = "edited in the Administration Portal";
    }
    await next("pulumi refresh --yes");
    const exported = (await project.exportState()).resources.find((r) => r.type === vmpools.VM_POOL_TYPE);
    expect(exported?.outputs?.["description"]).toBe("edited in the Administration Portal");
    // The program still says otherwise, so the next preview plans to put it back.
    const preview = await project.pulumi(["preview", "--expect-no-changes"], { allowFailure: true });
    expect(preview.code).not.toBe(0);
    expect(preview.stdout).toMatch(/~ 1 to update/);
  });

  it("pulumi destroy removes the pool and every VM of it", async () => {
    await next("pulumi destroy --yes");
    expect(step).toBe(WALKTHROUGH.length);
    expect(pools()).toEqual([]);
    expect([...engine.engine.control.engine.store.vms.values()].filter((vm) => vm.name.startsWith("room12-"))).toEqual([]);
    expect([...engine.engine.control.engine.store.permissions.values()].filter((p) => p.objectId === poolId)).toEqual([]);
  });
});
