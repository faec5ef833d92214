/**
 * `total-vms-budget`: the stack's pools hold at most a configurable number
 * of VMs in total, so a change cannot take more of the hosts, storage and
 * MAC addresses than the stack was given.
 */
import { z } from "zod";

import { defineStackPolicy } from "../lib/define-policy";
import { listStackPools } from "../lib/stack-pools";
import { known } from "../lib/vm-pool-fields";

/** Settings of `total-vms-budget`. */
export const totalVmsBudgetConfig = z.strictObject({
  /** The most VMs all pools of the stack may hold together. @default 5000 */
  maxVms: z.number().int().min(0).default(5000).describe("The most VMs all pools of the stack may hold together."),
});

/** Settings of `total-vms-budget`, with defaults applied. */
export type TotalVmsBudgetConfig = z.infer<typeof totalVmsBudgetConfig>;

/** The policy. */
export const totalVmsBudget = defineStackPolicy({
  name: "total-vms-budget",
  description: "Checks whether the stack's pools hold at most a configurable number of VMs in total.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps: "Shrink or remove pools, or raise 'maxVms' in the policy config if the capacity is there.",
  config: totalVmsBudgetConfig,
  check(resources, config, report) {
    const counted = listStackPools(resources).flatMap((pool) => {
      const size = known(pool.fields.size);
      return size === undefined ? [] : [{ name: pool.resource.name, size }];
    });
    const total = counted.reduce((sum, pool) => sum + pool.size, 0);
    if (total > config.maxVms) {
      const parts = counted.map((pool) => `'${pool.name}' ${pool.size}`).join(", ");
      report(`The stack's pools must hold at most ${config.maxVms} VMs in total ('maxVms'), but hold ${total}: ${parts}`);
    }
  },
});
