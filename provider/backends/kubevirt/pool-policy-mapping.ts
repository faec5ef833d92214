/**
 * Pure conversions between a pool's policy inputs (`scaleInStrategy`,
 * `updateStrategy`, `autohealing`, `maxUnavailable`, `paused`) and the
 * `VirtualMachinePool` spec fields, shaped for what the cluster's schema
 * has ({@link KubevirtPoolFeatures}).
 *
 * Defaults the provider chooses (scale-in order `DescendingOrder`; update
 * strategy by pool kind) are written to the cluster, never into inputs, so
 * they never show as a change in an existing stack. On `read`, a live value
 * that means what the previous inputs mean keeps the previous inputs' form
 * (set or unset), and a field the provider never wrote (a pool created
 * before these knobs) reads as unset: only a real difference is drift.
 */
import {
  calculateKubevirtSortPolicy,
  calculateKubevirtUpdateStrategy,
  KUBEVIRT_SORT_POLICIES,
  KUBEVIRT_STATE_PRESERVATION,
  KUBEVIRT_UPDATE_STRATEGIES,
  type KubevirtSortPolicy,
  type KubevirtUpdateStrategy,
} from "../../schemas/kubevirt-pool-policy";
import type { KubevirtBackendInputs, KubevirtPoolInputs } from "../../schemas/vm-pool";
import type { KubevirtPoolFeatures } from "./pool-features";

/** The spec fields this module owns; a live field the inputs do not ask for is removed on update. */
export const POLICY_SPEC_FIELDS = ["scaleInStrategy", "updateStrategy", "autohealing", "maxUnavailable", "paused"] as const;
/** One of {@link POLICY_SPEC_FIELDS}. */
export type PolicySpecField = (typeof POLICY_SPEC_FIELDS)[number];

/** The policy inputs of `backend`. */
export type PolicyInputs = Pick<KubevirtBackendInputs, "scaleInStrategy" | "updateStrategy" | "autohealing" | "maxUnavailable" | "paused">;

/**
 * The policy fields of the pool spec for the inputs, on a cluster with
 * `features`. Example (1.7+, desktop pool, nothing set):
 * `{ scaleInStrategy: { proactive: { selectionPolicy: { sortPolicy: "DescendingOrder" } } }, updateStrategy: { opportunistic: {} } }`.
 * The update strategy is written only when it differs from KubeVirt's own
 * default (`proactive`) or the user named it; on 1.6 it is never written.
 */
export function toKubevirtPoolPolicy(inputs: KubevirtPoolInputs, features: KubevirtPoolFeatures): Partial<Record<PolicySpecField, unknown>> {
  const backend = inputs.backend;
  const policy: Partial<Record<PolicySpecField, unknown>> = {};
  const order = calculateKubevirtSortPolicy(inputs);
  const proactive: Record<string, unknown> = {};
  if (features.scaleInOrder !== undefined) {
    // check() refused an order the schema lacks; on 1.6 the field is basePolicy.
    proactive["selectionPolicy"] = { [features.scaleInOrder]: order };
  }
  if (backend.scaleInStrategy?.statePreservation !== undefined) {
    proactive["statePreservation"] = backend.scaleInStrategy.statePreservation;
  }
  if (Object.keys(proactive).length > 0) {
    policy.scaleInStrategy = { proactive };
  }
  if (features.updateStrategy) {
    const strategy = calculateKubevirtUpdateStrategy(inputs);
    if (backend.updateStrategy !== undefined || strategy !== "proactive") {
      policy.updateStrategy = { [strategy]: {} };
    }
  }
  if (backend.autohealing !== undefined) {
    policy.autohealing = { ...backend.autohealing };
  }
  if (backend.maxUnavailable !== undefined) {
    policy.maxUnavailable = backend.maxUnavailable;
  }
  if (backend.paused !== undefined) {
    policy.paused = backend.paused;
  }
  return policy;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function oneOf<T extends string>(values: readonly T[], value: unknown): T | undefined {
  return values.find((v) => v === value);
}

/** The scale-in order and state preservation a live `scaleInStrategy` holds (either schema's name for the order). */
function fromLiveScaleIn(live: unknown): { order: KubevirtSortPolicy | undefined; preservation: (typeof KUBEVIRT_STATE_PRESERVATION)[number] | undefined; other: boolean } {
  const proactive = isRecord(live) ? live["proactive"] : undefined;
  const selection = isRecord(proactive) ? proactive["selectionPolicy"] : undefined;
  const order = isRecord(selection) ? oneOf(KUBEVIRT_SORT_POLICIES, selection["sortPolicy"] ?? selection["basePolicy"]) : undefined;
  const preservation = isRecord(proactive) ? oneOf(KUBEVIRT_STATE_PRESERVATION, proactive["statePreservation"]) : undefined;
  // `unmanaged` or `opportunistic` scale-in, which the inputs cannot say.
  const other = isRecord(live) && (live["unmanaged"] !== undefined || live["opportunistic"] !== undefined);
  return { order, preservation, other };
}

/** The live update strategy's name, undefined when absent (KubeVirt then updates proactively). */
function fromLiveUpdateStrategy(live: unknown): KubevirtUpdateStrategy | undefined {
  return isRecord(live) ? KUBEVIRT_UPDATE_STRATEGIES.find((name) => live[name] !== undefined) : undefined;
}

/**
 * The policy inputs that describe a live pool spec, for `read`, given the
 * previous inputs. Example: live `updateStrategy: { proactive: {} }` on a
 * desktop pool whose inputs left it unset (which means opportunistic) ->
 * `updateStrategy: "proactive"`, so the next preview shows the drift.
 */
export function toPolicyInputsFromLive(live: Partial<Record<PolicySpecField, unknown>>, previous: KubevirtPoolInputs | undefined): PolicyInputs {
  const before: PolicyInputs = previous?.backend ?? {};
  const result: PolicyInputs = {};
  // Scale-in: order and state preservation, each compared by meaning.
  const scaleIn = fromLiveScaleIn(live.scaleInStrategy);
  const previousOrder = previous === undefined ? undefined : calculateKubevirtSortPolicy(previous);
  const order =
    scaleIn.order === undefined
      ? // Never written (an older pool, or a cluster without the field): only an explicit non-random order differs.
        before.scaleInStrategy?.sortPolicy === undefined || before.scaleInStrategy.sortPolicy === "Random"
        ? before.scaleInStrategy?.sortPolicy
        : "Random"
      : scaleIn.order === previousOrder
        ? before.scaleInStrategy?.sortPolicy
        : scaleIn.order;
  const preservation = (scaleIn.preservation ?? "Disabled") === (before.scaleInStrategy?.statePreservation ?? "Disabled") ? before.scaleInStrategy?.statePreservation : scaleIn.preservation;
  if (scaleIn.other) {
    // Not expressible in the inputs: an empty object differs from whatever they say, so the drift shows.
    result.scaleInStrategy = {};
  } else if (order !== undefined || preservation !== undefined) {
    result.scaleInStrategy = { ...(order === undefined ? {} : { sortPolicy: order }), ...(preservation === undefined ? {} : { statePreservation: preservation }) };
  }
  // Update strategy: absent and never asked for reads as unset (pools from before this knob).
  const liveStrategy = fromLiveUpdateStrategy(live.updateStrategy);
  if (liveStrategy !== undefined || before.updateStrategy !== undefined) {
    const effective = liveStrategy ?? "proactive";
    const meant = previous === undefined ? undefined : calculateKubevirtUpdateStrategy(previous);
    const strategy = effective === meant ? before.updateStrategy : effective;
    if (strategy !== undefined) {
      result.updateStrategy = strategy;
    }
  }
  if (isRecord(live.autohealing)) {
    const { startUpFailureThreshold: threshold, minFailingToStartDuration: duration } = live.autohealing;
    result.autohealing = {
      ...(typeof threshold === "number" ? { startUpFailureThreshold: threshold } : {}),
      ...(typeof duration === "string" ? { minFailingToStartDuration: duration } : {}),
    };
  }
  const maxUnavailable = live.maxUnavailable;
  if (typeof maxUnavailable === "number" || typeof maxUnavailable === "string") {
    result.maxUnavailable = maxUnavailable;
  }
  // paused: false is the same as absent.
  const paused = live.paused === true;
  if (paused || before.paused !== undefined) {
    result.paused = paused === (before.paused ?? false) ? before.paused : paused;
  }
  return result;
}
