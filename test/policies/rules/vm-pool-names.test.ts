import { describe, expect, it } from "vitest";

import { vmPoolNames } from "../../../policies/rules/vm-pool-names";
import { kubevirtPoolProps, ovirtPoolProps, runResourcePolicy, UNKNOWN_VALUE } from "../../harness/policy-harness";

describe("vm-pool-names", () => {
  it.each([
    // oVirt: the engine's pattern, VM names room12-01 .. room12-20.
    { props: ovirtPoolProps() },
    // A Windows template with VM names within 15 characters: win-lab-01 .. win-lab-40.
    { props: ovirtPoolProps({ name: "win-lab-??", size: 40 }, { template: "win11-desktop" }) },
    // A long name from a template that does not hold Windows: only the 64-character limit applies.
    { props: ovirtPoolProps({ name: "student-desktops-room-12-??" }, { template: "rhel9-desktop" }) },
    // KubeVirt: a DNS label, VM names lab-0 .. lab-2.
    { props: kubevirtPoolProps() },
    // Unknown in preview.
    { props: ovirtPoolProps({ name: UNKNOWN_VALUE }) },
    { props: ovirtPoolProps({ name: "student-desktops-??" }, { template: UNKNOWN_VALUE }) },
  ])("passes $props.name", async ({ props }) => {
    expect((await runResourcePolicy(vmPoolNames, { props })).violations).toEqual([]);
  });

  it("reports a pool name the engine refuses", async () => {
    expect((await runResourcePolicy(vmPoolNames, { props: ovirtPoolProps({ name: "room 12" }) })).violations).toEqual([
      "'name' must use only letters, digits, '.', '_', '-' and at most one run of '?' (the VM number mask, e.g. 'lab-???'), and no spaces (got \"room 12\")",
    ]);
  });

  it("reports VM names past the engine's 64 characters", async () => {
    const name = "p".repeat(62);
    expect((await runResourcePolicy(vmPoolNames, { props: ovirtPoolProps({ name, size: 10 }) })).violations).toEqual([
      `'name' makes VM names up to 65 characters long ('${name}-10' for a pool of 10); the engine allows 64, so shorten the name (got "${name}")`,
    ]);
  });

  it("reports VM names past 15 characters for a template the config names as Windows", async () => {
    expect((await runResourcePolicy(vmPoolNames, { props: ovirtPoolProps({ name: "student-desktop-??", size: 20 }, { template: "Win11-Desktop" }) })).violations).toEqual([
      "'name' makes VM names up to 18 characters long ('student-desktop-20' for a pool of 20); a Windows computer name holds 15, and the engine's sysprep cuts longer VM names to 15 at first boot, so VMs would share computer names, so shorten the name (got \"student-desktop-??\"); template 'Win11-Desktop' holds Windows ('win*' in 'windowsTemplates')",
    ]);
  });

  it("takes Windows templates from the config", async () => {
    // GIVEN a site whose Windows templates are named w2k22-*
    const props = ovirtPoolProps({ name: "student-desktop-??" }, { template: "w2k22-base" });
    // THEN they are Windows to the rule, and the default patterns are replaced
    expect((await runResourcePolicy(vmPoolNames, { props }, { windowsTemplates: ["w2k22-*"] })).violations).toEqual([
      "'name' makes VM names up to 18 characters long ('student-desktop-20' for a pool of 20); a Windows computer name holds 15, and the engine's sysprep cuts longer VM names to 15 at first boot, so VMs would share computer names, so shorten the name (got \"student-desktop-??\"); template 'w2k22-base' holds Windows ('w2k22-*' in 'windowsTemplates')",
    ]);
    expect((await runResourcePolicy(vmPoolNames, { props: ovirtPoolProps({ name: "student-desktop-??" }, { template: "win11" }) }, { windowsTemplates: ["w2k22-*"] })).violations).toEqual([]);
  });

  it("reports a KubeVirt pool name that is no DNS label", async () => {
    expect((await runResourcePolicy(vmPoolNames, { props: kubevirtPoolProps({ name: "Lab_1" }) })).violations).toEqual([
      "'name' must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit (got \"Lab_1\")",
    ]);
  });

  it("reports a name the schema refuses", async () => {
    expect((await runResourcePolicy(vmPoolNames, { props: ovirtPoolProps({ name: "" }) })).violations).toEqual(["'name' must not be empty (got \"\")"]);
  });
});
