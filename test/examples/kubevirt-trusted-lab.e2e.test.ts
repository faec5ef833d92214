/**
 * `examples/kubevirt-trusted-lab` as users run it, through the plain Pulumi
 * CLI against a real kube-apiserver: a trusted cluster (attested nodes among
 * `lab=secure`), a pool placed in it, a group and a user given roles as
 * RBAC. Up, the affinity and the access the API server grants, no-change
 * preview, the lab admin changed (the old grant replaced), destroy; nothing
 * left behind, and an RBAC grant the stack did not make intact throughout.
 */
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { openExample, type ExampleProject } from "../harness/example-project";
import { createTestNode, reviewAccess, startTestCluster, type AccessQuestion, type TestCluster } from "../harness/kube-apiserver";
import { createPulumiSandbox, type PulumiSandbox } from "../harness/pulumi";
import { expectStateFreeOfSecrets, kubeconfigSecrets } from "../harness/state-secrets";
import { missingTools } from "../harness/tools";

const skip = missingTools("pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs", "node", "etcd", "kube-apiserver").length > 0;

const POOL = { group: "pool.kubevirt.io", version: "v1beta1", namespace: "default", plural: "virtualmachinepools", name: "secure-lab" };
const MANAGED = "app.kubernetes.io/managed-by=pulumi-vmpools";

describe.skipIf(skip)("examples/kubevirt-trusted-lab through the plain Pulumi CLI", () => {
  let cluster: TestCluster;
  let sandbox: PulumiSandbox;
  let project: ExampleProject;
  let objects: k8s.CustomObjectsApi;
  let rbac: k8s.RbacAuthorizationV1Api;

  const can = (question: Omit<AccessQuestion, "namespace">): Promise<boolean> => reviewAccess(cluster.kubeConfig("admin"), { namespace: "default", ...question });
  const scale = { verb: "update", group: "pool.kubevirt.io", resource: "virtualmachinepools", subresource: "scale", name: "secure-lab" } as const;
  const managedRoleBindings = async (): Promise<string[]> =>
    (await rbac.listNamespacedRoleBinding({ namespace: "default", labelSelector: MANAGED })).items.map((b) => `${b.roleRef.name}:${(b.subjects ?? []).map((s) => `${s.kind}/${s.name}`).join(",")}`).sort();

  beforeAll(async () => {
    cluster = await startTestCluster();
    const admin = cluster.kubeConfig("admin");
    objects = admin.makeApiClient(k8s.CustomObjectsApi);
    rbac = admin.makeApiClient(k8s.RbacAuthorizationV1Api);
    await createTestNode(admin, { name: "secure-1", labels: { lab: "secure", "vmpools.io/attested": "true" } });
    await createTestNode(admin, { name: "secure-2", labels: { lab: "secure" } });
    await createTestNode(admin, { name: "other-1", labels: { lab: "other", "vmpools.io/attested": "true" } });
    // A grant made outside the stack, which must survive it.
    await rbac.createNamespacedRoleBinding({
      namespace: "default",
      body: { metadata: { name: "ops-view" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" }, subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "carol" }] },
    });
    sandbox = createPulumiSandbox();
    project = openExample(sandbox, "kubevirt-trusted-lab");
  });

  afterAll(async () => {
    await project?.dispose();
    await cluster?.stop();
    sandbox?.dispose();
  });

  it("pulumi up places the pool on attested nodes and grants exactly what each role needs", async () => {
    await project.pulumi(["stack", "init", project.stack]);
    await project.pulumi(["config", "set", "--secret", "vmpools:kubeconfig", cluster.kubeconfig("admin")]);
    await project.pulumi(["config", "set", "labSize", "2"]);
    await project.pulumi(["config", "set", "labAdmin", "alice"]);
    await project.pulumi(["up", "--yes"]);

    const pool = (await objects.getNamespacedCustomObject(POOL)) as { spec: { virtualMachineTemplate: { spec: { template: { spec: { affinity: unknown } } } } } };
    expect(pool.spec.virtualMachineTemplate.spec.template.spec.affinity).toEqual({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: "lab", operator: "In", values: ["secure"] },
                { key: "vmpools.io/attested", operator: "In", values: ["true"] },
              ],
            },
          ],
        },
      },
    });
    const outputs = await project.outputs();
    expect(outputs["untrustedNodes"]).toEqual(["secure-2"]);
    expect((outputs["nodes"] as { name: string; trusted: boolean }[]).map((n) => [n.name, n.trusted])).toEqual([
      ["secure-1", true],
      ["secure-2", false],
    ]);

    // bob is in vdi-users: he may start the pool's VMs and open their VNC, nothing more.
    const bob = { user: "bob", groups: ["vdi-users"] };
    expect(await can({ ...bob, verb: "update", group: "subresources.kubevirt.io", resource: "virtualmachines", subresource: "start", name: "secure-lab-1" })).toBe(true);
    expect(await can({ ...bob, verb: "get", group: "subresources.kubevirt.io", resource: "virtualmachineinstances", subresource: "vnc", name: "secure-lab-0" })).toBe(true);
    expect(await can({ ...bob, verb: "delete", group: "pool.kubevirt.io", resource: "virtualmachinepools", name: "secure-lab" })).toBe(false);
    expect(await can({ ...bob, ...scale })).toBe(false);
    // alice administers the pool: she may scale it.
    expect(await can({ user: "alice", ...scale })).toBe(true);
  });

  it("pulumi preview --expect-no-changes passes right after up, and the exported state holds nothing of the kubeconfig", async () => {
    await project.pulumi(["preview", "--expect-no-changes"]);
    await expectStateFreeOfSecrets(project, kubeconfigSecrets(cluster.kubeconfig("admin")));
  });

  it("a new lab admin replaces the grant: bob may scale the pool, alice no longer", async () => {
    const before = await managedRoleBindings();
    await project.pulumi(["config", "set", "labAdmin", "bob"]);
    await project.pulumi(["up", "--yes"]);
    expect(await can({ user: "bob", ...scale })).toBe(true);
    expect(await can({ user: "alice", ...scale })).toBe(false);
    const after = await managedRoleBindings();
    expect(after).toHaveLength(before.length);
    expect(after.filter((b) => b.endsWith("User/alice"))).toEqual([]);
    expect(after.filter((b) => b.endsWith("User/bob"))).toHaveLength(1);
  });

  it("pulumi destroy removes the pool and its Roles and RoleBindings, and leaves the grant it did not make", async () => {
    await project.pulumi(["destroy", "--yes"]);
    await expect(objects.getNamespacedCustomObject(POOL)).rejects.toMatchObject({ code: 404 });
    expect(await managedRoleBindings()).toEqual([]);
    expect((await rbac.listNamespacedRole({ namespace: "default", labelSelector: MANAGED })).items).toEqual([]);
    expect((await rbac.readNamespacedRoleBinding({ namespace: "default", name: "ops-view" })).subjects).toEqual([{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "carol" }]);
  });
});
