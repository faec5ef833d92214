/**
 * Autoscaling a KubeVirt pool (seed 004's web servers and their autoscaler)
 * against a real kube-apiserver with KubeVirt's CRDs (1.9 and 1.6): the
 * provider creates, updates and removes the HorizontalPodAutoscaler
 * (`autoscaling/v2`); while autoscaled it never writes `replicas`, and a
 * `replicas` moved by the autoscaler (played here through the scale
 * subresource, since a bare API server runs no HPA controller) plans no
 * change, before or after a refresh. Sizes are set through the `scale`
 * subresource, so a role that may only scale can resize a pool.
 */
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { KubevirtClient } from "../../../../provider/backends/kubevirt/client";
import { KubevirtBackend } from "../../../../provider/backends/kubevirt/kubevirt-backend";
import { vmPoolInputsSchema } from "../../../../provider/schemas/vm-pool";
import { VmPoolProvider } from "../../../../provider/vm-pool-provider";
import { SMALL_VM_SPEC } from "../../../fixtures/programs";
import { seed004Manifest, toSeed004PoolArgs } from "../../../fixtures/seed-004";
import { startTestCluster, type TestCluster, clusterProviderSettings } from "../../../harness/kube-apiserver";
import { scaleAsAutoscaler } from "../../../harness/kubevirt-pool-controller";
import { missingTools } from "../../../harness/tools";

const skip = missingTools("etcd", "kube-apiserver").length > 0;

type Props = Record<string, unknown>;

/** Seed 004's autoscaler: `kubectl` HPA with 2..5 VMs at 50% CPU. */
const SEED_AUTOSCALING = { minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 50 };

/** Seed 004's web-server pool named `name`, autoscaled as `autoscaling` says (null: not autoscaled). */
function webServers(name: string, autoscaling: Props | null = SEED_AUTOSCALING, size = 2): Props {
  const args = toSeed004PoolArgs(seed004Manifest(name));
  return { ...args, size, backend: { ...args.backend, ...(autoscaling === null ? {} : { autoscaling }) } };
}

const NO_CHANGE = { changes: false, replaces: [], deleteBeforeReplace: false };

describe.skipIf(skip).each([
  { crds: "1.9" as const, version: "v1beta1" as const },
  { crds: "1.6" as const, version: "v1alpha1" as const },
])("autoscaling a KubeVirt $crds pool", ({ crds, version }) => {
  let cluster: TestCluster;
  let provider: VmPoolProvider;
  let objects: k8s.CustomObjectsApi;
  let hpas: k8s.AutoscalingV2Api;
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
    hpas = cluster.kubeConfig("admin").makeApiClient(k8s.AutoscalingV2Api);
  });
  afterAll(async () => cluster?.stop());

  const replicasOf = async (name: string): Promise<unknown> =>
    ((await objects.getNamespacedCustomObject({ group: "pool.kubevirt.io", version, namespace: "default", plural: "virtualmachinepools", name })) as { spec: Props }).spec["replicas"];

  it("creates the autoscaler, never fights it, follows its changes, removes it on request and on delete", async () => {
    // GIVEN seed 004's web servers with their autoscaler
    const program = webServers("web");
    const checked = await provider.check({}, program);
    expect(checked.failures).toEqual([]);
    const inputs = checked.inputs ?? {};

    // WHEN created
    const created = await provider.create(inputs);

    // THEN the HPA targets the pool through its scale subresource, owned by the pool
    const hpa = await hpas.readNamespacedHorizontalPodAutoscaler({ name: "web", namespace: "default" });
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: `pool.kubevirt.io/${version}`, kind: "VirtualMachinePool", name: "web" },
      minReplicas: 2,
      maxReplicas: 5,
      metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } } }],
    });
    expect(hpa.metadata?.labels).toEqual({ "app.kubernetes.io/managed-by": "pulumi-vmpools" });
    expect(hpa.metadata?.ownerReferences?.map((o) => [o.kind, o.name, o.uid])).toEqual([["VirtualMachinePool", "web", created.outs?.["uid"]]]);

    // WHEN the autoscaler moves replicas to 4
    await scaleAsAutoscaler(cluster.kubeConfig("admin"), { name: "web", version }, 4);

    // THEN the next preview plans nothing, before and after a refresh, whose
    // outputs show the count now while size stays the declared one
    const outs = created.outs ?? {};
    await expect(provider.diff(created.id, outs, inputs)).resolves.toEqual(NO_CHANGE);
    const read = await provider.read(created.id, outs);
    expect(read.props).toMatchObject({ size: 2, currentSize: 4 });
    expect(read.inputs).toEqual(inputs);
    notices.length = 0;
    const rechecked = await provider.check(read.inputs ?? {}, program);
    expect([rechecked.failures, notices]).toEqual([[], []]);
    await expect(provider.diff(created.id, read.props ?? {}, rechecked.inputs ?? {})).resolves.toEqual(NO_CHANGE);

    // AND a changed size in the program plans nothing either, and preview says why
    const resized = await provider.check(read.inputs ?? {}, webServers("web", SEED_AUTOSCALING, 3));
    expect(notices).toEqual([
      "VmPool default/web: 'size' 3 is not applied while 'backend.autoscaling' is set: the autoscaler owns the pool's replicas (4 now); remove 'autoscaling' to size the pool yourself",
    ]);
    await expect(provider.diff(created.id, read.props ?? {}, resized.inputs ?? {})).resolves.toEqual(NO_CHANGE);

    // WHEN the autoscaler's bounds change, THEN the HPA follows in place and replicas stay the autoscaler's
    const wider = (await provider.check(read.inputs ?? {}, webServers("web", { ...SEED_AUTOSCALING, maxReplicas: 8 }))).inputs ?? {};
    expect((await provider.diff(created.id, read.props ?? {}, wider)).changes).toBe(true);
    const updated = await provider.update(created.id, read.props ?? {}, wider);
    expect((await hpas.readNamespacedHorizontalPodAutoscaler({ name: "web", namespace: "default" })).spec?.maxReplicas).toBe(8);
    expect(await replicasOf("web")).toBe(4);
    expect(updated.outs).toMatchObject({ size: 2, currentSize: 4 });

    // WHEN autoscaling is removed, THEN the HPA goes and the provider owns replicas again
    const manual = (await provider.check(wider, webServers("web", null))).inputs ?? {};
    expect((await provider.diff(created.id, updated.outs ?? {}, manual)).changes).toBe(true);
    const unscaled = await provider.update(created.id, updated.outs ?? {}, manual);
    await expect(hpas.readNamespacedHorizontalPodAutoscaler({ name: "web", namespace: "default" })).rejects.toMatchObject({ code: 404 });
    expect(await replicasOf("web")).toBe(2);

    // WHEN autoscaling comes back and the pool is destroyed, THEN no HPA is left behind
    const again = await provider.update(created.id, unscaled.outs ?? {}, inputs);
    expect((await hpas.readNamespacedHorizontalPodAutoscaler({ name: "web", namespace: "default" })).spec?.maxReplicas).toBe(5);
    await provider.delete(created.id, again.outs ?? {});
    await expect(hpas.readNamespacedHorizontalPodAutoscaler({ name: "web", namespace: "default" })).rejects.toMatchObject({ code: 404 });
  });

  it("refuses in preview an autoscaler name taken by an HPA the pool does not own, and never touches that HPA", async () => {
    await hpas.createNamespacedHorizontalPodAutoscaler({
      namespace: "default",
      body: { metadata: { name: "taken" }, spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "other" }, minReplicas: 1, maxReplicas: 3 } },
    });
    const checked = await provider.check({}, webServers("taken"));
    expect(checked.failures).toEqual([
      {
        property: "backend.autoscaling",
        reason:
          "a HorizontalPodAutoscaler named 'taken' already exists in namespace 'default' and does not belong to this pool; this provider does not take over autoscalers it did not create, so delete it (kubectl delete hpa taken -n default) or remove 'backend.autoscaling'",
      },
    ]);
    expect((await hpas.readNamespacedHorizontalPodAutoscaler({ name: "taken", namespace: "default" })).spec?.scaleTargetRef.kind).toBe("Deployment");
  });

  it("refuses in check an autoscaled pool whose VMs never run or whose pods the autoscaler cannot find", async () => {
    const halted = await provider.check({}, { name: "halted", size: 2, backend: { kind: "kubevirt", autoscaling: SEED_AUTOSCALING, virtualMachineTemplate: { spec: SMALL_VM_SPEC } } });
    expect(halted.failures).toEqual([
      {
        property: "backend.autoscaling",
        reason:
          "needs VMs that run: the autoscaler measures the CPU of running VMs and would only add VMs that never start; set runStrategy 'Always' (or running: true) in the VM spec, or prestarted to the size (got {\"minReplicas\":2,\"maxReplicas\":5,\"targetCPUUtilizationPercentage\":50})",
      },
      {
        property: "backend.virtualMachineTemplate.spec.template.metadata.labels",
        reason:
          "must carry the VM labels 'kubevirt.io/vmpool: halted' for autoscaling: the autoscaler finds the VMs' pods by the pool's selector, and a pod carries the labels of the VM template's spec.template.metadata.labels (got nothing)",
      },
    ]);
    const outOfRange = await provider.check({}, webServers("range", SEED_AUTOSCALING, 7));
    expect(outOfRange.failures).toEqual([
      { property: "size", reason: "must be between autoscaling.minReplicas (2) and autoscaling.maxReplicas (5): with autoscaling, size is the count the pool starts with, and the autoscaler owns it from then on (got 7)" },
    ]);
  });

  it("resizes a pool through the scale subresource, so a role that may only scale suffices, while an edit of the template needs more", async () => {
    // GIVEN a pool, and alice, who may read pools and scale them, nothing else
    const backend = new KubevirtBackend(new KubevirtClient(cluster.kubeConfig("admin")), 5_000);
    const created = await backend.create(vmPoolInputsSchema.parse({ name: "scalable", size: 1, backend: { kind: "kubevirt", virtualMachineTemplate: { spec: SMALL_VM_SPEC } } }));
    const rbac = cluster.kubeConfig("admin").makeApiClient(k8s.RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({
      namespace: "default",
      body: {
        metadata: { name: "pool-scaler" },
        rules: [
          { apiGroups: ["pool.kubevirt.io"], resources: ["virtualmachinepools"], verbs: ["get"] },
          { apiGroups: ["pool.kubevirt.io"], resources: ["virtualmachinepools/scale"], verbs: ["get", "update"] },
        ],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: "default",
      body: { metadata: { name: "pool-scaler" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "pool-scaler" }, subjects: [{ kind: "User", name: "alice", apiGroup: "rbac.authorization.k8s.io" }] },
    });
    const asAlice = new KubevirtBackend(new KubevirtClient(cluster.kubeConfig("alice")), 5_000);

    // WHEN alice grows it, THEN it grows
    const grown = await asAlice.update(created.id, created.state, vmPoolInputsSchema.parse({ name: "scalable", size: 3, backend: { kind: "kubevirt", virtualMachineTemplate: { spec: SMALL_VM_SPEC } } }));
    expect(grown.state.currentSize).toBe(3);
    expect(await replicasOf("scalable")).toBe(3);

    // WHEN alice changes the VM template, THEN RBAC refuses the patch
    const edited = vmPoolInputsSchema.parse({ name: "scalable", size: 3, backend: { kind: "kubevirt", virtualMachineTemplate: { spec: { ...SMALL_VM_SPEC, runStrategy: "Manual" } } } });
    await expect(asAlice.update(created.id, grown.state, edited)).rejects.toMatchObject({ status: 403 });
  });
});
