/**
 * Which pool knobs the cluster's `VirtualMachinePool` schema has, and the
 * `check` failures for knobs it lacks. Pure: the backend asks the API server
 * (a dry-run create with strict field validation, which names every field
 * the served schema does not declare) and hands the answer here.
 *
 * From KubeVirt's own CRDs (test/fixtures/crds): 1.7+ (v1beta1 and
 * v1alpha1 alike) has `scaleInStrategy.proactive.selectionPolicy.sortPolicy`
 * and `.statePreservation`, `updateStrategy`, `autohealing`,
 * `maxUnavailable` and `paused`; 1.6 (v1alpha1 only) has
 * `scaleInStrategy.proactive.selectionPolicy.basePolicy` (`Random`,
 * `DescendingOrder`), `maxUnavailable` and `paused`; earlier versions lack
 * the scale-in order and `maxUnavailable` as well.
 */
import type { CheckFailure } from "../../check";
import type { KubevirtPoolInputs } from "../../schemas/vm-pool";
import { POOL_GROUP, type PoolVersion } from "./client";

/** Where the cluster's schema keeps the scale-in order, if anywhere. */
export type ScaleInOrderField = "sortPolicy" | "basePolicy" | undefined;

/** The pool knobs a cluster's `VirtualMachinePool` schema has. */
export interface KubevirtPoolFeatures {
  /** The pool API version these describe. */
  readonly version: PoolVersion;
  /** `sortPolicy` (1.7+, five orders), `basePolicy` (1.6, `Random` or `DescendingOrder`), or none (always random). */
  readonly scaleInOrder: ScaleInOrderField;
  /** `scaleInStrategy.proactive.statePreservation` (1.7+). */
  readonly statePreservation: boolean;
  /** `updateStrategy` (1.7+); without it the controller restarts running VMs on every template change. */
  readonly updateStrategy: boolean;
  /** `autohealing` (1.7+). */
  readonly autohealing: boolean;
  /** `maxUnavailable` (1.6+). */
  readonly maxUnavailable: boolean;
  /** `paused`. */
  readonly paused: boolean;
  /** `probe`: read from the API server's schema; `version`: inferred from the served versions, the probe being refused. */
  readonly source: "probe" | "version";
}

/** The schema paths the probe sends, one per knob. */
export const FEATURE_FIELDS = {
  sortPolicy: "spec.scaleInStrategy.proactive.selectionPolicy.sortPolicy",
  basePolicy: "spec.scaleInStrategy.proactive.selectionPolicy.basePolicy",
  statePreservation: "spec.scaleInStrategy.proactive.statePreservation",
  updateStrategy: "spec.updateStrategy",
  autohealing: "spec.autohealing",
  maxUnavailable: "spec.maxUnavailable",
  paused: "spec.paused",
} as const;

/** Name of the object the probe dry-runs; nothing is ever stored under it. */
export const FEATURE_PROBE_NAME = "vmpools-feature-probe";

/**
 * A minimal valid pool carrying every knob (and both names of the scale-in
 * order), for a dry-run create with strict field validation: the API server
 * then names each field its schema lacks, and stores nothing. The VM spec
 * is one KubeVirt's webhook accepts, so a real cluster's admission says
 * nothing about the knobs either.
 */
export function toFeatureProbeManifest(version: PoolVersion): Record<string, unknown> {
  const labels = { "vmpools.pulumi.com/probe": "true" };
  return {
    apiVersion: `${POOL_GROUP}/${version}`,
    kind: "VirtualMachinePool",
    metadata: { name: FEATURE_PROBE_NAME },
    spec: {
      replicas: 0,
      selector: { matchLabels: labels },
      paused: true,
      maxUnavailable: 1,
      scaleInStrategy: { proactive: { selectionPolicy: { sortPolicy: "DescendingOrder", basePolicy: "DescendingOrder" }, statePreservation: "Disabled" } },
      updateStrategy: { proactive: {} },
      autohealing: {},
      virtualMachineTemplate: {
        metadata: { labels },
        spec: { runStrategy: "Halted", template: { spec: { domain: { devices: {}, resources: { requests: { memory: "64Mi" } } } } } },
      },
    },
  };
}

/**
 * The fields a strict-decoding error names, or undefined when the message is
 * not one. Example: `... strict decoding error: unknown field "spec.a",
 * unknown field "spec.b"` -> `["spec.a", "spec.b"]`.
 */
export function parseUnknownFields(message: string): string[] | undefined {
  if (!message.includes("strict decoding error")) {
    return undefined;
  }
  return [...message.matchAll(/unknown field "([^"]+)"/g)].map((m) => m[1] ?? "");
}

/** The features of a schema that lacks exactly `unknown` of the probe's fields. */
export function toFeaturesFromUnknownFields(version: PoolVersion, unknown: readonly string[]): KubevirtPoolFeatures {
  const has = (field: string): boolean => !unknown.includes(field);
  return {
    version,
    scaleInOrder: has(FEATURE_FIELDS.sortPolicy) ? "sortPolicy" : has(FEATURE_FIELDS.basePolicy) ? "basePolicy" : undefined,
    statePreservation: has(FEATURE_FIELDS.statePreservation),
    updateStrategy: has(FEATURE_FIELDS.updateStrategy),
    autohealing: has(FEATURE_FIELDS.autohealing),
    maxUnavailable: has(FEATURE_FIELDS.maxUnavailable),
    paused: has(FEATURE_FIELDS.paused),
    source: "probe",
  };
}

/**
 * The features inferred from the served version alone, when the probe is
 * refused (no `create` permission): `v1beta1` means KubeVirt 1.7 or later;
 * `v1alpha1` alone is taken as 1.6. A cluster older than 1.6 then refuses
 * the create by strict field validation, naming the field.
 */
export function inferFeaturesFromVersion(version: PoolVersion): KubevirtPoolFeatures {
  const modern = version === "v1beta1";
  return {
    version,
    scaleInOrder: modern ? "sortPolicy" : "basePolicy",
    statePreservation: modern,
    updateStrategy: modern,
    autohealing: modern,
    maxUnavailable: true,
    paused: true,
    source: "version",
  };
}

/** The scale-in orders a cluster's schema accepts. */
export function toSupportedSortPolicies(features: KubevirtPoolFeatures): readonly string[] {
  switch (features.scaleInOrder) {
    case "sortPolicy":
      return ["DescendingOrder", "AscendingOrder", "Newest", "Oldest", "Random"];
    case "basePolicy":
      return ["DescendingOrder", "Random"];
    case undefined:
      return ["Random"];
  }
}

/**
 * Every pool knob the inputs set that the cluster's schema lacks, as `check`
 * failures with the property, why, and what to do. The default scale-in
 * order is never reported: the provider asks for it only where it exists.
 * Example: `updateStrategy` on a 1.6 cluster -> one failure on
 * `backend.updateStrategy`.
 */
export function validateKubevirtPoolFeatures(inputs: KubevirtPoolInputs, features: KubevirtPoolFeatures): CheckFailure[] {
  const backend = inputs.backend;
  const schema = `this cluster's VirtualMachinePool (${POOL_GROUP}/${features.version}${features.source === "version" ? ", judged by its served versions" : ""})`;
  const failures: CheckFailure[] = [];
  const lacks = (property: string, field: string, since: string, consequence: string): void => {
    failures.push({ property, reason: `needs KubeVirt ${since} or later: ${schema} has no ${field}${consequence}; leave it unset, or upgrade KubeVirt` });
  };
  const order = backend.scaleInStrategy?.sortPolicy;
  const supported = toSupportedSortPolicies(features);
  if (order !== undefined && !supported.includes(order)) {
    failures.push({
      property: "backend.scaleInStrategy.sortPolicy",
      reason:
        features.scaleInOrder === undefined
          ? `cannot be '${order}': ${schema} has no scale-in order (KubeVirt 1.6 added one); its controller removes VMs at random, so leave it unset or 'Random', or upgrade KubeVirt`
          : `cannot be '${order}': ${schema} knows only ${supported.map((s) => `'${s}'`).join(" and ")} (${FEATURE_FIELDS.basePolicy}); '${order}' needs KubeVirt 1.7 or later`,
    });
  }
  if (backend.scaleInStrategy?.statePreservation !== undefined && !features.statePreservation) {
    lacks("backend.scaleInStrategy.statePreservation", FEATURE_FIELDS.statePreservation, "1.7", ", so a VM removed by a shrink always loses its disks");
  }
  if (backend.updateStrategy !== undefined && !features.updateStrategy) {
    lacks("backend.updateStrategy", FEATURE_FIELDS.updateStrategy, "1.7", ", and its controller restarts running VMs on every VM-template change");
  }
  if (backend.autohealing !== undefined && !features.autohealing) {
    lacks("backend.autohealing", FEATURE_FIELDS.autohealing, "1.7", "");
  }
  if (backend.maxUnavailable !== undefined && !features.maxUnavailable) {
    lacks("backend.maxUnavailable", FEATURE_FIELDS.maxUnavailable, "1.6", "");
  }
  if (backend.paused !== undefined && !features.paused) {
    lacks("backend.paused", FEATURE_FIELDS.paused, "0.49", "");
  }
  return failures;
}
