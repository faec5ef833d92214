/**
 * What a VM-template change does to a KubeVirt pool's running VMs, and the
 * other pool knobs, against a real kube-apiserver with KubeVirt's CRDs:
 * `preview` says whether running VMs restart now or only at their next
 * restart (1.9: `updateStrategy`; 1.6 always restarts); `updateStrategy`,
 * `autohealing`, `maxUnavailable`, `paused` and scale-in `statePreservation`
 * are written where the cluster's schema has them, read back with no
 * change, and refused by `check` with the reason where it does not.
 */
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { toProviderSettings } from "../../../../provider/config/settings";
import { VmPoolProvider } from "../../../../provider/vm-pool-provider";
import { SMALL_VM_SPEC } from "../../../fixtures/programs";
import { seed004Manifest, toSeed004PoolArgs } from "../../../fixtures/seed-004";
import { startTestCluster, type TestCluster } from "../../../harness/kube-apiserver";
import { createPoolVms } from "../../../harness/kubevirt-pool-controller";
import { missingTools } from "../../../harness/tools";

const skip = missingTools("etcd", "kube-apiserver").length > 0;

type Props = Record<string, unknown>;

/** A desktop pool of `spec`, with more `backend` settings. */
function desktopPool(name: string, size: number, backend: Props = {}, spec: Props = SMALL_VM_SPEC): Props {
  return { name, size, backend: { kind: "kubevirt", virtualMachineTemplate: { spec }, ...backend } };
}

/** SMALL_VM_SPEC with another memory request: a change of the VMI template. */
const BIGGER_VM_SPEC = { ...SMALL_VM_SPEC, template: { spec: { domain: { devices: {}, resources: { requests: { memory: "256Mi" } } } } } };

/** Seed 004's web servers, with a change of the VMI template (2 cores). */
function seedWith(name: string, changed: boolean, backend: Props = {}): Props {
  const args = toSeed004PoolArgs(seed004Manifest(name));
  const spec = structuredClone(args.backend.virtualMachineTemplate.spec) as { template: { spec: { domain: { cpu: { cores: number } } } } };
  if (changed) {
    spec.template.spec.domain.cpu.cores = 2;
  }
  return { ...args, backend: { ...args.backend, ...backend, virtualMachineTemplate: { ...args.backend.virtualMachineTemplate, spec } } };
}

function setup(crds: "1.9" | "1.6"): { cluster: () => TestCluster; provider: () => VmPoolProvider; notices: string[] } {
  let cluster: TestCluster | undefined;
  let provider: VmPoolProvider | undefined;
  const notices: string[] = [];
  beforeAll(async () => {
    const started = await startTestCluster({ kubevirtCrds: crds });
    cluster = started;
    const settings = toProviderSettings((key) => (key === "kubeconfig" ? started.kubeconfig("admin") : undefined), {});
    provider = new VmPoolProvider(
      () => settings,
      async (messages) => {
        notices.push(...messages);
      },
    );
  });
  afterAll(async () => cluster?.stop());
  const must = <T>(value: T | undefined): T => {
    if (value === undefined) {
      throw new Error("the test cluster did not start");
    }
    return value;
  };
  return { cluster: () => must(cluster), provider: () => must(provider), notices };
}

describe.skipIf(skip)("VM-template changes and pool knobs on a KubeVirt 1.9 API server", () => {
  const { cluster, provider, notices } = setup("1.9");

  const getSpec = async (name: string): Promise<Props> =>
    ((await cluster().kubeConfig("admin").makeApiClient(k8s.CustomObjectsApi).getNamespacedCustomObject({ group: "pool.kubevirt.io", version: "v1beta1", namespace: "default", plural: "virtualmachinepools", name })) as { spec: Props }).spec;

  async function createWithVms(program: Props, vms: Parameters<typeof createPoolVms>[2]): Promise<{ id: string; outs: Props; inputs: Props }> {
    const checked = await provider().check({}, program);
    expect(checked.failures).toEqual([]);
    const created = await provider().create(checked.inputs ?? {});
    await createPoolVms(cluster().kubeConfig("admin"), { name: String(program["name"]), version: "v1beta1" }, vms);
    return { id: created.id, outs: created.outs ?? {}, inputs: checked.inputs ?? {} };
  }

  it.each([
    {
      label: "a desktop pool applies it at each running VM's next restart (the default, opportunistic)",
      before: desktopPool("desk", 3),
      after: desktopPool("desk", 3, {}, BIGGER_VM_SPEC),
      notice: "VmPool default/desk: this VM-template change applies to the running VMs desk-0, desk-2 only when each next restarts; they keep running on the old template (updateStrategy opportunistic); stopped VMs use it when they next start",
      strategy: { opportunistic: {} },
    },
    {
      label: "a desktop pool set to proactive restarts them now, at most maxUnavailable at a time",
      before: desktopPool("desk-now", 3, { updateStrategy: "proactive", maxUnavailable: 1 }),
      after: desktopPool("desk-now", 3, { updateStrategy: "proactive", maxUnavailable: 1 }, BIGGER_VM_SPEC),
      notice: "VmPool default/desk-now: this VM-template change restarts the running VMs desk-now-0, desk-now-2 now to apply it, at most 1 at a time (maxUnavailable) (updateStrategy proactive); stopped VMs use it when they next start",
      strategy: { proactive: {} },
    },
    {
      label: "an unmanaged pool leaves existing VMs alone",
      before: desktopPool("frozen", 3, { updateStrategy: "unmanaged" }),
      after: desktopPool("frozen", 3, { updateStrategy: "unmanaged" }, BIGGER_VM_SPEC),
      notice: "VmPool default/frozen: this VM-template change reaches no existing VM (updateStrategy unmanaged): only VMs created from now on use it",
      strategy: { unmanaged: {} },
    },
  ])("$label", async ({ before, after, notice, strategy }) => {
    const name = String(before["name"]);
    const pool = await createWithVms(before, [{ index: 0, running: true }, { index: 1 }, { index: 2, running: true }]);
    expect((await getSpec(name))["updateStrategy"]).toEqual(strategy);
    notices.length = 0;
    const checked = await provider().check(pool.inputs, after);
    expect(checked.failures).toEqual([]);
    expect(notices).toEqual([notice]);
  });

  it("restarts seed 004's web servers now (a service pool keeps KubeVirt's proactive default, not written)", async () => {
    const pool = await createWithVms(seedWith("web", false), [{ index: 0, running: true }, { index: 1, running: true }]);
    expect((await getSpec("web"))["updateStrategy"]).toBeUndefined();
    notices.length = 0;
    const checked = await provider().check(pool.inputs, seedWith("web", true));
    expect(notices).toEqual(["VmPool default/web: this VM-template change restarts the running VMs web-0, web-1 now to apply it, all at once (updateStrategy proactive); stopped VMs use it when they next start"]);
    // The change goes in place, and the next preview plans nothing.
    const updated = await provider().update(pool.id, pool.outs, checked.inputs ?? {});
    await expect(provider().diff(pool.id, updated.outs ?? {}, checked.inputs ?? {})).resolves.toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it("writes autohealing, maxUnavailable, paused and state preservation, and reads them back as no change", async () => {
    const program = desktopPool("knobs", 2, {
      autohealing: { startUpFailureThreshold: 5, minFailingToStartDuration: "10m" },
      maxUnavailable: "50%",
      paused: true,
      scaleInStrategy: { sortPolicy: "Newest", statePreservation: "Offline" },
      updateStrategy: "proactive",
    });
    const pool = await createWithVms(program, []);
    expect(await getSpec("knobs")).toMatchObject({
      autohealing: { startUpFailureThreshold: 5, minFailingToStartDuration: "10m" },
      maxUnavailable: "50%",
      paused: true,
      scaleInStrategy: { proactive: { selectionPolicy: { sortPolicy: "Newest" }, statePreservation: "Offline" } },
      updateStrategy: { proactive: {} },
    });
    const read = await provider().read(pool.id, pool.outs);
    expect(read.inputs).toEqual(pool.inputs);
    // Turned off again: the knobs leave the live spec.
    const plain = await provider().check(pool.inputs, desktopPool("knobs", 2));
    await provider().update(pool.id, pool.outs, plain.inputs ?? {});
    const spec = await getSpec("knobs");
    expect([spec["autohealing"], spec["maxUnavailable"], spec["paused"], spec["scaleInStrategy"], spec["updateStrategy"]]).toEqual([
      undefined,
      undefined,
      undefined,
      { proactive: { selectionPolicy: { sortPolicy: "DescendingOrder" } } },
      { opportunistic: {} },
    ]);
  });

  it("shows an update strategy changed out of band as drift after a refresh", async () => {
    const pool = await createWithVms(desktopPool("drift", 1), []);
    await cluster()
      .kubeConfig("admin")
      .makeApiClient(k8s.CustomObjectsApi)
      .patchNamespacedCustomObject(
        { group: "pool.kubevirt.io", version: "v1beta1", namespace: "default", plural: "virtualmachinepools", name: "drift", body: [{ op: "replace", path: "/spec/updateStrategy", value: { proactive: {} } }] },
        k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.JsonPatch),
      );
    const read = await provider().read(pool.id, pool.outs);
    expect((read.inputs?.["backend"] as Props)["updateStrategy"]).toBe("proactive");
    await expect(provider().diff(pool.id, read.props ?? {}, pool.inputs)).resolves.toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });
});

describe.skipIf(skip)("VM-template changes and pool knobs on a KubeVirt 1.6 API server", () => {
  const { cluster, provider, notices } = setup("1.6");

  it("says a template change restarts running VMs now: 1.6 has no update strategy", async () => {
    const checked = await provider().check({}, desktopPool("old", 2));
    const created = await provider().create(checked.inputs ?? {});
    await createPoolVms(cluster().kubeConfig("admin"), { name: "old", version: "v1alpha1" }, [{ index: 0, running: true }, { index: 1 }]);
    notices.length = 0;
    await provider().check(checked.inputs ?? {}, desktopPool("old", 2, {}, BIGGER_VM_SPEC));
    expect(notices).toEqual([
      "VmPool default/old: this VM-template change restarts the running VMs old-0 now to apply it, all at once (KubeVirt before 1.7 has no updateStrategy and always restarts); stopped VMs use it when they next start",
    ]);
    expect(created.id).toBe("default/old");
  });

  it("refuses in check the knobs KubeVirt 1.6 lacks, saying which version has them, and sends nothing", async () => {
    const result = await provider().check(
      {},
      desktopPool("too-new", 1, { updateStrategy: "proactive", autohealing: {}, scaleInStrategy: { sortPolicy: "Newest", statePreservation: "Offline" } }),
    );
    const schema = "this cluster's VirtualMachinePool (pool.kubevirt.io/v1alpha1)";
    expect(result.failures).toEqual([
      { property: "backend.scaleInStrategy.sortPolicy", reason: `cannot be 'Newest': ${schema} knows only 'DescendingOrder' and 'Random' (spec.scaleInStrategy.proactive.selectionPolicy.basePolicy); 'Newest' needs KubeVirt 1.7 or later` },
      { property: "backend.scaleInStrategy.statePreservation", reason: `needs KubeVirt 1.7 or later: ${schema} has no spec.scaleInStrategy.proactive.statePreservation, so a VM removed by a shrink always loses its disks; leave it unset, or upgrade KubeVirt` },
      { property: "backend.updateStrategy", reason: `needs KubeVirt 1.7 or later: ${schema} has no spec.updateStrategy, and its controller restarts running VMs on every VM-template change; leave it unset, or upgrade KubeVirt` },
      { property: "backend.autohealing", reason: `needs KubeVirt 1.7 or later: ${schema} has no spec.autohealing; leave it unset, or upgrade KubeVirt` },
    ]);
    await expect(
      cluster().kubeConfig("admin").makeApiClient(k8s.CustomObjectsApi).getNamespacedCustomObject({ group: "pool.kubevirt.io", version: "v1alpha1", namespace: "default", plural: "virtualmachinepools", name: "too-new" }),
    ).rejects.toMatchObject({ code: 404 });
  });

  it("writes maxUnavailable, paused and the DescendingOrder base policy, which 1.6 has, and reads them back as no change", async () => {
    const checked = await provider().check({}, desktopPool("knobs", 2, { maxUnavailable: 1, paused: true, scaleInStrategy: { sortPolicy: "Random" } }));
    expect(checked.failures).toEqual([]);
    const created = await provider().create(checked.inputs ?? {});
    const live = (await cluster().kubeConfig("admin").makeApiClient(k8s.CustomObjectsApi).getNamespacedCustomObject({ group: "pool.kubevirt.io", version: "v1alpha1", namespace: "default", plural: "virtualmachinepools", name: "knobs" })) as { spec: Props };
    expect([live.spec["maxUnavailable"], live.spec["paused"], live.spec["scaleInStrategy"], live.spec["updateStrategy"]]).toEqual([1, true, { proactive: { selectionPolicy: { basePolicy: "Random" } } }, undefined]);
    expect((await provider().read(created.id, created.outs ?? {})).inputs).toEqual(checked.inputs);
  });
});
