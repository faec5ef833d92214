import { describe, expect, it } from "vitest";

import type { KubevirtPoolVm } from "../../../../provider/backends/kubevirt/pool-vms";
import { describeKubevirtScaleIn, findKubevirtScaleInRefusal, planKubevirtScaleIn } from "../../../../provider/backends/kubevirt/scale-in-plan";
import type { KubevirtSortPolicy } from "../../../../provider/schemas/kubevirt-pool-policy";

/** A pool VM `web-<index>`, stopped unless said otherwise, created at `second` past midnight. */
function vm(index: number, options: { running?: boolean; deleting?: boolean; second?: number } = {}): KubevirtPoolVm {
  const running = options.running ?? false;
  return {
    name: `web-${String(index)}`,
    uid: `u-${String(index)}`,
    index,
    createdAt: `2026-01-01T00:00:${String(options.second ?? index).padStart(2, "0")}Z`,
    deleting: options.deleting ?? false,
    status: running ? "Running" : "Stopped",
    ready: running,
    running,
    node: running ? "node-a" : undefined,
  };
}

const names = (vms: readonly KubevirtPoolVm[]): string[] => vms.map((v) => v.name);
const FOUR = [vm(0), vm(1), vm(2), vm(3)];

describe("planKubevirtScaleIn", () => {
  it.each([
    // Deterministic orders: exactly which VMs go.
    { label: "DescendingOrder: highest indexes", vms: FOUR, to: 2, order: "DescendingOrder", removed: ["web-3", "web-2"], candidates: [], pick: 0 },
    { label: "AscendingOrder: lowest indexes", vms: FOUR, to: 3, order: "AscendingOrder", removed: ["web-0"], candidates: [], pick: 0 },
    { label: "Oldest: by creation time", vms: [vm(0, { second: 9 }), vm(1, { second: 1 }), vm(2, { second: 5 })], to: 1, order: "Oldest", removed: ["web-1", "web-2"], candidates: [], pick: 0 },
    { label: "Newest: by creation time", vms: [vm(0, { second: 9 }), vm(1, { second: 1 }), vm(2, { second: 5 })], to: 2, order: "Newest", removed: ["web-0"], candidates: [], pick: 0 },
    // VMs created in the same second are interchangeable for the controller.
    { label: "Newest with a tie at the cut", vms: [vm(0, { second: 1 }), vm(1, { second: 7 }), vm(2, { second: 7 }), vm(3, { second: 9 })], to: 2, order: "Newest", removed: ["web-3"], candidates: ["web-1", "web-2"], pick: 1 },
    // Random: any of them.
    { label: "Random: a count among all", vms: FOUR, to: 3, order: "Random", removed: [], candidates: ["web-0", "web-1", "web-2", "web-3"], pick: 1 },
    { label: "Random down to 0: all of them", vms: FOUR, to: 0, order: "Random", removed: ["web-0", "web-1", "web-2", "web-3"], candidates: [], pick: 0 },
    // VMs already being deleted count toward the reduction and are not removed again.
    { label: "a deleting VM counts", vms: [vm(0), vm(1), vm(2, { deleting: true }), vm(3)], to: 2, order: "DescendingOrder", removed: ["web-3"], candidates: [], pick: 0 },
    { label: "nothing to remove when the controller has not made the VMs", vms: [vm(0)], to: 2, order: "DescendingOrder", removed: [], candidates: [], pick: 0 },
  ] as { label: string; vms: KubevirtPoolVm[]; to: number; order: KubevirtSortPolicy; removed: string[]; candidates: string[]; pick: number }[])("$label", ({ vms, to, order, removed, candidates, pick }) => {
    const plan = planKubevirtScaleIn(vms, to, order);
    expect([names(plan.removed), names(plan.candidates), plan.pick]).toEqual([removed, candidates, pick]);
  });
});

describe("describeKubevirtScaleIn and findKubevirtScaleInRefusal", () => {
  it.each([
    {
      label: "certain VMs",
      plan: planKubevirtScaleIn([vm(0), vm(1), vm(2, { running: true })], 1, "DescendingOrder"),
      text: "removes web-2 (Running on node-a) and web-1 (Stopped) (scale-in order DescendingOrder: the highest indexes first)",
    },
    {
      label: "a random pick",
      plan: planKubevirtScaleIn([vm(0), vm(1), vm(2)], 2, "Random"),
      text: "removes 1 of web-0 (Stopped), web-1 (Stopped), web-2 (Stopped), chosen by KubeVirt at random (scale-in order Random: at random)",
    },
    {
      label: "a tie",
      plan: planKubevirtScaleIn([vm(0, { second: 1 }), vm(1, { second: 7 }), vm(2, { second: 7 })], 2, "Newest"),
      text: "removes 1 of web-1 (Stopped), web-2 (Stopped) (created in the same second), chosen by KubeVirt (scale-in order Newest: the newest first)",
    },
    {
      label: "a VM already going",
      plan: planKubevirtScaleIn([vm(0), vm(1, { deleting: true }), vm(2)], 1, "DescendingOrder"),
      text: "removes web-2 (Stopped); web-1 is already being deleted and counts toward it (scale-in order DescendingOrder: the highest indexes first)",
    },
  ])("describes $label", ({ plan, text }) => {
    expect(describeKubevirtScaleIn(plan)).toBe(text);
  });

  it.each([
    { label: "no running VM goes: allowed", vms: [vm(0, { running: true }), vm(1)], force: false, refusal: undefined },
    { label: "forced: allowed", vms: [vm(0), vm(1, { running: true })], force: true, refusal: undefined },
    {
      label: "a running VM would go: refused, naming it",
      vms: [vm(0), vm(1, { running: true })],
      force: false,
      refusal:
        "cannot shrink from 2 to 1 VMs safely: it removes web-1 (Running on node-a) (scale-in order DescendingOrder: the highest indexes first), and web-1 is running. Stop it first (virtctl stop web-1), or set 'backend.forceShrink: true' to remove running VMs",
    },
  ])("$label", ({ vms, force, refusal }) => {
    expect(findKubevirtScaleInRefusal(planKubevirtScaleIn(vms, 1, "DescendingOrder"), 2, force)).toBe(refusal);
  });

  it("refuses a random shrink when any VM that may go is running", () => {
    const plan = planKubevirtScaleIn([vm(0), vm(1), vm(2, { running: true })], 2, "Random");
    expect(findKubevirtScaleInRefusal(plan, 3, false)).toBe(
      "cannot shrink from 3 to 2 VMs safely: it removes 1 of web-0 (Stopped), web-1 (Stopped), web-2 (Running on node-a), chosen by KubeVirt at random (scale-in order Random: at random), and web-2 is running. Stop it first (virtctl stop web-2), or set 'backend.forceShrink: true' to remove running VMs",
    );
  });
});
