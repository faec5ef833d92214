/**
 * `examples/kubevirt-webserver-pool` (seed 004's web servers and their
 * autoscaler) as users run it, through the plain Pulumi CLI against a real
 * kube-apiserver with KubeVirt's CRDs. The API server runs no controllers,
 * so the test plays them: it creates the VMs and VMIs the pool controller
 * would, and moves `replicas` through the scale subresource as the
 * HorizontalPodAutoscaler would. Up (pool and HPA), no-change previews
 * after the autoscaler moved replicas (before and after a refresh), a VM
 * template change whose preview names its effect on the running VMs, and a
 * destroy that leaves no HPA behind.
 */
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { openExample, type ExampleProject } from "../harness/example-project";
import { startTestCluster, type TestCluster } from "../harness/kube-apiserver";
import { createPoolVms, reportPoolStatus, scaleAsAutoscaler } from "../harness/kubevirt-pool-controller";
import { createPulumiSandbox, vmpools, type PulumiSandbox } from "../harness/pulumi";
import { expectStateFreeOfSecrets, kubeconfigSecrets } from "../harness/state-secrets";
import { missingTools } from "../harness/tools";

const skip = missingTools("pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs", "node", "etcd", "kube-apiserver").length > 0;

const POOL = { group: "pool.kubevirt.io", version: "v1beta1", namespace: "default", plural: "virtualmachinepools", name: "webserver" };
const SIMULATED = { name: "webserver", version: "v1beta1" } as const;

interface PoolObject {
  metadata: { uid: string };
  spec: { replicas: number; scaleInStrategy?: unknown; updateStrategy?: unknown; virtualMachineTemplate: { spec: { template: { spec: { domain: { cpu: { cores: number } } } } } } };
}

describe.skipIf(skip)("examples/kubevirt-webserver-pool through the plain Pulumi CLI", () => {
  let cluster: TestCluster;
  let sandbox: PulumiSandbox;
  let project: ExampleProject;
  let objects: k8s.CustomObjectsApi;
  let hpas: k8s.AutoscalingV2Api;

  const readPool = async (): Promise<PoolObject> => (await objects.getNamespacedCustomObject(POOL)) as PoolObject;

  beforeAll(async () => {
    cluster = await startTestCluster();
    objects = cluster.kubeConfig("admin").makeApiClient(k8s.CustomObjectsApi);
    hpas = cluster.kubeConfig("admin").makeApiClient(k8s.AutoscalingV2Api);
    sandbox = createPulumiSandbox();
    project = openExample(sandbox, "kubevirt-webserver-pool");
  });

  afterAll(async () => {
    await project?.dispose();
    await cluster?.stop();
    sandbox?.dispose();
  });

  it("pulumi up creates the pool and its HorizontalPodAutoscaler", async () => {
    await project.pulumi(["stack", "init", project.stack]);
    await project.pulumi(["config", "set", "--secret", "vmpools:kubeconfig", cluster.kubeconfig("admin")]);
    await project.pulumi(["up", "--yes"]);

    const pool = await readPool();
    expect(pool.spec.replicas).toBe(2);
    // Highest indexes first on a scale-in; a service pool keeps KubeVirt's proactive updates.
    expect([pool.spec.scaleInStrategy, pool.spec.updateStrategy]).toEqual([{ proactive: { selectionPolicy: { sortPolicy: "DescendingOrder" } } }, undefined]);
    const hpa = await hpas.readNamespacedHorizontalPodAutoscaler({ name: "webserver", namespace: "default" });
    expect([hpa.spec?.scaleTargetRef, hpa.spec?.minReplicas, hpa.spec?.maxReplicas, hpa.spec?.metrics?.[0]?.resource?.target.averageUtilization]).toEqual([
      { apiVersion: "pool.kubevirt.io/v1beta1", kind: "VirtualMachinePool", name: "webserver" },
      2,
      5,
      50,
    ]);
  });

  it("the exported state holds nothing of the kubeconfig", async () => {
    await expectStateFreeOfSecrets(project, kubeconfigSecrets(cluster.kubeconfig("admin")));
  });

  it("pulumi preview --expect-no-changes passes after the autoscaler moved replicas, also after a refresh that shows the VMs", async () => {
    // The pool controller makes the two web servers; then the autoscaler scales to 4 and the controller follows.
    await createPoolVms(cluster.kubeConfig("admin"), SIMULATED, [
      { index: 0, running: true, node: "node-a" },
      { index: 1, running: true, node: "node-b" },
    ]);
    await scaleAsAutoscaler(cluster.kubeConfig("admin"), SIMULATED, 4);
    await createPoolVms(cluster.kubeConfig("admin"), SIMULATED, [
      { index: 2, running: true, node: "node-a" },
      { index: 3, running: true, node: "node-b" },
    ]);
    await reportPoolStatus(cluster.kubeConfig("admin"), SIMULATED, { replicas: 4, readyReplicas: 4 });

    await project.pulumi(["preview", "--expect-no-changes"]);
    await project.pulumi(["refresh", "--yes"]);
    await project.pulumi(["preview", "--expect-no-changes"]);

    // The refreshed pool's outputs (stack outputs follow at the next up): the count now and the VMs.
    const pool = (await project.exportState()).resources.find((r) => r.type === vmpools.VM_POOL_TYPE);
    expect([pool?.outputs?.["size"], pool?.outputs?.["currentSize"], pool?.outputs?.["runningVmCount"], pool?.outputs?.["readyVmCount"]]).toEqual([2, 4, 4, 4]);
    expect((pool?.outputs?.["vms"] as { name: string; status: string; ready: boolean; node: string }[]).map((vm) => [vm.name, vm.status, vm.ready, vm.node])).toEqual([
      ["webserver-0", "Running", true, "node-a"],
      ["webserver-1", "Running", true, "node-b"],
      ["webserver-2", "Running", true, "node-a"],
      ["webserver-3", "Running", true, "node-b"],
    ]);
    expect((await readPool()).spec.replicas).toBe(4);
  });

  it("pulumi preview of a VM template change names its effect on the running web servers, and up applies it without touching replicas", async () => {
    await project.pulumi(["config", "set", "cores", "2"]);
    const preview = await project.pulumi(["preview"]);
    expect(preview.stdout).toContain(
      "warning: VmPool default/webserver: this VM-template change restarts the running VMs webserver-0, webserver-1, webserver-2, webserver-3 now to apply it, all at once (updateStrategy proactive); stopped VMs use it when they next start",
    );
    expect(preview.stdout).toMatch(/~ 1 to update/);

    await project.pulumi(["up", "--yes"]);
    const pool = await readPool();
    expect([pool.spec.virtualMachineTemplate.spec.template.spec.domain.cpu.cores, pool.spec.replicas]).toEqual([2, 4]);
    expect((await project.outputs())["currentSize"]).toBe(4);
    await project.pulumi(["preview", "--expect-no-changes"]);
  });

  it("pulumi destroy removes the pool and leaves no HorizontalPodAutoscaler behind", async () => {
    await project.pulumi(["destroy", "--yes"]);
    await expect(readPool()).rejects.toMatchObject({ code: 404 });
    await expect(hpas.readNamespacedHorizontalPodAutoscaler({ name: "webserver", namespace: "default" })).rejects.toMatchObject({ code: 404 });
  });
});
