/**
 * Keeping a pool's HorizontalPodAutoscaler as its `autoscaling` input says:
 * created when asked for, replaced when it differs, deleted when no longer
 * asked for or with the pool. Only an autoscaler owned by the pool (owner
 * reference to its uid) is ever changed; one of the same name that the pool
 * does not own is refused, never adopted.
 */
import type * as k8s from "@kubernetes/client-node";

import { BackendError, type ErrorContext } from "../../errors";
import type { KubevirtHpaClient } from "./hpa-client";
import { isAutoscalerCurrent, isOwnAutoscaler, toHorizontalPodAutoscaler, type AutoscaledPool, type AutoscalingInputs } from "./hpa-mapping";

/** Why an autoscaler of the pool's name cannot be used, with the fix. */
export function describeForeignAutoscaler(pool: { name: string; namespace: string }): string {
  return `a HorizontalPodAutoscaler named '${pool.name}' already exists in namespace '${pool.namespace}' and does not belong to this pool; this provider does not take over autoscalers it did not create, so delete it (kubectl delete hpa ${pool.name} -n ${pool.namespace}) or remove 'backend.autoscaling'`;
}

/**
 * The autoscaler of the pool's name, when one exists that the pool (uid
 * `poolUid`, or no pool yet) does not own; undefined otherwise.
 */
export async function findForeignAutoscaler(hpas: KubevirtHpaClient, ctx: ErrorContext, pool: { name: string; namespace: string }, poolUid: string | undefined): Promise<k8s.V2HorizontalPodAutoscaler | undefined> {
  const existing = await hpas.tryGet(ctx, pool.namespace, pool.name);
  return existing !== undefined && (poolUid === undefined || !isOwnAutoscaler(existing, poolUid)) ? existing : undefined;
}

/** Creates the pool's autoscaler, or brings the one it owns to `autoscaling`; refuses one it does not own. */
export async function ensureKubevirtAutoscaler(hpas: KubevirtHpaClient, ctx: ErrorContext, pool: AutoscaledPool, autoscaling: AutoscalingInputs): Promise<void> {
  const desired = toHorizontalPodAutoscaler(pool, autoscaling);
  let existing = await hpas.tryGet(ctx, pool.namespace, pool.name);
  if (existing === undefined) {
    try {
      await hpas.create(ctx, pool.namespace, desired);
      return;
    } catch (err) {
      if (!(BackendError.isInstance(err) && err.status === 409)) {
        throw err;
      }
      // Someone made one between our read and our create: judge that one.
      existing = await hpas.tryGet(ctx, pool.namespace, pool.name);
    }
  }
  if (existing === undefined || !isOwnAutoscaler(existing, pool.uid)) {
    throw new BackendError(ctx, describeForeignAutoscaler(pool), { status: 409 });
  }
  if (!isAutoscalerCurrent(existing, pool, autoscaling)) {
    // The live resourceVersion makes the server refuse a write over someone else's change.
    await hpas.replace(ctx, pool.namespace, toHorizontalPodAutoscaler(pool, autoscaling, existing.metadata?.resourceVersion ?? ""));
  }
}

/** Deletes the pool's own autoscaler, if it has one; never another's. Returns whether one was deleted. */
export async function removeKubevirtAutoscaler(hpas: KubevirtHpaClient, ctx: ErrorContext, pool: { name: string; namespace: string; uid: string }): Promise<boolean> {
  const existing = await hpas.tryGet(ctx, pool.namespace, pool.name);
  if (existing === undefined || !isOwnAutoscaler(existing, pool.uid)) {
    return false;
  }
  await hpas.delete(ctx, pool.namespace, pool.name, existing.metadata?.uid ?? "");
  return true;
}
