/**
 * `examples/ovirt-trusted-exam-room` as users run it, through the plain
 * Pulumi CLI against the engine sandbox: a trusted cluster, a pool placed in
 * it, a group and a user given roles on the pool. Up, no-change preview,
 * untrusted hosts reported after refresh, the proctor changed (the old
 * permission replaced), destroy; nothing left behind, and a permission the
 * stack did not make (inherited from the data center) intact throughout.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Permission } from "../../sandbox/ovirt-engine/model";
import { DEFAULT_SEED_IDS } from "../../sandbox/ovirt-engine/seed";
import { configureOvirtStack, openExample, type ExampleProject } from "../harness/example-project";
import { startEngineWithCaFile, type EngineUnderTest } from "../harness/ovirt-engine";
import { createPulumiSandbox, vmpools, type PulumiSandbox } from "../harness/pulumi";
import { expectStateFreeOfSecrets, ovirtSecrets } from "../harness/state-secrets";
import { missingTools } from "../harness/tools";

const skip = missingTools("pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs", "node").length > 0;

const USER_ROLE = "00000000-0000-0000-0001-000000000001";
const VM_POOL_ADMIN = "def00007-0000-0000-0000-def000000007";

describe.skipIf(skip)("examples/ovirt-trusted-exam-room through the plain Pulumi CLI", () => {
  let under: EngineUnderTest;
  let sandbox: PulumiSandbox;
  let project: ExampleProject;
  const inherited: Permission = { id: "aaaa0000-0000-4000-8000-00000000d1c0", roleId: USER_ROLE, userId: DEFAULT_SEED_IDS.bob, groupId: undefined, objectType: "data_center", objectId: DEFAULT_SEED_IDS.dataCenter };

  const store = (): EngineUnderTest["engine"]["control"]["engine"]["store"] => under.engine.control.engine.store;
  const cluster = (): { id: string; trustedService: boolean } | undefined => [...store().clusters.values()].find((c) => c.name === "exam-hosts");
  const pool = (): { id: string; clusterId: string } | undefined => [...store().pools.values()].find((p) => p.name === "exam-??");
  /** Permissions on the pool, as (role, principal) pairs. */
  const poolGrants = (): string[][] => {
    const id = pool()?.id;
    return [...store().permissions.values()].filter((p) => p.objectId === id).map((p) => [p.roleId, p.userId ?? p.groupId ?? ""]);
  };

  beforeAll(async () => {
    under = await startEngineWithCaFile();
    under.engine.control.setConfig({ AttestationServer: "attestation.example.com" });
    // Bob may use every VM in the data center: granted outside this stack, inherited by its pool.
    store().permissions.set(inherited.id, { ...inherited });
    sandbox = createPulumiSandbox();
    project = openExample(sandbox, "ovirt-trusted-exam-room");
  });

  afterAll(async () => {
    await project?.dispose();
    await under?.dispose();
    sandbox?.dispose();
  });

  it("pulumi up creates the trusted cluster, the pool in it and both permissions", async () => {
    await project.pulumi(["stack", "init", project.stack]);
    await configureOvirtStack(project, under);
    await project.pulumi(["config", "set", "desks", "2"]);
    await project.pulumi(["config", "set", "proctor", "alice@internal-authz"]);
    await project.pulumi(["up", "--yes"]);

    expect(cluster()?.trustedService).toBe(true);
    expect(pool()?.clusterId).toBe(cluster()?.id);
    expect(poolGrants().sort()).toEqual([
      [USER_ROLE, DEFAULT_SEED_IDS.vdiUsers],
      [VM_POOL_ADMIN, DEFAULT_SEED_IDS.alice],
    ].sort());
    const outputs = await project.outputs();
    expect(outputs["poolId"]).toBe(pool()?.id);
    expect([outputs["hosts"], outputs["untrustedHosts"]]).toEqual([[], []]);
  });

  it("pulumi preview --expect-no-changes passes right after up, and the exported state holds no password or token", async () => {
    await project.pulumi(["preview", "--expect-no-changes"]);
    await expectStateFreeOfSecrets(project, ovirtSecrets(under.engine));
  });

  it("pulumi refresh reports the host the attestation server refused", async () => {
    // An administrator adds two hosts; the attestation server refuses one, which the engine makes non-operational.
    under.engine.control.seed({ hosts: [{ name: "exam-h1", cluster: "exam-hosts" }, { name: "exam-h2", cluster: "exam-hosts" }] });
    under.engine.control.setHostAttestation("exam-h2", "untrusted");
    await project.pulumi(["refresh", "--yes"]);
    // Refresh updates the resource's outputs in state (stack outputs wait for the next up).
    const exported = (await project.exportState()).resources.find((r) => r.type === vmpools.TRUSTED_CLUSTER_TYPE);
    expect(exported?.outputs?.["untrustedHosts"]).toEqual(["exam-h2"]);
    expect((exported?.outputs?.["hosts"] as { name: string; status: string; trusted: boolean }[]).map((h) => [h.name, h.status, h.trusted])).toEqual([
      ["exam-h1", "up", true],
      ["exam-h2", "non_operational", false],
    ]);
  });

  it("a new proctor replaces the permission: bob's is made, alice's removed, nothing else touched", async () => {
    await project.pulumi(["config", "set", "proctor", "bob@internal-authz"]);
    await project.pulumi(["up", "--yes"]);
    expect(poolGrants().sort()).toEqual([
      [USER_ROLE, DEFAULT_SEED_IDS.vdiUsers],
      [VM_POOL_ADMIN, DEFAULT_SEED_IDS.bob],
    ].sort());
    expect(store().permissions.get(inherited.id)).toEqual(inherited);
  });

  it("pulumi destroy removes the permissions, the pool and the cluster, and leaves the inherited permission", async () => {
    // An administrator moves the hosts out first: the engine refuses to remove a cluster with hosts.
    for (const host of [...store().hosts.values()].filter((h) => h.clusterId === cluster()?.id)) {
      store().hosts.delete(host.id);
    }
    const poolId = pool()?.id;
    await project.pulumi(["destroy", "--yes"]);
    expect([cluster(), pool()]).toEqual([undefined, undefined]);
    expect([...store().permissions.values()].filter((p) => p.objectId === poolId)).toEqual([]);
    expect([...store().vms.values()].filter((vm) => vm.name.startsWith("exam-"))).toEqual([]);
    expect(store().permissions.get(inherited.id)).toEqual(inherited);
  });
});
