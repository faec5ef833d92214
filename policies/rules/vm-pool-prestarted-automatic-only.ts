/**
 * `vm-pool-prestarted-automatic-only`: prestarted VMs only in automatic
 * pools (seed 000, "Only automatic pools can have prestarted virtual
 * machines"). The engine's pool monitor starts them in a manual pool too,
 * where nobody returns a VM after use (reference §2.4).
 */
import { z } from "zod";

import { validatePrestartedPoolType } from "../../provider/schemas/pool-rules";
import { VM_POOL_TYPE } from "../../provider/vm-pool";
import { defineResourcePolicy } from "../lib/define-policy";
import { formatIssue } from "../lib/messages";
import { known, readVmPoolFields } from "../lib/vm-pool-fields";

/** Settings of `vm-pool-prestarted-automatic-only`: none. */
export const vmPoolPrestartedAutomaticOnlyConfig = z.strictObject({});

/** The policy. */
export const vmPoolPrestartedAutomaticOnly = defineResourcePolicy({
  name: "vm-pool-prestarted-automatic-only",
  description: "Checks whether only automatic pools prestart VMs.",
  severity: "medium",
  enforcementLevel: "mandatory",
  remediationSteps: "Set 'prestarted' to 0 in a manual pool, or make the pool automatic (a replacement: the type cannot change).",
  resourceType: VM_POOL_TYPE,
  config: vmPoolPrestartedAutomaticOnlyConfig,
  check(resource, _config, report) {
    const pool = readVmPoolFields(resource.props);
    const size = known(pool.size);
    const prestarted = known(pool.prestarted);
    const type = known(pool.type);
    if (size !== undefined && prestarted !== undefined && type !== undefined) {
      validatePrestartedPoolType({ size, prestarted, type }).forEach((issue) => {
        report(formatIssue(issue));
      });
    }
  },
});
