/**
 * `total-prestarted-vms-budget`: at most a configurable number of VMs kept
 * prestarted across the stack. Prestarted VMs "consume system resources
 * even while not in use due to being idle" (seed 000), so they are budgeted
 * apart from the pools' sizes.
 */
import { z } from "zod";

import { defineStackPolicy } from "../lib/define-policy";
import { listStackPools } from "../lib/stack-pools";
import { known } from "../lib/vm-pool-fields";

/** Settings of `total-prestarted-vms-budget`. */
export const totalPrestartedVmsBudgetConfig = z.strictObject({
  /** The most VMs all pools of the stack may keep prestarted together. @default 200 */
  maxPrestartedVms: z.number().int().min(0).default(200).describe("The most VMs all pools of the stack may keep prestarted together."),
});

/** Settings of `total-prestarted-vms-budget`, with defaults applied. */
export type TotalPrestartedVmsBudgetConfig = z.infer<typeof totalPrestartedVmsBudgetConfig>;

/** The policy. */
export const totalPrestartedVmsBudget = defineStackPolicy({
  name: "total-prestarted-vms-budget",
  description: "Checks whether the stack's pools keep at most a configurable number of VMs prestarted in total (idle prestarted VMs still use resources).",
  severity: "medium",
  enforcementLevel: "mandatory",
  remediationSteps: "Lower 'prestarted' where users can wait for a VM to start, or raise 'maxPrestartedVms' in the policy config.",
  config: totalPrestartedVmsBudgetConfig,
  check(resources, config, report) {
    const counted = listStackPools(resources).flatMap((pool) => {
      const prestarted = known(pool.fields.prestarted);
      return prestarted === undefined || prestarted === 0 ? [] : [{ name: pool.resource.name, prestarted }];
    });
    const total = counted.reduce((sum, pool) => sum + pool.prestarted, 0);
    if (total > config.maxPrestartedVms) {
      const parts = counted.map((pool) => `'${pool.name}' ${pool.prestarted}`).join(", ");
      report(`The stack's pools must keep at most ${config.maxPrestartedVms} VMs prestarted in total ('maxPrestartedVms'), but keep ${total}: ${parts}`);
    }
  },
});
