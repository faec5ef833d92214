/**
 * Conformance with reference §5.1 and §5.2: the permission sub-collections
 * of pools, clusters, data centers and the system; the add body, its
 * validation and idempotency; listing with inherited permissions; and
 * removal by id through any object's path. Roles, users and groups (§5.3,
 * §5.4) are in conformance-5-roles-users.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DEFAULT_SEED_IDS } from "../../../sandbox/ovirt-engine/seed";
import { createPoolId, items, operationFailed, poolVms, type PermissionJson } from "./conformance-4-6-helpers";
import { startTestSandbox, type TestSandbox } from "./sandbox-client";

const USER_ROLE = "00000000-0000-0000-0001-000000000001";
const SUPER_USER = "00000000-0000-0000-0000-000000000001";
const USER_VM_MANAGER = "def00006-0000-0000-0000-def000000006";
const EVERYONE = "eee00000-0000-0000-0000-123456789eee";
const API = "/ovirt-engine/api";

describe("§5 permissions", () => {
  let t: TestSandbox;
  let bob: string;
  let alice: string;
  beforeAll(async () => {
    t = await startTestSandbox();
    bob = await t.token("bob@internal", "bob-password");
    alice = await t.token("alice@internal", "alice-password");
  });
  afterAll(async () => t?.close());

  /** A cluster of its own (so inherited permissions are the test's own) with one pool in it. */
  const freshPool = async (name: string): Promise<{ poolId: string; clusterId: string }> => {
    const cluster = await t.api("POST", "/clusters", { body: { name: `${name}-c`, data_center: { name: "Default" } } });
    expect(cluster.status, cluster.text).toBe(201);
    const clusterId = (cluster.json as { id: string }).id;
    return { poolId: await createPoolId(t, name, { cluster: { id: clusterId } }), clusterId };
  };
  const grant = (path: string, body: Record<string, unknown>, token?: string) => t.api("POST", `${path}/permissions`, { body, ...(token === undefined ? {} : { auth: { bearer: token } }) });
  const grantOk = async (path: string, body: Record<string, unknown>): Promise<PermissionJson> => {
    const res = await grant(path, body);
    expect(res.status, res.text).toBe(201);
    return res.json as PermissionJson;
  };
  const list = async (path: string): Promise<PermissionJson[]> => {
    const res = await t.api("GET", `${path}/permissions`);
    expect(res.status).toBe(200);
    return items<PermissionJson>(res, "permission");
  };

  it("§5.1 adds a pool permission by role name with 201, Location and the permission linked to role, user and pool", async () => {
    const { poolId } = await freshPool("perm-add");
    const res = await grant(`/vmpools/${poolId}`, { role: { name: "UserRole" }, user: { id: DEFAULT_SEED_IDS.alice } });
    expect(res.status).toBe(201);
    const p = res.json as PermissionJson;
    expect(p).toEqual({
      id: p.id,
      href: `${API}/vmpools/${poolId}/permissions/${p.id}`,
      role: { id: USER_ROLE, href: `${API}/roles/${USER_ROLE}` },
      user: { id: DEFAULT_SEED_IDS.alice, href: `${API}/users/${DEFAULT_SEED_IDS.alice}` },
      vm_pool: { id: poolId, href: `${API}/vmpools/${poolId}` },
    });
    expect(new URL(String(res.headers.location), t.sandbox.origin).href).toBe(`${t.sandbox.origin}${p.href}`);
  });

  it("§5.1 adds a cluster permission by role id, matching the id case-insensitively", async () => {
    const { clusterId } = await freshPool("perm-role-id");
    const p = await grantOk(`/clusters/${clusterId}`, { role: { id: USER_VM_MANAGER.toUpperCase() }, user: { id: DEFAULT_SEED_IDS.bob } });
    expect([p.role.id, p.user?.id, p.cluster?.id, p.href]).toEqual([USER_VM_MANAGER, DEFAULT_SEED_IDS.bob, clusterId, `${API}/clusters/${clusterId}/permissions/${p.id}`]);
  });

  it("§5.1 adds a group permission on a data center", async () => {
    const p = await grantOk(`/datacenters/${DEFAULT_SEED_IDS.dataCenter}`, { role: { name: "UserRole" }, group: { id: DEFAULT_SEED_IDS.vdiUsers } });
    expect([p.group?.id, p.data_center?.id, p.href]).toEqual([DEFAULT_SEED_IDS.vdiUsers, DEFAULT_SEED_IDS.dataCenter, `${API}/datacenters/${DEFAULT_SEED_IDS.dataCenter}/permissions/${p.id}`]);
    expect(p).not.toHaveProperty("user");
  });

  it("§5.1 adds a system-level permission under /permissions, with no object link", async () => {
    const p = await grantOk("", { role: { name: "UserRole" }, user: { id: DEFAULT_SEED_IDS.bob } });
    expect(p).toEqual({ id: p.id, href: `${API}/permissions/${p.id}`, role: { id: USER_ROLE, href: `${API}/roles/${USER_ROLE}` }, user: { id: DEFAULT_SEED_IDS.bob, href: `${API}/users/${DEFAULT_SEED_IDS.bob}` } });
  });

  it("§5.2 answers a duplicate add with 201 and the existing permission, same id, no new row", async () => {
    const { poolId } = await freshPool("perm-dup");
    const body = { role: { name: "UserRole" }, user: { id: DEFAULT_SEED_IDS.bob } };
    const first = await grantOk(`/vmpools/${poolId}`, body);
    const second = await grant(`/vmpools/${poolId}`, { role: { id: USER_ROLE }, user: { id: DEFAULT_SEED_IDS.bob } });
    expect(second.status).toBe(201);
    expect(second.json).toEqual(first);
    const rows = (t.sandbox.control.state()["permissions"] as { objectId: string }[]).filter((row) => row.objectId === poolId);
    expect(rows).toHaveLength(1);
  });

  it("§5.2 refuses an unknown role name with 400 [Cannot add permission, invalid Role id]", async () => {
    const { poolId } = await freshPool("perm-bad-role");
    const res = await grant(`/vmpools/${poolId}`, { role: { name: "NoSuchRole" }, user: { id: DEFAULT_SEED_IDS.alice } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(operationFailed("Cannot add permission, invalid Role id"));
  });

  it("§5.2 refuses an unknown role id with 400 [Cannot add permission, invalid Role id]", async () => {
    const { poolId } = await freshPool("perm-bad-role-id");
    const res = await grant(`/vmpools/${poolId}`, { role: { id: "def0ffff-0000-0000-0000-def00000ffff" }, user: { id: DEFAULT_SEED_IDS.alice } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(operationFailed("Cannot add permission, invalid Role id"));
  });

  it("§5.2 answers a user id the engine does not know with 400 Operation Failed and detail [] (inferred)", async () => {
    const { poolId } = await freshPool("perm-no-user");
    const res = await grant(`/vmpools/${poolId}`, { role: { name: "UserRole" }, user: { id: "a1b2c3d4-0000-4000-8000-00000000dead" } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ reason: "Operation Failed", detail: "[]" });
  });

  it("§5.2 answers a group id the engine does not know with 400 Operation Failed and detail [] (inferred)", async () => {
    const { poolId } = await freshPool("perm-no-group");
    const res = await grant(`/vmpools/${poolId}`, { role: { name: "UserRole" }, group: { id: "a1b2c3d4-0000-4000-8000-00000000beef" } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ reason: "Operation Failed", detail: "[]" });
  });

  it("§5.1 refuses an add without a role with 400 Incomplete parameters Permission [role.id|name]", async () => {
    const { poolId } = await freshPool("perm-no-role");
    const res = await grant(`/vmpools/${poolId}`, { user: { id: DEFAULT_SEED_IDS.alice } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ reason: "Incomplete parameters", detail: "Permission [role.id|name] required for add" });
  });

  it("§5.1 refuses an add without user.id or group.id with 400 Incomplete parameters Permission [user|group.id] (engine REST code)", async () => {
    const { poolId } = await freshPool("perm-no-principal");
    const answers = [await grant(`/vmpools/${poolId}`, { role: { name: "UserRole" } }), await grant(`/vmpools/${poolId}`, { role: { name: "UserRole" }, user: { name: "alice" } })];
    for (const res of answers) {
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ reason: "Incomplete parameters", detail: "Permission [user|group.id] required for add" });
    }
  });

  it("§5.2 refuses an admin role granted by a non-SuperUser with 403 [Cannot add permission, only system super user can give permissions with admin Role]", async () => {
    const { poolId, clusterId } = await freshPool("perm-admin-role");
    await grantOk(`/clusters/${clusterId}`, { role: { name: "ClusterAdmin" }, user: { id: DEFAULT_SEED_IDS.bob } });
    const res = await grant(`/vmpools/${poolId}`, { role: { name: "VmPoolAdmin" }, user: { id: DEFAULT_SEED_IDS.alice } }, bob);
    expect(res.status).toBe(403);
    expect(res.json).toEqual(operationFailed("Cannot add permission, only system super user can give permissions with admin Role"));
  });

  it("§5.2 lets a non-SuperUser who administers the cluster grant a user role on a pool in it", async () => {
    const { poolId, clusterId } = await freshPool("perm-by-cluster-admin");
    await grantOk(`/clusters/${clusterId}`, { role: { name: "ClusterAdmin" }, user: { id: DEFAULT_SEED_IDS.bob } });
    const res = await grant(`/vmpools/${poolId}`, { role: { name: "UserRole" }, user: { id: DEFAULT_SEED_IDS.alice } }, bob);
    expect(res.status).toBe(201);
    expect((res.json as PermissionJson).vm_pool?.id).toBe(poolId);
  });

  it("§7 refuses a permission add by a user without rights on the object with 403 [User is not authorized to perform this action.]", async () => {
    const { poolId } = await freshPool("perm-unauthorized");
    const res = await grant(`/vmpools/${poolId}`, { role: { name: "UserRole" }, user: { id: DEFAULT_SEED_IDS.alice } }, alice);
    expect(res.status).toBe(403);
    expect(res.json).toEqual(operationFailed("User is not authorized to perform this action."));
  });

  it("§5.2 refuses a permission on a pool VM with 409 [Cannot add permission, VM is part of VM-Pool, permission should be given on VM-Pool instead]", async () => {
    await freshPool("perm-pool-vm");
    const [vm] = await poolVms(t, "perm-pool-vm");
    const res = await grant(`/vms/${vm?.id ?? ""}`, { role: { name: "UserRole" }, user: { id: DEFAULT_SEED_IDS.alice } });
    expect(res.status).toBe(409);
    expect(res.json).toEqual(operationFailed("Cannot add permission, VM is part of VM-Pool, permission should be given on VM-Pool instead"));
  });

  it("§5.1 lists a pool's direct and inherited (cluster, data center, system) permissions, ordered by id, all rewritten to the pool", async () => {
    const { poolId, clusterId } = await freshPool("perm-list");
    const direct = await grantOk(`/vmpools/${poolId}`, { role: { name: "UserRole" }, user: { id: DEFAULT_SEED_IDS.alice } });
    const fromCluster = await grantOk(`/clusters/${clusterId}`, { role: { name: "UserVmManager" }, user: { id: DEFAULT_SEED_IDS.bob } });
    const inheritedByCluster = (await list(`/clusters/${clusterId}`)).map((p) => p.id);
    const fromSystem = (await list("")).find((p) => p.role.id === SUPER_USER && p.user?.id === DEFAULT_SEED_IDS.admin);
    const listed = await list(`/vmpools/${poolId}`);
    const expectedIds = [direct.id, ...inheritedByCluster].sort();
    expect(listed.map((p) => p.id)).toEqual(expectedIds);
    expect(expectedIds).toEqual(expect.arrayContaining([fromCluster.id, fromSystem?.id]));
    for (const p of listed) {
      expect(p.vm_pool).toEqual({ id: poolId, href: `${API}/vmpools/${poolId}` });
      expect(p.href).toBe(`${API}/vmpools/${poolId}/permissions/${p.id}`);
      expect(p).not.toHaveProperty("cluster");
      expect(p).not.toHaveProperty("data_center");
    }
  });

  it("§5.1 returns an inherited permission read by id through the pool path with its real (cluster) object link", async () => {
    const { poolId, clusterId } = await freshPool("perm-get-real");
    const fromCluster = await grantOk(`/clusters/${clusterId}`, { role: { name: "UserRole" }, user: { id: DEFAULT_SEED_IDS.alice } });
    const res = await t.api("GET", `/vmpools/${poolId}/permissions/${fromCluster.id}`);
    expect(res.status).toBe(200);
    const p = res.json as PermissionJson;
    expect([p.id, p.cluster?.id]).toEqual([fromCluster.id, clusterId]);
    expect(p).not.toHaveProperty("vm_pool");
  });

  it("§5.1 deletes the cluster-level permission when an inherited id is deleted through the pool path (the danger)", async () => {
    const { poolId, clusterId } = await freshPool("perm-danger");
    const fromCluster = await grantOk(`/clusters/${clusterId}`, { role: { name: "UserRole" }, user: { id: DEFAULT_SEED_IDS.alice } });
    const res = await t.api("DELETE", `/vmpools/${poolId}/permissions/${fromCluster.id}`);
    expect(res.status).toBe(200);
    const gone = await t.api("GET", `/clusters/${clusterId}/permissions/${fromCluster.id}`);
    expect([gone.status, gone.text]).toEqual([404, ""]);
    expect((await list(`/clusters/${clusterId}`)).map((p) => p.id)).not.toContain(fromCluster.id);
  });

  it("§5.1 deletes the system-level permission when its inherited id is deleted through a pool path", async () => {
    const { poolId } = await freshPool("perm-danger-system");
    const fromSystem = await grantOk("", { role: { name: "UserVmManager" }, user: { id: DEFAULT_SEED_IDS.alice } });
    expect((await list(`/vmpools/${poolId}`)).map((p) => p.id)).toContain(fromSystem.id);
    const res = await t.api("DELETE", `/vmpools/${poolId}/permissions/${fromSystem.id}`);
    expect(res.status).toBe(200);
    const gone = await t.api("GET", `/permissions/${fromSystem.id}`);
    expect([gone.status, gone.text]).toEqual([404, ""]);
  });

  it("§5.1 refuses removing a system permission of Everyone with 409 [It's not allowed to remove system permissions assigned to built-in Everyone group]", async () => {
    const everyone = await grantOk("", { role: { name: "UserRole" }, group: { id: EVERYONE } });
    const res = await t.api("DELETE", `/permissions/${everyone.id}`);
    expect(res.status).toBe(409);
    expect(res.json).toEqual(operationFailed("It's not allowed to remove system permissions assigned to built-in Everyone group"));
    expect((await list("")).map((p) => p.id)).toContain(everyone.id);
  });

  it("§5.1 removes a permission of Everyone on a pool (only system ones are protected)", async () => {
    const { poolId } = await freshPool("perm-everyone-pool");
    const everyone = await grantOk(`/vmpools/${poolId}`, { role: { name: "UserRole" }, group: { id: EVERYONE } });
    const res = await t.api("DELETE", `/vmpools/${poolId}/permissions/${everyone.id}`);
    expect(res.status).toBe(200);
    expect((await list(`/vmpools/${poolId}`)).map((p) => p.id)).not.toContain(everyone.id);
  });

  it("§5.1 refuses removing the last SuperUser permission with 409 [Cannot remove Permission. The system must have at least one Super User Role defined.]", async () => {
    const superUser = (await list("")).filter((p) => p.role.id === SUPER_USER);
    expect(superUser.map((p) => p.user?.id)).toEqual([DEFAULT_SEED_IDS.admin]);
    const res = await t.api("DELETE", `/permissions/${superUser[0]?.id ?? ""}`);
    expect(res.status).toBe(409);
    expect(res.json).toEqual(operationFailed("Cannot remove Permission. The system must have at least one Super User Role defined."));
  });

  it("§5.1 refuses an admin-role permission removal by a non-SuperUser with 403 [Cannot remove permission, only system super user can remove permissions with admin Role]", async () => {
    const { poolId, clusterId } = await freshPool("perm-remove-admin");
    await grantOk(`/clusters/${clusterId}`, { role: { name: "ClusterAdmin" }, user: { id: DEFAULT_SEED_IDS.bob } });
    const poolAdmin = await grantOk(`/vmpools/${poolId}`, { role: { name: "VmPoolAdmin" }, user: { id: DEFAULT_SEED_IDS.alice } });
    const res = await t.api("DELETE", `/vmpools/${poolId}/permissions/${poolAdmin.id}`, { auth: { bearer: bob } });
    expect(res.status).toBe(403);
    expect(res.json).toEqual(operationFailed("Cannot remove permission, only system super user can remove permissions with admin Role"));
  });

  it("§2.1 answers the permissions of a missing pool, and a missing permission id, with 404 and an empty body", async () => {
    const { poolId } = await freshPool("perm-404");
    const answers = [
      await t.api("GET", "/vmpools/a1b2c3d4-0000-4000-8000-0000000f0404/permissions"),
      await t.api("GET", `/vmpools/${poolId}/permissions/a1b2c3d4-0000-4000-8000-0000000f0405`),
      await t.api("DELETE", `/vmpools/${poolId}/permissions/a1b2c3d4-0000-4000-8000-0000000f0405`),
    ];
    expect(answers.map((r) => [r.status, r.text])).toEqual([
      [404, ""],
      [404, ""],
      [404, ""],
    ]);
  });
});
