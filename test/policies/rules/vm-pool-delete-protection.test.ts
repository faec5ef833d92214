import { describe, expect, it } from "vitest";

import { vmPoolDeleteProtection } from "../../../policies/rules/vm-pool-delete-protection";
import { kubevirtPoolProps, ovirtPoolProps, runResourcePolicy, UNKNOWN_VALUE } from "../../harness/policy-harness";

describe("vm-pool-delete-protection", () => {
  it.each([
    // At the threshold: not required yet.
    { props: ovirtPoolProps({ size: 50 }), protect: false },
    { props: ovirtPoolProps({ size: 200, deleteProtection: true }), protect: false },
    { props: ovirtPoolProps({ size: 200 }), protect: true },
    { props: kubevirtPoolProps({ size: 200 }), protect: true },
    { props: ovirtPoolProps({ size: 200, deleteProtection: UNKNOWN_VALUE }), protect: false },
  ])("passes $props.size VMs (protect: $protect)", async ({ props, protect }) => {
    expect((await runResourcePolicy(vmPoolDeleteProtection, { props, protect })).violations).toEqual([]);
  });

  it.each([
    { props: ovirtPoolProps({ size: 51 }), message: "A pool of more than 50 VMs must be protected from deletion: set 'deleteProtection: true' or the 'protect' resource option (got 51 VMs, unprotected)" },
    { props: kubevirtPoolProps({ size: 51 }), message: "A pool of more than 50 VMs must be protected from deletion: set the 'protect' resource option (KubeVirt pools have no 'deleteProtection') (got 51 VMs, unprotected)" },
  ])("advises protecting $props.backend.kind pools of $props.size", async ({ props, message }) => {
    expect((await runResourcePolicy(vmPoolDeleteProtection, { props })).violations).toEqual([message]);
  });

  it("uses the configured size", async () => {
    expect((await runResourcePolicy(vmPoolDeleteProtection, { props: ovirtPoolProps({ size: 20 }) }, { maxUnprotectedSize: 10 })).violations).toEqual([
      "A pool of more than 10 VMs must be protected from deletion: set 'deleteProtection: true' or the 'protect' resource option (got 20 VMs, unprotected)",
    ]);
  });
});
