/**
 * `pool-permission-no-admin-to-everyone`: no admin role for all users. An
 * admin role (SuperUser, ClusterAdmin, VmPoolAdmin and the engine's other
 * `role_type` 1 roles, reference §5.3) granted to the engine's `Everyone`
 * group, or to Kubernetes' `system:authenticated` or
 * `system:unauthenticated`, hands the pool (or, for SuperUser, the whole
 * engine) to every user. The engine accepts such a grant from a SuperUser.
 */
import { z } from "zod";

import { EVERYONE_GROUP, isAdminRole, KUBERNETES_ALL_USERS_GROUPS } from "../../provider/schemas/permission-rules";
import { POOL_PERMISSION_TYPE } from "../../provider/pool-permission";
import { defineResourcePolicy } from "../lib/define-policy";

/** Settings of `pool-permission-no-admin-to-everyone`. */
export const poolPermissionNoAdminToEveryoneConfig = z.strictObject({
  /** Roles of your own to treat as admin roles, besides the engine's built-in ones. @default [] */
  adminRoles: z.array(z.string().min(1)).default([]).describe("Custom roles to treat as admin roles, besides the engine's built-in ones."),
  /** Groups of your own that hold every user, besides Everyone, system:authenticated and system:unauthenticated. @default [] */
  everyoneGroups: z.array(z.string().min(1)).default([]).describe("Groups that hold every user, besides Everyone, system:authenticated and system:unauthenticated."),
});

/** Settings of `pool-permission-no-admin-to-everyone`, with defaults applied. */
export type PoolPermissionNoAdminToEveryoneConfig = z.infer<typeof poolPermissionNoAdminToEveryoneConfig>;

function includesIgnoringCase(list: readonly string[], value: string): boolean {
  return list.some((item) => item.toLowerCase() === value.toLowerCase());
}

/** The policy. */
export const poolPermissionNoAdminToEveryone = defineResourcePolicy({
  name: "pool-permission-no-admin-to-everyone",
  description: "Checks whether no admin role (SuperUser, ClusterAdmin, VmPoolAdmin, ...) is granted to Everyone or to all authenticated users.",
  severity: "critical",
  enforcementLevel: "mandatory",
  remediationSteps: "Grant everyone 'UserRole' at most, and the admin role to a named group or user.",
  resourceType: POOL_PERMISSION_TYPE,
  config: poolPermissionNoAdminToEveryoneConfig,
  check(resource, config, report) {
    const role = resource.props["role"];
    const group = resource.props["group"];
    if (typeof role !== "string" || typeof group !== "string") {
      return;
    }
    const admin = isAdminRole(role) || includesIgnoringCase(config.adminRoles, role);
    const everyone = includesIgnoringCase([EVERYONE_GROUP, ...KUBERNETES_ALL_USERS_GROUPS, ...config.everyoneGroups], group);
    if (admin && everyone) {
      report(`'role' must not be an admin role when the group is every user: '${role}' for '${group}' lets anyone manage the pool, or more; grant '${group}' UserRole at most (got "${role}")`);
      return;
    }
    // On VM-Operator `may: ["*"]` grants everything, whatever the role is called.
    const may = resource.props["may"];
    if (everyone && Array.isArray(may) && may.includes("*")) {
      report(`'may' must not hold '*' when the group is every user: '${group}' could then do everything with every VM of the pool; list what users need, e.g. ["accessConsole", "start"] (got ${JSON.stringify(may)})`);
    }
  },
});
