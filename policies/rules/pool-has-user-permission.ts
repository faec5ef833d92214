/**
 * `pool-has-user-permission`: every pool of the stack lets somebody use it,
 * through a `PoolPermission` with a user role. A pool without one is a pool
 * nobody may take a VM from. Advisory: permissions inherited from the
 * cluster or data center, or granted outside the stack, are not visible
 * here.
 */
import { z } from "zod";

import { POOL_PERMISSION_TYPE } from "../../provider/pool-permission";
import { defineStackPolicy } from "../lib/define-policy";
import { listStackPools } from "../lib/stack-pools";

/** Settings of `pool-has-user-permission`. */
export const poolHasUserPermissionConfig = z.strictObject({
  /** Roles that let a user or group use a pool's VMs. @default ["UserRole"] */
  userRoles: z.array(z.string().min(1)).min(1).default(["UserRole"]).describe("Roles that let a user or group use a pool's VMs."),
});

/** Settings of `pool-has-user-permission`, with defaults applied. */
export type PoolHasUserPermissionConfig = z.infer<typeof poolHasUserPermissionConfig>;

/** The policy. */
export const poolHasUserPermission = defineStackPolicy({
  name: "pool-has-user-permission",
  description: "Checks whether every pool of the stack gives at least one user or group a user role through a PoolPermission.",
  severity: "low",
  enforcementLevel: "advisory",
  remediationSteps: "Add a PoolPermission with role 'UserRole' for the group that should use the pool.",
  config: poolHasUserPermissionConfig,
  check(resources, config, report) {
    const roles = new Set(config.userRoles.map((role) => role.toLowerCase()));
    // A permission names its pool through its 'pool' input, a VmPool output: the dependency is known even in preview.
    const usable = new Set(
      resources
        .filter((r) => r.type === POOL_PERMISSION_TYPE)
        .filter((r) => typeof r.props["role"] === "string" && roles.has(r.props["role"].toLowerCase()))
        .flatMap((r) => r.propertyDependencies["pool"] ?? r.dependencies),
    );
    for (const pool of listStackPools(resources)) {
      if (!usable.has(pool.resource.urn)) {
        report(`A pool must give at least one user or group ${config.userRoles.join(" or ")} through a PoolPermission, or nobody may use it: '${pool.resource.name}' has none in this stack`, pool.resource.urn);
      }
    }
  },
});
