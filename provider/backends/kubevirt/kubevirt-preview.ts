/**
 * What `preview` (the backend's read-only `verify`) says about a change to a
 * live KubeVirt pool: a shrink that would remove running VMs fails, naming
 * them, unless `forceShrink`; a shrink that may go ahead, a VM-template
 * change and a `size` the autoscaler overrides are told as notices.
 * Nothing is written.
 */
import type { CheckFailure } from "../../check";
import type { ErrorContext } from "../../errors";
import { calculateKubevirtForceShrink, calculateKubevirtSortPolicy, calculateKubevirtUpdateStrategy, type KubevirtSortPolicy } from "../../schemas/kubevirt-pool-policy";
import type { KubevirtPoolInputs } from "../../schemas/vm-pool";
import { listKubevirtPoolVms, toKubevirtPoolId, type PoolViewClients } from "./kubevirt-pool-view";
import { toVmTemplate, type ObservedKubevirtPool } from "./mapping";
import type { KubevirtPoolFeatures } from "./pool-features";
import type { KubevirtPoolVm } from "./pool-vms";
import { describeKubevirtScaleIn, findKubevirtScaleInRefusal, planKubevirtScaleIn } from "./scale-in-plan";
import { classifyTemplateChange, describeKubevirtUpdateEffect } from "./update-effects";

/** What the preview found: reasons to stop, and things to tell. */
export interface KubevirtPreview {
  /** `check` failures: the change must not happen as asked. */
  readonly failures: CheckFailure[];
  /** Warnings for the CLI's output. */
  readonly notices: string[];
}

/** The scale-in order the controller will apply: the inputs' where the schema has one, else random. */
export function calculateEffectiveSortPolicy(inputs: KubevirtPoolInputs, features: KubevirtPoolFeatures): KubevirtSortPolicy {
  return features.scaleInOrder === undefined ? "Random" : calculateKubevirtSortPolicy(inputs);
}

/** The message when the pool's VMs cannot be listed, so no shrink can be judged. */
export const VMS_UNREADABLE =
  "the kubeconfig's user may not list the pool's VirtualMachines and VirtualMachineInstances (kubevirt.io), so which VMs go cannot be told; grant 'list' on both";

/**
 * Whether the new size may be applied now, judged as the controller will
 * remove VMs: undefined when it may, else why not. Reads the VMs.
 */
export async function findKubevirtShrinkRefusal(clients: PoolViewClients, ctx: ErrorContext, live: ObservedKubevirtPool, inputs: KubevirtPoolInputs, features: KubevirtPoolFeatures): Promise<string | undefined> {
  if (inputs.backend.autoscaling !== undefined || inputs.size >= live.size || calculateKubevirtForceShrink(inputs)) {
    return undefined;
  }
  const vms = await listKubevirtPoolVms(clients, ctx, live);
  if (vms === undefined) {
    return `cannot shrink from ${String(live.size)} to ${String(inputs.size)} VMs safely: ${VMS_UNREADABLE}, or set 'backend.forceShrink: true'`;
  }
  return findKubevirtScaleInRefusal(planKubevirtScaleIn(vms, inputs.size, calculateEffectiveSortPolicy(inputs, features)), live.size, false);
}

/**
 * The preview of updating the live pool `live` to `inputs` (same pool: name,
 * namespace and labels unchanged). `previous` are the inputs in state.
 */
export async function previewKubevirtChange(
  clients: PoolViewClients,
  ctx: ErrorContext,
  live: ObservedKubevirtPool,
  inputs: KubevirtPoolInputs,
  previous: KubevirtPoolInputs,
  features: KubevirtPoolFeatures,
): Promise<KubevirtPreview> {
  const id = `VmPool ${toKubevirtPoolId(live.namespace, live.name)}`;
  const failures: CheckFailure[] = [];
  const notices: string[] = [];
  let vms: KubevirtPoolVm[] | undefined | null = null;
  // Listed once, when first needed.
  const poolVms = async (): Promise<KubevirtPoolVm[] | undefined> => (vms === null ? (vms = await listKubevirtPoolVms(clients, ctx, live)) : vms);

  const autoscaled = inputs.backend.autoscaling !== undefined;
  if (autoscaled && previous.backend.autoscaling !== undefined && inputs.size !== previous.size) {
    notices.push(`${id}: 'size' ${String(inputs.size)} is not applied while 'backend.autoscaling' is set: the autoscaler owns the pool's replicas (${String(live.size)} now); remove 'autoscaling' to size the pool yourself`);
  }
  if (!autoscaled && inputs.size < live.size) {
    const force = calculateKubevirtForceShrink(inputs);
    const listed = await poolVms();
    if (listed === undefined) {
      if (force) {
        notices.push(`${id}: shrinking from ${String(live.size)} to ${String(inputs.size)} VMs removes VMs KubeVirt chooses; ${VMS_UNREADABLE}`);
      } else {
        failures.push({ property: "size", reason: `cannot shrink from ${String(live.size)} to ${String(inputs.size)} VMs safely: ${VMS_UNREADABLE}, or set 'backend.forceShrink: true'` });
      }
    } else {
      const plan = planKubevirtScaleIn(listed, inputs.size, calculateEffectiveSortPolicy(inputs, features));
      const refusal = findKubevirtScaleInRefusal(plan, live.size, force);
      if (refusal === undefined) {
        notices.push(`${id}: shrinking from ${String(live.size)} to ${String(inputs.size)} VMs ${describeKubevirtScaleIn(plan)}`);
      } else {
        failures.push({ property: "size", reason: refusal });
      }
    }
  }
  const change = classifyTemplateChange(toVmTemplate(inputs), { metadata: { labels: live.labels, annotations: live.annotations }, spec: live.vmSpec });
  if (change !== "none") {
    const effect = describeKubevirtUpdateEffect({
      strategy: features.updateStrategy ? calculateKubevirtUpdateStrategy(inputs) : "proactive",
      hasUpdateStrategy: features.updateStrategy,
      change,
      vms: await poolVms(),
      maxUnavailable: inputs.backend.maxUnavailable,
      size: autoscaled ? live.size : inputs.size,
      paused: inputs.backend.paused === true,
    });
    notices.push(`${id}: this VM-template change ${effect}`);
  }
  return { failures, notices };
}
