/**
 * Seed 004's web-server pool (running: true, a DataVolume template, a
 * cloud-init secret, the `kubevirt.io/vmpool` label on VMs and VMIs) through
 * the provider's own methods against a real kube-apiserver with KubeVirt's
 * CRDs: it goes up as written, reads back with no diff, also after a refresh
 * (read's inputs checked again), and is deleted. Guards against the API
 * server's pruning or defaulting and against the provider rewriting the
 * user's spec (a runStrategy next to running), either of which would show
 * as a perpetual diff.
 */
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { VmPoolProvider } from "../../../../provider/vm-pool-provider";
import { SEED_004_POOL_NAME, seed004Manifest, toSeed004PoolArgs } from "../../../fixtures/seed-004";
import { startTestCluster, type TestCluster, clusterProviderSettings } from "../../../harness/kube-apiserver";
import { missingTools } from "../../../harness/tools";

const skip = missingTools("etcd", "kube-apiserver").length > 0;

/** The host adds the serialized provider to inputs and outputs; the provider must ignore it. */
const HOST_KEYS = { __provider: "serialized provider text" };

describe.skipIf(skip)("seed 004's web-server pool through VmPoolProvider against a KubeVirt 1.9 API server", () => {
  let cluster: TestCluster;
  let provider: VmPoolProvider;
  let objects: k8s.CustomObjectsApi;

  beforeAll(async () => {
    cluster = await startTestCluster({ kubevirtCrds: "1.9" });
    const settings = clusterProviderSettings(cluster);
    provider = new VmPoolProvider(() => settings);
    objects = cluster.kubeConfig("admin").makeApiClient(k8s.CustomObjectsApi);
  });
  afterAll(async () => cluster?.stop());

  const getLive = async (name: string): Promise<{ apiVersion: string; metadata: Record<string, unknown>; spec: Record<string, unknown> }> =>
    (await objects.getNamespacedCustomObject({ group: "pool.kubevirt.io", version: "v1beta1", namespace: "default", plural: "virtualmachinepools", name })) as {
      apiVersion: string;
      metadata: Record<string, unknown>;
      spec: Record<string, unknown>;
    };

  it("creates the pool as written, reads it back with no diff, also after a refresh, and deletes it", async () => {
    // GIVEN the seed's manifest declared as a VmPool, as the program sends it
    const program = { ...toSeed004PoolArgs(seed004Manifest()), ...HOST_KEYS };
    const checked = await provider.check({}, program);
    expect(checked.failures).toEqual([]);
    const inputs = checked.inputs ?? {};
    // prestarted reports what running: true means: every VM runs.
    expect(inputs["prestarted"]).toBe(2);

    // WHEN it is created
    const created = await provider.create({ ...inputs, ...HOST_KEYS });
    expect(created.id).toBe(`default/${SEED_004_POOL_NAME}`);

    // THEN the live spec is the seed's, byte for byte: the API server pruned
    // and defaulted nothing, and the provider added no runStrategy; it adds
    // only its scale-in order (highest indexes first), and no update
    // strategy, since a service pool keeps KubeVirt's proactive default.
    const live = await getLive(SEED_004_POOL_NAME);
    expect(live.spec).toEqual({ ...seed004Manifest().spec, scaleInStrategy: { proactive: { selectionPolicy: { sortPolicy: "DescendingOrder" } } } });

    // AND the next preview plans nothing
    const outs = { ...created.outs, ...HOST_KEYS };
    await expect(provider.diff(created.id, outs, { ...inputs, ...HOST_KEYS })).resolves.toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });

    // AND a refresh reads back exactly the checked inputs and the same state
    const read = await provider.read(created.id, outs);
    expect(read.id).toBe(created.id);
    expect(read.inputs).toEqual(inputs);
    expect(read.props).toEqual(created.outs);

    // AND after the refresh, the program's inputs checked against the read
    // inputs still plan nothing
    const rechecked = await provider.check({ ...read.inputs, ...HOST_KEYS }, program);
    expect(rechecked).toEqual(checked);
    await expect(provider.diff(created.id, { ...read.props, ...HOST_KEYS }, { ...rechecked.inputs, ...HOST_KEYS })).resolves.toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });

    // AND delete removes it
    await provider.delete(created.id, outs);
    await expect(getLive(SEED_004_POOL_NAME)).rejects.toMatchObject({ code: 404 });
    await expect(provider.read(created.id, outs)).resolves.toEqual({});
  });

  it("plans no change for nulls in the spec: kept in metadata, dropped by the API server from typed fields", async () => {
    // GIVEN the seed with `creationTimestamp: null` (as `virtctl create vm`
    // and `kubectl --dry-run -o yaml` write it) and a null limits object
    const args = toSeed004PoolArgs(seed004Manifest("webserver-nulls"));
    const spec = structuredClone(args.backend.virtualMachineTemplate.spec) as { template: { metadata: Record<string, unknown>; spec: { domain: { resources: Record<string, unknown> } } }; dataVolumeTemplates: { metadata: Record<string, unknown> }[] };
    spec.template.metadata["creationTimestamp"] = null;
    spec.dataVolumeTemplates.forEach((template) => (template.metadata["creationTimestamp"] = null));
    spec.template.spec.domain.resources["limits"] = null;
    const program = { ...args, backend: { ...args.backend, virtualMachineTemplate: { ...args.backend.virtualMachineTemplate, spec } }, ...HOST_KEYS };
    const checked = await provider.check({}, program);
    expect(checked.failures).toEqual([]);

    // WHEN it is created
    const created = await provider.create({ ...checked.inputs, ...HOST_KEYS });

    // THEN the API server keeps the nulls in (schema-less) metadata and drops the typed one
    const liveSpec = ((await getLive("webserver-nulls")).spec["virtualMachineTemplate"] as { spec: typeof spec }).spec;
    expect(liveSpec.template.metadata).toEqual({ creationTimestamp: null, labels: { "kubevirt.io/vmpool": "webserver-nulls" } });
    expect(liveSpec.dataVolumeTemplates[0]?.metadata).toEqual({ creationTimestamp: null, name: "webserver-nulls-disk" });
    expect(liveSpec.template.spec.domain.resources).toEqual({ requests: { memory: "2Gi" } });

    // AND neither the next preview nor one after a refresh plans a change
    const noChange = { changes: false, replaces: [], deleteBeforeReplace: false };
    await expect(provider.diff(created.id, { ...created.outs, ...HOST_KEYS }, { ...checked.inputs, ...HOST_KEYS })).resolves.toEqual(noChange);
    const read = await provider.read(created.id, { ...created.outs, ...HOST_KEYS });
    const rechecked = await provider.check({ ...read.inputs, ...HOST_KEYS }, program);
    await expect(provider.diff(created.id, { ...read.props, ...HOST_KEYS }, { ...rechecked.inputs, ...HOST_KEYS })).resolves.toEqual(noChange);
  });

  it("creates the seed's pool in v1alpha1 as the seed writes it, and the provider reads it back unchanged in v1beta1", async () => {
    // The lab's own apply: kubectl with the manifest as written (v1alpha1).
    const manifest = seed004Manifest("webserver-kubectl");
    await objects.createNamespacedCustomObject({ group: "pool.kubevirt.io", version: "v1alpha1", namespace: "default", plural: "virtualmachinepools", body: manifest });
    const live = await getLive("webserver-kubectl");
    // Served in v1beta1 too, with nothing added or taken away.
    expect(live.apiVersion).toBe("pool.kubevirt.io/v1beta1");
    expect(live.spec).toEqual(manifest.spec);
  });

  it("refuses running together with runStrategy in check(), sending nothing to the API server", async () => {
    const args = toSeed004PoolArgs(seed004Manifest("webserver-both"));
    const both = { ...args, backend: { ...args.backend, virtualMachineTemplate: { ...args.backend.virtualMachineTemplate, spec: { ...args.backend.virtualMachineTemplate.spec, runStrategy: "Always" } } } };
    const result = await provider.check({}, { ...both, ...HOST_KEYS });
    expect(result.failures).toEqual([
      {
        property: "backend.virtualMachineTemplate.spec.running",
        reason: `cannot be set together with 'runStrategy' ("Always"): KubeVirt refuses a VM spec with both ("Running and RunStrategy are mutually exclusive"); keep one, preferably 'runStrategy' ('running: true' is runStrategy 'Always') (got true)`,
      },
    ]);
    await expect(getLive("webserver-both")).rejects.toMatchObject({ code: 404 });
  });
});
