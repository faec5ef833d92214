/**
 * Lifecycle of a VmPool on KubeVirt through the real Pulumi CLI against a real
 * kube-apiserver with KubeVirt's own CRDs: up, no-change preview, in-place
 * update, refresh after an out-of-band change, destroy.
 */
import * as path from "node:path";

import * as k8s from "@kubernetes/client-node";
import type { Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { labPoolProgram } from "../fixtures/programs";
import { startTestCluster, TEST_USERS, type TestCluster } from "../harness/kube-apiserver";
import { createPulumiSandbox, exportState, openStack, vmpools, writeProject, type PulumiSandbox } from "../harness/pulumi";
import { missingTools } from "../harness/tools";

const skip = missingTools("pulumi", "pulumi-resource-pulumi-nodejs", "node", "etcd", "kube-apiserver").length > 0;

const POOL = { group: "pool.kubevirt.io", version: "v1beta1", namespace: "default", plural: "virtualmachinepools", name: "lab" };

describe.skipIf(skip)("VmPool on KubeVirt through the Pulumi CLI", () => {
  let cluster: TestCluster;
  let sandbox: PulumiSandbox;
  let stack: Stack;
  let objects: k8s.CustomObjectsApi;
  let createdUid = "";
  let projectDir = "";

  async function readPool(): Promise<Record<string, unknown> & { metadata: { uid: string }; spec: Record<string, unknown> }> {
    return (await objects.getNamespacedCustomObject(POOL)) as Record<string, unknown> & { metadata: { uid: string }; spec: Record<string, unknown> };
  }

  beforeAll(async () => {
    cluster = await startTestCluster();
    sandbox = createPulumiSandbox();
    objects = cluster.kubeConfig("admin").makeApiClient(k8s.CustomObjectsApi);
    projectDir = writeProject(path.join(sandbox.root, "project"), "kubevirt-lifecycle");
    stack = await openStack(sandbox, projectDir, "dev", labPoolProgram);
    await stack.setConfig("vmpools:kubeconfig", { value: cluster.kubeconfig("admin"), secret: true });
    await stack.setConfig("size", { value: "2" });
  });

  afterAll(async () => {
    await cluster?.stop();
    sandbox?.dispose();
  });

  it("creates the VirtualMachinePool on pulumi up", async () => {
    const result = await stack.up();
    expect(result.summary.result).toBe("succeeded");
    expect(result.summary.resourceChanges).toEqual({ create: 2 });

    const pool = await readPool();
    expect(pool["apiVersion"]).toBe("pool.kubevirt.io/v1beta1");
    expect(pool.spec["replicas"]).toBe(2);
    expect(pool.spec["selector"]).toEqual({ matchLabels: { "kubevirt.io/vmpool": "lab" } });
    expect(pool.spec["virtualMachineTemplate"]).toEqual({
      metadata: { labels: { "kubevirt.io/vmpool": "lab" } },
      spec: {
        runStrategy: "Halted",
        template: { spec: { domain: { devices: {}, resources: { requests: { memory: "128Mi" } } } } },
      },
    });
    createdUid = pool.metadata.uid;
    expect(result.outputs["uid"]?.value).toBe(createdUid);
  });

  it("plans no change right after up (preview --expect-no-changes)", async () => {
    const preview = await stack.preview({ expectNoChanges: true });
    expect(preview.changeSummary).toEqual({ same: 2 });
  });

  it("fails the preview for a namespace that does not exist, changing nothing", async () => {
    await stack.setConfig("namespace", { value: "no-such-ns" });
    const err: unknown = await stack.preview().catch((e: unknown) => e);
    expect(String(err)).toContain("namespace 'no-such-ns' does not exist on the cluster; create it first or fix 'backend.namespace'");
    await stack.removeConfig("namespace");
    expect((await readPool()).metadata.uid).toBe(createdUid);
  });

  it("keeps credentials, logic and local paths out of state", async () => {
    const state = await exportState(sandbox, projectDir, "dev");
    // The kubeconfig reaches the provider only through secret stack config,
    // which the backend stores encrypted.
    expect(state.text).not.toContain(TEST_USERS.admin.token);
    expect(state.text).not.toContain(cluster.server);
    const pool = state.resources.find((r) => r.type === vmpools.VM_POOL_TYPE);
    const provider = pool?.inputs?.["__provider"];
    expect(typeof provider).toBe("string");
    expect((provider as string).length).toBeLessThan(4096);
    expect(provider).not.toContain(path.resolve(__dirname, "../.."));
    expect(provider).toContain('require("pulumi-vmpools/runtime")');
  });

  it("updates replicas in place, keeping the same object", async () => {
    await stack.setConfig("size", { value: "3" });
    const result = await stack.up();
    expect(result.summary.resourceChanges).toEqual({ same: 1, update: 1 });
    const pool = await readPool();
    expect(pool.spec["replicas"]).toBe(3);
    expect(pool.metadata.uid).toBe(createdUid);
  });

  it("shows an out-of-band change to spec.replicas after refresh", async () => {
    await objects.patchNamespacedCustomObject(
      { ...POOL, body: [{ op: "replace", path: "/spec/replicas", value: 5 }] },
      k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.JsonPatch),
    );
    const refresh = await stack.refresh();
    expect(refresh.summary.resourceChanges).toEqual({ same: 1, update: 1 });
    const pool = (await exportState(sandbox, projectDir, "dev")).resources.find((r) => r.type === vmpools.VM_POOL_TYPE);
    expect(pool?.outputs?.["size"]).toBe(5);
    expect(pool?.inputs?.["size"]).toBe(5);

    // The program still says 3: the next preview plans to put it back.
    const preview = await stack.preview();
    expect(preview.changeSummary).toEqual({ same: 1, update: 1 });
  });

  it("shrinks in place, keeping the same object", async () => {
    await stack.setConfig("size", { value: "1" });
    expect((await stack.up()).summary.resourceChanges).toEqual({ same: 1, update: 1 });
    const pool = await readPool();
    expect(pool.spec["replicas"]).toBe(1);
    expect(pool.metadata.uid).toBe(createdUid);
  });

  it("replaces the pool when its VM labels change (the selector is immutable), deleting the old one first", async () => {
    await stack.setConfig("label", { value: "desktops" });
    const preview = await stack.preview({ diff: true });
    expect(preview.changeSummary).toEqual({ same: 1, replace: 1 });
    expect((await stack.up()).summary.resourceChanges).toEqual({ same: 1, replace: 1 });
    const pool = await readPool();
    expect(pool.metadata.uid).not.toBe(createdUid);
    expect(pool.spec["selector"]).toEqual({ matchLabels: { app: "desktops" } });
  });

  it("removes the pool on pulumi destroy", async () => {
    const result = await stack.destroy();
    expect(result.summary.resourceChanges).toEqual({ delete: 2 });
    await expect(readPool()).rejects.toMatchObject({ code: 404 });
    const state = await exportState(sandbox, projectDir, "dev");
    expect(state.resources.filter((r) => r.type === vmpools.VM_POOL_TYPE)).toEqual([]);
  });

  it("rejects bad input in check() with the property, the value and the rule, sending nothing to the API server", async () => {
    await stack.setConfig("size", { value: "-1" });
    const err: unknown = await stack.preview().catch((e: unknown) => e);
    expect(String(err)).toContain("size");
    expect(String(err)).toContain("must be 0 or more (got -1)");
    const pools = (await objects.listNamespacedCustomObject({ group: POOL.group, version: POOL.version, namespace: POOL.namespace, plural: POOL.plural })) as {
      items: unknown[];
    };
    expect(pools.items).toEqual([]);
  });
});
