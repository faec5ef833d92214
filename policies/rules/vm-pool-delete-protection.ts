/**
 * `vm-pool-delete-protection`: big pools are protected from deletion, so a
 * mistaken `destroy` or a replacement cannot take hundreds of desktops at
 * once. Protected means the provider's `deleteProtection` (oVirt) or
 * Pulumi's `protect` resource option (every backend; KubeVirt and VM-Operator
 * pools have no `deleteProtection`). Advisory by default.
 */
import { z } from "zod";

import { VM_POOL_TYPE } from "../../provider/vm-pool";
import { defineResourcePolicy } from "../lib/define-policy";
import { known, readVmPoolFields } from "../lib/vm-pool-fields";

/** Settings of `vm-pool-delete-protection`. */
export const vmPoolDeleteProtectionConfig = z.strictObject({
  /** Pools of more VMs than this must be protected. @default 50 */
  maxUnprotectedSize: z.number().int().min(0).default(50).describe("Pools of more VMs than this must be protected from deletion."),
});

/** Settings of `vm-pool-delete-protection`, with defaults applied. */
export type VmPoolDeleteProtectionConfig = z.infer<typeof vmPoolDeleteProtectionConfig>;

/** The policy. */
export const vmPoolDeleteProtection = defineResourcePolicy({
  name: "vm-pool-delete-protection",
  description: "Checks whether every pool above a configurable size is protected from deletion ('deleteProtection' or the 'protect' resource option).",
  severity: "medium",
  enforcementLevel: "advisory",
  remediationSteps: "Set 'deleteProtection: true' (oVirt) or the 'protect' resource option.",
  resourceType: VM_POOL_TYPE,
  config: vmPoolDeleteProtectionConfig,
  check(resource, config, report) {
    const pool = readVmPoolFields(resource.props);
    const size = known(pool.size);
    if (size === undefined || size <= config.maxUnprotectedSize || resource.protect || pool.deleteProtection.state === "unknown" || known(pool.deleteProtection) === true) {
      return;
    }
    const kind = known(pool.kind);
    const how =
      kind === "kubevirt" || kind === "vmoperator"
        ? `set the 'protect' resource option (${kind === "kubevirt" ? "KubeVirt" : "VM-Operator"} pools have no 'deleteProtection')`
        : "set 'deleteProtection: true' or the 'protect' resource option";
    report(`A pool of more than ${config.maxUnprotectedSize} VMs must be protected from deletion: ${how} (got ${size} VMs, unprotected)`);
  },
});
