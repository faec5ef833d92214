/**
 * `vm-pool-prestarted-within-size`: between 0 and the pool's size of its VMs
 * prestarted (seed 000). The engine's REST API only refuses more than twice
 * the size on create (reference §2.3), and `check()` cannot compare while
 * the size or another field is unknown in preview; this rule compares
 * whenever both numbers are known.
 */
import { z } from "zod";

import { validatePrestartedRange } from "../../provider/schemas/pool-rules";
import { VM_POOL_TYPE } from "../../provider/vm-pool";
import { defineResourcePolicy } from "../lib/define-policy";
import { formatIssue } from "../lib/messages";
import { known, readVmPoolFields } from "../lib/vm-pool-fields";

/** Settings of `vm-pool-prestarted-within-size`: none. */
export const vmPoolPrestartedWithinSizeConfig = z.strictObject({});

/** The policy. */
export const vmPoolPrestartedWithinSize = defineResourcePolicy({
  name: "vm-pool-prestarted-within-size",
  description: "Checks whether a pool prestarts between 0 and its size of VMs.",
  severity: "medium",
  enforcementLevel: "mandatory",
  remediationSteps: "Set 'prestarted' to a number between 0 and 'size'.",
  resourceType: VM_POOL_TYPE,
  config: vmPoolPrestartedWithinSizeConfig,
  check(resource, _config, report) {
    const pool = readVmPoolFields(resource.props);
    if (pool.prestarted.state === "invalid") {
      pool.prestarted.issues.forEach((issue) => {
        report(formatIssue(issue));
      });
      return;
    }
    const size = known(pool.size);
    const prestarted = known(pool.prestarted);
    if (size !== undefined && prestarted !== undefined) {
      validatePrestartedRange({ size, prestarted }).forEach((issue) => {
        report(formatIssue(issue));
      });
    }
  },
});
