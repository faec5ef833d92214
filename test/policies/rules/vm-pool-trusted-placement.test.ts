import { describe, expect, it } from "vitest";

import { vmPoolTrustedPlacement } from "../../../policies/rules/vm-pool-trusted-placement";
import { kubevirtPoolProps, ovirtPoolProps, runResourcePolicy, UNKNOWN_VALUE } from "../../harness/policy-harness";

const PLACEMENT = { kind: "ovirt", name: "exam-hosts", id: "c-1" };
const SPEC = { runStrategy: "Halted", template: { spec: { domain: { devices: {} } } } };
const MARKED = { metadata: { annotations: { "vmpools.io/trusted-hosts": "required" } }, spec: SPEC };

describe("vm-pool-trusted-placement", () => {
  it.each([
    // Not marked: nothing required.
    { props: ovirtPoolProps({ name: "exam-??" }), config: {} },
    // Marked by name and placed (the placement is unknown until the cluster exists).
    { props: ovirtPoolProps({ name: "exam-??", trustedCluster: UNKNOWN_VALUE }), config: { pools: ["exam-*"] } },
    { props: ovirtPoolProps({ name: "exam-??", trustedCluster: PLACEMENT }, { cluster: undefined }), config: { pools: ["exam-*"] } },
    // Marked by annotation and placed.
    { props: kubevirtPoolProps({ trustedCluster: UNKNOWN_VALUE }, MARKED), config: {} },
  ])("passes $props.name with $config", async ({ props, config }) => {
    expect((await runResourcePolicy(vmPoolTrustedPlacement, { name: "exam", props }, config)).violations).toEqual([]);
  });

  it("reports a pool the config marks by name that is not placed in a TrustedCluster", async () => {
    expect((await runResourcePolicy(vmPoolTrustedPlacement, { name: "exam", props: ovirtPoolProps({ name: "Exam-??" }) }, { pools: ["exam-*"] })).violations).toEqual([
      "'trustedCluster' must place this pool in a TrustedCluster: it needs trusted hosts (marked by 'exam-*' in 'pools'), and only a pool placed in one runs on attested hosts alone",
    ]);
  });

  it("matches the Pulumi resource name too", async () => {
    expect((await runResourcePolicy(vmPoolTrustedPlacement, { name: "finals", props: ovirtPoolProps() }, { pools: ["finals"] })).violations).toHaveLength(1);
  });

  it("reports a KubeVirt pool marked by its VM template annotation", async () => {
    expect((await runResourcePolicy(vmPoolTrustedPlacement, { props: kubevirtPoolProps({}, MARKED) })).violations).toEqual([
      "'trustedCluster' must place this pool in a TrustedCluster: it needs trusted hosts (marked by the VM template annotation vmpools.io/trusted-hosts: required), and only a pool placed in one runs on attested hosts alone",
    ]);
  });

  it("reports a pool placed in a trusted cluster but naming another cluster", async () => {
    const props = ovirtPoolProps({ trustedCluster: PLACEMENT }, { cluster: "Default" });
    expect((await runResourcePolicy(vmPoolTrustedPlacement, { props })).violations).toEqual([
      "'backend.cluster' must be the trusted cluster 'exam-hosts' the pool is placed in (leave it out to take it from 'trustedCluster') (got \"Default\")",
    ]);
  });
});
