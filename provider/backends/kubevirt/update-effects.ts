/**
 * What a change of a KubeVirt pool's VM template does to its existing VMs,
 * in words for `preview`: the KubeVirt side of oVirt's "edits affect only
 * new VMs". Pure.
 *
 * From virt-controller `pool.go` (`update`): the controller always rewrites
 * an outdated VM's spec (opportunistic part, unless `unmanaged`); with the
 * `proactive` strategy (KubeVirt's default, and the only behaviour before
 * 1.7) it then deletes each running VMI whose instance template changed,
 * at most `maxUnavailable` at a time, so the VM restarts with the new one;
 * a VM whose `dataVolumeTemplates` changed is deleted and re-created;
 * a change outside the instance template (run strategy, VM labels) only
 * relabels the running VMI. A stopped VM gets the new spec and uses it when
 * it next starts. A paused pool does none of this until it is unpaused.
 */
import { isDeepEqual } from "../../diff/input-diff";
import type { KubevirtUpdateStrategy } from "../../schemas/kubevirt-pool-policy";
import type { KubevirtPoolVm } from "./pool-vms";

/** A VM template: `spec.virtualMachineTemplate` of the pool. */
export interface VmTemplate {
  readonly metadata?: unknown;
  readonly spec: Record<string, unknown>;
}

/** Which part of the VM template differs. */
export type TemplateChange = "none" | "vm" | "instance" | "disks";

/**
 * How a desired VM template differs from the live one: `disks` when
 * `dataVolumeTemplates` changed, `instance` when the VMI template
 * (`spec.template`) changed, `vm` for anything else (run strategy, labels,
 * annotations), `none` when equal.
 */
export function classifyTemplateChange(desired: VmTemplate, live: VmTemplate): TemplateChange {
  if (isDeepEqual(desired, live)) {
    return "none";
  }
  if (!isDeepEqual(desired.spec["dataVolumeTemplates"], live.spec["dataVolumeTemplates"])) {
    return "disks";
  }
  return isDeepEqual(desired.spec["template"], live.spec["template"]) ? "vm" : "instance";
}

/**
 * The number of VMs a proactive update restarts at once, as
 * `calculateMaxUnavailableInt` computes it: a count, or a percentage of the
 * size rounded down, at least 1; "100%" when unset. Example: `"50%"` of 5 -> 2.
 */
export function calculateMaxUnavailable(maxUnavailable: number | string | undefined, size: number): number {
  const value = maxUnavailable ?? "100%";
  const count = typeof value === "number" ? value : Math.floor((size * Number(value.replace("%", ""))) / 100);
  return Math.max(count, 1);
}

/** What the effect depends on. */
export interface UpdateEffectFacts {
  /** The strategy that applies: the inputs' (1.7+), or `proactive` on a cluster without `updateStrategy`. */
  readonly strategy: KubevirtUpdateStrategy;
  /** Whether the cluster has `updateStrategy` at all (1.7+). */
  readonly hasUpdateStrategy: boolean;
  /** Which part changed. */
  readonly change: Exclude<TemplateChange, "none">;
  /** The pool's VMs now; undefined when they cannot be listed. */
  readonly vms: readonly KubevirtPoolVm[] | undefined;
  /** The pool's `maxUnavailable` input. */
  readonly maxUnavailable: number | string | undefined;
  /** The pool's size (what a percentage is of). */
  readonly size: number;
  /** Whether the pool is (or will be) paused. */
  readonly paused: boolean;
}

function names(vms: readonly KubevirtPoolVm[] | undefined): string {
  // Unlistable VMs (RBAC) are spoken of as a group.
  return vms === undefined ? "(which ones cannot be told: the VMs may not be listed)" : vms.map((vm) => vm.name).join(", ");
}

/**
 * The sentence `preview` shows for a VM-template change. Example
 * (proactive, two VMs running): `restarts its running VMs web-0, web-1 now
 * to apply it, at most 2 at a time (updateStrategy proactive); stopped VMs
 * use it when they next start`.
 */
export function describeKubevirtUpdateEffect(facts: UpdateEffectFacts): string {
  const running = facts.vms?.filter((vm) => vm.running && !vm.deleting);
  const label = facts.hasUpdateStrategy ? `updateStrategy ${facts.strategy}` : "KubeVirt before 1.7 has no updateStrategy and always restarts";
  // A paused controller does nothing yet.
  const then = facts.paused ? "takes effect once the pool is unpaused (it is paused), and then " : "";
  if (facts.strategy === "unmanaged") {
    return `reaches no existing VM (${label}): only VMs created from now on use it`;
  }
  if (facts.change === "vm") {
    return `${then}rewrites the spec of every VM; running VMs keep running, since their instance template did not change (${label})`;
  }
  if (running?.length === 0) {
    return `${then}rewrites the spec of every VM; none is running now, so each uses it when it next starts (${label})`;
  }
  if (facts.strategy === "opportunistic") {
    return `${then}applies to the running VMs ${names(running)} only when each next restarts; they keep running on the old template (${label}); stopped VMs use it when they next start`;
  }
  const batch = calculateMaxUnavailable(facts.maxUnavailable, facts.size);
  const pace = batch >= (running?.length ?? facts.size) ? "all at once" : `at most ${String(batch)} at a time (maxUnavailable)`;
  if (facts.change === "disks") {
    return `${then}deletes and re-creates the running VMs ${names(running)} with new disks from the changed dataVolumeTemplates, ${pace} (${label}); their old disks go with them`;
  }
  return `${then}restarts the running VMs ${names(running)}${facts.paused ? "" : " now"} to apply it, ${pace} (${label}); stopped VMs use it when they next start`;
}
