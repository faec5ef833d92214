/**
 * The required node affinity of a pool placed in a KubeVirt trusted cluster:
 * merged into the user's own affinity without dropping any of it, and taken
 * out again exactly on read.
 */
import { describe, expect, it } from "vitest";

import { fromPlacedVmSpec, toPlacedVmSpec, toPlacementRequirements, type KubevirtPlacement } from "../../../../provider/backends/kubevirt/placement-affinity";

const placement: KubevirtPlacement = {
  kind: "kubevirt",
  name: "secure",
  nodeSelector: { zone: "a", lab: "secure" },
  attestationLabel: { key: "vmpools.io/attested", value: "true" },
};
const LAB = { key: "lab", operator: "In", values: ["secure"] };
const ZONE = { key: "zone", operator: "In", values: ["a"] };
const ATTESTED = { key: "vmpools.io/attested", operator: "In", values: ["true"] };
const GPU = { key: "gpu", operator: "Exists" };
const domain = { domain: { devices: {} } };

/** A VM spec whose VMI template has `affinity`. */
const withAffinity = (affinity: Record<string, unknown>): Record<string, unknown> => ({ runStrategy: "Halted", template: { spec: { ...domain, affinity } } });
const required = (...terms: Record<string, unknown>[]): Record<string, unknown> => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } });

describe("toPlacementRequirements", () => {
  it.each([
    ["one expression per selector label, keys sorted, then the attestation label", placement, [LAB, ZONE, ATTESTED]],
    ["only the attestation label for an empty selector (every node)", { ...placement, nodeSelector: {} }, [ATTESTED]],
    ["no repeat when the selector already requires the attestation label", { ...placement, nodeSelector: { "vmpools.io/attested": "true" } }, [ATTESTED]],
    ["both when the selector asks for another attestation value (schedules nowhere: fails closed)", { ...placement, nodeSelector: { "vmpools.io/attested": "false" } }, [{ key: "vmpools.io/attested", operator: "In", values: ["false"] }, ATTESTED]],
  ])("%s", (_name, given, expected) => {
    expect(toPlacementRequirements(given)).toEqual(expected);
  });
});

describe("toPlacedVmSpec", () => {
  it.each([
    // GIVEN no affinity at all: the placement becomes the only term.
    ["adds one term when the user wrote no affinity", { runStrategy: "Halted", template: { spec: domain } }, withAffinity(required({ matchExpressions: [LAB, ZONE, ATTESTED] }))],
    ["adds one term when the VM spec has no template yet", { runStrategy: "Halted" }, { runStrategy: "Halted", template: { spec: { affinity: required({ matchExpressions: [LAB, ZONE, ATTESTED] }) } } }],
    ["treats an empty term list (which matches nothing) as none", withAffinity(required()), withAffinity(required({ matchExpressions: [LAB, ZONE, ATTESTED] }))],
    // GIVEN the user's own terms: the placement is ANDed into each one.
    ["appends to the user's expressions in their term", withAffinity(required({ matchExpressions: [GPU] })), withAffinity(required({ matchExpressions: [GPU, LAB, ZONE, ATTESTED] }))],
    [
      "ANDs into every term, keeping the OR between them",
      withAffinity(required({ matchExpressions: [GPU] }, { matchExpressions: [{ key: "cpu", operator: "In", values: ["x86"] }] })),
      withAffinity(required({ matchExpressions: [GPU, LAB, ZONE, ATTESTED] }, { matchExpressions: [{ key: "cpu", operator: "In", values: ["x86"] }, LAB, ZONE, ATTESTED] })),
    ],
    [
      "keeps matchFields and adds the expressions beside them",
      withAffinity(required({ matchFields: [{ key: "metadata.name", operator: "In", values: ["n1"] }] })),
      withAffinity(required({ matchFields: [{ key: "metadata.name", operator: "In", values: ["n1"] }], matchExpressions: [LAB, ZONE, ATTESTED] })),
    ],
    ["does not repeat an expression the user already wrote", withAffinity(required({ matchExpressions: [ZONE, GPU] })), withAffinity(required({ matchExpressions: [ZONE, GPU, LAB, ATTESTED] }))],
    [
      "keeps preferred node affinity and pod (anti-)affinity untouched",
      withAffinity({ podAntiAffinity: { x: 1 }, nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [GPU] } }] } }),
      withAffinity({
        podAntiAffinity: { x: 1 },
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [GPU] } }],
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [LAB, ZONE, ATTESTED] }] },
        },
      }),
    ],
  ])("%s", (_name, given, expected) => {
    expect(toPlacedVmSpec(given, placement)).toEqual(expected);
  });
});

describe("fromPlacedVmSpec", () => {
  it.each([
    ["no affinity", { runStrategy: "Halted", template: { spec: domain } }],
    ["the user's expressions", withAffinity(required({ matchExpressions: [GPU] }))],
    ["two terms", withAffinity(required({ matchExpressions: [GPU] }, { matchFields: [{ key: "metadata.name", operator: "In", values: ["n1"] }] }))],
    ["preferred affinity only", withAffinity({ nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [GPU] } }] } })],
    ["pod anti-affinity", withAffinity({ podAntiAffinity: { x: 1 } })],
  ])("takes exactly the injected expressions out again (%s)", (_name, userSpec) => {
    expect(fromPlacedVmSpec(toPlacedVmSpec(userSpec, placement), placement)).toEqual({ spec: userSpec, placed: true });
  });

  it("reports a spec whose attestation expression was removed out of band as not placed", () => {
    const edited = withAffinity(required({ matchExpressions: [GPU, LAB, ZONE] }));
    expect(fromPlacedVmSpec(edited, placement)).toEqual({ spec: withAffinity(required({ matchExpressions: [GPU] })), placed: false });
  });

  it("reports a spec with one term lacking the placement as not placed", () => {
    const edited = withAffinity(required({ matchExpressions: [GPU, LAB, ZONE, ATTESTED] }, { matchExpressions: [{ key: "cpu", operator: "Exists" }] }));
    expect(fromPlacedVmSpec(edited, placement).placed).toBe(false);
  });

  it("reports a spec without any affinity as not placed, unchanged", () => {
    const bare = { runStrategy: "Halted", template: { spec: domain } };
    expect(fromPlacedVmSpec(bare, placement)).toEqual({ spec: bare, placed: false });
  });
});
