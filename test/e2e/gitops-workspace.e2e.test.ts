/**
 * A GitOps runner checks the repository out into a new folder on every run:
 * a stack brought up from one folder must be refreshed, updated and destroyed
 * from a copy of the project elsewhere, sharing only the state backend. This
 * guards against state that names a path of the first checkout.
 */
import * as fs from "node:fs";
import * as path from "node:path";

import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { labPoolProgram } from "../fixtures/programs";
import { startTestCluster, type TestCluster } from "../harness/kube-apiserver";
import { copyProject, createPulumiSandbox, openStack, writeProject, type PulumiSandbox } from "../harness/pulumi";
import { missingTools } from "../harness/tools";

const skip = missingTools("pulumi", "pulumi-resource-pulumi-nodejs", "node", "etcd", "kube-apiserver").length > 0;

const POOL = { group: "pool.kubevirt.io", version: "v1beta1", namespace: "default", plural: "virtualmachinepools", name: "lab" };

describe.skipIf(skip)("a stack moved to another checkout folder", () => {
  let cluster: TestCluster;
  let sandbox: PulumiSandbox;
  let objects: k8s.CustomObjectsApi;

  beforeAll(async () => {
    cluster = await startTestCluster();
    sandbox = createPulumiSandbox();
    // Credentials from the environment this time (KUBECONFIG), as a CI runner passes them.
    sandbox.env["KUBECONFIG"] = cluster.kubeconfigFile("admin");
    objects = cluster.kubeConfig("admin").makeApiClient(k8s.CustomObjectsApi);
  });

  afterAll(async () => {
    await cluster?.stop();
    sandbox?.dispose();
  });

  it("is refreshed, updated and destroyed from a copy of the project in a different folder", async () => {
    // GIVEN a pool brought up from checkout A
    const first = writeProject(path.join(sandbox.root, "checkout-a", "infra"), "gitops-lab");
    const stackA = await openStack(sandbox, first, "prod", labPoolProgram);
    await stackA.setConfig("size", { value: "1" });
    expect((await stackA.up()).summary.resourceChanges).toEqual({ create: 2 });
    const uid = ((await objects.getNamespacedCustomObject(POOL)) as { metadata: { uid: string } }).metadata.uid;

    // WHEN checkout A is gone and a runner works from checkout B
    const second = copyProject(first, path.join(sandbox.root, "runner-7f3a", "work", "infra"), "gitops-lab");
    fs.rmSync(path.join(sandbox.root, "checkout-a"), { recursive: true });
    const stackB = await openStack(sandbox, second, "prod", labPoolProgram);

    // THEN refresh, update and destroy all work from B
    expect((await stackB.refresh()).summary.resourceChanges).toEqual({ same: 2 });
    await stackB.setConfig("size", { value: "2" });
    expect((await stackB.up()).summary.resourceChanges).toEqual({ same: 1, update: 1 });
    const pool = (await objects.getNamespacedCustomObject(POOL)) as { metadata: { uid: string }; spec: { replicas: number } };
    expect(pool.spec.replicas).toBe(2);
    expect(pool.metadata.uid).toBe(uid);
    expect((await stackB.destroy()).summary.resourceChanges).toEqual({ delete: 2 });
    await expect(objects.getNamespacedCustomObject(POOL)).rejects.toMatchObject({ code: 404 });
  });
});
