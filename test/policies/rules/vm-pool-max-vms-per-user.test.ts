import { describe, expect, it } from "vitest";

import { vmPoolMaxVmsPerUser } from "../../../policies/rules/vm-pool-max-vms-per-user";
import { ovirtPoolProps, runResourcePolicy, UNKNOWN_VALUE } from "../../harness/policy-harness";

describe("vm-pool-max-vms-per-user", () => {
  it.each([
    { props: ovirtPoolProps({ maxVmsPerUser: 1 }) },
    { props: ovirtPoolProps({ size: 20, maxVmsPerUser: 20 }) },
    // Left out of raw inputs: the default, 1.
    { props: ovirtPoolProps({ maxVmsPerUser: undefined }) },
    { props: ovirtPoolProps({ size: UNKNOWN_VALUE, maxVmsPerUser: 5 }) },
  ])("passes $props.maxVmsPerUser per user in a pool of $props.size", async ({ props }) => {
    expect((await runResourcePolicy(vmPoolMaxVmsPerUser, { props })).violations).toEqual([]);
  });

  it.each([
    // More than the pool has: the engine's REST API accepts it, its UI does not.
    { props: ovirtPoolProps({ size: 4, maxVmsPerUser: 8 }), message: "'maxVmsPerUser' must not exceed the pool's size (4): a user cannot hold more VMs than the pool has (got 8)" },
    // Outside the engine's range: the field's own rule.
    { props: ovirtPoolProps({ maxVmsPerUser: 0 }), message: "'maxVmsPerUser' must be between 1 and 32767 (got 0)" },
    { props: ovirtPoolProps({ size: 40_000, maxVmsPerUser: 32_768 }), message: "'maxVmsPerUser' must be between 1 and 32767 (got 32768)" },
  ])("reports $props.maxVmsPerUser per user in a pool of $props.size", async ({ props, message }) => {
    expect((await runResourcePolicy(vmPoolMaxVmsPerUser, { props })).violations).toEqual([message]);
  });
});
