import { describe, expect, it } from "vitest";

import { vmPoolVmSettings } from "../../../policies/rules/vm-pool-vm-settings";
import { kubevirtPoolProps, ovirtPoolProps, runResourcePolicy, UNKNOWN_VALUE } from "../../harness/policy-harness";

describe("vm-pool-vm-settings", () => {
  it.each([
    { props: ovirtPoolProps({}, { vm: { host: { passThroughHostCpu: true, migrationMode: "none" }, usb: true } }) },
    { props: ovirtPoolProps() },
    { props: ovirtPoolProps({}, { vm: UNKNOWN_VALUE }) },
    { props: ovirtPoolProps({ stateful: true }, { vm: { usb: true, initialRun: { sysprep: { adminPassword: "x" } } } }) },
    { props: kubevirtPoolProps() },
  ])("passes %j", async ({ props }) => {
    expect((await runResourcePolicy(vmPoolVmSettings, { props })).violations).toEqual([]);
  });

  it("reports every rule's problem, as check() does", async () => {
    const props = ovirtPoolProps({ name: "windows-desks-??", size: 2 }, { vm: { host: { passThroughHostCpu: true, migrationMode: "manual" }, resources: { memoryMiB: 1024, guaranteedMemoryMiB: 2048 }, usb: true, initialRun: { sysprep: { adminPassword: "x" } } } });
    expect((await runResourcePolicy(vmPoolVmSettings, { props })).violations).toEqual([
      "'backend.vm.usb' cannot reach the VMs of this stateless pool: the engine's pool create ignores USB, and the engine refuses later edits of stateless pool VMs whose initial run stores a password; set USB on the template, or put the password in 'sysprep.customFile' or 'cloudInit.customScript' (got true)",
      `'backend.vm.host.passThroughHostCpu' needs 'backend.vm.host.migrationMode: "none"' (got 'manual'): a VM with the host's CPU passed through cannot migrate (got true)`,
      "'backend.vm.resources.guaranteedMemoryMiB' must not exceed 'memoryMiB' (1024) (got 2048)",
      "'name' makes VM names up to 16 characters long ('windows-desks-02' for a pool of 2); a Windows computer name holds 15, and the engine's sysprep cuts longer VM names to 15 at first boot, so VMs would share computer names, so shorten the name (got \"windows-desks-??\")",
    ]);
  });

  it("reports a malformed setting by its path", async () => {
    expect((await runResourcePolicy(vmPoolVmSettings, { props: ovirtPoolProps({}, { vm: { console: "rdp" } }) })).violations).toEqual(["'backend.vm.console' must be 'spice' or 'vnc' (got {\"console\":\"rdp\"})"]);
  });
});
