import { describe, expect, it } from "vitest";

import { vmPoolMaxSize } from "../../../policies/rules/vm-pool-max-size";
import { kubevirtPoolProps, ovirtPoolProps, runResourcePolicy, UNKNOWN_VALUE } from "../../harness/policy-harness";

describe("vm-pool-max-size", () => {
  it.each([
    // The engine's default MaxVmsInPool is the limit itself.
    { props: ovirtPoolProps({ size: 1000 }) },
    { props: kubevirtPoolProps({ size: 12 }) },
    // A size still unknown in preview is not guessed at.
    { props: ovirtPoolProps({ size: UNKNOWN_VALUE }) },
  ])("passes $props.size VMs", async ({ props }) => {
    expect(await runResourcePolicy(vmPoolMaxSize, { props })).toEqual({ violations: [] });
  });

  it("reports a pool above the engine's MaxVmsInPool of 1000", async () => {
    expect(await runResourcePolicy(vmPoolMaxSize, { props: ovirtPoolProps({ size: 1001 }) })).toEqual({
      violations: ["'size' must be at most 1000 VMs per pool, the engine's MaxVmsInPool (got 1001); split the pool or raise 'maxVmsInPool' in the policy config"],
    });
  });

  it("reports against the configured maxVmsInPool", async () => {
    // GIVEN an engine whose MaxVmsInPool was lowered to 50
    const config = { maxVmsInPool: 50 };
    // THEN a pool of 60 breaks it and a pool of 50 does not
    expect((await runResourcePolicy(vmPoolMaxSize, { props: ovirtPoolProps({ size: 60 }) }, config)).violations).toEqual([
      "'size' must be at most 50 VMs per pool, the engine's MaxVmsInPool (got 60); split the pool or raise 'maxVmsInPool' in the policy config",
    ]);
    expect((await runResourcePolicy(vmPoolMaxSize, { props: ovirtPoolProps({ size: 50 }) }, config)).violations).toEqual([]);
  });
});
