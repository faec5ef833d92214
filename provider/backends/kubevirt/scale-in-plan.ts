/**
 * Which VMs a shrink of a KubeVirt pool removes, computed as the pool
 * controller does it (`proactiveScaleIn`/`scaleIn` in virt-controller
 * `pool.go`), and what `preview` says about it. Pure.
 *
 * The controller counts the VMs it controls; those already being deleted
 * count toward the reduction; the others are sorted by the scale-in order
 * and the first ones go. `DescendingOrder`/`AscendingOrder` sort by the
 * index in the name, `Newest`/`Oldest` by creation time (second resolution,
 * and Go's sort is not stable, so VMs created in the same second are
 * interchangeable), `Random` shuffles.
 */
import type { KubevirtSortPolicy } from "../../schemas/kubevirt-pool-policy";
import { describeKubevirtVm, type KubevirtPoolVm } from "./pool-vms";

/** The outcome of a shrink, as far as it can be known before it happens. */
export interface KubevirtScaleInPlan {
  /** VMs the pool has now (controlled by it, being deleted or not). */
  readonly from: number;
  /** The new size. */
  readonly to: number;
  /** The order the controller applies. */
  readonly order: KubevirtSortPolicy;
  /** VMs already being deleted, which count toward the reduction. */
  readonly deleting: readonly KubevirtPoolVm[];
  /** VMs that certainly go. */
  readonly removed: readonly KubevirtPoolVm[];
  /** VMs of which {@link pick} go, chosen by the controller (at random, or among ties). */
  readonly candidates: readonly KubevirtPoolVm[];
  /** How many of {@link candidates} go. */
  readonly pick: number;
}

function sortKey(vm: KubevirtPoolVm, order: KubevirtSortPolicy): number {
  switch (order) {
    case "DescendingOrder":
      return -vm.index;
    case "AscendingOrder":
      return vm.index;
    case "Newest":
      return -Date.parse(vm.createdAt || "1970-01-01T00:00:00Z");
    case "Oldest":
      return Date.parse(vm.createdAt || "1970-01-01T00:00:00Z");
    case "Random":
      return 0;
  }
}

/**
 * The plan for shrinking the pool whose VMs are `vms` to `to` VMs with
 * scale-in order `order`. Example: VMs web-0..web-3, to 2, DescendingOrder
 * -> removed web-3, web-2.
 */
export function planKubevirtScaleIn(vms: readonly KubevirtPoolVm[], to: number, order: KubevirtSortPolicy): KubevirtScaleInPlan {
  const deleting = vms.filter((vm) => vm.deleting);
  const eligible = vms.filter((vm) => !vm.deleting);
  const count = Math.min(Math.max(vms.length - to - deleting.length, 0), eligible.length);
  const base = { from: vms.length, to, order, deleting };
  if (count === 0) {
    return { ...base, removed: [], candidates: [], pick: 0 };
  }
  if (count === eligible.length) {
    return { ...base, removed: eligible, candidates: [], pick: 0 };
  }
  const sorted = [...eligible].sort((a, b) => sortKey(a, order) - sortKey(b, order) || a.index - b.index);
  // The VMs whose key equals the one at the cut are interchangeable for the controller.
  const cutKey = sortKey(sorted[count - 1] as KubevirtPoolVm, order);
  const tie = sorted.filter((vm) => sortKey(vm, order) === cutKey);
  if (tie.length === 1 || !tie.includes(sorted[count] as KubevirtPoolVm)) {
    return { ...base, removed: sorted.slice(0, count), candidates: [], pick: 0 };
  }
  const removed = sorted.filter((vm) => sortKey(vm, order) < cutKey);
  return { ...base, removed, candidates: tie, pick: count - removed.length };
}

/** The VMs the plan may remove that are running. */
export function findRunningInPlan(plan: KubevirtScaleInPlan): KubevirtPoolVm[] {
  return [...plan.removed, ...plan.candidates].filter((vm) => vm.running);
}

const ORDER_TEXT: Record<KubevirtSortPolicy, string> = {
  DescendingOrder: "the highest indexes first",
  AscendingOrder: "the lowest indexes first",
  Newest: "the newest first",
  Oldest: "the oldest first",
  Random: "at random",
};

function joinNames(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1] ?? ""}`;
}

/** What the plan removes, in words: `web-3 (Running on node-a) and web-2 (Stopped)`. */
export function describeKubevirtScaleIn(plan: KubevirtScaleInPlan): string {
  const parts: string[] = [];
  if (plan.removed.length > 0) {
    parts.push(joinNames(plan.removed.map(describeKubevirtVm)));
  }
  if (plan.pick > 0) {
    const among = plan.candidates.map(describeKubevirtVm).join(", ");
    parts.push(plan.order === "Random" ? `${String(plan.pick)} of ${among}, chosen by KubeVirt at random` : `${String(plan.pick)} of ${among} (created in the same second), chosen by KubeVirt`);
  }
  const what = parts.length === 0 ? "removes no VM" : `removes ${parts.join(", and ")}`;
  const already = plan.deleting.length > 0 ? `; ${joinNames(plan.deleting.map((vm) => vm.name))} ${plan.deleting.length === 1 ? "is" : "are"} already being deleted and count${plan.deleting.length === 1 ? "s" : ""} toward it` : "";
  // Nothing to remove: the controller has not created the VMs a shrink would take.
  const fewer = parts.length === 0 && plan.deleting.length === 0 ? ` (the pool has ${String(plan.from)} VM${plan.from === 1 ? "" : "s"} now)` : "";
  return `${what}${fewer}${already} (scale-in order ${plan.order}: ${ORDER_TEXT[plan.order]})`;
}

/**
 * Why the shrink must not happen, or undefined when it may: without
 * `forceShrink`, no running VM may be among those that go.
 */
export function findKubevirtScaleInRefusal(plan: KubevirtScaleInPlan, from: number, forceShrink: boolean): string | undefined {
  const running = findRunningInPlan(plan);
  if (forceShrink || running.length === 0) {
    return undefined;
  }
  const names = running.map((vm) => vm.name);
  const verb = running.length === 1 ? "is" : "are";
  return `cannot shrink from ${String(from)} to ${String(plan.to)} VMs safely: it ${describeKubevirtScaleIn(plan)}, and ${joinNames(names)} ${verb} running. Stop ${running.length === 1 ? "it" : "them"} first (virtctl stop ${names.join(" ")}), or set 'backend.forceShrink: true' to remove running VMs`;
}
