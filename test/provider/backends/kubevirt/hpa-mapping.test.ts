import { describe, expect, it } from "vitest";

import { isAutoscalerCurrent, isOwnAutoscaler, toAutoscalingFromHpa, toHorizontalPodAutoscaler } from "../../../../provider/backends/kubevirt/hpa-mapping";

const pool = { name: "webserver", namespace: "lab", uid: "pool-uid", version: "v1beta1" as const };
const SEED_AUTOSCALING = { minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 50 };

describe("toHorizontalPodAutoscaler", () => {
  it("makes seed 004's autoscaler in autoscaling/v2, targeting the pool and owned by it", () => {
    expect(toHorizontalPodAutoscaler(pool, SEED_AUTOSCALING)).toEqual({
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: {
        name: "webserver",
        namespace: "lab",
        labels: { "app.kubernetes.io/managed-by": "pulumi-vmpools" },
        ownerReferences: [{ apiVersion: "pool.kubevirt.io/v1beta1", kind: "VirtualMachinePool", name: "webserver", uid: "pool-uid" }],
      },
      spec: {
        scaleTargetRef: { apiVersion: "pool.kubevirt.io/v1beta1", kind: "VirtualMachinePool", name: "webserver" },
        minReplicas: 2,
        maxReplicas: 5,
        metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } } }],
      },
    });
  });
});

describe("reading an autoscaler back", () => {
  const own = toHorizontalPodAutoscaler(pool, SEED_AUTOSCALING);

  it.each([
    { label: "its own", hpa: own, owned: true },
    { label: "another pool's of the same name", hpa: toHorizontalPodAutoscaler({ ...pool, uid: "older-uid" }, SEED_AUTOSCALING), owned: false },
    { label: "one made with kubectl", hpa: { apiVersion: "autoscaling/v2", metadata: { name: "webserver" }, spec: own.spec }, owned: false },
  ])("knows $label (owned: $owned)", ({ hpa, owned }) => {
    expect(isOwnAutoscaler(hpa, "pool-uid")).toBe(owned);
  });

  it("reads the inputs back, and a missing CPU target as 0 so the drift shows", () => {
    expect(toAutoscalingFromHpa(own)).toEqual(SEED_AUTOSCALING);
    expect(toAutoscalingFromHpa({ spec: { scaleTargetRef: { kind: "VirtualMachinePool", name: "webserver" }, maxReplicas: 4, metrics: [] } })).toEqual({ minReplicas: 1, maxReplicas: 4, targetCPUUtilizationPercentage: 0 });
  });

  it.each([
    { label: "the same", autoscaling: SEED_AUTOSCALING, hpa: own, current: true },
    { label: "another maximum", autoscaling: { ...SEED_AUTOSCALING, maxReplicas: 8 }, hpa: own, current: false },
    { label: "a target in the pool's other version", autoscaling: SEED_AUTOSCALING, hpa: toHorizontalPodAutoscaler({ ...pool, version: "v1alpha1" }, SEED_AUTOSCALING), current: false },
  ])("$label is current: $current", ({ autoscaling, hpa, current }) => {
    expect(isAutoscalerCurrent(hpa, pool, autoscaling)).toBe(current);
  });
});
