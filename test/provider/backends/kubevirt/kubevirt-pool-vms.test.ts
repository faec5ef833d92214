/**
 * A KubeVirt pool's VMs as outputs, against a real kube-apiserver with
 * KubeVirt's CRDs (1.9 and 1.6): the VMs the pool controls and their VMIs
 * (created here as virt-controller would, since a bare API server runs no
 * controller), with name, printable status, ready and node, and the counts,
 * as oVirt's outputs have them. VMs the pool does not control are left out.
 */
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { KubevirtClient } from "../../../../provider/backends/kubevirt/client";
import { KubevirtBackend } from "../../../../provider/backends/kubevirt/kubevirt-backend";
import { vmPoolInputsSchema, type VmPoolInputs } from "../../../../provider/schemas/vm-pool";
import { VmPoolProvider } from "../../../../provider/vm-pool-provider";
import { SMALL_VM_SPEC } from "../../../fixtures/programs";
import { startTestCluster, type TestCluster, clusterProviderSettings } from "../../../harness/kube-apiserver";
import { createPoolVms, reportPoolStatus } from "../../../harness/kubevirt-pool-controller";
import { missingTools } from "../../../harness/tools";

const skip = missingTools("etcd", "kube-apiserver").length > 0;

function poolInputs(name: string, size: number): VmPoolInputs {
  return vmPoolInputsSchema.parse({ name, size, backend: { kind: "kubevirt", virtualMachineTemplate: { spec: SMALL_VM_SPEC } } });
}

describe.skipIf(skip).each([
  { crds: "1.9" as const, version: "v1beta1" as const },
  { crds: "1.6" as const, version: "v1alpha1" as const },
])("a pool's VMs as outputs on a KubeVirt $crds API server", ({ crds, version }) => {
  let cluster: TestCluster;
  let backend: KubevirtBackend;

  beforeAll(async () => {
    cluster = await startTestCluster({ kubevirtCrds: crds });
    backend = new KubevirtBackend(new KubevirtClient(cluster.kubeConfig("admin")), 5_000);
  });
  afterAll(async () => cluster?.stop());

  it("lists the VMs the pool controls with printable status, ready and node, and counts the running ones", async () => {
    // GIVEN a pool of 3 whose controller made its VMs: one running and ready,
    // one stopped, one starting on another node, and reported its counts
    const created = await backend.create(poolInputs("lab", 3));
    const admin = cluster.kubeConfig("admin");
    await createPoolVms(admin, { name: "lab", version }, [
      { index: 0, running: true, node: "node-a" },
      { index: 1 },
      { index: 2, running: true, ready: false, printableStatus: "Starting", node: "node-b" },
    ]);
    await reportPoolStatus(admin, { name: "lab", version }, { replicas: 3, readyReplicas: 1 });
    // AND a VM with the pool's labels that the pool does not control (detached by hand)
    await admin.makeApiClient(k8s.CustomObjectsApi).createNamespacedCustomObject({
      group: "kubevirt.io",
      version: "v1",
      namespace: "default",
      plural: "virtualmachines",
      body: { apiVersion: "kubevirt.io/v1", kind: "VirtualMachine", metadata: { name: "lab-7", labels: { "kubevirt.io/vmpool": "lab" } }, spec: SMALL_VM_SPEC },
    });

    // WHEN the pool is read (refresh)
    const read = await backend.read(created.id, created.state);

    // THEN its VMs are listed in index order, with their states, and counted
    const uids = (read?.state.vms ?? []).map((vm) => vm.id);
    expect(uids.every((uid) => /^[0-9a-f-]{36}$/.test(uid))).toBe(true);
    expect(read?.state.vms?.map(({ id: _id, ...vm }) => vm)).toEqual([
      { name: "lab-0", status: "Running", ready: true, node: "node-a" },
      { name: "lab-1", status: "Stopped", ready: false },
      { name: "lab-2", status: "Starting", ready: false, node: "node-b" },
    ]);
    expect(read?.state).toMatchObject({ runningVmCount: 2, vmCount: 3, readyVmCount: 1, currentSize: 3, size: 3 });
  });

  it("shows the VMs in the provider's outputs, and the same inputs, so a refresh plans nothing", async () => {
    const settings = clusterProviderSettings(cluster);
    const provider = new VmPoolProvider(() => settings, async () => undefined);
    const checked = await provider.check({}, { name: "desks", size: 1, backend: { kind: "kubevirt", virtualMachineTemplate: { spec: SMALL_VM_SPEC } } });
    const created = await provider.create(checked.inputs ?? {});
    await createPoolVms(cluster.kubeConfig("admin"), { name: "desks", version }, [{ index: 0, running: true, node: "node-c" }]);
    const read = await provider.read(created.id, created.outs);
    expect((read.props?.["vms"] as { name: string; node: string }[]).map((vm) => [vm.name, vm.node])).toEqual([["desks-0", "node-c"]]);
    expect(read.props?.["runningVmCount"]).toBe(1);
    await expect(provider.diff(created.id, read.props ?? {}, checked.inputs ?? {})).resolves.toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it("reads a pool whose VMs the user may not list, without VM outputs", async () => {
    const created = await backend.create(poolInputs("hidden", 1));
    const admin = cluster.kubeConfig("admin");
    const rbac = admin.makeApiClient(k8s.RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({ namespace: "default", body: { metadata: { name: "pool-reader" }, rules: [{ apiGroups: ["pool.kubevirt.io"], resources: ["virtualmachinepools"], verbs: ["get"] }] } });
    await rbac.createNamespacedRoleBinding({
      namespace: "default",
      body: { metadata: { name: "pool-reader" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "pool-reader" }, subjects: [{ kind: "User", name: "alice", apiGroup: "rbac.authorization.k8s.io" }] },
    });
    const asAlice = new KubevirtBackend(new KubevirtClient(cluster.kubeConfig("alice")), 5_000);
    const read = await asAlice.read(created.id, created.state);
    expect(read?.state.uid).toBe(created.state.uid);
    expect(read?.state.vms).toBeUndefined();
    expect(read?.state.runningVmCount).toBeUndefined();
  });
});
