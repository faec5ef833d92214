import { describe, expect, it } from "vitest";

import { poolHasUserPermission } from "../../../policies/rules/pool-has-user-permission";
import { ovirtPoolProps, permissionProps, runStackPolicy, TYPES } from "../../harness/policy-harness";

describe("pool-has-user-permission", () => {
  it("passes a pool with a UserRole permission, found through the permission's 'pool' input even while the pool is unknown", async () => {
    const resources = [
      { name: "room12", props: ovirtPoolProps() },
      { name: "students", type: TYPES.permission, props: permissionProps({ role: "userrole" }), poolDependency: "room12" },
    ];
    expect(await runStackPolicy(poolHasUserPermission, resources)).toEqual([]);
  });

  it("warns about a pool nobody may use", async () => {
    // GIVEN one pool with only an admin permission and one with none
    const resources = [
      { name: "room12", props: ovirtPoolProps() },
      { name: "room14", props: ovirtPoolProps({ name: "room14-??" }) },
      { name: "admins", type: TYPES.permission, props: permissionProps({ role: "VmPoolAdmin" }), poolDependency: "room12" },
    ];
    expect(await runStackPolicy(poolHasUserPermission, resources)).toEqual([
      { resource: "room12", message: "A pool must give at least one user or group UserRole through a PoolPermission, or nobody may use it: 'room12' has none in this stack" },
      { resource: "room14", message: "A pool must give at least one user or group UserRole through a PoolPermission, or nobody may use it: 'room14' has none in this stack" },
    ]);
  });

  it("counts the roles the config names", async () => {
    const resources = [
      { name: "room12", props: ovirtPoolProps() },
      { name: "power", type: TYPES.permission, props: permissionProps({ role: "PowerUserRole" }), poolDependency: "room12" },
    ];
    expect(await runStackPolicy(poolHasUserPermission, resources, { userRoles: ["UserRole", "PowerUserRole"] })).toEqual([]);
  });
});
