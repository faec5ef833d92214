/**
 * Rules for pool permissions, checked before anything is sent, and shared
 * with the policy pack (reference §5).
 */
import type { RuleIssue } from "./kubevirt-rules";

/**
 * The engine's built-in admin roles (`role_type` 1, reference §5.3). Granting
 * one needs SuperUser, and granting one to everybody hands the pool, or more,
 * to every user.
 */
export const OVIRT_ADMIN_ROLES = [
  "SuperUser",
  "ClusterAdmin",
  "DataCenterAdmin",
  "StorageAdmin",
  "HostAdmin",
  "NetworkAdmin",
  "VmPoolAdmin",
  "TemplateAdmin",
  "GlusterAdmin",
  "ReadOnlyAdmin",
  "MacPoolAdmin",
] as const;

/** The engine's group that holds every user (`Everyone`, reference §5.4). */
export const EVERYONE_GROUP = "Everyone";

/**
 * The roles a pool permission can carry on KubeVirt, where they become RBAC:
 * `UserRole` uses the pool's VMs (start, stop, restart, console, VNC);
 * `VmPoolAdmin` also reads, edits and scales the pool.
 */
export const KUBEVIRT_POOL_ROLES = ["UserRole", "VmPoolAdmin"] as const;

/** Kubernetes groups every authenticated (or every) user belongs to. */
export const KUBERNETES_ALL_USERS_GROUPS = ["system:authenticated", "system:unauthenticated"] as const;

/** Whether a role is one of the engine's admin roles (names compared case-insensitively, as the engine does). */
export function isAdminRole(role: string): boolean {
  return OVIRT_ADMIN_ROLES.some((admin) => admin.toLowerCase() === role.toLowerCase());
}

/** Exactly one principal: a user or a group. */
export function validatePermissionPrincipal(principal: { user?: string | undefined; group?: string | undefined }): RuleIssue[] {
  if ((principal.user === undefined) === (principal.group === undefined)) {
    return [
      {
        path: [principal.user === undefined ? "user" : "group"],
        value: principal.user ?? principal.group,
        message: "give exactly one of 'user' (e.g. 'alice@internal-authz') and 'group' (e.g. 'vdi-users'): a permission has one principal",
      },
    ];
  }
  return [];
}

/** On KubeVirt only the roles that have an RBAC meaning for a pool. */
export function validateKubevirtPoolRole(role: string): RuleIssue[] {
  if ((KUBEVIRT_POOL_ROLES as readonly string[]).includes(role)) {
    return [];
  }
  return [{ path: ["role"], value: role, message: `must be one of ${KUBEVIRT_POOL_ROLES.join(", ")} on KubeVirt, where a pool permission becomes a Role and RoleBinding` }];
}
