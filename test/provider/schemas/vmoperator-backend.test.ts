import { describe, expect, it } from "vitest";

import { vmPoolInputsSchema } from "../../../provider/schemas/vm-pool";
import { checkInputs } from "../../../provider/check";

const pool = (extra: Record<string, unknown> = {}, backend: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: "lab",
  size: 2,
  ...extra,
  backend: { kind: "vmoperator", namespace: "vdi", vms: ["a", "b"], ...backend },
});

describe("VmPool on VM-Operator: check()", () => {
  it("applies the CRD's defaults", () => {
    const parsed = vmPoolInputsSchema.parse(pool());
    expect(parsed.backend).toEqual({ kind: "vmoperator", namespace: "vdi", retention: "PT1h", loginOnAssignment: false, vms: ["a", "b"] });
    expect(parsed.prestarted).toBe(0);
  });

  it.each([
    { label: "a retention the API server refuses", args: pool({}, { retention: "4 hours" }), failures: [{ property: "backend.retention", reason: "must be a duration such as 'PT4H', 'PT30M' or 'P1DT12H', or an instant such as '2026-12-24T18:00:00Z' or '2026-12-24T18:00:00+01:00' (the VmPool CRD's ISO 8601 pattern) (got \"4 hours\")" }] },
    { label: "both vms and selector", args: pool({}, { selector: { matchLabels: { a: "b" } } }), failures: [{ property: "backend.selector", reason: "give exactly one of 'vms' (the member VMs by name) and 'selector' ({ matchLabels }): VM-Operator pools are made of existing VMs (got {\"matchLabels\":{\"a\":\"b\"}})" }] },
    { label: "a size other than the number of named VMs", args: pool({ size: 3 }), failures: [{ property: "size", reason: "must equal the number of VMs in 'backend.vms' (2): a VM-Operator pool's size is its number of members (got 3)" }] },
    { label: "a VM named twice", args: pool({}, { vms: ["a", "a"] }), failures: [{ property: "backend.vms.1", reason: "names a VM twice (got \"a\")" }] },
    { label: "an empty selector", args: pool({}, { vms: undefined, selector: { matchLabels: {} } }), failures: [{ property: "backend.selector.matchLabels", reason: "must hold at least one label: an empty selector would take any VM in the namespace (got {})" }] },
    { label: "a pool name that is no DNS label", args: pool({ name: "Lab_1" }), failures: [{ property: "name", reason: "must be a DNS-1123 label of at most 63 characters: lowercase letters, digits and '-' (the VmPool's name, written into each member VM's spec.pools) (got \"Lab_1\")" }] },
    {
      label: "every common setting VM-Operator lacks",
      args: pool({ maxVmsPerUser: 2, type: "manual", stateful: true, deleteProtection: true, description: "d", comment: "c" }),
      failures: [
        { property: "maxVmsPerUser", reason: "is not supported on VM-Operator (VM-Operator assigns one VM of a pool per user); leave it unset (1) (got 2)" },
        { property: "type", reason: "is not supported on VM-Operator (an assignment ends by its retention, there is no manual pool); leave it unset (\"automatic\") (got \"manual\")" },
        { property: "stateful", reason: "is not supported on VM-Operator (VMs keep their disks as their own definitions say); leave it unset (false) (got true)" },
        { property: "deleteProtection", reason: "is not supported on VM-Operator (use a Pulumi 'protect' resource option instead); leave it unset (false) (got true)" },
        { property: "description", reason: "is not supported on VM-Operator (a VmPool has no description); leave it unset (\"\") (got \"d\")" },
        { property: "comment", reason: "is not supported on VM-Operator (a VmPool has no comment); leave it unset (\"\") (got \"c\")" },
      ],
    },
    {
      label: "a trusted cluster",
      args: pool({ trustedCluster: { kind: "kubevirt", name: "t", nodeSelector: { a: "b" }, attestationLabel: { key: "k", value: "v" } } }),
      failures: [{ property: "trustedCluster", reason: "is not supported on VM-Operator (a pool's VMs exist on their own and run where each VM's definition says); leave it unset, or keep a pool that needs trusted hosts on oVirt or KubeVirt (got \"kubevirt\")" }],
    },
  ])("reports $label", ({ args, failures }) => {
    const outcome = checkInputs(vmPoolInputsSchema, args);
    expect(outcome.failures).toEqual(failures);
  });
});
