import { describe, expect, it } from "vitest";

import { totalVmsBudget } from "../../../policies/rules/total-vms-budget";
import { kubevirtPoolProps, ovirtPoolProps, ovirtTrustedClusterProps, runStackPolicy, TYPES, UNKNOWN_VALUE } from "../../harness/policy-harness";

describe("total-vms-budget", () => {
  it("passes pools within the default budget of 5000 VMs", async () => {
    const resources = [
      { name: "a", props: ovirtPoolProps({ size: 1000 }) },
      { name: "b", props: kubevirtPoolProps({ size: 4000 }) },
      { name: "c", type: TYPES.cluster, props: ovirtTrustedClusterProps() },
    ];
    expect(await runStackPolicy(totalVmsBudget, resources)).toEqual([]);
  });

  it("reports the total and each pool's share when over budget", async () => {
    const resources = [
      { name: "a", props: ovirtPoolProps({ size: 30 }) },
      { name: "b", props: ovirtPoolProps({ size: 25 }) },
      // Unknown in preview: not counted.
      { name: "c", props: ovirtPoolProps({ size: UNKNOWN_VALUE }) },
    ];
    expect(await runStackPolicy(totalVmsBudget, resources, { maxVms: 50 })).toEqual([
      { message: "The stack's pools must hold at most 50 VMs in total ('maxVms'), but hold 55: 'a' 30, 'b' 25" },
    ]);
  });
});
