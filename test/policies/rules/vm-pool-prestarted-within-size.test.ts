import { describe, expect, it } from "vitest";

import { vmPoolPrestartedWithinSize } from "../../../policies/rules/vm-pool-prestarted-within-size";
import { kubevirtPoolProps, ovirtPoolProps, runResourcePolicy, UNKNOWN_VALUE } from "../../harness/policy-harness";

describe("vm-pool-prestarted-within-size", () => {
  it.each([
    { props: ovirtPoolProps({ size: 20, prestarted: 20 }) },
    { props: ovirtPoolProps({ size: 20, prestarted: 0 }) },
    // Unset on KubeVirt: derived from the VM spec's run strategy, as check() does.
    { props: kubevirtPoolProps({ prestarted: undefined }) },
    // Unknown in preview: nothing to compare.
    { props: ovirtPoolProps({ size: UNKNOWN_VALUE, prestarted: 30 }) },
  ])("passes $props.prestarted of $props.size", async ({ props }) => {
    expect((await runResourcePolicy(vmPoolPrestartedWithinSize, { props })).violations).toEqual([]);
  });

  it("reports more prestarted VMs than the pool has, also while check() cannot see it (another field unknown)", async () => {
    // GIVEN a pool whose trusted cluster does not exist yet, so check() skips its cross-field rules
    const props = ovirtPoolProps({ size: 3, prestarted: 5, trustedCluster: UNKNOWN_VALUE });
    // THEN the policy still compares the two known numbers
    expect((await runResourcePolicy(vmPoolPrestartedWithinSize, { props })).violations).toEqual(["'prestarted' must be between 0 and the pool's size (3) (got 5)"]);
  });

  it("reports a negative count with the field's own rule", async () => {
    expect((await runResourcePolicy(vmPoolPrestartedWithinSize, { props: ovirtPoolProps({ prestarted: -2 }) })).violations).toEqual(["'prestarted' must be 0 or more (got -2)"]);
  });
});
