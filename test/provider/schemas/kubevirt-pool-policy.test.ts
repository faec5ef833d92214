import { describe, expect, it } from "vitest";

import { checkInputs } from "../../../provider/check";
import { calculateKubevirtForceShrink, calculateKubevirtSortPolicy, calculateKubevirtUpdateStrategy, isKubevirtServicePool } from "../../../provider/schemas/kubevirt-pool-policy";
import { validateKubevirtAutoscaling } from "../../../provider/schemas/kubevirt-scaling-rules";
import { vmPoolInputsSchema } from "../../../provider/schemas/vm-pool";
import { SEED_004_VM_SPEC } from "../../fixtures/seed-004";

const halted = { runStrategy: "Halted", template: { spec: { domain: { devices: {} } } } };
const devicesOnly = { template: { spec: { domain: { devices: {} } } } };

/** A KubeVirt pool's inputs before check(). */
function program(backend: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: "web", size: 2, ...extra, backend: { kind: "kubevirt", virtualMachineTemplate: { spec: halted }, ...backend } };
}

describe("the pool knobs in check()", () => {
  it("accepts every knob and adds no default to the inputs (an existing stack must see no change)", () => {
    const plain = checkInputs(vmPoolInputsSchema, program({}));
    expect(Object.keys((plain.valid?.backend ?? {}) as object).sort()).toEqual(["kind", "namespace", "virtualMachineTemplate"]);
    const knobs = {
      forceShrink: true,
      scaleInStrategy: { sortPolicy: "Newest", statePreservation: "Offline" },
      updateStrategy: "unmanaged",
      autohealing: { startUpFailureThreshold: 3, minFailingToStartDuration: "5m" },
      maxUnavailable: "100%",
      paused: false,
    };
    expect(checkInputs(vmPoolInputsSchema, program(knobs)).failures).toEqual([]);
  });

  it.each([
    { backend: { maxUnavailable: 0 }, property: "backend.maxUnavailable", reason: "must be 1 or more (VMs) (got 0)" },
    { backend: { maxUnavailable: "0%" }, property: "backend.maxUnavailable", reason: "must be a percentage from '1%' to '100%' (got \"0%\")" },
    { backend: { maxUnavailable: "150%" }, property: "backend.maxUnavailable", reason: "must be a percentage from '1%' to '100%' (got \"150%\")" },
    { backend: { maxUnavailable: true }, property: "backend.maxUnavailable", reason: "must be a number of VMs (1 or more) or a percentage from '1%' to '100%' (got true)" },
    { backend: { updateStrategy: "rolling" }, property: "backend.updateStrategy", reason: "must be one of proactive, opportunistic, unmanaged (got \"rolling\")" },
    { backend: { scaleInStrategy: { sortPolicy: "Largest" } }, property: "backend.scaleInStrategy.sortPolicy", reason: "must be one of DescendingOrder, AscendingOrder, Newest, Oldest, Random (got \"Largest\")" },
    { backend: { autohealing: { startUpFailureThreshold: 0 } }, property: "backend.autohealing.startUpFailureThreshold", reason: "must be 1 or more (failed starts) (got 0)" },
    { backend: { autohealing: { minFailingToStartDuration: "5 minutes" } }, property: "backend.autohealing.minFailingToStartDuration", reason: "must be a duration such as '5m', '1h30m' or '90s' (got \"5 minutes\")" },
  ])("refuses $property = $backend", ({ backend, property, reason }) => {
    expect(checkInputs(vmPoolInputsSchema, program(backend)).failures).toEqual([{ property, reason }]);
  });

  it("refuses an autoscaler whose maximum is below its minimum, and a size outside them", () => {
    const running = { ...SEED_004_VM_SPEC, template: { ...(SEED_004_VM_SPEC["template"] as object), metadata: { labels: { "kubevirt.io/vmpool": "web" } } } };
    const result = checkInputs(vmPoolInputsSchema, program({ autoscaling: { minReplicas: 3, maxReplicas: 2, targetCPUUtilizationPercentage: 50 }, virtualMachineTemplate: { spec: running } }));
    expect(result.failures).toEqual([{ property: "backend.autoscaling.maxReplicas", reason: "must be at least minReplicas (got {\"minReplicas\":3,\"maxReplicas\":2,\"targetCPUUtilizationPercentage\":50})" }]);
  });
});

describe("defaults by kind of pool", () => {
  it.each([
    // Desktop pools: VMs run when a user starts them.
    { label: "runStrategy Halted", spec: halted, prestarted: 0, service: false },
    { label: "runStrategy Manual", spec: { ...halted, runStrategy: "Manual" }, prestarted: 0, service: false },
    { label: "running: false", spec: { ...devicesOnly, running: false }, prestarted: 0, service: false },
    { label: "no strategy, prestarted 0 (Halted)", spec: devicesOnly, prestarted: 0, service: false },
    // Service pools: every VM runs all the time.
    { label: "runStrategy Always", spec: { ...halted, runStrategy: "Always" }, prestarted: 2, service: true },
    { label: "running: true (seed 004)", spec: SEED_004_VM_SPEC, prestarted: 2, service: true },
    { label: "no strategy, prestarted = size (Always)", spec: devicesOnly, prestarted: 2, service: true },
  ])("$label: service pool $service", ({ spec, prestarted, service }) => {
    const inputs = { prestarted, backend: { virtualMachineTemplate: { spec } } };
    expect([isKubevirtServicePool(inputs), calculateKubevirtForceShrink(inputs), calculateKubevirtUpdateStrategy(inputs)]).toEqual([service, service, service ? "proactive" : "opportunistic"]);
  });

  it("keeps what the user sets", () => {
    const inputs = { prestarted: 2, backend: { virtualMachineTemplate: { spec: SEED_004_VM_SPEC }, forceShrink: false, updateStrategy: "unmanaged" as const, scaleInStrategy: { sortPolicy: "Random" as const } } };
    expect([calculateKubevirtForceShrink(inputs), calculateKubevirtUpdateStrategy(inputs), calculateKubevirtSortPolicy(inputs)]).toEqual([false, "unmanaged", "Random"]);
    expect(calculateKubevirtSortPolicy({ backend: {} })).toBe("DescendingOrder");
  });
});

describe("validateKubevirtAutoscaling", () => {
  const autoscaling = { minReplicas: 2, maxReplicas: 5 };
  const vmiLabels = { template: { metadata: { labels: { "kubevirt.io/vmpool": "web" } }, spec: { domain: { devices: {} } } } };

  it.each([
    { label: "not autoscaled", inputs: { size: 9, prestarted: 0, backend: { virtualMachineTemplate: { spec: halted } } }, issues: [] },
    { label: "seed 004's pool and autoscaler", inputs: { size: 2, prestarted: 2, backend: { autoscaling, virtualMachineTemplate: { spec: { running: true, ...vmiLabels } } } }, issues: [] },
    {
      label: "a size above the maximum",
      inputs: { size: 6, prestarted: 6, backend: { autoscaling, virtualMachineTemplate: { spec: { runStrategy: "Always", ...vmiLabels } } } },
      issues: [{ path: ["size"], value: 6, message: "must be between autoscaling.minReplicas (2) and autoscaling.maxReplicas (5): with autoscaling, size is the count the pool starts with, and the autoscaler owns it from then on" }],
    },
    {
      label: "VMI labels without the selector's",
      inputs: { size: 2, prestarted: 2, backend: { autoscaling, virtualMachineTemplate: { spec: { running: true, template: { metadata: { labels: { app: "web" } } } } } } },
      issues: [
        {
          path: ["backend", "virtualMachineTemplate", "spec", "template", "metadata", "labels"],
          value: { app: "web" },
          message: "must carry the VM labels 'kubevirt.io/vmpool: web' for autoscaling: the autoscaler finds the VMs' pods by the pool's selector, and a pod carries the labels of the VM template's spec.template.metadata.labels",
        },
      ],
    },
  ])("$label", ({ inputs, issues }) => {
    expect(validateKubevirtAutoscaling(inputs, { "kubevirt.io/vmpool": "web" })).toEqual(issues);
  });

  it("skips the label rule while the pool's name is unknown", () => {
    const inputs = { size: 2, prestarted: 2, backend: { autoscaling, virtualMachineTemplate: { spec: { running: true } } } };
    expect(validateKubevirtAutoscaling(inputs, undefined)).toEqual([]);
  });
});
