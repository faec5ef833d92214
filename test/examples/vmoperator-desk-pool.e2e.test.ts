/**
 * `examples/vmoperator-desk-pool` as a user runs it: the plain Pulumi CLI in
 * the example's folder against a real kube-apiserver with the VM-Operator
 * fixture CRDs. A bare API server runs no VM-Operator manager, so the test
 * makes the VMs the pool is built from, one of them also in a pool nobody
 * here manages, and checks after every step that each VM's other pools are
 * intact and that no VM was deleted or stopped.
 */
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { openExample, type ExampleProject } from "../harness/example-project";
import { startTestCluster, type TestCluster } from "../harness/kube-apiserver";
import { createPulumiSandbox, type PulumiSandbox } from "../harness/pulumi";
import { expectStateFreeOfSecrets, kubeconfigSecrets } from "../harness/state-secrets";
import { missingTools } from "../harness/tools";

const skip = missingTools("pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs", "node", "etcd", "kube-apiserver").length > 0;

const GROUP = { group: "vmoperator.jdrupes.org", version: "v1", namespace: "vdi" };
/** The VMs: three labelled for the example's selector (desk-2 also in "library"), one not. */
const VMS = [
  { name: "desk-1", pools: [], state: "Stopped", labels: { desk: "shared" } },
  { name: "desk-2", pools: ["library"], state: "Running", labels: { desk: "shared" } },
  { name: "desk-3", pools: [], state: "Stopped", labels: { desk: "shared" } },
  { name: "kiosk", pools: ["library"], state: "Running", labels: { desk: "kiosk" } },
];

interface VmObject {
  metadata: { uid: string };
  spec: { pools: string[]; vm: { state: string } };
}

describe.skipIf(skip)("examples/vmoperator-desk-pool through the plain Pulumi CLI", () => {
  let cluster: TestCluster;
  let sandbox: PulumiSandbox;
  let project: ExampleProject;
  let objects: k8s.CustomObjectsApi;
  const uids: Record<string, string> = {};

  const readVm = async (name: string): Promise<VmObject> => (await objects.getNamespacedCustomObject({ ...GROUP, plural: "vms", name })) as VmObject;
  const readVms = async (): Promise<Record<string, { pools: string[]; state: string }>> => {
    const vms = await Promise.all(VMS.map(async (vm) => [vm.name, await readVm(vm.name)] as const));
    for (const [name, vm] of vms) {
      // No VM was deleted (and made again) along the way.
      expect(vm.metadata.uid).toBe(uids[name]);
    }
    return Object.fromEntries(vms.map(([name, vm]) => [name, { pools: vm.spec.pools, state: vm.spec.vm.state }]));
  };
  const readPool = async (): Promise<{ metadata: { uid: string }; spec: { retention: string; permissions: unknown[] } }> => (await objects.getNamespacedCustomObject({ ...GROUP, plural: "vmpools", name: "desks" })) as never;

  beforeAll(async () => {
    cluster = await startTestCluster();
    sandbox = createPulumiSandbox();
    const admin = cluster.kubeConfig("admin");
    objects = admin.makeApiClient(k8s.CustomObjectsApi);
    await admin.makeApiClient(k8s.CoreV1Api).createNamespace({ body: { metadata: { name: "vdi" } } });
    for (const vm of VMS) {
      const created = (await objects.createNamespacedCustomObject({
        ...GROUP,
        plural: "vms",
        body: { apiVersion: "vmoperator.jdrupes.org/v1", kind: "VirtualMachine", metadata: { name: vm.name, labels: vm.labels }, spec: { pools: vm.pools, vm: { maximumCpus: 2, state: vm.state } } },
      })) as VmObject;
      uids[vm.name] = created.metadata.uid;
    }
    project = openExample(sandbox, "vmoperator-desk-pool");
  });

  afterAll(async () => {
    await project?.dispose();
    await cluster?.stop();
    sandbox?.dispose();
  });

  it("pulumi up pools two of the labelled VMs and adds both permissions", async () => {
    await project.pulumi(["stack", "init", project.stack]);
    await project.pulumi(["config", "set", "--secret", "vmpools:kubeconfig", cluster.kubeconfig("admin")]);
    await project.pulumi(["config", "set", "desks", "2"]);
    await project.pulumi(["up", "--yes"]);
    const pool = await readPool();
    expect(pool.spec.retention).toBe("PT30M");
    expect(pool.spec.permissions).toEqual(
      expect.arrayContaining([
        { role: "students", may: ["accessConsole", "start"] },
        { user: "alice", may: ["start", "stop", "reset", "accessConsole"] },
      ]),
    );
    expect(pool.spec.permissions).toHaveLength(2);
    // desk-1 and desk-2 by name; desk-2 already runs, so prestarted 1 starts nothing.
    expect(await readVms()).toEqual({
      "desk-1": { pools: ["desks"], state: "Stopped" },
      "desk-2": { pools: ["library", "desks"], state: "Running" },
      "desk-3": { pools: [], state: "Stopped" },
      kiosk: { pools: ["library"], state: "Running" },
    });
    expect(await project.outputs()).toEqual({ poolName: "desks", members: ["desk-1", "desk-2"] });
  });

  it("pulumi preview --expect-no-changes passes, and state holds neither the token nor the server", async () => {
    await project.pulumi(["preview", "--expect-no-changes"]);
    await expectStateFreeOfSecrets(project, kubeconfigSecrets(cluster.kubeconfig("admin")));
  });

  it("a change of desks and retention grows the pool in place, keeping the permissions", async () => {
    const uid = (await readPool()).metadata.uid;
    await project.pulumi(["config", "set", "desks", "3"]);
    await project.pulumi(["config", "set", "retention", "P1DT12H"]);
    await project.pulumi(["up", "--yes"]);
    const pool = await readPool();
    expect([pool.metadata.uid, pool.spec.retention, pool.spec.permissions.length]).toEqual([uid, "P1DT12H", 2]);
    expect((await readVms())["desk-3"]).toEqual({ pools: ["desks"], state: "Stopped" });
    await project.pulumi(["preview", "--expect-no-changes"]);
  });

  it("pulumi refresh brings a VM taken out of the pool by hand into state, and up puts it back", async () => {
    const vm = (await objects.getNamespacedCustomObject({ ...GROUP, plural: "vms", name: "desk-1" })) as VmObject & Record<string, unknown>;
    await objects.replaceNamespacedCustomObject({ ...GROUP, plural: "vms", name: "desk-1", body: { ...vm, spec: { ...vm.spec, pools: [] } } });
    await project.pulumi(["refresh", "--yes"]);
    const exported = (await project.exportState()).resources.find((r) => r.type === "pulumi-nodejs:dynamic/vmpools:VmPool");
    expect(exported?.outputs?.["members"]).toEqual(["desk-2", "desk-3"]);
    const preview = await project.pulumi(["preview", "--expect-no-changes"], { allowFailure: true });
    expect(preview.code).not.toBe(0);
    expect(preview.stdout).toMatch(/~ 1 to update/);
    await project.pulumi(["up", "--yes"]);
    expect((await readVms())["desk-1"]).toEqual({ pools: ["desks"], state: "Stopped" });
    await project.pulumi(["preview", "--expect-no-changes"]);
  });

  it("a retention VM-Operator cannot read fails preview, naming it, with nothing changed", async () => {
    await project.pulumi(["config", "set", "retention", "4 hours"]);
    const preview = await project.pulumi(["preview"], { allowFailure: true });
    expect(preview.code).not.toBe(0);
    expect(preview.stdout + preview.stderr).toContain("backend.retention");
    expect((await readPool()).spec.retention).toBe("P1DT12H");
    await project.pulumi(["config", "set", "retention", "P1DT12H"]);
  });

  it("pulumi destroy removes the pool: members leave it, none is stopped or deleted, other pools stay", async () => {
    await project.pulumi(["destroy", "--yes"]);
    await expect(readPool()).rejects.toMatchObject({ code: 404 });
    expect(await readVms()).toEqual({
      "desk-1": { pools: [], state: "Stopped" },
      "desk-2": { pools: ["library"], state: "Running" },
      "desk-3": { pools: [], state: "Stopped" },
      kiosk: { pools: ["library"], state: "Running" },
    });
  });
});
