/**
 * `vm-pool-max-size`: at most `MaxVmsInPool` VMs in one pool. The engine's
 * web UI refuses bigger pools (`MaxVmsInPool`, 1000 unless changed with
 * `engine-config`, seed 000), but its REST API does not, so a provider
 * would create them; the MAC pool, storage or `VmPoolMaxSubsequentFailures`
 * then stop the create half-way (reference §2.3). KubeVirt has no such
 * limit, but a pool that big is as likely a typo there.
 */
import { z } from "zod";

import { VM_POOL_TYPE } from "../../provider/vm-pool";
import { defineResourcePolicy } from "../lib/define-policy";
import { known, readVmPoolFields } from "../lib/vm-pool-fields";

/** Settings of `vm-pool-max-size`. */
export const vmPoolMaxSizeConfig = z.strictObject({
  /** The engine's `MaxVmsInPool`: raise it here when your engine allows more. @default 1000 */
  maxVmsInPool: z.number().int().min(1).default(1000).describe("The largest pool allowed, the engine's MaxVmsInPool."),
});

/** Settings of `vm-pool-max-size`, with defaults applied. */
export type VmPoolMaxSizeConfig = z.infer<typeof vmPoolMaxSizeConfig>;

/** The policy. */
export const vmPoolMaxSize = defineResourcePolicy({
  name: "vm-pool-max-size",
  description: "Checks whether a pool holds at most MaxVmsInPool VMs (the engine's default is 1000).",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps: "Split the pool into smaller pools, or raise 'maxVmsInPool' in the policy config if the engine's MaxVmsInPool allows more.",
  resourceType: VM_POOL_TYPE,
  config: vmPoolMaxSizeConfig,
  check(resource, config, report) {
    const size = known(readVmPoolFields(resource.props).size);
    if (size !== undefined && size > config.maxVmsInPool) {
      report(`'size' must be at most ${config.maxVmsInPool} VMs per pool, the engine's MaxVmsInPool (got ${size}); split the pool or raise 'maxVmsInPool' in the policy config`);
    }
  },
});
