import { describe, expect, it } from "vitest";

import { totalPrestartedVmsBudget } from "../../../policies/rules/total-prestarted-vms-budget";
import { kubevirtPoolProps, ovirtPoolProps, runStackPolicy } from "../../harness/policy-harness";

const RUNNING = { spec: { runStrategy: "Always", template: { spec: { domain: { devices: {} } } } } };

describe("total-prestarted-vms-budget", () => {
  it("passes pools within the default budget of 200 prestarted VMs", async () => {
    const resources = [
      { name: "a", props: ovirtPoolProps({ size: 300, prestarted: 150 }) },
      { name: "b", props: kubevirtPoolProps({ size: 50, prestarted: 50 }) },
    ];
    expect(await runStackPolicy(totalPrestartedVmsBudget, resources)).toEqual([]);
  });

  it("counts a KubeVirt pool that runs all its VMs as all prestarted, and reports the total", async () => {
    // GIVEN a KubeVirt pool whose VM spec says Always, with prestarted left to the provider
    const resources = [
      { name: "a", props: ovirtPoolProps({ size: 20, prestarted: 4 }) },
      { name: "b", props: kubevirtPoolProps({ size: 8, prestarted: undefined }, RUNNING) },
      { name: "c", props: ovirtPoolProps({ size: 20, prestarted: 0 }) },
    ];
    expect(await runStackPolicy(totalPrestartedVmsBudget, resources, { maxPrestartedVms: 10 })).toEqual([
      { message: "The stack's pools must keep at most 10 VMs prestarted in total ('maxPrestartedVms'), but keep 12: 'a' 4, 'b' 8" },
    ]);
  });
});
