import { describe, expect, it } from "vitest";

import { describeVmSettingChanges, listNames } from "../../../provider/diff/vm-settings-notices";

const vms = [
  { name: "lab-1", status: "down", taken: false, stale: ["host.migrationMode"] },
  { name: "lab-2", status: "up", taken: true, stale: ["host.migrationMode"] },
  { name: "lab-3", status: "up", taken: false, stale: ["host.migrationMode"] },
  { name: "lab-4", status: "down", taken: false, stale: [] },
];
const ENGINE = "the engine gives pool VMs their settings only when it creates them (a pool edit over its REST API does not reach existing VMs)";

describe("describeVmSettingChanges", () => {
  it("names the VMs keeping the old value when only new VMs change", () => {
    expect(describeVmSettingChanges("lab-?", ["host.migrationMode"], vms, "newVmsOnly")).toEqual([
      `VmPool 'lab-?': backend.vm.host.migrationMode changes for VMs created from now on only: 3 existing VMs keep the old value (lab-1, lab-2, lab-3), as ${ENGINE}; set 'backend.vmUpdatePolicy: "updateFreeVms"' to update the 1 down and free now`,
    ]);
  });

  it("names the VMs up will update and those left behind", () => {
    expect(describeVmSettingChanges("lab-?", ["host.migrationMode"], vms, "updateFreeVms")).toEqual([
      `VmPool 'lab-?': backend.vm.host.migrationMode changes: 'up' updates 1 existing VM down and free now (lab-1), one at a time; 2 keep the old value while running or in use (lab-2 (up, in use), lab-3 (up)), as ${ENGINE}; VMs created from now on get it`,
    ]);
  });

  it("says a setting no longer declared changes no VM", () => {
    expect(describeVmSettingChanges("lab-?", ["usb"], vms, "updateFreeVms", ["usb"])).toEqual([
      "VmPool 'lab-?': backend.vm.usb is no longer declared: every VM keeps its current value, and VMs created from now on copy an existing VM's (the engine's grow does); the provider does not reset VMs to the template's value",
    ]);
  });

  it("says so when every VM carries the new value already", () => {
    expect(describeVmSettingChanges("lab-?", ["console"], vms, "newVmsOnly")).toEqual(["VmPool 'lab-?': backend.vm.console changes; every existing VM already carries the new value, and VMs created from now on get it"]);
  });
});

describe("listNames", () => {
  it.each([
    { names: ["a", "b", "c"], max: 2, text: "a, b and 1 more" },
    { names: ["a"], max: 2, text: "a" },
    { names: [], max: 2, text: "" },
  ])("$names", ({ names, max, text }) => {
    expect(listNames(names, max)).toBe(text);
  });
});
