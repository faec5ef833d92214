/**
 * `vm-pool-no-high-performance`: no "High Performance" VMs in a pool. Seed
 * 001: "High Performance optimization is not recommended for pools because a
 * high performance virtual machine is pinned to a single host and concrete
 * resources. A pool containing multiple virtual machines with such a
 * configuration would not run well." Advisory, as the guide only advises.
 *
 * On oVirt pool VMs take the optimization from their template, which the
 * program does not show, so High Performance templates are named in the
 * config. On KubeVirt the same pinning is the VM spec's
 * `domain.cpu.dedicatedCpuPlacement`.
 */
import { z } from "zod";

import { VM_POOL_TYPE } from "../../provider/vm-pool";
import { defineResourcePolicy } from "../lib/define-policy";
import { dig } from "../lib/inputs";
import { findMatchingPattern } from "../lib/patterns";
import { known, readVmPoolFields } from "../lib/vm-pool-fields";

/** Settings of `vm-pool-no-high-performance`. */
export const vmPoolNoHighPerformanceConfig = z.strictObject({
  /**
   * oVirt templates (names or ids) optimized for High Performance; `*`
   * matches anything, letter case is ignored. @default ["*high-performance*", "*highperf*"]
   */
  highPerformanceTemplates: z
    .array(z.string().min(1))
    .default(["*high-performance*", "*highperf*"])
    .describe("oVirt templates (name or id patterns, * = anything) optimized for High Performance."),
});

/** Settings of `vm-pool-no-high-performance`, with defaults applied. */
export type VmPoolNoHighPerformanceConfig = z.infer<typeof vmPoolNoHighPerformanceConfig>;

const WHY = "a High Performance VM is pinned to one host and concrete resources, so a pool of them would not run well (seed 001)";

/** The policy. */
export const vmPoolNoHighPerformance = defineResourcePolicy({
  name: "vm-pool-no-high-performance",
  description: "Checks whether a pool avoids High Performance VMs (pinned to one host), which the oVirt guide advises against for pools.",
  severity: "medium",
  enforcementLevel: "advisory",
  remediationSteps: "Base the pool on a Desktop or Server template (oVirt), or drop 'dedicatedCpuPlacement' from the VM spec (KubeVirt).",
  resourceType: VM_POOL_TYPE,
  config: vmPoolNoHighPerformanceConfig,
  check(resource, config, report) {
    const pool = readVmPoolFields(resource.props);
    const template = known(pool.template);
    const pattern = template === undefined ? undefined : findMatchingPattern(template, config.highPerformanceTemplates);
    if (template !== undefined && pattern !== undefined) {
      report(`'backend.template' must not be a High Performance template for a pool: ${WHY} (got "${template}", which matches '${pattern}' in 'highPerformanceTemplates')`);
    }
    const spec = known(pool.vmSpec);
    if (spec !== undefined && dig(spec, "template", "spec", "domain", "cpu", "dedicatedCpuPlacement") === true) {
      report(`'backend.virtualMachineTemplate.spec.template.spec.domain.cpu.dedicatedCpuPlacement' must not be true for a pool: ${WHY} (got true)`);
    }
  },
});
