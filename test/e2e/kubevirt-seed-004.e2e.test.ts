/**
 * Seed 004's web-server pool (a KubeVirt lab's `VirtualMachinePool` with
 * `running: true`, a DataVolume template and a cloud-init secret) through the
 * real Pulumi CLI against a real kube-apiserver with KubeVirt's CRDs: `up`
 * makes it as written, `preview --expect-no-changes` plans nothing, before and
 * after `refresh`; `running` next to `runStrategy` is refused by `check()` in
 * `preview` with nothing created; `destroy` removes it.
 */
import * as path from "node:path";

import * as k8s from "@kubernetes/client-node";
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { SEED_004_POOL_NAME, seed004Manifest, toSeed004PoolArgs } from "../fixtures/seed-004";
import { startTestCluster, type TestCluster } from "../harness/kube-apiserver";
import { createPulumiSandbox, openStack, vmpools, writeProject, type PulumiSandbox } from "../harness/pulumi";
import { missingTools } from "../harness/tools";

const skip = missingTools("pulumi", "pulumi-resource-pulumi-nodejs", "node", "etcd", "kube-apiserver").length > 0;

const POOLS = { group: "pool.kubevirt.io", version: "v1beta1", namespace: "default", plural: "virtualmachinepools" };

/**
 * The seed's pool as a program; config `name` renames it and config
 * `runStrategy` adds a run strategy next to the seed's `running: true`.
 */
function seedPoolProgram(): Promise<Record<string, unknown>> {
  const config = new pulumi.Config();
  const args = toSeed004PoolArgs(seed004Manifest(config.get("name") ?? SEED_004_POOL_NAME));
  const runStrategy = config.get("runStrategy");
  const template = args.backend.virtualMachineTemplate;
  const pool = new vmpools.VmPool(args.name, {
    ...args,
    backend: { ...args.backend, virtualMachineTemplate: { ...template, spec: runStrategy === undefined ? template.spec : { ...template.spec, runStrategy } } },
  });
  return Promise.resolve({ uid: pool.uid, prestarted: pool.prestarted });
}

describe.skipIf(skip)("seed 004's web-server pool through the Pulumi CLI", () => {
  let cluster: TestCluster;
  let sandbox: PulumiSandbox;
  let stack: Stack;
  let objects: k8s.CustomObjectsApi;
  let projectDir = "";

  const readPool = async (): Promise<{ metadata: { uid: string; resourceVersion: string }; spec: Record<string, unknown> }> =>
    (await objects.getNamespacedCustomObject({ ...POOLS, name: SEED_004_POOL_NAME })) as { metadata: { uid: string; resourceVersion: string }; spec: Record<string, unknown> };
  const poolNames = async (): Promise<string[]> =>
    ((await objects.listNamespacedCustomObject(POOLS)) as { items: { metadata: { name: string } }[] }).items.map((item) => item.metadata.name);

  beforeAll(async () => {
    cluster = await startTestCluster();
    sandbox = createPulumiSandbox();
    objects = cluster.kubeConfig("admin").makeApiClient(k8s.CustomObjectsApi);
    projectDir = writeProject(path.join(sandbox.root, "project"), "kubevirt-seed-004");
    stack = await openStack(sandbox, projectDir, "dev", seedPoolProgram);
    await stack.setConfig("vmpools:kubeconfig", { value: cluster.kubeconfig("admin"), secret: true });
  });

  afterAll(async () => {
    await cluster?.stop();
    sandbox?.dispose();
  });

  it("creates the pool exactly as the seed writes it on pulumi up", async () => {
    const result = await stack.up();
    expect(result.summary.result).toBe("succeeded");
    expect(result.summary.resourceChanges).toEqual({ create: 2 });
    const pool = await readPool();
    // Selector, labels, running: true and the DataVolume template as written;
    // no runStrategy added, nothing pruned or defaulted by the API server.
    // The provider adds only its scale-in order (highest indexes first).
    expect(pool.spec).toEqual({ ...seed004Manifest().spec, scaleInStrategy: { proactive: { selectionPolicy: { sortPolicy: "DescendingOrder" } } } });
    expect(result.outputs["uid"]?.value).toBe(pool.metadata.uid);
    // running: true runs every VM, and state says so.
    expect(result.outputs["prestarted"]?.value).toBe(2);
  });

  it("plans no change right after up (preview --expect-no-changes)", async () => {
    const preview = await stack.preview({ expectNoChanges: true });
    expect(preview.changeSummary).toEqual({ same: 2 });
  });

  it("refreshes without drift, and still plans no change after the refresh", async () => {
    const before = await readPool();
    const refresh = await stack.refresh();
    expect(refresh.summary.resourceChanges).toEqual({ same: 2 });
    const preview = await stack.preview({ expectNoChanges: true });
    expect(preview.changeSummary).toEqual({ same: 2 });
    expect((await readPool()).metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it("refuses running together with runStrategy in check(), shown by preview, with nothing created", async () => {
    const conflict = await openStack(sandbox, projectDir, "conflict", seedPoolProgram);
    await conflict.setConfig("vmpools:kubeconfig", { value: cluster.kubeconfig("admin"), secret: true });
    await conflict.setConfig("name", { value: "webserver-both" });
    await conflict.setConfig("runStrategy", { value: "Always" });
    const err: unknown = await conflict.preview().catch((e: unknown) => e);
    expect(String(err)).toContain("backend.virtualMachineTemplate.spec.running");
    expect(String(err)).toContain(`cannot be set together with 'runStrategy' ("Always"): KubeVirt refuses a VM spec with both`);
    expect(await poolNames()).toEqual([SEED_004_POOL_NAME]);
  });

  it("removes the pool on pulumi destroy", async () => {
    const result = await stack.destroy();
    expect(result.summary.resourceChanges).toEqual({ delete: 2 });
    await expect(readPool()).rejects.toMatchObject({ code: 404 });
    expect(await poolNames()).toEqual([]);
  });
});
