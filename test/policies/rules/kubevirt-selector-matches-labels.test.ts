import { describe, expect, it } from "vitest";

import { kubevirtSelectorMatchesLabels } from "../../../policies/rules/kubevirt-selector-matches-labels";
import { kubevirtPoolProps, ovirtPoolProps, runResourcePolicy, UNKNOWN_VALUE } from "../../harness/policy-harness";

const SPEC = { runStrategy: "Halted", template: { spec: { domain: { devices: {} } } } };

describe("kubevirt-selector-matches-labels", () => {
  it.each([
    // No labels: the provider labels the VMs kubevirt.io/vmpool=<name> and selects on that.
    { props: kubevirtPoolProps() },
    { props: kubevirtPoolProps({}, { metadata: { labels: { app: "desktop", "kubevirt.io/vmpool": "lab" } }, spec: SPEC }) },
    // The label unknown in preview.
    { props: kubevirtPoolProps({}, { metadata: { labels: UNKNOWN_VALUE }, spec: SPEC }) },
    { props: ovirtPoolProps() },
  ])("passes $props.name", async ({ props }) => {
    expect((await runResourcePolicy(kubevirtSelectorMatchesLabels, { props })).violations).toEqual([]);
  });

  it("reports VM labels that claim another pool's VMs", async () => {
    const props = kubevirtPoolProps({}, { metadata: { labels: { "kubevirt.io/vmpool": "other" } }, spec: SPEC });
    expect((await runResourcePolicy(kubevirtSelectorMatchesLabels, { props })).violations).toEqual([
      "'backend.virtualMachineTemplate.metadata.labels.kubevirt.io/vmpool' must be the pool's own name ('lab'): 'kubevirt.io/vmpool' names the pool a VM belongs to, and the pool's selector is generated from these labels, so another pool's name would make both pools select the same VMs; use a label of your own for a grouping shared by several pools (got \"other\")",
    ]);
  });

  it("reports VMI labels that route another pool's traffic here", async () => {
    const spec = { ...SPEC, template: { metadata: { labels: { "kubevirt.io/vmpool": "other" } }, spec: { domain: { devices: {} } } } };
    expect((await runResourcePolicy(kubevirtSelectorMatchesLabels, { props: kubevirtPoolProps({}, { spec }) })).violations).toEqual([
      "'backend.virtualMachineTemplate.spec.template.metadata.labels.kubevirt.io/vmpool' must be the pool's own name ('lab'): 'kubevirt.io/vmpool' names the pool a VM belongs to, and Services select the VMIs by it, so another pool's name would send that pool's traffic to these VMs; use a label of your own for a grouping shared by several pools (got \"other\")",
    ]);
  });
});
