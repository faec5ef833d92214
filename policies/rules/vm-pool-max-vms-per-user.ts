/**
 * `vm-pool-max-vms-per-user`: a user may hold 1 to 32,767 VMs of a pool
 * (seed 000; the engine's bean validation), and not more than the pool has,
 * which the engine's web UI enforces and its REST API does not
 * (reference §2.3).
 */
import { z } from "zod";

import { validateMaxVmsPerUser } from "../../provider/schemas/pool-rules";
import { VM_POOL_TYPE } from "../../provider/vm-pool";
import { defineResourcePolicy } from "../lib/define-policy";
import { formatIssue } from "../lib/messages";
import { known, readVmPoolFields } from "../lib/vm-pool-fields";

/** Settings of `vm-pool-max-vms-per-user`: none. */
export const vmPoolMaxVmsPerUserConfig = z.strictObject({});

/** The policy. */
export const vmPoolMaxVmsPerUser = defineResourcePolicy({
  name: "vm-pool-max-vms-per-user",
  description: "Checks whether a pool lets each user hold between 1 and 32,767 VMs, and no more than the pool has.",
  severity: "medium",
  enforcementLevel: "mandatory",
  remediationSteps: "Set 'maxVmsPerUser' between 1 and the pool's size.",
  resourceType: VM_POOL_TYPE,
  config: vmPoolMaxVmsPerUserConfig,
  check(resource, _config, report) {
    const pool = readVmPoolFields(resource.props);
    if (pool.maxVmsPerUser.state === "invalid") {
      pool.maxVmsPerUser.issues.forEach((issue) => {
        report(formatIssue(issue));
      });
      return;
    }
    const maxVmsPerUser = known(pool.maxVmsPerUser);
    const size = known(pool.size);
    if (maxVmsPerUser !== undefined && size !== undefined) {
      validateMaxVmsPerUser({ maxVmsPerUser, size }).forEach((issue) => {
        report(formatIssue(issue));
      });
    }
  },
});
