/**
 * `examples/kubevirt-lab-pool` as a user runs it: the plain Pulumi CLI in the
 * example's folder, its TypeScript compiled by the Node language host, the
 * kubeconfig given as secret stack config, against a real kube-apiserver
 * with KubeVirt's CRDs. Each step is checked on the API server.
 */
import * as fs from "node:fs";
import * as path from "node:path";

import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { openExample, type ExampleProject } from "../harness/example-project";
import { startTestCluster, TEST_USERS, type TestCluster } from "../harness/kube-apiserver";
import { createPulumiSandbox, vmpools, type PulumiSandbox } from "../harness/pulumi";
import { expectStateFreeOfSecrets, kubeconfigSecrets } from "../harness/state-secrets";
import { missingTools } from "../harness/tools";

const skip = missingTools("pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs", "node", "etcd", "kube-apiserver").length > 0;

const POOL = { group: "pool.kubevirt.io", version: "v1beta1", namespace: "default", plural: "virtualmachinepools", name: "classroom" };

interface PoolObject {
  metadata: { uid: string };
  spec: { replicas: number; selector: unknown; virtualMachineTemplate: { metadata: { labels: Record<string, string> }; spec: { runStrategy: string } } };
}

describe.skipIf(skip)("examples/kubevirt-lab-pool through the plain Pulumi CLI", () => {
  let cluster: TestCluster;
  let sandbox: PulumiSandbox;
  let project: ExampleProject;
  let objects: k8s.CustomObjectsApi;
  let uid = "";

  const readPool = async (): Promise<PoolObject> => (await objects.getNamespacedCustomObject(POOL)) as PoolObject;

  beforeAll(async () => {
    cluster = await startTestCluster();
    sandbox = createPulumiSandbox();
    objects = cluster.kubeConfig("admin").makeApiClient(k8s.CustomObjectsApi);
    project = openExample(sandbox, "kubevirt-lab-pool");
  });

  afterAll(async () => {
    await project?.dispose();
    await cluster?.stop();
    sandbox?.dispose();
  });

  it("pulumi up creates the VirtualMachinePool with the kubeconfig kept as an encrypted secret", async () => {
    await project.pulumi(["stack", "init", project.stack]);
    await project.pulumi(["config", "set", "--secret", "vmpools:kubeconfig", cluster.kubeconfig("admin")]);
    await project.pulumi(["config", "set", "labSize", "2"]);
    const stackFile = fs.readFileSync(path.join(project.dir, `Pulumi.${project.stack}.yaml`), "utf8");
    expect(stackFile).not.toContain(TEST_USERS.admin.token);

    await project.pulumi(["up", "--yes"]);
    const pool = await readPool();
    uid = pool.metadata.uid;
    expect(pool.spec.replicas).toBe(2);
    expect(pool.spec.selector).toEqual({ matchLabels: { app: "classroom-desktop" } });
    expect(pool.spec.virtualMachineTemplate.spec.runStrategy).toBe("Halted");
    expect(await project.outputs()).toEqual({ poolName: "classroom", readyDesktops: 0 });
  });

  it("pulumi preview --expect-no-changes passes, and state holds neither the token nor the server", async () => {
    await project.pulumi(["preview", "--expect-no-changes"]);
    await expectStateFreeOfSecrets(project, kubeconfigSecrets(cluster.kubeconfig("admin")));
  });

  it("a change of labSize updates replicas in place", async () => {
    await project.pulumi(["config", "set", "labSize", "3"]);
    await project.pulumi(["up", "--yes"]);
    const pool = await readPool();
    expect([pool.metadata.uid, pool.spec.replicas]).toEqual([uid, 3]);
  });

  it("pulumi refresh brings replicas changed by kubectl scale into state", async () => {
    await objects.patchNamespacedCustomObject(
      { ...POOL, body: [{ op: "replace", path: "/spec/replicas", value: 5 }] },
      k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.JsonPatch),
    );
    await project.pulumi(["refresh", "--yes"]);
    const exported = (await project.exportState()).resources.find((r) => r.type === vmpools.VM_POOL_TYPE);
    expect(exported?.outputs?.["size"]).toBe(5);
    const preview = await project.pulumi(["preview", "--expect-no-changes"], { allowFailure: true });
    expect(preview.code).not.toBe(0);
    expect(preview.stdout).toMatch(/~ 1 to update/);
  });

  it("pulumi destroy removes the pool", async () => {
    await project.pulumi(["destroy", "--yes"]);
    await expect(readPool()).rejects.toMatchObject({ code: 404 });
  });
});
