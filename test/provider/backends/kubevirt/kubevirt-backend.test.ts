/**
 * The KubeVirt backend against a real kube-apiserver with KubeVirt's own
 * CRDs: version discovery, schema acceptance, no adoption, uid-guarded
 * delete, races, RBAC errors.
 */
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { VmPoolState } from "../../../../provider/backends/backend";
import { KubevirtClient } from "../../../../provider/backends/kubevirt/client";
import { KubevirtBackend } from "../../../../provider/backends/kubevirt/kubevirt-backend";
import { BackendError, PoolInitError } from "../../../../provider/errors";
import { vmPoolInputsSchema, type VmPoolInputs } from "../../../../provider/schemas/vm-pool";
import { SMALL_VM_SPEC } from "../../../fixtures/programs";
import { startTestCluster, type TestCluster } from "../../../harness/kube-apiserver";
import { missingTools } from "../../../harness/tools";

const skip = missingTools("etcd", "kube-apiserver").length > 0;

function poolInputs(name: string, size: number, extra: Partial<{ namespace: string; labels: Record<string, string> }> = {}): VmPoolInputs {
  return vmPoolInputsSchema.parse({
    name,
    size,
    backend: {
      kind: "kubevirt",
      ...(extra.namespace === undefined ? {} : { namespace: extra.namespace }),
      virtualMachineTemplate: {
        ...(extra.labels === undefined ? {} : { metadata: { labels: extra.labels } }),
        spec: SMALL_VM_SPEC,
      },
    },
  });
}

const ctx = { backend: "kubevirt" as const, operation: "test", resource: "test" };

describe.skipIf(skip)("KubevirtBackend against a KubeVirt 1.9 API server", () => {
  let cluster: TestCluster;
  let backend: KubevirtBackend;
  let objects: k8s.CustomObjectsApi;

  beforeAll(async () => {
    cluster = await startTestCluster({ kubevirtCrds: "1.9" });
    backend = new KubevirtBackend(new KubevirtClient(cluster.kubeConfig("admin")), 5_000);
    objects = cluster.kubeConfig("admin").makeApiClient(k8s.CustomObjectsApi);
  });
  afterAll(async () => cluster?.stop());

  const get = (name: string): Promise<{ metadata: { uid: string; labels?: Record<string, string> }; spec: Record<string, unknown> }> =>
    objects.getNamespacedCustomObject({ group: "pool.kubevirt.io", version: "v1beta1", namespace: "default", plural: "virtualmachinepools", name }) as Promise<{
      metadata: { uid: string; labels?: Record<string, string> };
      spec: Record<string, unknown>;
    }>;

  it("discovers v1beta1 as the newest served pool version", async () => {
    await expect(new KubevirtClient(cluster.kubeConfig("admin")).discoverPoolVersion(ctx)).resolves.toBe("v1beta1");
  });

  it("creates a pool that KubeVirt's strict schema accepts, labelled as managed by pulumi-vmpools", async () => {
    const created = await backend.create(poolInputs("schema-ok", 2, { labels: { app: "vdi", tier: "lab" } }));
    expect(created.id).toBe("default/schema-ok");
    expect(created.state.apiVersion).toBe("pool.kubevirt.io/v1beta1");
    const live = await get("schema-ok");
    expect(live.metadata.labels).toEqual({ "app.kubernetes.io/managed-by": "pulumi-vmpools" });
    expect(live.spec["selector"]).toEqual({ matchLabels: { app: "vdi", tier: "lab" } });
    expect(created.state.uid).toBe(live.metadata.uid);
  });

  it("refuses to adopt a pool of the same name that it did not create, and leaves that pool untouched", async () => {
    await objects.createNamespacedCustomObject({
      group: "pool.kubevirt.io",
      version: "v1beta1",
      namespace: "default",
      plural: "virtualmachinepools",
      body: {
        apiVersion: "pool.kubevirt.io/v1beta1",
        kind: "VirtualMachinePool",
        metadata: { name: "someone-elses" },
        spec: {
          replicas: 7,
          selector: { matchLabels: { owner: "other" } },
          virtualMachineTemplate: { metadata: { labels: { owner: "other" } }, spec: SMALL_VM_SPEC },
        },
      },
    });
    const before = await get("someone-elses");
    await expect(backend.create(poolInputs("someone-elses", 1))).rejects.toThrow(
      "kubevirt create of default/someone-elses failed: a VirtualMachinePool named 'someone-elses' already exists in namespace 'default'; this provider does not adopt pools it did not create unless told to, so choose another name, delete the existing pool, or set 'adopt: true' to take it over",
    );
    const after = await get("someone-elses");
    expect(after.metadata.uid).toBe(before.metadata.uid);
    expect(after.spec["replicas"]).toBe(7);
  });

  it("takes over an existing pool as it is when adopt is set", async () => {
    const before = await get("someone-elses");
    const adopted = await backend.create({ ...poolInputs("someone-elses", 1), adopt: true });
    expect(adopted.state.uid).toBe(before.metadata.uid);
    expect(adopted.state.size).toBe(7);
    expect((await get("someone-elses")).spec["replicas"]).toBe(7);
  });

  it("claims its own pool when the create's answer is lost, proven by its create id, without a second create", async () => {
    let creates = 0;
    class LosingClient extends KubevirtClient {
      override async createPool(...args: Parameters<KubevirtClient["createPool"]>): Promise<unknown> {
        creates += 1;
        await super.createPool(...args);
        throw new BackendError(ctx, "no answer from the API server: socket hang up", { retryable: true });
      }
    }
    const losing = new KubevirtBackend(new LosingClient(cluster.kubeConfig("admin")), 5_000, { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 });
    const created = await losing.create(poolInputs("lost-answer", 1));
    expect(creates).toBe(1);
    expect(created.state.uid).toBe((await get("lost-answer")).metadata.uid);
  });

  it("verifies read-only that the namespace exists, for previews", async () => {
    await expect(backend.verify(poolInputs("anywhere", 1, { namespace: "no-such-ns" }))).resolves.toEqual([
      { property: "backend.namespace", reason: "namespace 'no-such-ns' does not exist on the cluster; create it first or fix 'backend.namespace'" },
    ]);
    await expect(backend.verify(poolInputs("anywhere", 1))).resolves.toEqual([]);
    // A user who may not read namespaces is not stopped by the check.
    await expect(new KubevirtBackend(new KubevirtClient(cluster.kubeConfig("alice"))).verify(poolInputs("anywhere", 1, { namespace: "no-such-ns" }))).resolves.toEqual([]);
  });

  it("explains a missing namespace", async () => {
    await expect(backend.create(poolInputs("nowhere", 1, { namespace: "no-such-ns" }))).rejects.toThrow(
      "namespace 'no-such-ns' does not exist; create it first or set 'backend.namespace'",
    );
  });

  it("updates in place, retrying when another writer changed the pool between read and write", async () => {
    const created = await backend.create(poolInputs("raced", 1));
    // A client that lets another writer in between our read and our patch,
    // once, so the resourceVersion test of the first patch fails for real.
    let patches = 0;
    class RacingClient extends KubevirtClient {
      override async patchPool(...args: Parameters<KubevirtClient["patchPool"]>): Promise<unknown> {
        patches += 1;
        if (patches === 1) {
          await objects.patchNamespacedCustomObject(
            {
              group: "pool.kubevirt.io",
              version: "v1beta1",
              namespace: "default",
              plural: "virtualmachinepools",
              name: "raced",
              body: [{ op: "replace", path: "/spec/replicas", value: 4 }],
            },
            k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.JsonPatch),
          );
        }
        return super.patchPool(...args);
      }
    }
    const racing = new KubevirtBackend(new RacingClient(cluster.kubeConfig("admin")));
    // A new description needs a patch of the pool; the size goes through the scale subresource after it.
    const updated = await racing.update(created.id, created.state, { ...poolInputs("raced", 3), description: "raced" });
    expect(patches).toBe(2);
    expect(updated.state.size).toBe(3);
    expect(updated.state.description).toBe("raced");
    expect(updated.state.uid).toBe(created.state.uid);
    expect((await get("raced")).spec["replicas"]).toBe(3);
  });

  it("reads a pool deleted out of band as gone, and deletes it again as a success", async () => {
    const created = await backend.create(poolInputs("vanishing", 1));
    await objects.deleteNamespacedCustomObject({ group: "pool.kubevirt.io", version: "v1beta1", namespace: "default", plural: "virtualmachinepools", name: "vanishing" });
    await expect(backend.read(created.id, created.state)).resolves.toBeUndefined();
    await expect(backend.delete(created.id, created.state)).resolves.toBeUndefined();
  });

  it("never deletes a newer pool that took the name of the one in state", async () => {
    const created = await backend.create(poolInputs("reused", 1));
    await backend.delete(created.id, created.state);
    const newer = await backend.create(poolInputs("reused", 2));
    // Deleting with the old state must not touch the newer incarnation.
    await backend.delete(created.id, created.state);
    expect((await get("reused")).metadata.uid).toBe(newer.state.uid);
    await expect(backend.read(created.id, created.state)).resolves.toBeUndefined();
  });

  it("keeps description and comment as pool annotations, updates them in place, and reads them back", async () => {
    const created = await backend.create({ ...poolInputs("described", 1), description: "room 12", comment: "" });
    const updated = await backend.update(created.id, created.state, { ...poolInputs("described", 1), description: "room 14", comment: "moved" });
    expect(updated.state).toMatchObject({ description: "room 14", comment: "moved" });
    const live = (await get("described")) as unknown as { metadata: { annotations: Record<string, string> } };
    const { "vmpools.pulumi.com/create-id": createId, ...annotations } = live.metadata.annotations;
    expect(annotations).toEqual({ "vmpools.pulumi.com/description": "room 14", "vmpools.pulumi.com/comment": "moved" });
    expect(createId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await backend.read(updated.id, updated.state))?.inputs).toMatchObject({ description: "room 14", comment: "moved" });
  });

  it("sends nameGeneration, which KubeVirt's strict schema accepts, and drops it when the user does", async () => {
    const withNames = vmPoolInputsSchema.parse({
      name: "named",
      size: 2,
      backend: { kind: "kubevirt", nameGeneration: { appendIndexToSecretRefs: true, appendIndexToConfigMapRefs: true }, virtualMachineTemplate: { spec: SMALL_VM_SPEC } },
    });
    const created = await backend.create(withNames);
    expect((await get("named")).spec["nameGeneration"]).toEqual({ appendIndexToSecretRefs: true, appendIndexToConfigMapRefs: true });
    await backend.update(created.id, created.state, poolInputs("named", 2));
    expect((await get("named")).spec["nameGeneration"]).toBeUndefined();
  });

  it("waits for readyReplicas when asked, as reported through the status subresource by a controller", async () => {
    const inputs = vmPoolInputsSchema.parse({ name: "ready", size: 2, timeouts: { create: "30s" }, backend: { kind: "kubevirt", waitForReady: true, virtualMachineTemplate: { spec: SMALL_VM_SPEC } } });
    const creating = backend.create(inputs);
    // Play virt-controller: report both VMs ready once the pool exists.
    let reported = false;
    for (let i = 0; i < 100 && !reported; i++) {
      await new Promise((r) => setTimeout(r, 50));
      try {
        await objects.patchNamespacedCustomObjectStatus(
          { group: "pool.kubevirt.io", version: "v1beta1", namespace: "default", plural: "virtualmachinepools", name: "ready", body: { status: { replicas: 2, readyReplicas: 2 } } },
          k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch),
        );
        reported = true;
      } catch {
        // not created yet
      }
    }
    const created = await creating;
    expect(created.state).toMatchObject({ vmCount: 2, readyVmCount: 2 });
  });

  it("gives up waiting for ready VMs after the create timeout, reporting the pool's id", async () => {
    const inputs = vmPoolInputsSchema.parse({ name: "never-ready", size: 1, timeouts: { create: "300ms" }, backend: { kind: "kubevirt", waitForReady: true, virtualMachineTemplate: { spec: SMALL_VM_SPEC } } });
    const err: unknown = await backend.create(inputs).catch((e: unknown) => e);
    expect(PoolInitError.isInstance(err)).toBe(true);
    expect((err as PoolInitError).id).toBe("default/never-ready");
    expect((err as PoolInitError).reasons).toEqual(["0 of 1 VMs ready after 0s (is virt-controller running and are the VMs starting?); the next 'pulumi up' waits again"]);
  });

  it("runs every VM of a pool whose prestarted equals its size (runStrategy Always), and reads it back as prestarted", async () => {
    const inputs = vmPoolInputsSchema.parse({ name: "prestarted", size: 2, prestarted: 2, backend: { kind: "kubevirt", virtualMachineTemplate: { spec: { template: { spec: { domain: { devices: {} } } } } } } });
    const created = await backend.create(inputs);
    const live = await get("prestarted");
    expect((live.spec["virtualMachineTemplate"] as { spec: Record<string, unknown> }).spec["runStrategy"]).toBe("Always");
    expect((await backend.read(created.id, created.state))?.inputs).toEqual(inputs);
  });

  it("reports missing RBAC permission with the API server's message and a hint", async () => {
    const asAlice = new KubevirtBackend(new KubevirtClient(cluster.kubeConfig("alice")));
    const err: unknown = await asAlice.create(poolInputs("alice-pool", 1)).catch((e: unknown) => e);
    expect(BackendError.isInstance(err)).toBe(true);
    expect((err as BackendError).status).toBe(403);
    expect((err as BackendError).message).toBe(
      'kubevirt create of default/alice-pool failed: virtualmachinepools.pool.kubevirt.io is forbidden: User "alice" cannot create resource "virtualmachinepools" in API group "pool.kubevirt.io" in the namespace "default" (Forbidden); the kubeconfig\'s user lacks RBAC permission for this, ask the cluster admin for a Role granting it',
    );
  });
});

describe.skipIf(skip)("KubevirtBackend against a KubeVirt 1.6 API server", () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await startTestCluster({ kubevirtCrds: "1.6" });
  });
  afterAll(async () => cluster?.stop());

  it("creates, updates and deletes pools in v1alpha1, the only version KubeVirt 1.6 serves", async () => {
    const backend = new KubevirtBackend(new KubevirtClient(cluster.kubeConfig("admin")), 5_000);
    const created = await backend.create(poolInputs("old-cluster", 1));
    expect(created.state.apiVersion).toBe("pool.kubevirt.io/v1alpha1");
    const updated = await backend.update(created.id, created.state, poolInputs("old-cluster", 2));
    expect(updated.state.size).toBe(2);
    expect(updated.state.apiVersion).toBe("pool.kubevirt.io/v1alpha1");
    await backend.delete(created.id, updated.state);
    const previous: VmPoolState = updated.state;
    await expect(backend.read(created.id, previous)).resolves.toBeUndefined();
  });
});
