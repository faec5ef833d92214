/**
 * A stack made by the provider before the pool knobs existed, against a
 * real kube-apiserver: its state has none of the new inputs or outputs, and
 * its live pool none of the scale-in or update strategies. After the
 * upgrade, neither a preview nor a refresh plans a change; the provider's
 * defaults reach the pool with the next real update, in the same write.
 */
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { VmPoolProvider } from "../../../../provider/vm-pool-provider";
import { SMALL_VM_SPEC } from "../../../fixtures/programs";
import { startTestCluster, type TestCluster, clusterProviderSettings } from "../../../harness/kube-apiserver";
import { missingTools } from "../../../harness/tools";

const skip = missingTools("etcd", "kube-apiserver").length > 0;

const NO_CHANGE = { changes: false, replaces: [], deleteBeforeReplace: false };

describe.skipIf(skip)("a KubeVirt pool made before the pool knobs, after the upgrade", () => {
  let cluster: TestCluster;
  let provider: VmPoolProvider;
  let objects: k8s.CustomObjectsApi;

  beforeAll(async () => {
    cluster = await startTestCluster({ kubevirtCrds: "1.9" });
    const settings = clusterProviderSettings(cluster);
    provider = new VmPoolProvider(() => settings, async () => undefined);
    objects = cluster.kubeConfig("admin").makeApiClient(k8s.CustomObjectsApi);
  });
  afterAll(async () => cluster?.stop());

  it("plans no change before or after a refresh, and writes the defaults with the next update", async () => {
    // GIVEN the pool as the previous version created it, and its state
    const created = (await objects.createNamespacedCustomObject({
      group: "pool.kubevirt.io",
      version: "v1beta1",
      namespace: "default",
      plural: "virtualmachinepools",
      body: {
        apiVersion: "pool.kubevirt.io/v1beta1",
        kind: "VirtualMachinePool",
        metadata: { name: "lab", labels: { "app.kubernetes.io/managed-by": "pulumi-vmpools" }, annotations: { "vmpools.pulumi.com/description": "", "vmpools.pulumi.com/comment": "" } },
        spec: { replicas: 2, selector: { matchLabels: { "kubevirt.io/vmpool": "lab" } }, virtualMachineTemplate: { metadata: { labels: { "kubevirt.io/vmpool": "lab" } }, spec: SMALL_VM_SPEC } },
      },
    })) as { metadata: { uid: string } };
    const oldInputs = {
      name: "lab",
      size: 2,
      description: "",
      comment: "",
      prestarted: 0,
      maxVmsPerUser: 1,
      type: "automatic",
      stateful: false,
      deleteProtection: false,
      backend: { kind: "kubevirt", namespace: "default", virtualMachineTemplate: { spec: SMALL_VM_SPEC } },
    };
    const oldState = { ...oldInputs, uid: created.metadata.uid, apiVersion: "pool.kubevirt.io/v1beta1", vmCount: 0, readyVmCount: 0 };
    const program = { name: "lab", size: 2, backend: { kind: "kubevirt", virtualMachineTemplate: { spec: SMALL_VM_SPEC } } };

    // WHEN the upgraded provider checks the unchanged program
    const checked = await provider.check(oldInputs, program);

    // THEN the inputs are the old ones (no default shows), and nothing is planned
    expect(checked).toEqual({ inputs: oldInputs, failures: [] });
    await expect(provider.diff("default/lab", oldState, checked.inputs ?? {})).resolves.toEqual(NO_CHANGE);

    // AND a refresh reads the old inputs back, with the new outputs, and plans nothing
    const read = await provider.read("default/lab", oldState);
    expect(read.inputs).toEqual(oldInputs);
    expect(read.props).toMatchObject({ currentSize: 2, vms: [], runningVmCount: 0 });
    await expect(provider.diff("default/lab", read.props ?? {}, checked.inputs ?? {})).resolves.toEqual(NO_CHANGE);

    // WHEN the program later changes the pool, THEN the defaults go with that write
    const grown = await provider.check(read.inputs ?? {}, { ...program, description: "room 12" });
    await provider.update("default/lab", read.props ?? {}, grown.inputs ?? {});
    const live = (await objects.getNamespacedCustomObject({ group: "pool.kubevirt.io", version: "v1beta1", namespace: "default", plural: "virtualmachinepools", name: "lab" })) as { spec: Record<string, unknown> };
    expect([live.spec["scaleInStrategy"], live.spec["updateStrategy"]]).toEqual([{ proactive: { selectionPolicy: { sortPolicy: "DescendingOrder" } } }, { opportunistic: {} }]);
  });
});
