import { describe, expect, it } from "vitest";

import { poolPermissionNoAdminToEveryone } from "../../../policies/rules/pool-permission-no-admin-to-everyone";
import { permissionProps, runResourcePolicy, TYPES, UNKNOWN_VALUE } from "../../harness/policy-harness";

describe("pool-permission-no-admin-to-everyone", () => {
  it.each([
    { role: "UserRole", group: "Everyone" },
    { role: "VmPoolAdmin", group: "vdi-admins" },
    { role: "UserRole", group: "system:authenticated" },
    { role: UNKNOWN_VALUE, group: "Everyone" },
    { role: "SuperUser", group: undefined, user: "alice@internal-authz" },
  ])("passes $role for $group", async (overrides) => {
    expect((await runResourcePolicy(poolPermissionNoAdminToEveryone, { type: TYPES.permission, name: "perm", props: permissionProps(overrides) })).violations).toEqual([]);
  });

  it.each([
    { role: "SuperUser", group: "Everyone" },
    // Role and group names compare without case, as the engine compares them.
    { role: "vmpooladmin", group: "everyone" },
    { role: "VmPoolAdmin", group: "system:authenticated" },
    { role: "ClusterAdmin", group: "system:unauthenticated" },
  ])("reports $role for $group", async (overrides) => {
    expect((await runResourcePolicy(poolPermissionNoAdminToEveryone, { type: TYPES.permission, name: "perm", props: permissionProps(overrides) })).violations).toEqual([
      `'role' must not be an admin role when the group is every user: '${overrides.role}' for '${overrides.group}' lets anyone manage the pool, or more; grant '${overrides.group}' UserRole at most (got "${overrides.role}")`,
    ]);
  });

  it("takes extra admin roles and all-user groups from the config", async () => {
    const props = permissionProps({ role: "LabOperator", group: "all-staff" });
    expect((await runResourcePolicy(poolPermissionNoAdminToEveryone, { type: TYPES.permission, props }, { adminRoles: ["LabOperator"], everyoneGroups: ["all-staff"] })).violations).toEqual([
      "'role' must not be an admin role when the group is every user: 'LabOperator' for 'all-staff' lets anyone manage the pool, or more; grant 'all-staff' UserRole at most (got \"LabOperator\")",
    ]);
    expect((await runResourcePolicy(poolPermissionNoAdminToEveryone, { type: TYPES.permission, props })).violations).toEqual([]);
  });
});
