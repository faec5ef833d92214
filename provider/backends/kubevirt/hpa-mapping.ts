/**
 * Pure conversions between a pool's `autoscaling` input and the
 * `HorizontalPodAutoscaler` (`autoscaling/v2`) the provider keeps for it:
 * named after the pool, targeting the pool through its `scale` subresource
 * (`scaleTargetRef`), scaling on the CPU use of the VMs' pods, labelled as
 * managed by this provider and owned by the pool, so the garbage collector
 * removes it with the pool and `delete` knows it is ours.
 */
import type * as k8s from "@kubernetes/client-node";

import type { KubevirtBackendInputs } from "../../schemas/vm-pool";
import { POOL_GROUP, type PoolVersion } from "./client";
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from "./mapping";

/** The autoscaling input. */
export type AutoscalingInputs = NonNullable<KubevirtBackendInputs["autoscaling"]>;

/** The pool an autoscaler belongs to. */
export interface AutoscaledPool {
  /** Pool name, also the autoscaler's. */
  readonly name: string;
  /** Namespace of both. */
  readonly namespace: string;
  /** The pool's `metadata.uid`, for the owner reference. */
  readonly uid: string;
  /** The pool API version the target reference names. */
  readonly version: PoolVersion;
}

/**
 * The autoscaler for a pool. Example: seed 004's `{ minReplicas: 2,
 * maxReplicas: 5, targetCPUUtilizationPercentage: 50 }` -> an HPA with a
 * `Resource` metric `cpu` at 50% average utilization, `scaleTargetRef`
 * `pool.kubevirt.io/v1beta1 VirtualMachinePool <pool>`. With
 * `resourceVersion` (of the live one), for a replace the server refuses
 * when someone changed it since.
 */
export function toHorizontalPodAutoscaler(pool: AutoscaledPool, autoscaling: AutoscalingInputs, resourceVersion?: string): k8s.V2HorizontalPodAutoscaler {
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: {
      name: pool.name,
      namespace: pool.namespace,
      ...(resourceVersion === undefined ? {} : { resourceVersion }),
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
      // No blockOwnerDeletion: it needs the right to set finalizers on the pool.
      ownerReferences: [{ apiVersion: `${POOL_GROUP}/${pool.version}`, kind: "VirtualMachinePool", name: pool.name, uid: pool.uid }],
    },
    spec: {
      scaleTargetRef: { apiVersion: `${POOL_GROUP}/${pool.version}`, kind: "VirtualMachinePool", name: pool.name },
      minReplicas: autoscaling.minReplicas,
      maxReplicas: autoscaling.maxReplicas,
      metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: autoscaling.targetCPUUtilizationPercentage } } }],
    },
  };
}

/** Whether an autoscaler is the one this provider keeps for the pool with `poolUid`: owned by it. */
export function isOwnAutoscaler(hpa: k8s.V2HorizontalPodAutoscaler, poolUid: string): boolean {
  return (hpa.metadata?.ownerReferences ?? []).some((o) => o.uid === poolUid && o.kind === "VirtualMachinePool");
}

/**
 * The autoscaling input an autoscaler describes, for `read`. A CPU
 * utilization target that is missing (someone edited the metrics) reads as
 * 0, which no input can be, so the drift shows.
 */
export function toAutoscalingFromHpa(hpa: k8s.V2HorizontalPodAutoscaler): AutoscalingInputs {
  const cpu = (hpa.spec.metrics ?? []).find((m) => m.type === "Resource" && m.resource?.name === "cpu" && m.resource.target.type === "Utilization");
  return {
    minReplicas: hpa.spec.minReplicas ?? 1,
    maxReplicas: hpa.spec.maxReplicas,
    targetCPUUtilizationPercentage: cpu?.resource?.target.averageUtilization ?? 0,
  };
}

/** Whether the live autoscaler already says what the inputs ask for (target and numbers). */
export function isAutoscalerCurrent(hpa: k8s.V2HorizontalPodAutoscaler, pool: AutoscaledPool, autoscaling: AutoscalingInputs): boolean {
  const desired = toHorizontalPodAutoscaler(pool, autoscaling).spec.scaleTargetRef;
  const ref = hpa.spec.scaleTargetRef;
  const read = toAutoscalingFromHpa(hpa);
  return (
    ref.apiVersion === desired.apiVersion &&
    ref.kind === desired.kind &&
    ref.name === desired.name &&
    (hpa.spec.metrics ?? []).length === 1 &&
    read.minReplicas === autoscaling.minReplicas &&
    read.maxReplicas === autoscaling.maxReplicas &&
    read.targetCPUUtilizationPercentage === autoscaling.targetCPUUtilizationPercentage
  );
}
