/**
 * The pool-wide knobs of a KubeVirt `VirtualMachinePool` that say how its
 * controller scales, updates and heals the VMs (`scaleInStrategy`,
 * `updateStrategy`, `autohealing`, `maxUnavailable`, `paused`), plus the
 * provider's own `forceShrink` and `autoscaling`: their zod schemas and the
 * defaults that depend on what kind of pool it is.
 *
 * Every field is optional and has no zod default: a default written into the
 * checked inputs would show in state, so every existing stack would see a
 * change on its next preview. The effective values are computed where they
 * are used ({@link calculateKubevirtSortPolicy}, ...), and `read` maps a
 * live value that equals the computed default back to "unset".
 */
import { z } from "zod";

import { DURATION } from "./duration";

/** Orders in which KubeVirt 1.7+ picks the VMs a scale-in removes (`selectionPolicy.sortPolicy`). */
export const KUBEVIRT_SORT_POLICIES = ["DescendingOrder", "AscendingOrder", "Newest", "Oldest", "Random"] as const;
/** One of {@link KUBEVIRT_SORT_POLICIES}. */
export type KubevirtSortPolicy = (typeof KUBEVIRT_SORT_POLICIES)[number];

/**
 * The scale-in order the provider asks for when the user names none: the
 * highest indexes go first. It makes a shrink predictable (preview names the
 * VMs that go), and keeps the VMs named `<pool>-0` .. `<pool>-<size-1>`,
 * which a `PoolPermission`'s Role names. KubeVirt's own default is `Random`.
 */
export const DEFAULT_KUBEVIRT_SORT_POLICY: KubevirtSortPolicy = "DescendingOrder";

/** What happens to the disks of a VM that a scale-in removes (KubeVirt 1.7+ `statePreservation`). */
export const KUBEVIRT_STATE_PRESERVATION = ["Disabled", "Offline", "Online"] as const;

/** How a VM-template change reaches existing VMs (KubeVirt 1.7+ `spec.updateStrategy`). */
export const KUBEVIRT_UPDATE_STRATEGIES = ["proactive", "opportunistic", "unmanaged"] as const;
/** One of {@link KUBEVIRT_UPDATE_STRATEGIES}. */
export type KubevirtUpdateStrategy = (typeof KUBEVIRT_UPDATE_STRATEGIES)[number];

/** The largest int32, KubeVirt's and the HPA's integer fields. */
const MAX_INT32 = 2_147_483_647;

const wholeNumber = (min: number, what: string): z.ZodNumber =>
  z
    .number()
    .int("must be a whole number")
    .min(min, `must be ${String(min)} or more (${what})`)
    .max(MAX_INT32, "must fit a 32-bit integer");

/**
 * `backend.scaleInStrategy`: which VMs a shrink removes and what happens to
 * their disks. Maps onto `spec.scaleInStrategy.proactive` (1.7+:
 * `selectionPolicy.sortPolicy`; 1.6: `selectionPolicy.basePolicy`).
 */
export const kubevirtScaleInStrategySchema = z.strictObject({
  /**
   * The order in which a shrink removes VMs: `DescendingOrder` (highest index
   * first), `AscendingOrder`, `Newest`, `Oldest` (by creation time) or
   * `Random`. KubeVirt 1.6 knows only `DescendingOrder` and `Random`.
   * @default "DescendingOrder"
   */
  sortPolicy: z.enum(KUBEVIRT_SORT_POLICIES, { error: `must be one of ${KUBEVIRT_SORT_POLICIES.join(", ")}` }).optional(),
  /**
   * Keep the disks (PVCs and DataVolumes) of removed VMs: `Offline` keeps
   * them, `Online` also keeps the memory state where supported, `Disabled`
   * deletes them with the VM. KubeVirt 1.7+. @default "Disabled" (KubeVirt's)
   */
  statePreservation: z.enum(KUBEVIRT_STATE_PRESERVATION, { error: `must be one of ${KUBEVIRT_STATE_PRESERVATION.join(", ")}` }).optional(),
});

/**
 * `backend.autohealing`: replace VMs that keep failing to start (KubeVirt
 * 1.7+ `spec.autohealing`). Setting it, even to `{}`, turns autohealing on.
 */
export const kubevirtAutohealingSchema = z.strictObject({
  /** Consecutive failed starts after which a VM is replaced. @default 3 (KubeVirt's) */
  startUpFailureThreshold: wholeNumber(1, "failed starts").optional(),
  /**
   * How long a VM may stay in CrashLoopBackOff, Unschedulable or an image or
   * volume error before it is replaced, as `5m`, `1h30m`. @default "5m" (KubeVirt's)
   */
  minFailingToStartDuration: z.string().regex(DURATION, "must be a duration such as '5m', '1h30m' or '90s'").optional(),
});

/**
 * `backend.maxUnavailable`: how many VMs a proactive update restarts at
 * once: a count of at least 1, or a percentage of the size `"1%"` to
 * `"100%"` (rounded down, at least 1), as KubeVirt's webhook allows.
 */
export const kubevirtMaxUnavailableSchema = z.union([wholeNumber(1, "VMs"), z.string().regex(/^(100|[1-9][0-9]?)%$/, "must be a percentage from '1%' to '100%'")], {
  error: "must be a number of VMs (1 or more) or a percentage from '1%' to '100%'",
});

/**
 * `backend.autoscaling`: a `HorizontalPodAutoscaler` (`autoscaling/v2`)
 * that scales the pool by its VMs' CPU use, through the pool's `scale`
 * subresource, as seed 004's lab does with `kubectl`.
 */
export const kubevirtAutoscalingSchema = z
  .strictObject({
    /** Fewest VMs the autoscaler keeps. */
    minReplicas: wholeNumber(1, "the autoscaler cannot scale a pool to 0"),
    /** Most VMs the autoscaler adds. */
    maxReplicas: wholeNumber(1, "VMs"),
    /** Average CPU use of the VMs' pods, in percent of their CPU request, that the autoscaler aims for. */
    targetCPUUtilizationPercentage: wholeNumber(1, "percent"),
  })
  .refine((a) => a.maxReplicas >= a.minReplicas, { path: ["maxReplicas"], message: "must be at least minReplicas" });

/** The pool-policy fields of `backend` (KubeVirt), spread into its schema. */
export const kubevirtPoolPolicyFields = {
  /**
   * Let a shrink remove VMs that are running. @default false for desktop
   * pools, whose VMs stay off until a user starts one (a shrink refuses to
   * remove a running one, naming it); true for service pools, whose VMs all
   * run (`runStrategy: Always`, `running: true`, `prestarted` = size, or
   * `autoscaling`), where refusing would forbid every shrink
   */
  forceShrink: z.boolean().optional(),
  /** Which VMs a shrink removes, and what happens to their disks. @default DescendingOrder, disks deleted */
  scaleInStrategy: kubevirtScaleInStrategySchema.optional(),
  /**
   * What a VM-template change does to existing VMs (KubeVirt 1.7+):
   * `proactive` restarts running VMs now (at most `maxUnavailable` at a
   * time), `opportunistic` applies it at each VM's next restart, `unmanaged`
   * applies it only to VMs created later. KubeVirt 1.6 always restarts.
   * @default "opportunistic" for desktop pools (a user's session is not cut
   * off), "proactive" for service pools
   */
  updateStrategy: z.enum(KUBEVIRT_UPDATE_STRATEGIES, { error: `must be one of ${KUBEVIRT_UPDATE_STRATEGIES.join(", ")}` }).optional(),
  /** Replace VMs that keep failing to start (KubeVirt 1.7+). @default off */
  autohealing: kubevirtAutohealingSchema.optional(),
  /** VMs a proactive update may restart at once (KubeVirt 1.6+). @default "100%" (KubeVirt's) */
  maxUnavailable: kubevirtMaxUnavailableSchema.optional(),
  /** Stop the pool controller: no scaling, no updates, until set back to false. @default false */
  paused: z.boolean().optional(),
  /**
   * Scale the pool by CPU use with a HorizontalPodAutoscaler. While set, the
   * autoscaler owns the pool's replicas: `size` is only the count the pool
   * starts with, and the `currentSize` output shows the count now. @default none
   */
  autoscaling: kubevirtAutoscalingSchema.optional(),
};

/** The fields the defaults below read. */
export interface KubevirtPoolKind {
  readonly prestarted: number;
  readonly backend: {
    readonly virtualMachineTemplate: { readonly spec: Record<string, unknown> };
    readonly autoscaling?: unknown;
  };
}

/**
 * Whether every VM of the pool runs all the time (a service pool, as seed
 * 004's web servers): autoscaled, or a VM spec with `runStrategy: Always` or
 * `running: true`, or no strategy and `prestarted` > 0 (which the provider
 * maps onto `Always`). Any other pool is a desktop pool: its VMs run when
 * someone starts them. Example: `running: true` -> true; `Halted` -> false.
 */
export function isKubevirtServicePool(inputs: KubevirtPoolKind): boolean {
  const spec = inputs.backend.virtualMachineTemplate.spec;
  if (inputs.backend.autoscaling !== undefined || spec["running"] === true || spec["runStrategy"] === "Always") {
    return true;
  }
  return spec["running"] === undefined && spec["runStrategy"] === undefined && inputs.prestarted > 0;
}

/** `forceShrink` as it applies: the user's, else true for service pools and false for desktop pools. */
export function calculateKubevirtForceShrink(inputs: KubevirtPoolKind & { readonly backend: { readonly forceShrink?: boolean | undefined } }): boolean {
  return inputs.backend.forceShrink ?? isKubevirtServicePool(inputs);
}

/** The update strategy as it applies on KubeVirt 1.7+: the user's, else opportunistic for desktops and proactive for services. */
export function calculateKubevirtUpdateStrategy(inputs: KubevirtPoolKind & { readonly backend: { readonly updateStrategy?: KubevirtUpdateStrategy | undefined } }): KubevirtUpdateStrategy {
  return inputs.backend.updateStrategy ?? (isKubevirtServicePool(inputs) ? "proactive" : "opportunistic");
}

/** The scale-in order the provider asks for: the user's, else {@link DEFAULT_KUBEVIRT_SORT_POLICY}. */
export function calculateKubevirtSortPolicy(inputs: { readonly backend: { readonly scaleInStrategy?: { readonly sortPolicy?: KubevirtSortPolicy | undefined } | undefined } }): KubevirtSortPolicy {
  return inputs.backend.scaleInStrategy?.sortPolicy ?? DEFAULT_KUBEVIRT_SORT_POLICY;
}
