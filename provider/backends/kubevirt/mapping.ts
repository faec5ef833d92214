/**
 * Pure conversions between `VmPool` inputs and KubeVirt
 * `VirtualMachinePool` objects. No I/O, so every rule is table-tested.
 */
import { z } from "zod";

import { isDeepEqual } from "../../diff/input-diff";
import { calculateKubevirtPrestarted, calculateKubevirtRunStrategy, KUBEVIRT_POOL_LABEL } from "../../schemas/kubevirt-rules";
import { COMMON_DEFAULTS, type KubevirtBackendInputs, type KubevirtPoolInputs } from "../../schemas/vm-pool";
import { POOL_GROUP, type PoolVersion } from "./client";
import { fromPlacedVmSpec, toPlacedVmSpec, type KubevirtPlacement } from "./placement-affinity";
import { inferFeaturesFromVersion, type KubevirtPoolFeatures } from "./pool-features";
import { POLICY_SPEC_FIELDS, toKubevirtPoolPolicy, toPolicyInputsFromLive, type PolicySpecField } from "./pool-policy-mapping";

/** Label every pool created by this provider carries, so operators can tell who manages it. */
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
/** Value of {@link MANAGED_BY_LABEL}. */
export const MANAGED_BY_VALUE = "pulumi-vmpools";
/**
 * Label put on the VMs when the user gives none, as in KubeVirt's own pool
 * examples; the pool's selector matches it.
 */
export const DEFAULT_POOL_LABEL = KUBEVIRT_POOL_LABEL;

/** Pool annotations holding the common `description` and `comment`, which KubeVirt has no fields for. */
export const DESCRIPTION_ANNOTATION = "vmpools.pulumi.com/description";
/** See {@link DESCRIPTION_ANNOTATION}. */
export const COMMENT_ANNOTATION = "vmpools.pulumi.com/comment";
/** A fresh id per create, which proves whose create made a pool when the answer was lost. */
export const CREATE_ID_ANNOTATION = "vmpools.pulumi.com/create-id";
/**
 * Pool annotation naming the trusted cluster the pool is placed in, so
 * `kubectl` shows why its VMs carry a required node affinity.
 */
export const TRUSTED_CLUSTER_ANNOTATION = "vmpools.pulumi.com/trusted-cluster";

/** The pool's KubeVirt placement, when it is placed in a trusted cluster. */
function toKubevirtPlacement(inputs: Pick<KubevirtPoolInputs, "trustedCluster">): KubevirtPlacement | undefined {
  const placement = inputs.trustedCluster;
  // check() refuses an oVirt placement for a KubeVirt pool.
  return placement?.kind === "kubevirt" ? placement : undefined;
}

/**
 * The labels copied onto every VM, which the selector matches. Example: pool
 * `lab` with no labels given -> `{ "kubevirt.io/vmpool": "lab" }`.
 */
export function toVmLabels(name: string, backend: KubevirtBackendInputs): Record<string, string> {
  return backend.virtualMachineTemplate.metadata?.labels ?? { [DEFAULT_POOL_LABEL]: name };
}

/** Whether the user's VM spec leaves the run strategy to the provider. */
function isRunStrategyDerived(spec: Record<string, unknown>): boolean {
  return spec["runStrategy"] === undefined && spec["running"] === undefined;
}

/**
 * The VM spec sent to KubeVirt: the user's, with `runStrategy` derived from
 * `prestarted` when the user set neither it nor `running`. Example:
 * prestarted 3 of 3 -> `runStrategy: Always`. A spec with `running` (as in
 * KubeVirt's own pool examples) goes out as given: KubeVirt refuses a spec
 * with both, and a field the user never wrote would read back as drift.
 */
export function toVmSpec(inputs: KubevirtPoolInputs): Record<string, unknown> {
  const spec = inputs.backend.virtualMachineTemplate.spec;
  const withStrategy = isRunStrategyDerived(spec) ? { ...spec, runStrategy: calculateKubevirtRunStrategy(inputs.prestarted) } : spec;
  // A pool placed in a trusted cluster runs only on its attested nodes.
  const placement = toKubevirtPlacement(inputs);
  return placement === undefined ? withStrategy : toPlacedVmSpec(withStrategy, placement);
}

/** `spec.virtualMachineTemplate` for the inputs: the VM labels (and annotations) and the VM spec as sent. */
export function toVmTemplate(inputs: KubevirtPoolInputs): { metadata: { labels: Record<string, string>; annotations?: Record<string, string> }; spec: Record<string, unknown> } {
  const labels = toVmLabels(inputs.name, inputs.backend);
  const annotations = inputs.backend.virtualMachineTemplate.metadata?.annotations;
  return {
    metadata: { labels: { ...labels }, ...(annotations === undefined ? {} : { annotations: { ...annotations } }) },
    spec: toVmSpec(inputs),
  };
}

/**
 * The `spec` of the `VirtualMachinePool` for the inputs, with the policy
 * fields shaped for what the cluster's schema has (`features`, by default
 * what its version implies).
 */
export function toKubevirtPoolSpec(inputs: KubevirtPoolInputs, features: KubevirtPoolFeatures = inferFeaturesFromVersion("v1beta1")): Record<string, unknown> {
  const backend = inputs.backend;
  const template = toVmTemplate(inputs);
  return {
    replicas: inputs.size,
    // KubeVirt's webhook requires the selector to match the template labels;
    // generating it from them makes a mismatch impossible.
    selector: { matchLabels: { ...template.metadata.labels } },
    virtualMachineTemplate: template,
    ...(backend.nameGeneration === undefined ? {} : { nameGeneration: { ...backend.nameGeneration } }),
    ...toKubevirtPoolPolicy(inputs, features),
  };
}

/**
 * The `VirtualMachinePool` manifest for the inputs, in the given API version,
 * on a cluster with `features` (by default what the version implies).
 */
export function toKubevirtPoolManifest(inputs: KubevirtPoolInputs, version: PoolVersion, createId?: string, features: KubevirtPoolFeatures = inferFeaturesFromVersion(version)): Record<string, unknown> {
  return {
    apiVersion: `${POOL_GROUP}/${version}`,
    kind: "VirtualMachinePool",
    metadata: {
      name: inputs.name,
      namespace: inputs.backend.namespace,
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
      annotations: {
        ...toOwnAnnotations(inputs),
        ...(createId === undefined ? {} : { [CREATE_ID_ANNOTATION]: createId }),
      },
    },
    spec: toKubevirtPoolSpec(inputs, features),
  };
}

/** The pool annotations the provider writes from the inputs (the create id aside). */
export function toOwnAnnotations(inputs: KubevirtPoolInputs): Record<string, string> {
  const placement = toKubevirtPlacement(inputs);
  return {
    [DESCRIPTION_ANNOTATION]: inputs.description,
    [COMMENT_ANNOTATION]: inputs.comment,
    ...(placement === undefined ? {} : { [TRUSTED_CLUSTER_ANNOTATION]: placement.name }),
  };
}

const observedPoolSchema = z.object({
  apiVersion: z.string(),
  metadata: z.object({
    name: z.string(),
    namespace: z.string(),
    uid: z.string(),
    resourceVersion: z.string(),
    deletionTimestamp: z.string().optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  spec: z.object({
    replicas: z.number().int().optional(),
    selector: z.object({ matchLabels: z.record(z.string(), z.string()).optional() }).optional(),
    virtualMachineTemplate: z.object({
      metadata: z
        .object({
          labels: z.record(z.string(), z.string()).optional(),
          annotations: z.record(z.string(), z.string()).optional(),
        })
        .nullish(),
      spec: z.record(z.string(), z.unknown()),
    }),
    nameGeneration: z.object({ appendIndexToConfigMapRefs: z.boolean().optional(), appendIndexToSecretRefs: z.boolean().optional() }).optional(),
    scaleInStrategy: z.unknown().optional(),
    updateStrategy: z.unknown().optional(),
    autohealing: z.unknown().optional(),
    maxUnavailable: z.unknown().optional(),
    paused: z.unknown().optional(),
  }),
  status: z
    .object({
      replicas: z.number().int().optional(),
      readyReplicas: z.number().int().optional(),
    })
    .optional(),
});

/** A pool as the API server reports it, reduced to what the provider uses. */
export interface ObservedKubevirtPool {
  /** `pool.kubevirt.io/<version>` the object was read in. */
  readonly apiVersion: string;
  /** Namespace. */
  readonly namespace: string;
  /** Name. */
  readonly name: string;
  /** `metadata.uid`: which incarnation of the name this is. */
  readonly uid: string;
  /** `metadata.resourceVersion`, for optimistic concurrency. */
  readonly resourceVersion: string;
  /** Whether deletion has begun (a finalizer may still hold it). */
  readonly deleting: boolean;
  /** `spec.replicas`; KubeVirt's controller treats absent as 1. */
  readonly size: number;
  /** `spec.virtualMachineTemplate.metadata.labels`. */
  readonly labels: Record<string, string> | undefined;
  /** `spec.virtualMachineTemplate.metadata.annotations`. */
  readonly annotations: Record<string, string> | undefined;
  /** `spec.virtualMachineTemplate.spec`. */
  readonly vmSpec: Record<string, unknown>;
  /** Pool annotations (ours hold description and comment). */
  readonly poolAnnotations: Record<string, string> | undefined;
  /** `spec.nameGeneration`. */
  readonly nameGeneration: { appendIndexToConfigMapRefs?: boolean | undefined; appendIndexToSecretRefs?: boolean | undefined } | undefined;
  /** `status.replicas`: VMs the pool owns (0 until a controller reports). */
  readonly vmCount: number;
  /** `status.readyReplicas`: owned VMs whose Ready condition is True. */
  readonly readyVmCount: number;
  /** The live policy fields (`scaleInStrategy`, `updateStrategy`, ...), as stored. */
  readonly policy: Partial<Record<PolicySpecField, unknown>>;
}

/**
 * Reads a `VirtualMachinePool` object returned by the API server. Throws a
 * plain error naming the first unexpected field when the object is not one.
 */
export function fromKubevirtPool(obj: unknown): ObservedKubevirtPool {
  const parsed = observedPoolSchema.safeParse(obj);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`unexpected VirtualMachinePool from the API server at '${issue?.path.join(".") ?? ""}': ${issue?.message ?? "invalid"}`);
  }
  const { apiVersion, metadata, spec, status } = parsed.data;
  const policy: Partial<Record<PolicySpecField, unknown>> = {};
  for (const field of POLICY_SPEC_FIELDS) {
    if (spec[field] !== undefined && spec[field] !== null) {
      policy[field] = spec[field];
    }
  }
  return {
    apiVersion,
    namespace: metadata.namespace,
    name: metadata.name,
    uid: metadata.uid,
    resourceVersion: metadata.resourceVersion,
    deleting: metadata.deletionTimestamp !== undefined,
    // virt-controller defaults an absent spec.replicas to 1.
    size: spec.replicas ?? 1,
    labels: spec.virtualMachineTemplate.metadata?.labels,
    annotations: spec.virtualMachineTemplate.metadata?.annotations,
    vmSpec: spec.virtualMachineTemplate.spec,
    poolAnnotations: metadata.annotations,
    nameGeneration: spec.nameGeneration,
    vmCount: status?.replicas ?? 0,
    readyVmCount: status?.readyReplicas ?? 0,
    policy,
  };
}

/**
 * The inputs that describe a live pool, for `read`: what the program would
 * have to say to match it. Labels the provider generated itself stay implicit
 * when the previous inputs left them implicit, so a refresh adds no drift.
 * `autoscaling` is what the pool's own autoscaler says (undefined when it
 * has none); while the previous inputs were autoscaled too, `size` stays
 * theirs, since the autoscaler owns the live replicas.
 */
export function toInputsFromKubevirtPool(observed: ObservedKubevirtPool, previous: KubevirtPoolInputs | undefined, autoscaling?: KubevirtBackendInputs["autoscaling"]): KubevirtPoolInputs {
  const previousLabels = previous?.backend.virtualMachineTemplate.metadata?.labels;
  const generated = { [DEFAULT_POOL_LABEL]: observed.name };
  const labelsImplicit =
    previousLabels === undefined && observed.labels !== undefined && sameRecord(observed.labels, generated);
  const metadata: { labels?: Record<string, string>; annotations?: Record<string, string> } = {};
  if (observed.labels !== undefined && !labelsImplicit) {
    metadata.labels = observed.labels;
  }
  if (observed.annotations !== undefined) {
    metadata.annotations = observed.annotations;
  }
  const hadMetadata = previous?.backend.virtualMachineTemplate.metadata !== undefined;
  // A run strategy the provider derived from prestarted reads back as
  // prestarted; any other value (changed out of band) stays visible in the
  // spec. A spec's own `running` or `runStrategy` is never touched, and
  // prestarted reports what it means (running: true -> the size), as check()
  // derives it, so a refresh adds no drift.
  let vmSpec = observed.vmSpec;
  const derived = previous !== undefined && isRunStrategyDerived(previous.backend.virtualMachineTemplate.spec);
  if (derived && (observed.vmSpec["runStrategy"] === "Always" || observed.vmSpec["runStrategy"] === "Halted")) {
    const { runStrategy: _derived, ...rest } = observed.vmSpec;
    vmSpec = rest;
  }
  const placed = fromPlacedPool(vmSpec, observed.poolAnnotations?.[TRUSTED_CLUSTER_ANNOTATION], previous);
  vmSpec = placed.vmSpec;
  const prestarted = calculateKubevirtPrestarted(observed.vmSpec, observed.size);
  const autoscaled = autoscaling !== undefined && previous?.backend.autoscaling !== undefined;
  const size = autoscaled ? previous.size : observed.size;
  return {
    // KubeVirt stores none of the common settings but name and size; check()
    // holds them at their defaults for KubeVirt pools.
    ...COMMON_DEFAULTS,
    ...(previous?.timeouts === undefined ? {} : { timeouts: previous.timeouts }),
    ...(previous?.adopt === undefined ? {} : { adopt: previous.adopt }),
    ...(placed.trustedCluster === undefined ? {} : { trustedCluster: placed.trustedCluster }),
    name: observed.name,
    size,
    // An autoscaled pool's VMs all run: prestarted is its size, as check() derives it.
    prestarted: autoscaled && prestarted > 0 ? size : prestarted,
    description: observed.poolAnnotations?.[DESCRIPTION_ANNOTATION] ?? "",
    comment: observed.poolAnnotations?.[COMMENT_ANNOTATION] ?? "",
    backend: {
      kind: "kubevirt",
      namespace: observed.namespace,
      virtualMachineTemplate: {
        ...(Object.keys(metadata).length > 0 || hadMetadata ? { metadata } : {}),
        spec: vmSpec,
      },
      ...(observed.nameGeneration === undefined ? {} : { nameGeneration: observed.nameGeneration }),
      ...(previous?.backend.waitForReady === undefined ? {} : { waitForReady: previous.backend.waitForReady }),
      ...(previous?.backend.connection === undefined ? {} : { connection: previous.backend.connection }),
      // A provider-side setting: nothing on the cluster records it.
      ...(previous?.backend.forceShrink === undefined ? {} : { forceShrink: previous.backend.forceShrink }),
      ...toPolicyInputsFromLive(observed.policy, previous),
      ...(autoscaling === undefined ? {} : { autoscaling }),
    },
  };
}

/**
 * The user's VM spec and placement behind a live VM spec, for `read`. The
 * placement is the previous inputs' (a `TrustedCluster` lives elsewhere, so
 * only its output can say what it is). When the live pool carries that
 * placement in full (annotation and affinity), exactly what the provider
 * injected is taken out, so a refresh shows no drift: the previous spec
 * itself when placing it gives the live spec, else the live spec with the
 * placement's expressions removed. A pool whose affinity or annotation was
 * changed out of band reads back unplaced, so the next `up` places it again.
 */
function fromPlacedPool(
  vmSpec: Record<string, unknown>,
  annotation: string | undefined,
  previous: KubevirtPoolInputs | undefined,
): { vmSpec: Record<string, unknown>; trustedCluster?: KubevirtPlacement } {
  const placement = previous === undefined ? undefined : toKubevirtPlacement(previous);
  if (previous === undefined || placement === undefined) {
    return { vmSpec };
  }
  const previousSpec = previous.backend.virtualMachineTemplate.spec;
  const unplaced = fromPlacedVmSpec(vmSpec, placement);
  if (annotation === placement.name && isDeepEqual(toPlacedVmSpec(previousSpec, placement), vmSpec)) {
    return { vmSpec: previousSpec, trustedCluster: placement };
  }
  return annotation === placement.name && unplaced.placed ? { vmSpec: unplaced.spec, trustedCluster: placement } : { vmSpec: unplaced.spec };
}

function sameRecord(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
