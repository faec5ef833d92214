/**
 * A KubeVirt pool placed in a trusted cluster: the manifest and patch carry
 * the required node affinity and the placement annotation; reading the pool
 * back strips exactly what the provider injected, so a refresh shows no
 * drift, while an affinity removed out of band shows as drift.
 */
import { describe, expect, it } from "vitest";

import { fromKubevirtPool, toInputsFromKubevirtPool, toKubevirtPoolManifest } from "../../../../provider/backends/kubevirt/mapping";
import { inferFeaturesFromVersion } from "../../../../provider/backends/kubevirt/pool-features";
import { toKubevirtPoolPatch } from "../../../../provider/backends/kubevirt/pool-patch";
import { vmPoolInputsSchema, type KubevirtPoolInputs } from "../../../../provider/schemas/vm-pool";

const placement = { kind: "kubevirt" as const, name: "secure", nodeSelector: { lab: "secure" }, attestationLabel: { key: "vmpools.io/attested", value: "true" } };
const GPU = { key: "gpu", operator: "Exists" };
const LAB = { key: "lab", operator: "In", values: ["secure"] };
const ATTESTED = { key: "vmpools.io/attested", operator: "In", values: ["true"] };
const domain = { domain: { devices: {} } };

/** A pool of `vmSpec`, placed in `trustedCluster` (null: not placed). */
function placedPool(vmSpec: Record<string, unknown>, trustedCluster: typeof placement | null = placement): KubevirtPoolInputs {
  return vmPoolInputsSchema.parse({ name: "lab", size: 2, ...(trustedCluster === null ? {} : { trustedCluster }), backend: { kind: "kubevirt", virtualMachineTemplate: { spec: vmSpec } } }) as KubevirtPoolInputs;
}

/** The manifest as the API server would return it. */
function asLive(manifest: Record<string, unknown>): Record<string, unknown> {
  return { ...manifest, metadata: { ...(manifest["metadata"] as object), uid: "u-1", resourceVersion: "7" } };
}

/** Replaces the VM spec of a live object. */
function withVmSpec(live: Record<string, unknown>, vmSpec: Record<string, unknown>): Record<string, unknown> {
  const spec = live["spec"] as { virtualMachineTemplate: Record<string, unknown> };
  return { ...live, spec: { ...spec, virtualMachineTemplate: { ...spec.virtualMachineTemplate, spec: vmSpec } } };
}

describe("a pool placed in a KubeVirt trusted cluster", () => {
  const userSpec = { runStrategy: "Halted", template: { spec: { ...domain, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [GPU] }] } } } } } };
  const inputs = placedPool(userSpec);

  it("carries the affinity, ANDed into the user's term, and the placement annotation in its manifest", () => {
    expect(toKubevirtPoolManifest(inputs, "v1beta1")).toEqual({
      apiVersion: "pool.kubevirt.io/v1beta1",
      kind: "VirtualMachinePool",
      metadata: {
        name: "lab",
        namespace: "default",
        labels: { "app.kubernetes.io/managed-by": "pulumi-vmpools" },
        annotations: { "vmpools.pulumi.com/description": "", "vmpools.pulumi.com/comment": "", "vmpools.pulumi.com/trusted-cluster": "secure" },
      },
      spec: {
        replicas: 2,
        selector: { matchLabels: { "kubevirt.io/vmpool": "lab" } },
        virtualMachineTemplate: {
          metadata: { labels: { "kubevirt.io/vmpool": "lab" } },
          spec: {
            runStrategy: "Halted",
            template: { spec: { ...domain, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [GPU, LAB, ATTESTED] }] } } } } },
          },
        },
        // The provider's own defaults for a desktop pool on KubeVirt 1.7+.
        scaleInStrategy: { proactive: { selectionPolicy: { sortPolicy: "DescendingOrder" } } },
        updateStrategy: { opportunistic: {} },
      },
    });
  });

  it("places the derived run strategy's spec too (prestarted 0, no runStrategy given)", () => {
    const derived = placedPool({ template: { spec: domain } });
    const vmSpec = (toKubevirtPoolManifest(derived, "v1beta1")["spec"] as { virtualMachineTemplate: { spec: unknown } }).virtualMachineTemplate.spec;
    expect(vmSpec).toEqual({ template: { spec: { ...domain, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [LAB, ATTESTED] }] } } } } }, runStrategy: "Halted" });
    const live = asLive(toKubevirtPoolManifest(derived, "v1beta1"));
    expect(toInputsFromKubevirtPool(fromKubevirtPool(live), derived)).toEqual(derived);
  });

  it("reads back as exactly the inputs: the injected affinity is stripped and trustedCluster kept", () => {
    const live = asLive(toKubevirtPoolManifest(inputs, "v1beta1"));
    expect(toInputsFromKubevirtPool(fromKubevirtPool(live), inputs)).toEqual(inputs);
  });

  it("reads back a user expression that equals a placement expression as the user wrote it", () => {
    const own = placedPool({ runStrategy: "Halted", template: { spec: { ...domain, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [LAB] }] } } } } } });
    const live = asLive(toKubevirtPoolManifest(own, "v1beta1"));
    expect(toInputsFromKubevirtPool(fromKubevirtPool(live), own)).toEqual(own);
  });

  it("reads back as not placed when the affinity was removed out of band, so the next update places it again", () => {
    const live = withVmSpec(asLive(toKubevirtPoolManifest(inputs, "v1beta1")), userSpec);
    const read = toInputsFromKubevirtPool(fromKubevirtPool(live), inputs);
    expect(read.trustedCluster).toBeUndefined();
    expect(read).toEqual({ ...inputs, trustedCluster: undefined });
  });

  it("reads back as not placed when the placement annotation was removed out of band", () => {
    const manifest = asLive(toKubevirtPoolManifest(inputs, "v1beta1"));
    const metadata = manifest["metadata"] as { annotations: Record<string, string> };
    const { "vmpools.pulumi.com/trusted-cluster": _gone, ...annotations } = metadata.annotations;
    const read = toInputsFromKubevirtPool(fromKubevirtPool({ ...manifest, metadata: { ...metadata, annotations } }), inputs);
    expect(read).toEqual({ ...inputs, trustedCluster: undefined });
  });

  it("leaves an unplaced pool's affinity alone on read", () => {
    const unplaced = placedPool(userSpec, null);
    const live = asLive(toKubevirtPoolManifest(unplaced, "v1beta1"));
    expect(toInputsFromKubevirtPool(fromKubevirtPool(live), unplaced)).toEqual(unplaced);
  });

  it("patches the template and adds the annotation when a pool is placed, and removes it when the pool leaves", () => {
    const features = inferFeaturesFromVersion("v1beta1");
    const unplaced = placedPool(userSpec, null);
    const placedVmSpec = (toKubevirtPoolManifest(inputs, "v1beta1")["spec"] as { virtualMachineTemplate: unknown }).virtualMachineTemplate;
    expect(toKubevirtPoolPatch(inputs, fromKubevirtPool(asLive(toKubevirtPoolManifest(unplaced, "v1beta1"))), features)).toEqual([
      { op: "test", path: "/metadata/resourceVersion", value: "7" },
      { op: "replace", path: "/spec/virtualMachineTemplate", value: placedVmSpec },
      { op: "add", path: "/metadata/annotations/vmpools.pulumi.com~1trusted-cluster", value: "secure" },
    ]);
    expect(toKubevirtPoolPatch(unplaced, fromKubevirtPool(asLive(toKubevirtPoolManifest(inputs, "v1beta1"))), features)).toEqual([
      { op: "test", path: "/metadata/resourceVersion", value: "7" },
      { op: "replace", path: "/spec/virtualMachineTemplate", value: { metadata: { labels: { "kubevirt.io/vmpool": "lab" } }, spec: userSpec } },
      { op: "remove", path: "/metadata/annotations/vmpools.pulumi.com~1trusted-cluster" },
    ]);
  });

  it("writes a changed node selector into the template in place", () => {
    const moved = placedPool(userSpec, { ...placement, nodeSelector: { lab: "exam" } });
    const ops = toKubevirtPoolPatch(moved, fromKubevirtPool(asLive(toKubevirtPoolManifest(inputs, "v1beta1"))), inferFeaturesFromVersion("v1beta1"));
    const template = ops.find((op) => op.path === "/spec/virtualMachineTemplate")?.value as { spec: { template: { spec: { affinity: unknown } } } };
    expect(template.spec.template.spec.affinity).toEqual({
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [GPU, { key: "lab", operator: "In", values: ["exam"] }, ATTESTED] }] } },
    });
  });
});
