import { describe, expect, it } from "vitest";

import { isAdminRole, KUBEVIRT_POOL_ROLES, OVIRT_ADMIN_ROLES, validateKubevirtPoolRole, validatePermissionPrincipal } from "../../../provider/schemas/permission-rules";

describe("isAdminRole", () => {
  it.each([
    ["VmPoolAdmin", true],
    ["vmpooladmin", true],
    ["SuperUser", true],
    ["ReadOnlyAdmin", true],
    ["UserRole", false],
    ["UserVmManager", false],
    ["PowerUserRole", false],
  ])("%s -> %s", (role, admin) => {
    expect(isAdminRole(role)).toBe(admin);
  });

  it("knows the engine's eleven built-in admin roles (reference §5.3, role_type 1)", () => {
    expect(OVIRT_ADMIN_ROLES.length).toBe(11);
  });
});

describe("validatePermissionPrincipal", () => {
  const message = "give exactly one of 'user' (e.g. 'alice@internal-authz') and 'group' (e.g. 'vdi-users'): a permission has one principal";
  it.each([{ user: "alice@internal-authz" }, { group: "vdi-users" }, { group: "Everyone" }])("accepts %j", (principal) => {
    expect(validatePermissionPrincipal(principal)).toEqual([]);
  });

  it.each([
    [{}, [{ path: ["user"], value: undefined, message }]],
    [{ user: "alice@internal-authz", group: "vdi-users" }, [{ path: ["group"], value: "alice@internal-authz", message }]],
  ])("refuses %j", (principal, issues) => {
    expect(validatePermissionPrincipal(principal)).toEqual(issues);
  });
});

describe("validateKubevirtPoolRole", () => {
  it.each([...KUBEVIRT_POOL_ROLES])("accepts %s", (role) => {
    expect(validateKubevirtPoolRole(role)).toEqual([]);
  });

  it.each(["userrole", "SuperUser", "UserVmManager"])("refuses %s (case matters: it names RBAC rules)", (role) => {
    expect(validateKubevirtPoolRole(role)).toEqual([{ path: ["role"], value: role, message: "must be one of UserRole, VmPoolAdmin on KubeVirt, where a pool permission becomes a Role and RoleBinding" }]);
  });
});
