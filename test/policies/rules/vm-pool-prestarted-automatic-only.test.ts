import { describe, expect, it } from "vitest";

import { vmPoolPrestartedAutomaticOnly } from "../../../policies/rules/vm-pool-prestarted-automatic-only";
import { ovirtPoolProps, runResourcePolicy, UNKNOWN_VALUE } from "../../harness/policy-harness";

describe("vm-pool-prestarted-automatic-only", () => {
  it.each([
    { props: ovirtPoolProps({ type: "automatic", prestarted: 4 }) },
    { props: ovirtPoolProps({ type: "manual", prestarted: 0 }) },
    // A type the raw inputs leave out is the default, automatic.
    { props: ovirtPoolProps({ type: undefined, prestarted: 4 }) },
    { props: ovirtPoolProps({ type: "manual", prestarted: UNKNOWN_VALUE }) },
  ])("passes a $props.type pool prestarting $props.prestarted", async ({ props }) => {
    expect((await runResourcePolicy(vmPoolPrestartedAutomaticOnly, { props })).violations).toEqual([]);
  });

  it("reports prestarted VMs in a manual pool", async () => {
    expect((await runResourcePolicy(vmPoolPrestartedAutomaticOnly, { props: ovirtPoolProps({ type: "manual", prestarted: 2 }) })).violations).toEqual([
      "'prestarted' must be 0 for a manual pool: prestarted VMs are for automatic pools, whose VMs return to the pool after use (got 2)",
    ]);
  });
});
