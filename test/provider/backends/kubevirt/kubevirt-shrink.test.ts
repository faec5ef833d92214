/**
 * A shrink of a KubeVirt pool that tells the truth, against a real
 * kube-apiserver with KubeVirt's CRDs (1.9 and 1.6): the provider asks for
 * the scale-in order `DescendingOrder` (1.9 `sortPolicy`, 1.6 `basePolicy`),
 * so it knows which VMs the controller removes; `preview` names them, and
 * refuses, changing nothing, when a desktop pool's shrink would remove a
 * running VM, unless `forceShrink`; a service pool shrinks by default. The
 * size goes through the `scale` subresource.
 */
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { VmPoolProvider } from "../../../../provider/vm-pool-provider";
import { SMALL_VM_SPEC } from "../../../fixtures/programs";
import { seed004Manifest, toSeed004PoolArgs } from "../../../fixtures/seed-004";
import { startTestCluster, type TestCluster, clusterProviderSettings } from "../../../harness/kube-apiserver";
import { createPoolVms, startDeletingPoolVm } from "../../../harness/kubevirt-pool-controller";
import { missingTools } from "../../../harness/tools";

const skip = missingTools("etcd", "kube-apiserver").length > 0;

type Props = Record<string, unknown>;

/** A desktop pool: VMs stay off until a user starts one. */
function desktopPool(name: string, size: number, backend: Props = {}): Props {
  return { name, size, backend: { kind: "kubevirt", virtualMachineTemplate: { spec: SMALL_VM_SPEC }, ...backend } };
}

describe.skipIf(skip).each([
  { crds: "1.9" as const, version: "v1beta1" as const, orderField: { sortPolicy: "DescendingOrder" } },
  { crds: "1.6" as const, version: "v1alpha1" as const, orderField: { basePolicy: "DescendingOrder" } },
])("shrinking a KubeVirt $crds pool", ({ crds, version, orderField }) => {
  let cluster: TestCluster;
  let provider: VmPoolProvider;
  let objects: k8s.CustomObjectsApi;
  const notices: string[] = [];

  beforeAll(async () => {
    cluster = await startTestCluster({ kubevirtCrds: crds });
    const settings = clusterProviderSettings(cluster);
    provider = new VmPoolProvider(
      () => settings,
      async (messages) => {
        notices.push(...messages);
      },
    );
    objects = cluster.kubeConfig("admin").makeApiClient(k8s.CustomObjectsApi);
  });
  afterAll(async () => cluster?.stop());

  const getLive = async (name: string): Promise<{ metadata: { resourceVersion: string }; spec: Props }> =>
    (await objects.getNamespacedCustomObject({ group: "pool.kubevirt.io", version, namespace: "default", plural: "virtualmachinepools", name })) as { metadata: { resourceVersion: string }; spec: Props };

  /** Creates the pool through the provider and its VMs as the controller would. */
  async function createWithVms(program: Props, vms: Parameters<typeof createPoolVms>[2]): Promise<{ id: string; outs: Props; inputs: Props }> {
    const checked = await provider.check({}, program);
    expect(checked.failures).toEqual([]);
    const created = await provider.create(checked.inputs ?? {});
    await createPoolVms(cluster.kubeConfig("admin"), { name: String(program["name"]), version }, vms);
    return { id: created.id, outs: created.outs ?? {}, inputs: checked.inputs ?? {} };
  }

  it("asks the controller for the highest indexes first, and reads that back as no change", async () => {
    const pool = await createWithVms(desktopPool("ordered", 1), []);
    expect((await getLive("ordered")).spec["scaleInStrategy"]).toEqual({ proactive: { selectionPolicy: orderField } });
    const read = await provider.read(pool.id, pool.outs);
    expect(read.inputs).toEqual(pool.inputs);
  });

  it("refuses in preview a shrink of a desktop pool that would remove a running VM, naming it, and up changes nothing", async () => {
    // GIVEN desktops desk-0..desk-3, of which a user started desk-3
    const pool = await createWithVms(desktopPool("desk", 4), [{ index: 0 }, { index: 1 }, { index: 2 }, { index: 3, running: true, node: "node-a" }]);
    const before = await getLive("desk");
    notices.length = 0;

    // WHEN the program shrinks it to 2
    const checked = await provider.check(pool.inputs, desktopPool("desk", 2));

    // THEN preview fails on size, naming the VMs that would go and the running one
    const refusal =
      "cannot shrink from 4 to 2 VMs safely: it removes desk-3 (Running on node-a) and desk-2 (Stopped) (scale-in order DescendingOrder: the highest indexes first), and desk-3 is running. Stop it first (virtctl stop desk-3), or set 'backend.forceShrink: true' to remove running VMs";
    expect(checked.failures).toEqual([{ property: "size", reason: refusal }]);
    expect(notices).toEqual([]);

    // AND up (which skips nothing but may race a preview) refuses before changing anything
    const inputs = { ...pool.inputs, size: 2 };
    await expect(provider.update(pool.id, pool.outs, inputs)).rejects.toThrow(`kubevirt update of default/desk failed: ${refusal}`);
    const after = await getLive("desk");
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect(after.spec["replicas"]).toBe(4);
  });

  it("lets a shrink remove only stopped VMs, and says in preview which go", async () => {
    const pool = await createWithVms(desktopPool("quiet", 3), [{ index: 0, running: true }, { index: 1 }, { index: 2 }]);
    notices.length = 0;
    const checked = await provider.check(pool.inputs, desktopPool("quiet", 1));
    expect(checked.failures).toEqual([]);
    expect(notices).toEqual(["VmPool default/quiet: shrinking from 3 to 1 VMs removes quiet-2 (Stopped) and quiet-1 (Stopped) (scale-in order DescendingOrder: the highest indexes first)"]);
    const updated = await provider.update(pool.id, pool.outs, checked.inputs ?? {});
    expect(updated.outs?.["size"]).toBe(1);
    expect((await getLive("quiet")).spec["replicas"]).toBe(1);
  });

  it("removes running VMs when forced, saying so in preview", async () => {
    const pool = await createWithVms(desktopPool("forced", 3), [{ index: 0 }, { index: 1, running: true, node: "node-b" }, { index: 2, running: true, node: "node-b" }]);
    notices.length = 0;
    const checked = await provider.check(pool.inputs, desktopPool("forced", 1, { forceShrink: true }));
    expect(checked.failures).toEqual([]);
    expect(notices).toEqual(["VmPool default/forced: shrinking from 3 to 1 VMs removes forced-2 (Running on node-b) and forced-1 (Running on node-b) (scale-in order DescendingOrder: the highest indexes first)"]);
    await provider.update(pool.id, pool.outs, checked.inputs ?? {});
    expect((await getLive("forced")).spec["replicas"]).toBe(1);
  });

  it("counts a VM already being deleted toward the shrink, as the controller does", async () => {
    const pool = await createWithVms(desktopPool("leaving", 3), [{ index: 0 }, { index: 1, running: true }, { index: 2 }]);
    // desk-2 is on its way out (its pool finalizer holds it on 1.9; on 1.6 it is gone at once).
    await startDeletingPoolVm(cluster.kubeConfig("admin"), "leaving-2");
    notices.length = 0;
    const checked = await provider.check(pool.inputs, desktopPool("leaving", 2));
    expect(checked.failures).toEqual([]);
    expect(notices).toEqual([
      version === "v1beta1"
        ? "VmPool default/leaving: shrinking from 3 to 2 VMs removes no VM; leaving-2 is already being deleted and counts toward it (scale-in order DescendingOrder: the highest indexes first)"
        : "VmPool default/leaving: shrinking from 3 to 2 VMs removes no VM (the pool has 2 VMs now) (scale-in order DescendingOrder: the highest indexes first)",
    ]);
  });

  it("shrinks a service pool whose VMs all run (seed 004's web servers) by default", async () => {
    const seed = toSeed004PoolArgs({ ...seed004Manifest("web"), spec: { ...seed004Manifest("web").spec, replicas: 3 } });
    const pool = await createWithVms(seed as unknown as Props, [{ index: 0, running: true }, { index: 1, running: true }, { index: 2, running: true }]);
    notices.length = 0;
    const checked = await provider.check(pool.inputs, { ...seed, size: 2 });
    expect(checked.failures).toEqual([]);
    expect(notices).toEqual(["VmPool default/web: shrinking from 3 to 2 VMs removes web-2 (Running on node-a) (scale-in order DescendingOrder: the highest indexes first)"]);
    await provider.update(pool.id, pool.outs, checked.inputs ?? {});
    expect((await getLive("web")).spec["replicas"]).toBe(2);
  });

  it("refuses on a service pool too when forceShrink is turned off", async () => {
    const seed = toSeed004PoolArgs(seed004Manifest("guarded"));
    const pool = await createWithVms(seed as unknown as Props, [{ index: 0, running: true }, { index: 1, running: true }]);
    const checked = await provider.check(pool.inputs, { ...seed, size: 1, backend: { ...seed.backend, forceShrink: false } });
    expect(checked.failures).toEqual([
      {
        property: "size",
        reason:
          "cannot shrink from 2 to 1 VMs safely: it removes guarded-1 (Running on node-a) (scale-in order DescendingOrder: the highest indexes first), and guarded-1 is running. Stop it first (virtctl stop guarded-1), or set 'backend.forceShrink: true' to remove running VMs",
      },
    ]);
  });
});
