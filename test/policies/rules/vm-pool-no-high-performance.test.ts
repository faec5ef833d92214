import { describe, expect, it } from "vitest";

import { vmPoolNoHighPerformance } from "../../../policies/rules/vm-pool-no-high-performance";
import { kubevirtPoolProps, ovirtPoolProps, runResourcePolicy } from "../../harness/policy-harness";

const PINNED_SPEC = { runStrategy: "Halted", template: { spec: { domain: { cpu: { cores: 4, dedicatedCpuPlacement: true }, devices: {} } } } };

describe("vm-pool-no-high-performance", () => {
  it.each([
    { props: ovirtPoolProps() },
    { props: kubevirtPoolProps() },
    { props: kubevirtPoolProps({}, { spec: { ...PINNED_SPEC, template: { spec: { domain: { cpu: { dedicatedCpuPlacement: false }, devices: {} } } } } }) },
  ])("passes $props.name", async ({ props }) => {
    expect((await runResourcePolicy(vmPoolNoHighPerformance, { props })).violations).toEqual([]);
  });

  it("advises against a template the config names as High Performance", async () => {
    expect((await runResourcePolicy(vmPoolNoHighPerformance, { props: ovirtPoolProps({}, { template: "cad-High-Performance" }) })).violations).toEqual([
      "'backend.template' must not be a High Performance template for a pool: a High Performance VM is pinned to one host and concrete resources, so a pool of them would not run well (seed 001) (got \"cad-High-Performance\", which matches '*high-performance*' in 'highPerformanceTemplates')",
    ]);
  });

  it("takes High Performance templates from the config", async () => {
    expect((await runResourcePolicy(vmPoolNoHighPerformance, { props: ovirtPoolProps({}, { template: "cad-pinned" }) }, { highPerformanceTemplates: ["*-pinned"] })).violations).toHaveLength(1);
    expect((await runResourcePolicy(vmPoolNoHighPerformance, { props: ovirtPoolProps({}, { template: "cad-high-performance" }) }, { highPerformanceTemplates: ["*-pinned"] })).violations).toEqual([]);
  });

  it("advises against KubeVirt VMs with dedicated CPUs", async () => {
    expect((await runResourcePolicy(vmPoolNoHighPerformance, { props: kubevirtPoolProps({}, { spec: PINNED_SPEC }) })).violations).toEqual([
      "'backend.virtualMachineTemplate.spec.template.spec.domain.cpu.dedicatedCpuPlacement' must not be true for a pool: a High Performance VM is pinned to one host and concrete resources, so a pool of them would not run well (seed 001) (got true)",
    ]);
  });
});
