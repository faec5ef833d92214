import { describe, expect, it } from "vitest";

import { inferFeaturesFromVersion, parseUnknownFields, toFeaturesFromUnknownFields, validateKubevirtPoolFeatures } from "../../../../provider/backends/kubevirt/pool-features";
import { vmPoolInputsSchema, type KubevirtPoolInputs } from "../../../../provider/schemas/vm-pool";

/**
 * The API server's answers to the feature probe, as measured against the
 * test API server with KubeVirt's 1.9 and 1.6 CRDs.
 */
const ANSWER_1_9 =
  'VirtualMachinePool in version "v1beta1" cannot be handled as a VirtualMachinePool: strict decoding error: unknown field "spec.scaleInStrategy.proactive.selectionPolicy.basePolicy"';
const ANSWER_1_6 =
  'VirtualMachinePool in version "v1alpha1" cannot be handled as a VirtualMachinePool: strict decoding error: unknown field "spec.autohealing", unknown field "spec.scaleInStrategy.proactive.selectionPolicy.sortPolicy", unknown field "spec.scaleInStrategy.proactive.statePreservation", unknown field "spec.updateStrategy"';

describe("parseUnknownFields and toFeaturesFromUnknownFields", () => {
  it("reads KubeVirt 1.9's schema: every knob, the order as sortPolicy", () => {
    expect(toFeaturesFromUnknownFields("v1beta1", parseUnknownFields(ANSWER_1_9) ?? [])).toEqual({
      version: "v1beta1",
      scaleInOrder: "sortPolicy",
      statePreservation: true,
      updateStrategy: true,
      autohealing: true,
      maxUnavailable: true,
      paused: true,
      source: "probe",
    });
  });

  it("reads KubeVirt 1.6's schema: the order as basePolicy, maxUnavailable and paused only", () => {
    expect(toFeaturesFromUnknownFields("v1alpha1", parseUnknownFields(ANSWER_1_6) ?? [])).toEqual({
      version: "v1alpha1",
      scaleInOrder: "basePolicy",
      statePreservation: false,
      updateStrategy: false,
      autohealing: false,
      maxUnavailable: true,
      paused: true,
      source: "probe",
    });
  });

  it("reads an older schema without either order name", () => {
    const features = toFeaturesFromUnknownFields("v1alpha1", ["spec.scaleInStrategy.proactive.selectionPolicy.sortPolicy", "spec.scaleInStrategy.proactive.selectionPolicy.basePolicy", "spec.maxUnavailable"]);
    expect([features.scaleInOrder, features.maxUnavailable]).toEqual([undefined, false]);
  });

  it("says nothing of a refusal that is not about unknown fields", () => {
    expect(parseUnknownFields('virtualmachinepools.pool.kubevirt.io "x" is forbidden')).toBeUndefined();
  });
});

describe("validateKubevirtPoolFeatures", () => {
  const pool = (backend: Record<string, unknown>): KubevirtPoolInputs =>
    vmPoolInputsSchema.parse({ name: "lab", size: 1, backend: { kind: "kubevirt", virtualMachineTemplate: { spec: { runStrategy: "Halted", template: { spec: { domain: { devices: {} } } } } }, ...backend } }) as KubevirtPoolInputs;
  const v16 = toFeaturesFromUnknownFields("v1alpha1", parseUnknownFields(ANSWER_1_6) ?? []);
  const older = toFeaturesFromUnknownFields("v1alpha1", ["spec.scaleInStrategy.proactive.selectionPolicy.sortPolicy", "spec.scaleInStrategy.proactive.selectionPolicy.basePolicy", "spec.maxUnavailable"]);

  it.each([
    // Defaults never fail: the provider asks for an order only where one exists.
    { label: "nothing set, on 1.6", backend: {}, features: v16, failures: [] },
    { label: "nothing set, before 1.6", backend: {}, features: older, failures: [] },
    { label: "1.6's own knobs on 1.6", backend: { maxUnavailable: 2, paused: true, scaleInStrategy: { sortPolicy: "DescendingOrder" } }, features: v16, failures: [] },
    { label: "every knob on 1.9", backend: { updateStrategy: "unmanaged", autohealing: {}, scaleInStrategy: { sortPolicy: "Oldest", statePreservation: "Online" } }, features: inferFeaturesFromVersion("v1beta1"), failures: [] },
    {
      label: "an order before 1.6",
      backend: { scaleInStrategy: { sortPolicy: "DescendingOrder" }, maxUnavailable: 1 },
      features: older,
      failures: [
        {
          property: "backend.scaleInStrategy.sortPolicy",
          reason: "cannot be 'DescendingOrder': this cluster's VirtualMachinePool (pool.kubevirt.io/v1alpha1) has no scale-in order (KubeVirt 1.6 added one); its controller removes VMs at random, so leave it unset or 'Random', or upgrade KubeVirt",
        },
        { property: "backend.maxUnavailable", reason: "needs KubeVirt 1.6 or later: this cluster's VirtualMachinePool (pool.kubevirt.io/v1alpha1) has no spec.maxUnavailable; leave it unset, or upgrade KubeVirt" },
      ],
    },
    {
      label: "a knob judged by the served version only",
      backend: { autohealing: { startUpFailureThreshold: 2 } },
      features: inferFeaturesFromVersion("v1alpha1"),
      failures: [
        { property: "backend.autohealing", reason: "needs KubeVirt 1.7 or later: this cluster's VirtualMachinePool (pool.kubevirt.io/v1alpha1, judged by its served versions) has no spec.autohealing; leave it unset, or upgrade KubeVirt" },
      ],
    },
  ])("$label", ({ backend, features, failures }) => {
    expect(validateKubevirtPoolFeatures(pool(backend), features)).toEqual(failures);
  });
});
