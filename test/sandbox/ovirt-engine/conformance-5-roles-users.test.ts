/**
 * Conformance with reference §5.3 and §5.4: the built-in roles with their
 * exact ids, the Everyone group, users found by `usrname=<login>@<authz>`
 * (split at the last `@`) and groups found by name.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DEFAULT_SEED_IDS } from "../../../sandbox/ovirt-engine/seed";
import { items } from "./conformance-4-6-helpers";
import { startTestSandbox, type TestSandbox } from "./sandbox-client";

/** §5.3, from `00500_insert_roles.sql`: name, id, administrative. */
const BUILT_IN_ROLES: [string, string, boolean][] = [
  ["SuperUser", "00000000-0000-0000-0000-000000000001", true],
  ["UserRole", "00000000-0000-0000-0001-000000000001", false],
  ["PowerUserRole", "00000000-0000-0000-0001-000000000002", false],
  ["ClusterAdmin", "def00001-0000-0000-0000-def000000001", true],
  ["DataCenterAdmin", "def00002-0000-0000-0000-def000000002", true],
  ["StorageAdmin", "def00003-0000-0000-0000-def000000003", true],
  ["HostAdmin", "def00004-0000-0000-0000-def000000004", true],
  ["NetworkAdmin", "def00005-0000-0000-0000-def000000005", true],
  ["UserVmManager", "def00006-0000-0000-0000-def000000006", false],
  ["VmPoolAdmin", "def00007-0000-0000-0000-def000000007", true],
  ["TemplateAdmin", "def00008-0000-0000-0000-def000000008", true],
  ["UserTemplateBasedVm", "def00009-0000-0000-0000-def000000009", false],
  ["QuotaConsumer", "def0000a-0000-0000-0000-def00000000a", false],
  ["DiskOperator", "def0000a-0000-0000-0000-def00000000b", false],
  ["DiskCreator", "def0000a-0000-0000-0000-def00000000c", false],
  ["VmCreator", "def0000a-0000-0000-0000-def00000000d", false],
  ["TemplateCreator", "def0000a-0000-0000-0000-def00000000e", false],
  ["TemplateOwner", "def0000a-0000-0000-0000-def00000000f", false],
  ["GlusterAdmin", "def0000b-0000-0000-0000-def00000000b", true],
  ["ReadOnlyAdmin", "def0000c-0000-0000-0000-def00000000c", true],
  ["UserVmRunTimeManager", "def00006-0000-0000-0000-def000000011", false],
  ["UserInstanceManager", "def00012-0000-0000-0000-def000000012", false],
  ["MacPoolAdmin", "def00013-0000-0000-0000-def000000013", true],
  ["MacPoolUser", "def00014-0000-0000-0000-def000000014", false],
];

interface RoleJson {
  id: string;
  href: string;
  name: string;
  administrative: boolean;
  mutable: boolean;
}

interface UserJson {
  id: string;
  user_name: string;
  principal: string;
  domain: { name: string };
}

interface GroupJson {
  id: string;
  name: string;
  domain?: { name: string };
}

describe("§5 roles, users and groups", () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox();
    t.sandbox.control.seed({ users: [{ id: "a1b2c3d4-0000-4000-8000-0000000ca201", principal: "carol@corp.example", password: "carol-password" }] });
  });
  afterAll(async () => t?.close());

  const users = async (search: string): Promise<UserJson[]> => {
    const res = await t.api("GET", `/users?search=${encodeURIComponent(search)}`);
    expect(res.status).toBe(200);
    return items<UserJson>(res, "user");
  };
  const groups = async (search: string): Promise<GroupJson[]> => {
    const res = await t.api("GET", `/groups?search=${encodeURIComponent(search)}`);
    expect(res.status).toBe(200);
    return items<GroupJson>(res, "group");
  };

  it("§5.3 serves every built-in role with its exact id, name and admin flag, all read-only", async () => {
    const res = await t.api("GET", "/roles");
    expect(res.status).toBe(200);
    const roles = items<RoleJson>(res, "role");
    expect(roles.map((r) => [r.name, r.id, r.administrative]).sort()).toEqual([...BUILT_IN_ROLES].sort());
    expect(roles.every((r) => !r.mutable && r.href === `/ovirt-engine/api/roles/${r.id}`)).toBe(true);
  });

  it("§5.3 serves VmPoolAdmin by id as an administrative, read-only role", async () => {
    const res = await t.api("GET", "/roles/def00007-0000-0000-0000-def000000007");
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: "def00007-0000-0000-0000-def000000007", name: "VmPoolAdmin", administrative: true, mutable: false });
  });

  it("§5.3 finds a role by its upper-case id (ids compare case-insensitively) and answers with the lower-case id", async () => {
    const res = await t.api("GET", "/roles/DEF00007-0000-0000-0000-DEF000000007");
    expect(res.status).toBe(200);
    expect((res.json as RoleJson).id).toBe("def00007-0000-0000-0000-def000000007");
  });

  it("§5.4 serves the built-in Everyone group with id eee00000-0000-0000-0000-123456789eee and no domain", async () => {
    const found = await groups("name=Everyone");
    expect(found.map((g) => [g.id, g.name])).toEqual([["eee00000-0000-0000-0000-123456789eee", "Everyone"]]);
    expect(found[0]).not.toHaveProperty("domain");
    const byId = await t.api("GET", "/groups/eee00000-0000-0000-0000-123456789eee");
    expect([byId.status, (byId.json as GroupJson).name]).toEqual([200, "Everyone"]);
  });

  it("§5.4 finds a group by name=<name>", async () => {
    const found = await groups("name=vdi-users");
    expect(found.map((g) => [g.id, g.name, g.domain?.name])).toEqual([[DEFAULT_SEED_IDS.vdiUsers, "vdi-users", "internal-authz"]]);
  });

  it("§5.4 finds a user by usrname=<login>@<authz>", async () => {
    const found = await users("usrname=alice@internal-authz");
    expect(found.map((u) => [u.id, u.user_name, u.principal, u.domain.name])).toEqual([[DEFAULT_SEED_IDS.alice, "alice@internal-authz", "alice", "internal-authz"]]);
  });

  it("§5.4 finds no user by usrname=<login>@<profile>: the part after @ is the authz directory, not the login profile", async () => {
    const res = await t.api("GET", `/users?search=${encodeURIComponent("usrname=alice@internal")}`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({});
  });

  it("§5.4 splits usrname at the last @, so a login that contains @ is found", async () => {
    const found = await users("usrname=carol@corp.example@internal-authz");
    expect(found.map((u) => [u.id, u.principal])).toEqual([["a1b2c3d4-0000-4000-8000-0000000ca201", "carol@corp.example"]]);
  });

  it("§5.4 compares a usrname without @ with the login alone (engine: VdcUserConditionFieldAutoCompleter)", async () => {
    const found = await users("usrname=bob");
    expect(found.map((u) => u.id)).toEqual([DEFAULT_SEED_IDS.bob]);
  });
});
