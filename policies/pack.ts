/**
 * The policy pack's contents, apart from its entry point (`index.ts`), which
 * starts the policy server: tests and tools import this module freely. The
 * list is explicit and its order is the README's.
 */
import type { PolicyPackArgs } from "@pulumi/policy";

import type { PackPolicy } from "./lib/define-policy";
import { kubevirtSelectorMatchesLabels } from "./rules/kubevirt-selector-matches-labels";
import { poolHasUserPermission } from "./rules/pool-has-user-permission";
import { poolPermissionNoAdminToEveryone } from "./rules/pool-permission-no-admin-to-everyone";
import { totalPrestartedVmsBudget } from "./rules/total-prestarted-vms-budget";
import { totalVmsBudget } from "./rules/total-vms-budget";
import { trustedClusterServices } from "./rules/trusted-cluster-services";
import { uniquePoolNames } from "./rules/unique-pool-names";
import { vmPoolDeleteProtection } from "./rules/vm-pool-delete-protection";
import { vmPoolMaxSize } from "./rules/vm-pool-max-size";
import { vmPoolMaxVmsPerUser } from "./rules/vm-pool-max-vms-per-user";
import { vmPoolNames } from "./rules/vm-pool-names";
import { vmPoolNoHighPerformance } from "./rules/vm-pool-no-high-performance";
import { vmPoolPrestartedAutomaticOnly } from "./rules/vm-pool-prestarted-automatic-only";
import { vmPoolPrestartedWithinSize } from "./rules/vm-pool-prestarted-within-size";
import { vmPoolSpiceProxy } from "./rules/vm-pool-spice-proxy";
import { vmPoolTrustedPlacement } from "./rules/vm-pool-trusted-placement";
import { vmPoolVmSettings } from "./rules/vm-pool-vm-settings";

/** The pack's name, as `--policy-pack` reports it. */
export const PACK_NAME = "vmpools";

/** Every policy of the pack: resource policies first, then stack policies. */
export const POLICIES: readonly PackPolicy[] = [
  vmPoolMaxSize,
  vmPoolPrestartedWithinSize,
  vmPoolPrestartedAutomaticOnly,
  vmPoolMaxVmsPerUser,
  vmPoolNames,
  vmPoolSpiceProxy,
  vmPoolVmSettings,
  vmPoolNoHighPerformance,
  kubevirtSelectorMatchesLabels,
  trustedClusterServices,
  vmPoolTrustedPlacement,
  poolPermissionNoAdminToEveryone,
  vmPoolDeleteProtection,
  totalVmsBudget,
  totalPrestartedVmsBudget,
  uniquePoolNames,
  poolHasUserPermission,
];

/** What `new PolicyPack` is given. Policies without a level of their own are advisory. */
export function createPackArgs(): PolicyPackArgs {
  return {
    policies: [...POLICIES],
    enforcementLevel: "advisory",
    displayName: "pulumi-vmpools limits and safety rules",
    description: "Limits and safety rules for VmPool, TrustedCluster and PoolPermission (pulumi-vmpools): what the engine would refuse and what it would accept but should not.",
  };
}
