import { describe, expect, it } from "vitest";

import { fromKubevirtVmiList, fromKubevirtVmList, toKubevirtPoolVms, toKubevirtVmOutputs, toVmIndex } from "../../../../provider/backends/kubevirt/pool-vms";

const POOL_UID = "pool-uid";

/** A VM as the API server returns it. */
function vmObject(name: string, status: Record<string, unknown> | undefined, owner = POOL_UID, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    metadata: { name, uid: `${name}-uid`, creationTimestamp: "2026-01-01T00:00:00Z", ownerReferences: [{ kind: "VirtualMachinePool", name: "web", uid: owner, controller: true }], ...extra },
    ...(status === undefined ? {} : { status }),
  };
}

/** A VMI as the API server returns it, owned by VM `name`. */
function vmiObject(name: string, phase: string, node: string): Record<string, unknown> {
  return { metadata: { name, ownerReferences: [{ kind: "VirtualMachine", name, uid: `${name}-uid`, controller: true }] }, status: { phase, nodeName: node } };
}

describe("toVmIndex", () => {
  it.each([
    ["web-0", 0],
    ["web-12", 12],
    ["my-web-3", 3],
    // Not a number after the last '-': 0, as virt-controller's indexFromName failure is treated.
    ["web-x", 0],
    ["web", 0],
  ])("%s -> %i", (name, index) => {
    expect(toVmIndex(name)).toBe(index);
  });
});

describe("toKubevirtPoolVms and toKubevirtVmOutputs", () => {
  const vms = fromKubevirtVmList({
    items: [
      vmObject("web-2", { printableStatus: "Running", conditions: [{ type: "Ready", status: "True" }] }),
      vmObject("web-0", { printableStatus: "Stopped", conditions: [{ type: "Ready", status: "False" }] }),
      // A VM whose guest shut down: its VMI finished.
      vmObject("web-1", { printableStatus: "Stopped" }),
      // Not reported on yet.
      vmObject("web-3", undefined),
      // Another controller's VM with the same labels.
      vmObject("web-9", { printableStatus: "Running" }, "other-uid"),
      vmObject("web-4", { printableStatus: "Terminating", ready: false }, POOL_UID, { deletionTimestamp: "2026-01-01T00:01:00Z" }),
    ],
  });
  const vmis = fromKubevirtVmiList({ items: [vmiObject("web-2", "Running", "node-a"), vmiObject("web-1", "Succeeded", "node-b"), vmiObject("web-4", "Running", "node-c")] });

  it("keeps the pool's own VMs in index order, running by their VMI", () => {
    expect(toKubevirtPoolVms(POOL_UID, vms, vmis).map((vm) => [vm.name, vm.status, vm.ready, vm.running, vm.node ?? "-", vm.deleting])).toEqual([
      ["web-0", "Stopped", false, false, "-", false],
      ["web-1", "Stopped", false, false, "-", false],
      ["web-2", "Running", true, true, "node-a", false],
      ["web-3", "Unknown", false, false, "-", false],
      ["web-4", "Terminating", false, true, "node-c", true],
    ]);
  });

  it("judges running by the printable status when the VMIs cannot be read", () => {
    expect(toKubevirtPoolVms(POOL_UID, vms, undefined).map((vm) => [vm.name, vm.running])).toEqual([
      ["web-0", false],
      ["web-1", false],
      ["web-2", true],
      ["web-3", false],
      ["web-4", false],
    ]);
  });

  it("makes the outputs oVirt has: id, name, status (plus ready and node), and the running count", () => {
    expect(toKubevirtVmOutputs(toKubevirtPoolVms(POOL_UID, vms, vmis).slice(1, 3))).toEqual({
      vms: [
        { id: "web-1-uid", name: "web-1", status: "Stopped", ready: false },
        { id: "web-2-uid", name: "web-2", status: "Running", ready: true, node: "node-a" },
      ],
      runningVmCount: 1,
    });
  });

  it("names the field when a list item is not a VM", () => {
    expect(() => fromKubevirtVmList({ items: [{ metadata: { name: "x" } }] })).toThrow("unexpected VirtualMachine from the API server at 'items.0.metadata.uid'");
  });
});
