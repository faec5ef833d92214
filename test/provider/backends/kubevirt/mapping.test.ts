import { describe, expect, it } from "vitest";

import { fromKubevirtPool, toInputsFromKubevirtPool, toKubevirtPoolManifest } from "../../../../provider/backends/kubevirt/mapping";
import { inferFeaturesFromVersion } from "../../../../provider/backends/kubevirt/pool-features";
import { toKubevirtPoolPatch } from "../../../../provider/backends/kubevirt/pool-patch";
import { vmPoolInputsSchema, type KubevirtPoolInputs } from "../../../../provider/schemas/vm-pool";
import { SEED_004_VM_SPEC, seed004Manifest, toSeed004PoolArgs } from "../../../fixtures/seed-004";

const spec = { runStrategy: "Halted", template: { spec: { domain: { devices: {} } } } };
const implicitLabels = vmPoolInputsSchema.parse({ name: "lab", size: 3, backend: { kind: "kubevirt", virtualMachineTemplate: { spec } } }) as KubevirtPoolInputs;
/** What the provider asks KubeVirt 1.7+ for by default: highest indexes first; a desktop pool's template changes at each VM's next restart. */
const DESKTOP_POLICY_1_7 = { scaleInStrategy: { proactive: { selectionPolicy: { sortPolicy: "DescendingOrder" } } }, updateStrategy: { opportunistic: {} } };
/** KubeVirt 1.6 names the order basePolicy and has no update strategy. */
const POLICY_1_6 = { scaleInStrategy: { proactive: { selectionPolicy: { basePolicy: "DescendingOrder" } } } };
const explicitLabels = vmPoolInputsSchema.parse({
  name: "lab",
  size: 3,
  description: "VDI desks",
  backend: { kind: "kubevirt", namespace: "vdi", virtualMachineTemplate: { metadata: { labels: { app: "desk" }, annotations: { note: "x" } }, spec } },
}) as KubevirtPoolInputs;

describe("toKubevirtPoolManifest", () => {
  it("generates the selector from the default pool label", () => {
    expect(toKubevirtPoolManifest(implicitLabels, "v1beta1")).toEqual({
      apiVersion: "pool.kubevirt.io/v1beta1",
      kind: "VirtualMachinePool",
      metadata: { name: "lab", namespace: "default", labels: { "app.kubernetes.io/managed-by": "pulumi-vmpools" }, annotations: { "vmpools.pulumi.com/description": "", "vmpools.pulumi.com/comment": "" } },
      spec: {
        replicas: 3,
        selector: { matchLabels: { "kubevirt.io/vmpool": "lab" } },
        virtualMachineTemplate: { metadata: { labels: { "kubevirt.io/vmpool": "lab" } }, spec },
        ...DESKTOP_POLICY_1_7,
      },
    });
  });

  it("uses the user's labels for both the VMs and the selector, in the version asked for", () => {
    expect(toKubevirtPoolManifest(explicitLabels, "v1alpha1")).toEqual({
      apiVersion: "pool.kubevirt.io/v1alpha1",
      kind: "VirtualMachinePool",
      metadata: { name: "lab", namespace: "vdi", labels: { "app.kubernetes.io/managed-by": "pulumi-vmpools" }, annotations: { "vmpools.pulumi.com/description": "VDI desks", "vmpools.pulumi.com/comment": "" } },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: "desk" } },
        virtualMachineTemplate: { metadata: { labels: { app: "desk" }, annotations: { note: "x" } }, spec },
        ...POLICY_1_6,
      },
    });
  });

  it("derives runStrategy from prestarted when the VM spec sets none, and reads it back as prestarted", () => {
    const devicesOnly = { template: { spec: { domain: { devices: {} } } } };
    const allUp = vmPoolInputsSchema.parse({ name: "lab", size: 2, prestarted: 2, backend: { kind: "kubevirt", virtualMachineTemplate: { spec: devicesOnly } } }) as KubevirtPoolInputs;
    const manifest = toKubevirtPoolManifest(allUp, "v1beta1");
    const template = (manifest["spec"] as { virtualMachineTemplate: { spec: Record<string, unknown> } }).virtualMachineTemplate;
    expect(template.spec).toEqual({ ...devicesOnly, runStrategy: "Always" });
    const obj = { ...manifest, metadata: { ...(manifest["metadata"] as object), uid: "u-3", resourceVersion: "1" } };
    expect(toInputsFromKubevirtPool(fromKubevirtPool(obj), allUp)).toEqual(allUp);
    // A run strategy changed out of band stays visible, with prestarted back at 0.
    const manual = { ...obj, spec: { ...(manifest["spec"] as object), virtualMachineTemplate: { ...template, spec: { ...devicesOnly, runStrategy: "Manual" } } } };
    expect(toInputsFromKubevirtPool(fromKubevirtPool(manual), allUp)).toMatchObject({ prestarted: 0, backend: { virtualMachineTemplate: { spec: { ...devicesOnly, runStrategy: "Manual" } } } });
  });

  it("sends seed 004's running: true spec and labels as given, and reads them back unchanged with prestarted = size", () => {
    const seed = vmPoolInputsSchema.parse(toSeed004PoolArgs(seed004Manifest())) as KubevirtPoolInputs;
    expect(seed.prestarted).toBe(2);
    const manifest = toKubevirtPoolManifest(seed, "v1alpha1");
    // No runStrategy next to running (KubeVirt refuses both), the seed's own
    // selector; the scale-in order is the provider's (a service pool keeps
    // KubeVirt's proactive updates, and 1.6 has no update strategy anyway).
    expect(manifest["spec"]).toEqual({ ...seed004Manifest().spec, ...POLICY_1_6 });
    const obj = { ...manifest, metadata: { ...(manifest["metadata"] as object), uid: "u-4", resourceVersion: "1" } };
    expect(toInputsFromKubevirtPool(fromKubevirtPool(obj), seed)).toEqual(seed);
    // Turned off out of band: the spec shows it, and prestarted follows.
    const stopped = { ...obj, spec: { ...seed004Manifest().spec, virtualMachineTemplate: { ...seed004Manifest().spec.virtualMachineTemplate, spec: { ...SEED_004_VM_SPEC, running: false } } } };
    expect(toInputsFromKubevirtPool(fromKubevirtPool(stopped), seed)).toMatchObject({ prestarted: 0, backend: { virtualMachineTemplate: { spec: { running: false } } } });
  });

  it("sends nameGeneration for per-VM secret and config map names", () => {
    const withNames = vmPoolInputsSchema.parse({
      name: "lab",
      size: 2,
      backend: { kind: "kubevirt", nameGeneration: { appendIndexToSecretRefs: true }, virtualMachineTemplate: { spec } },
    }) as KubevirtPoolInputs;
    expect((toKubevirtPoolManifest(withNames, "v1beta1")["spec"] as Record<string, unknown>)["nameGeneration"]).toEqual({ appendIndexToSecretRefs: true });
  });
});

describe("toKubevirtPoolPatch", () => {
  const features = inferFeaturesFromVersion("v1beta1");
  /** The pool as the API server returns it after creating `inputs`, with `overrides` in its spec. */
  const liveOf = (inputs: KubevirtPoolInputs, overrides: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): ReturnType<typeof fromKubevirtPool> => {
    const manifest = toKubevirtPoolManifest(inputs, "v1beta1");
    return fromKubevirtPool({ ...manifest, metadata: { ...(manifest["metadata"] as object), uid: "u-1", resourceVersion: "42", ...metadata }, spec: { ...(manifest["spec"] as object), ...overrides } });
  };

  it.each([
    // Nothing but the size differs: no patch (the size goes through the scale subresource).
    { label: "only the size differs", inputs: implicitLabels, live: liveOf(implicitLabels, { replicas: 9 }), ops: [] },
    {
      label: "a new VM spec replaces the whole template, guarded by resourceVersion",
      inputs: { ...implicitLabels, backend: { ...implicitLabels.backend, virtualMachineTemplate: { spec: { ...spec, runStrategy: "Manual" } } } },
      live: liveOf(implicitLabels),
      ops: [
        { op: "test", path: "/metadata/resourceVersion", value: "42" },
        { op: "replace", path: "/spec/virtualMachineTemplate", value: { metadata: { labels: { "kubevirt.io/vmpool": "lab" } }, spec: { ...spec, runStrategy: "Manual" } } },
        // Manual is no service pool: the update strategy stays opportunistic.
      ],
    },
    {
      label: "a pool from before the policy knobs gets the provider's defaults",
      inputs: implicitLabels,
      live: liveOf(implicitLabels, { scaleInStrategy: undefined, updateStrategy: undefined }),
      ops: [
        { op: "test", path: "/metadata/resourceVersion", value: "42" },
        { op: "add", path: "/spec/scaleInStrategy", value: DESKTOP_POLICY_1_7.scaleInStrategy },
        { op: "add", path: "/spec/updateStrategy", value: DESKTOP_POLICY_1_7.updateStrategy },
      ],
    },
    {
      label: "knobs set out of band that the inputs do not ask for are removed",
      inputs: implicitLabels,
      live: liveOf(implicitLabels, { paused: true, autohealing: {}, nameGeneration: { appendIndexToSecretRefs: true } }),
      ops: [
        { op: "test", path: "/metadata/resourceVersion", value: "42" },
        { op: "remove", path: "/spec/nameGeneration" },
        { op: "remove", path: "/spec/autohealing" },
        { op: "remove", path: "/spec/paused" },
      ],
    },
    {
      label: "annotations: a changed one is added one by one",
      inputs: { ...implicitLabels, description: "room 12" },
      live: liveOf(implicitLabels),
      ops: [
        { op: "test", path: "/metadata/resourceVersion", value: "42" },
        { op: "add", path: "/metadata/annotations/vmpools.pulumi.com~1description", value: "room 12" },
      ],
    },
    {
      label: "annotations: the whole object when the live pool has none",
      inputs: implicitLabels,
      live: liveOf(implicitLabels, {}, { annotations: undefined }),
      ops: [
        { op: "test", path: "/metadata/resourceVersion", value: "42" },
        { op: "add", path: "/metadata/annotations", value: { "vmpools.pulumi.com/description": "", "vmpools.pulumi.com/comment": "" } },
      ],
    },
  ])("$label", ({ inputs, live, ops }) => {
    expect(toKubevirtPoolPatch(inputs, live, features)).toEqual(ops);
  });
});

describe("fromKubevirtPool and toInputsFromKubevirtPool", () => {
  const live = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    apiVersion: "pool.kubevirt.io/v1beta1",
    kind: "VirtualMachinePool",
    metadata: { name: "lab", namespace: "default", uid: "u-1", resourceVersion: "7" },
    spec: { ...toKubevirtPoolManifest(implicitLabels, "v1beta1")["spec"] as object, ...overrides },
    status: { replicas: 3, readyReplicas: 2 },
  });

  it("reads status counts and identity", () => {
    expect(fromKubevirtPool(live())).toEqual({
      apiVersion: "pool.kubevirt.io/v1beta1",
      namespace: "default",
      name: "lab",
      uid: "u-1",
      resourceVersion: "7",
      deleting: false,
      size: 3,
      labels: { "kubevirt.io/vmpool": "lab" },
      annotations: undefined,
      vmSpec: spec,
      vmCount: 3,
      readyVmCount: 2,
      policy: DESKTOP_POLICY_1_7,
    });
  });

  it("treats an absent spec.replicas as 1, as virt-controller does", () => {
    const obj = live();
    delete (obj["spec"] as Record<string, unknown>)["replicas"];
    expect(fromKubevirtPool(obj).size).toBe(1);
  });

  it("round-trips inputs with implicit labels without adding drift", () => {
    expect(toInputsFromKubevirtPool(fromKubevirtPool(live()), implicitLabels)).toEqual(implicitLabels);
  });

  it("round-trips inputs with explicit labels and annotations", () => {
    const manifest = toKubevirtPoolManifest(explicitLabels, "v1beta1");
    const obj = { ...manifest, metadata: { ...(manifest["metadata"] as object), uid: "u-2", resourceVersion: "1" } };
    expect(toInputsFromKubevirtPool(fromKubevirtPool(obj), explicitLabels)).toEqual(explicitLabels);
  });

  it("shows a size changed out of band", () => {
    expect(toInputsFromKubevirtPool(fromKubevirtPool(live({ replicas: 5 })), implicitLabels).size).toBe(5);
  });

  it("names the field when the object is not a pool", () => {
    expect(() => fromKubevirtPool({ apiVersion: "v1", metadata: { name: "x" } })).toThrow("unexpected VirtualMachinePool from the API server at 'metadata.namespace'");
  });
});
