/**
 * The top-level `Pulumi.yaml` does what its comment says: from the top of a
 * checkout, `pulumi stack init`, the walkthrough's config and `pulumi up`
 * run the oVirt classroom example. Guards the path a newcomer tries first
 * (it once failed to compile with TS2209).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { configureOvirtStack, openExample, type ExampleProject } from "../harness/example-project";
import { startEngineWithCaFile, type EngineUnderTest } from "../harness/ovirt-engine";
import { createPulumiSandbox, type PulumiSandbox } from "../harness/pulumi";
import { expectStateFreeOfSecrets, ovirtSecrets } from "../harness/state-secrets";
import { missingTools } from "../harness/tools";

const skip = missingTools("pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs", "node").length > 0;

describe.skipIf(skip)("the top-level Pulumi.yaml", () => {
  let engine: EngineUnderTest;
  let sandbox: PulumiSandbox;
  let project: ExampleProject;

  beforeAll(async () => {
    engine = await startEngineWithCaFile();
    sandbox = createPulumiSandbox();
    project = openExample(sandbox, ".");
  });

  afterAll(async () => {
    await project?.dispose();
    await engine?.dispose();
    sandbox?.dispose();
  });

  it("runs the classroom example from the top of the checkout: up, then destroy", async () => {
    await project.pulumi(["stack", "init", project.stack]);
    await configureOvirtStack(project, engine);
    await project.pulumi(["config", "set", "desks", "2"]);
    await project.pulumi(["config", "set", "prestarted", "0"]);
    await project.pulumi(["up", "--yes"]);
    expect(engine.engine.control.pools().map((p) => [p.name, p.size])).toEqual([["room12-??", 2]]);
    await expectStateFreeOfSecrets(project, ovirtSecrets(engine.engine));
    await project.pulumi(["destroy", "--yes"]);
    expect(engine.engine.control.pools()).toEqual([]);
  });
});
