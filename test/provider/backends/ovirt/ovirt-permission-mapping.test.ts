import { describe, expect, it } from "vitest";

import {
  chooseGroups,
  chooseRole,
  chooseUsers,
  fromOvirtGroupList,
  fromOvirtPermission,
  fromOvirtPermissionList,
  fromOvirtRoleList,
  fromOvirtUserList,
  isOnPool,
  isSameGrant,
  isSameId,
  listSomeRoles,
  toOvirtPermissionBody,
  toSearchValue,
  type ObservedOvirtPermission,
  type Principal,
} from "../../../../provider/backends/ovirt/ovirt-permission-mapping";

const alice: Principal = { kind: "user", id: "u-alice", name: "alice@internal-authz" };
const staff: Principal = { kind: "group", id: "g-staff", name: "staff" };

describe("toOvirtPermissionBody", () => {
  it.each([
    [alice, { role: { id: "r-1" }, user: { id: "u-alice" } }],
    [staff, { role: { id: "r-1" }, group: { id: "g-staff" } }],
  ])("%j", (principal, body) => {
    expect(toOvirtPermissionBody("r-1", principal)).toEqual(body);
  });
});

describe("fromOvirtPermission", () => {
  it.each<[string, Record<string, unknown>, ObservedOvirtPermission]>([
    ["a pool permission of a user", { id: "p1", role: { id: "r" }, user: { id: "u" }, vm_pool: { id: "pool" } }, { id: "p1", roleId: "r", userId: "u", groupId: undefined, object: { type: "vm_pool", id: "pool" } }],
    ["a cluster permission of a group", { id: "p2", role: { id: "r" }, group: { id: "g" }, cluster: { id: "c" } }, { id: "p2", roleId: "r", userId: undefined, groupId: "g", object: { type: "cluster", id: "c" } }],
    ["a system permission (no object link)", { id: "p3", role: { id: "r" }, user: { id: "u" } }, { id: "p3", roleId: "r", userId: "u", groupId: undefined, object: { type: "system", id: undefined } }],
  ])("reads %s", (_, body, expected) => {
    expect(fromOvirtPermission(body)).toEqual(expected);
  });

  it("names the first unexpected field", () => {
    expect(() => fromOvirtPermission({ id: "p" })).toThrow("unexpected permission from the engine at 'role': ");
  });

  it("reads an empty collection {} as no permissions", () => {
    expect(fromOvirtPermissionList({})).toEqual([]);
  });
});

describe("isSameId / isSameGrant / isOnPool", () => {
  const p: ObservedOvirtPermission = { id: "p", roleId: "DEF00007-0000-0000-0000-DEF000000007", userId: "u-alice", groupId: undefined, object: { type: "vm_pool", id: "pool-1" } };
  it.each([
    ["def00007-0000-0000-0000-def000000007", "DEF00007-0000-0000-0000-DEF000000007", true],
    ["a", "b", false],
    [undefined, "b", false],
  ])("isSameId(%s, %s) is %s", (a, b, expected) => {
    expect(isSameId(a, b)).toBe(expected);
  });
  it.each<[string, string, Principal, boolean]>([
    ["same role (other case) and user", "def00007-0000-0000-0000-def000000007", alice, true],
    ["another role", "r-2", alice, false],
    ["a group with the user's id", "def00007-0000-0000-0000-def000000007", { kind: "group", id: "u-alice", name: "x" }, false],
  ])("isSameGrant: %s", (_, roleId, principal, expected) => {
    expect(isSameGrant(p, roleId, principal)).toBe(expected);
  });
  it.each<[string, ObservedOvirtPermission["object"], boolean]>([
    ["on the pool", { type: "vm_pool", id: "pool-1" }, true],
    ["on another pool", { type: "vm_pool", id: "pool-2" }, false],
    ["inherited from the cluster", { type: "cluster", id: "pool-1" }, false],
    ["inherited from the system", { type: "system", id: undefined }, false],
  ])("isOnPool: %s", (_, object, expected) => {
    expect(isOnPool({ ...p, object }, "pool-1")).toBe(expected);
  });
});

describe("roles", () => {
  const roles = fromOvirtRoleList({
    role: [
      { id: "1", name: "SuperUser", administrative: true },
      { id: "2", name: "UserRole", administrative: false },
      { id: "3", name: "VmPoolAdmin", administrative: true },
      { id: "4", name: "Zeta" },
      { id: "5", name: "Alpha" },
    ],
  });
  it.each([
    ["UserRole", "2"],
    ["userrole", "2"],
    ["VMPOOLADMIN", "3"],
    ["NoSuch", undefined],
  ])("chooseRole(%s) -> %s", (name, id) => {
    expect(chooseRole(roles, name)?.id).toBe(id);
  });
  it("prefers the exact name over one equal ignoring case", () => {
    expect(chooseRole([...roles, { id: "6", name: "userrole", administrative: false }], "userrole")?.id).toBe("6");
  });
  it("refuses to guess between names equal ignoring case", () => {
    expect(chooseRole([...roles, { id: "6", name: "USERROLE", administrative: false }], "userRole")).toBeUndefined();
  });
  it("lists pool roles first, then the rest by name, up to a limit", () => {
    expect(listSomeRoles(roles)).toBe("UserRole, VmPoolAdmin, Alpha, SuperUser, Zeta");
    expect(listSomeRoles(roles, 3)).toBe("UserRole, VmPoolAdmin, Alpha and 2 more");
  });
  it("reads a missing administrative flag as false", () => {
    expect(roles.find((r) => r.name === "Zeta")?.administrative).toBe(false);
  });
});

describe("users and groups", () => {
  const users = fromOvirtUserList({
    user: [
      { id: "u1", user_name: "alice@internal-authz", principal: "alice" },
      { id: "u2", user_name: "alice@corp.example", principal: "alice" },
      { id: "u3", user_name: "bob@corp.example" },
    ],
  });
  it("takes the login from user_name when the engine leaves principal out", () => {
    expect(users[2]?.principal).toBe("bob");
  });
  it.each([
    ["alice@internal-authz", ["u1"]],
    ["ALICE@INTERNAL-AUTHZ", ["u1"]],
    ["alice", ["u1", "u2"]],
    ["alice@internal", []],
  ])("chooseUsers(%s) -> %j", (wanted, ids) => {
    expect(chooseUsers(users, wanted).map((u) => u.id)).toEqual(ids);
  });
  const groups = fromOvirtGroupList({ group: [{ id: "g1", name: "Everyone" }, { id: "g2", name: "vdi-users", domain: { name: "internal-authz" } }, { id: "g3", name: "VDI-Users" }] });
  it.each([
    ["Everyone", ["g1"]],
    ["everyone", ["g1"]],
    ["vdi-users", ["g2"]],
    ["Vdi-Users", ["g2", "g3"]],
    ["nobody", []],
  ])("chooseGroups(%s) -> %j", (wanted, ids) => {
    expect(chooseGroups(groups, wanted).map((g) => g.id)).toEqual(ids);
  });
  it("reads empty collections {} as none", () => {
    expect([fromOvirtUserList({}), fromOvirtGroupList({}), fromOvirtRoleList({})]).toEqual([[], [], []]);
  });
});

describe("toSearchValue", () => {
  it.each([
    ["alice@internal-authz", "alice@internal-authz"],
    ["vdi users", '"vdi users"'],
    ['say "hi"', '"say hi"'],
    ["a=b", '"a=b"'],
  ])("%s -> %s", (value, quoted) => {
    expect(toSearchValue(value)).toBe(quoted);
  });
});
