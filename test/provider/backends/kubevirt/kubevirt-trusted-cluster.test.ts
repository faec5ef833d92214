/**
 * TrustedCluster on KubeVirt and pools placed in it, through the resource
 * providers against a real kube-apiserver. A bare API server has no
 * kubelets, so the test registers Nodes itself, labelled and with a Ready
 * condition as a kubelet and an attestation agent would leave them.
 */
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { ProviderSettings } from "../../../../provider/config/settings";
import { TrustedClusterProvider } from "../../../../provider/trusted-cluster-provider";
import { VmPoolProvider } from "../../../../provider/vm-pool-provider";
import { SMALL_VM_SPEC } from "../../../fixtures/programs";
import { createTestNode, startTestCluster, type TestCluster, type TestUser, clusterProviderSettings } from "../../../harness/kube-apiserver";
import { missingTools } from "../../../harness/tools";

const skip = missingTools("etcd", "kube-apiserver").length > 0;

const ATTESTED = { "vmpools.io/attested": "true" };
const GPU = { key: "gpu", operator: "Exists" };
const attestedIn = { key: "vmpools.io/attested", operator: "In", values: ["true"] };
const labIn = (value: string): Record<string, unknown> => ({ key: "lab", operator: "In", values: [value] });

/** SMALL_VM_SPEC whose VMI template asks for GPU nodes: the user's own affinity, which placement must keep. */
const GPU_VM_SPEC = {
  ...SMALL_VM_SPEC,
  template: { spec: { ...SMALL_VM_SPEC.template.spec, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [GPU] }] } } } } },
};

type Props = Record<string, unknown>;

describe.skipIf(skip)("TrustedCluster on KubeVirt against a real API server", () => {
  let cluster: TestCluster;
  let objects: k8s.CustomObjectsApi;
  const settings = (user: TestUser): ProviderSettings => clusterProviderSettings(cluster, user);
  const clusters = (user: TestUser = "admin"): TrustedClusterProvider => new TrustedClusterProvider(() => settings(user));
  const pools = new VmPoolProvider(() => settings("admin"));

  beforeAll(async () => {
    cluster = await startTestCluster();
    const admin = cluster.kubeConfig("admin");
    objects = admin.makeApiClient(k8s.CustomObjectsApi);
    await createTestNode(admin, { name: "node-a", labels: { lab: "secure", ...ATTESTED } });
    await createTestNode(admin, { name: "node-b", labels: { lab: "secure" } });
    await createTestNode(admin, { name: "node-c", labels: { lab: "secure", ...ATTESTED }, ready: "False" });
    await createTestNode(admin, { name: "node-d", labels: { lab: "public", ...ATTESTED } });
    await createTestNode(admin, { name: "node-e", labels: { lab: "secure", "vmpools.io/attested": "false" }, ready: "absent" });
    await createTestNode(admin, { name: "node-x", labels: { lab: "exam", ...ATTESTED } });
  });
  afterAll(async () => cluster?.stop());

  const secure = { name: "secure", backend: { kind: "kubevirt", nodeSelector: { lab: "secure" } } };
  const placementOf = (lab: string): Props => ({ kind: "kubevirt", name: "secure", nodeSelector: { lab }, attestationLabel: { key: "vmpools.io/attested", value: "true" } });

  async function createCluster(news: Props): Promise<{ id: string; outs: Props; inputs: Props }> {
    const checked = await clusters().check({}, news);
    expect(checked.failures).toEqual([]);
    const inputs = checked.inputs ?? {};
    const created = await clusters().create(inputs);
    return { id: created.id, outs: created.outs ?? {}, inputs };
  }

  it("reports the selected nodes with their readiness and names those not attested, creating nothing", async () => {
    const created = await createCluster(secure);
    expect(created.id).toBe("kubevirt/secure");
    expect(created.outs).toEqual({
      name: "secure",
      description: "",
      backend: { kind: "kubevirt", nodeSelector: { lab: "secure" }, attestationLabel: { key: "vmpools.io/attested", value: "true" } },
      uid: "kubevirt/secure",
      hosts: [
        { name: "node-a", status: "ready", trusted: true },
        { name: "node-b", status: "ready", statusDetail: "not_attested", trusted: false },
        { name: "node-c", status: "not_ready", trusted: true },
        { name: "node-e", status: "not_ready", statusDetail: "not_attested", trusted: false },
      ],
      untrustedHosts: ["node-b", "node-e"],
      placement: placementOf("secure"),
    });
    // Deleting it removes nothing either: every node is still there.
    await clusters().delete(created.id, created.outs);
    const nodes = await cluster.kubeConfig("admin").makeApiClient(k8s.CoreV1Api).listNode();
    expect(nodes.items.map((n) => n.metadata?.name)).toEqual(["node-a", "node-b", "node-c", "node-d", "node-e", "node-x"]);
  });

  it("refreshes the node list on read: a node attested since is trusted, with the inputs unchanged", async () => {
    const created = await createCluster(secure);
    await cluster
      .kubeConfig("admin")
      .makeApiClient(k8s.CoreV1Api)
      .patchNode({ name: "node-b", body: { metadata: { labels: ATTESTED } } }, k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch));
    const read = await clusters().read(created.id, created.outs);
    expect(read.inputs).toEqual(created.inputs);
    expect(read.props?.["untrustedHosts"]).toEqual(["node-e"]);
    expect((read.props?.["hosts"] as { name: string; trusted: boolean }[]).find((h) => h.name === "node-b")).toEqual({ name: "node-b", status: "ready", trusted: true });
  });

  it("updates in place to another selector, reporting the nodes it now selects", async () => {
    const created = await createCluster(secure);
    const news = { ...secure, backend: { kind: "kubevirt", nodeSelector: { lab: "public" } } };
    const checked = await clusters().check(created.inputs, news);
    expect(await clusters().diff(created.id, created.outs, checked.inputs ?? {})).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const updated = await clusters().update(created.id, created.outs, checked.inputs ?? {});
    expect(updated.outs).toMatchObject({ hosts: [{ name: "node-d", status: "ready", trusted: true }], untrustedHosts: [], placement: placementOf("public") });
  });

  it("fails a preview whose new selector matches no node, but not one whose unchanged selector lost its nodes", async () => {
    const nowhere = { ...secure, backend: { kind: "kubevirt", nodeSelector: { lab: "nowhere" } } };
    expect((await clusters().check({}, nowhere)).failures).toEqual([
      {
        property: "backend.nodeSelector",
        reason:
          "matches no node (label selector 'lab=nowhere'); check the labels with 'kubectl get nodes -l lab=nowhere'. Pools placed in this TrustedCluster could not schedule any VM. If the nodes join later, run 'pulumi up' with 'vmpools:verifyReferences' set to false",
      },
    ]);
    // The same selector as before: an empty cluster is legal, only reported.
    const previous = (await clusters().check({}, secure)).inputs ?? {};
    expect((await clusters().check({ ...previous, backend: { ...(previous["backend"] as Props), nodeSelector: { lab: "nowhere" } } }, nowhere)).failures).toEqual([]);
    const created = await clusters().create((await clusters().check({}, nowhere)).inputs ?? {});
    expect(created.outs).toMatchObject({ hosts: [], untrustedHosts: [] });
  });

  it("explains that a user who may not list nodes needs a ClusterRole, in create and in preview", async () => {
    const asAlice = clusters("alice");
    const inputs = (await asAlice.check({}, { ...secure, backend: { ...secure.backend, nodeSelector: { lab: "secure" } } })).inputs ?? {};
    const message =
      "the kubeconfig's user may not list nodes (Forbidden); a TrustedCluster on KubeVirt lists the nodes its node selector matches to report them and their attestation, so grant that user 'list' on 'nodes' (core API group) through a ClusterRole and ClusterRoleBinding (nodes are cluster-scoped: a namespaced Role cannot grant it)";
    await expect(asAlice.create(inputs)).rejects.toThrow(`kubevirt create of trusted cluster secure failed: ${message}`);
    expect((await asAlice.check({}, secure)).failures).toEqual([
      {
        property: "backend",
        reason: `could not be verified against the kubevirt backend (kubevirt preview of trusted cluster secure failed: ${message}); set 'vmpools:verifyReferences' to false to skip this check in previews without access to it`,
      },
    ]);
  });

  describe("a VmPool placed in it", () => {
    const poolArgs = (trustedCluster: Props | undefined): Props => ({
      name: "secure-lab",
      size: 2,
      ...(trustedCluster === undefined ? {} : { trustedCluster }),
      backend: { kind: "kubevirt", virtualMachineTemplate: { spec: GPU_VM_SPEC } },
    });
    const liveAffinity = async (): Promise<{ affinity: unknown; annotations: Record<string, string> }> => {
      const live = (await objects.getNamespacedCustomObject({ group: "pool.kubevirt.io", version: "v1beta1", namespace: "default", plural: "virtualmachinepools", name: "secure-lab" })) as {
        metadata: { annotations: Record<string, string> };
        spec: { virtualMachineTemplate: { spec: { template: { spec: { affinity: unknown } } } } };
      };
      return { affinity: live.spec.virtualMachineTemplate.spec.template.spec.affinity, annotations: live.metadata.annotations };
    };
    const placedAffinity = (lab: string): unknown => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [GPU, labIn(lab), attestedIn] }] } } });
    let id = "";
    let state: Props = {};

    /** check, then diff against the stored state, then update when asked. */
    async function apply(news: Props): Promise<{ changes: boolean; replaces: string[] }> {
      const checked = await pools.check({}, news);
      expect(checked.failures).toEqual([]);
      const diff = await pools.diff(id, state, checked.inputs ?? {});
      if (diff.changes === true) {
        state = (await pools.update(id, state, checked.inputs ?? {})).outs ?? {};
      }
      return { changes: diff.changes ?? false, replaces: diff.replaces ?? [] };
    }

    it("gets the required affinity ANDed into the user's own, and reads back with no diff", async () => {
      const checked = await pools.check({}, poolArgs(placementOf("secure")));
      expect(checked.failures).toEqual([]);
      const created = await pools.create(checked.inputs ?? {});
      id = created.id;
      state = created.outs ?? {};
      expect(await liveAffinity()).toMatchObject({ affinity: placedAffinity("secure"), annotations: { "vmpools.pulumi.com/trusted-cluster": "secure" } });
      const read = await pools.read(id, state);
      expect(read.inputs).toEqual(checked.inputs);
      expect(await pools.diff(id, read.props ?? {}, checked.inputs ?? {})).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
      state = read.props ?? {};
    });

    it("follows a change of the cluster's node selector in place", async () => {
      expect(await apply(poolArgs(placementOf("exam")))).toEqual({ changes: true, replaces: [] });
      expect((await liveAffinity()).affinity).toEqual(placedAffinity("exam"));
      const read = await pools.read(id, state);
      expect(await pools.diff(id, read.props ?? {}, (await pools.check({}, poolArgs(placementOf("exam")))).inputs ?? {})).toMatchObject({ changes: false });
    });

    it("shows an affinity removed out of band as drift, and the next update places the pool again", async () => {
      await objects.patchNamespacedCustomObject(
        {
          group: "pool.kubevirt.io",
          version: "v1beta1",
          namespace: "default",
          plural: "virtualmachinepools",
          name: "secure-lab",
          body: [{ op: "remove", path: "/spec/virtualMachineTemplate/spec/template/spec/affinity" }],
        },
        k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.JsonPatch),
      );
      const read = await pools.read(id, state);
      expect(read.inputs?.["trustedCluster"]).toBeUndefined();
      state = read.props ?? {};
      expect(await apply(poolArgs(placementOf("exam")))).toEqual({ changes: true, replaces: [] });
      expect((await liveAffinity()).affinity).toEqual(placedAffinity("exam"));
    });

    it("gives the user's affinity back, and drops the annotation, when the pool leaves the trusted cluster", async () => {
      expect(await apply(poolArgs(undefined))).toEqual({ changes: true, replaces: [] });
      const live = await liveAffinity();
      expect(live.affinity).toEqual(GPU_VM_SPEC.template.spec.affinity);
      expect(live.annotations["vmpools.pulumi.com/trusted-cluster"]).toBeUndefined();
      const read = await pools.read(id, state);
      expect(await pools.diff(id, read.props ?? {}, (await pools.check({}, poolArgs(undefined))).inputs ?? {})).toMatchObject({ changes: false });
    });
  });
});
