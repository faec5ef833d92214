/**
 * The oVirt pool-permission backend against the engine sandbox: grants for
 * users and groups, principals and roles resolved first (nothing posted when
 * one is missing), an existing grant refused without a duplicate, inherited
 * permissions never deleted, refresh after out-of-band removals, and the
 * read-only checks of preview.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { OvirtBackend } from "../../../../provider/backends/ovirt/ovirt-backend";
import { OvirtPoolPermissionBackend } from "../../../../provider/backends/ovirt/ovirt-permission-backend";
import type { PoolPermissionState } from "../../../../provider/backends/pool-permission-backend";
import { poolPermissionInputsSchema, type PoolPermissionInputs } from "../../../../provider/schemas/pool-permission";
import { vmPoolInputsSchema } from "../../../../provider/schemas/vm-pool";
import type { Permission } from "../../../../sandbox/ovirt-engine/model";
import { DEFAULT_SEED_IDS } from "../../../../sandbox/ovirt-engine/seed";
import { startOvirtFixture, type OvirtFixture } from "./ovirt-engine-fixture";

const USER_ROLE = "00000000-0000-0000-0001-000000000001";
const VM_POOL_ADMIN = "def00007-0000-0000-0000-def000000007";
const POSTS = /\/vmpools\/[^/]+\/permissions$/;

describe("OvirtPoolPermissionBackend against the engine sandbox", () => {
  let f: OvirtFixture;
  let backend: OvirtPoolPermissionBackend;
  let pools: OvirtBackend;
  let lab: { name: string; uid: string };
  const permissions = (): Permission[] => [...f.sandbox.control.engine.store.permissions.values()];
  const onPool = (poolId: string): Permission[] => permissions().filter((p) => p.objectType === "vm_pool" && p.objectId === poolId);
  const grant = (who: { user: string } | { group: string }, role = "UserRole", pool = lab): PoolPermissionInputs => poolPermissionInputsSchema.parse({ role, ...who, pool, backend: { kind: "ovirt" } });
  const newPool = async (name: string): Promise<{ name: string; uid: string }> => {
    const created = await pools.create(vmPoolInputsSchema.parse({ name, size: 1, backend: { kind: "ovirt", cluster: "Default", template: "rhel9-desktop" } }));
    return { name, uid: created.id };
  };

  beforeAll(async () => {
    f = await startOvirtFixture();
    backend = new OvirtPoolPermissionBackend(f.client);
    pools = new OvirtBackend(f.client, { pollMs: 10, timeoutMs: 5_000 });
    lab = await newPool("perm-lab");
  });
  afterAll(async () => f?.dispose());
  beforeEach(() => {
    f.sandbox.control.clearFaults();
    f.sandbox.control.resetRequestCounts();
  });

  it("grants a role to a user on the pool, by role and user id, and reports the permission and user ids", async () => {
    const created = await backend.create(grant({ user: "alice@internal-authz" }));
    const [row] = onPool(lab.uid).filter((p) => p.userId === DEFAULT_SEED_IDS.alice);
    expect(row).toEqual({ id: created.id, roleId: USER_ROLE, userId: DEFAULT_SEED_IDS.alice, groupId: undefined, objectType: "vm_pool", objectId: lab.uid });
    expect(created.state).toEqual({ role: "UserRole", user: "alice@internal-authz", pool: lab, backend: { kind: "ovirt" }, uid: created.id, principalId: DEFAULT_SEED_IDS.alice });
    expect(created.inputs).toEqual(grant({ user: "alice@internal-authz" }));
    expect(f.count("POST", POSTS)).toBe(1);
  });

  it("grants a role to a group, resolving the role name ignoring case", async () => {
    const created = await backend.create(grant({ group: "vdi-users" }, "vmpooladmin"));
    expect(onPool(lab.uid).find((p) => p.id === created.id)).toEqual({ id: created.id, roleId: VM_POOL_ADMIN, userId: undefined, groupId: DEFAULT_SEED_IDS.vdiUsers, objectType: "vm_pool", objectId: lab.uid });
    expect(created.state.principalId).toBe(DEFAULT_SEED_IDS.vdiUsers);
  });

  it("refuses a grant that exists already on the pool, posting nothing and making no duplicate", async () => {
    const before = onPool(lab.uid).length;
    const existing = onPool(lab.uid).find((p) => p.userId === DEFAULT_SEED_IDS.alice);
    const err: unknown = await backend.create(grant({ user: "alice@internal-authz" })).catch((e: unknown) => e);
    expect((err as Error).message).toBe(
      `ovirt create of permission UserRole for user alice@internal-authz on pool perm-lab failed: user 'alice@internal-authz' already has role UserRole directly on pool 'perm-lab' (permission ${existing?.id ?? ""}), granted outside this resource. ` +
        "This provider neither takes over a permission it did not create nor ever deletes one, so either drop this PoolPermission (the grant exists already), " +
        `or remove that permission on the engine (Administration Portal: Pools > perm-lab > Permissions > Remove, or 'DELETE /ovirt-engine/api/vmpools/${lab.uid}/permissions/${existing?.id ?? ""}') and run 'pulumi up' again. Nothing was changed`,
    );
    expect([f.count("POST", POSTS), onPool(lab.uid).length]).toEqual([0, before]);
  });

  it("fails naming a user the engine does not know and how to add it, posting nothing", async () => {
    await expect(backend.create(grant({ user: "mallory@internal-authz" }))).rejects.toThrow(
      "ovirt create of permission UserRole for user mallory@internal-authz on pool perm-lab failed: user 'mallory@internal-authz' is not known to the engine, so it cannot be given a permission. A user must be added to the engine before it gets permissions: in the Administration Portal (Administration > Users > Add), or by 'POST /ovirt-engine/api/users' with 'user_name' and 'domain.name'; then run this again. Nothing was changed",
    );
    expect(f.count("POST", /./)).toBe(0);
    expect(f.count("GET", /\/vmpools/)).toBe(0);
  });

  it("names the right user when the login profile was given instead of the directory", async () => {
    await expect(backend.create(grant({ user: "bob@internal" }))).rejects.toThrow(
      "user 'bob@internal' is not known to the engine, so it cannot be given a permission. The engine knows 'bob@internal-authz': users are named '<login>@<authz directory>', and the part after '@' is the directory (e.g. 'internal-authz'), not the login profile (e.g. 'internal').",
    );
    expect(f.count("POST", /./)).toBe(0);
  });

  it("fails naming a group the engine does not know, posting nothing", async () => {
    await expect(backend.create(grant({ group: "ghosts" }))).rejects.toThrow("group 'ghosts' is not known to the engine, so it cannot be given a permission. A group must be added from its directory first");
    expect(f.count("POST", /./)).toBe(0);
  });

  it("fails for an unknown role listing valid ones, posting nothing", async () => {
    await expect(backend.create(grant({ user: "bob@internal-authz" }, "PoolUser"))).rejects.toThrow(
      "ovirt create of permission PoolUser for user bob@internal-authz on pool perm-lab failed: role 'PoolUser' does not exist on the engine; roles there include UserRole, VmPoolAdmin, PowerUserRole, UserVmManager, ClusterAdmin, DataCenterAdmin, DiskCreator, DiskOperator and 16 more (names compare ignoring case). Nothing was changed",
    );
    expect(f.count("POST", /./)).toBe(0);
  });

  it("does not count an inherited cluster permission as a duplicate, and deleting the pool's own permission leaves the cluster's", async () => {
    const cluster = await f.client.call({ backend: "ovirt", operation: "test", resource: "cluster" }, "POST", `/clusters/${DEFAULT_SEED_IDS.cluster}/permissions`, {
      body: { role: { id: USER_ROLE }, user: { id: DEFAULT_SEED_IDS.bob } },
      idempotent: true,
    });
    const clusterPermissionId = (cluster.body as { id: string }).id;
    f.sandbox.control.resetRequestCounts();
    const created = await backend.create(grant({ user: "bob@internal-authz" }));
    expect(created.id).not.toBe(clusterPermissionId);
    expect(f.count("POST", POSTS)).toBe(1);
    await backend.delete(created.id, created.state);
    expect(permissions().find((p) => p.id === created.id)).toBeUndefined();
    expect(permissions().find((p) => p.id === clusterPermissionId)).toMatchObject({ objectType: "cluster", objectId: DEFAULT_SEED_IDS.cluster, userId: DEFAULT_SEED_IDS.bob });
    expect(f.count("DELETE", /\/permissions\//)).toBe(1);
  });

  it("never deletes an inherited permission through the pool path, even when state names its id", async () => {
    const inherited = permissions().find((p) => p.objectType === "cluster" && p.userId === DEFAULT_SEED_IDS.bob);
    const state: PoolPermissionState = { ...grant({ user: "bob@internal-authz" }), uid: inherited?.id ?? "", principalId: DEFAULT_SEED_IDS.bob };
    await backend.delete(state.uid, state);
    expect(permissions().find((p) => p.id === inherited?.id)).toBeDefined();
    expect(await backend.read(state.uid, state)).toBeUndefined();
    expect(f.count("DELETE", /./)).toBe(0);
  });

  it("refresh shows a permission removed outside Pulumi as gone, and delete then succeeds sending nothing", async () => {
    const created = await backend.create(grant({ user: "bob@internal-authz" }, "UserVmManager"));
    expect(await backend.read(created.id, created.state)).toEqual({ id: created.id, inputs: created.inputs, state: created.state });
    f.sandbox.control.engine.store.permissions.delete(created.id);
    expect(await backend.read(created.id, created.state)).toBeUndefined();
    await backend.delete(created.id, created.state);
    expect(f.count("DELETE", /./)).toBe(0);
  });

  it("refresh after the pool was deleted outside Pulumi finds the permission gone with it", async () => {
    const doomed = await newPool("perm-doomed");
    const created = await backend.create(grant({ group: "vdi-users" }, "UserRole", doomed));
    await f.client.call({ backend: "ovirt", operation: "test", resource: "pool" }, "DELETE", `/vmpools/${doomed.uid}`, { idempotent: true });
    for (let i = 0; i < 200 && f.sandbox.control.pools().some((p) => p.id === doomed.uid); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await backend.read(created.id, created.state)).toBeUndefined();
    await backend.delete(created.id, created.state);
    expect(f.count("DELETE", /\/permissions\//)).toBe(0);
  });

  it("retries an add whose answer was lost and gets the same permission back: one permission, never two", async () => {
    const pool = await newPool("perm-lost");
    f.sandbox.control.resetRequestCounts();
    f.sandbox.control.addFault({ method: "POST", path: "/permissions$", kind: "drop", phase: "after", times: 1 });
    const created = await backend.create(grant({ user: "alice@internal-authz" }, "UserRole", pool));
    expect(onPool(pool.uid).map((p) => p.id)).toEqual([created.id]);
    expect(f.count("POST", POSTS)).toBe(2);
  });

  it("verifies read-only: principal, role, pool, and a grant that exists already", async () => {
    expect(await backend.verify(grant({ group: "Everyone" }), undefined)).toEqual([]);
    const prefix = "ovirt preview of permission Admin for user nobody@internal-authz on pool perm-lab failed: ";
    const failures = await backend.verify(grant({ user: "nobody@internal-authz" }, "Admin"), undefined);
    expect(failures).toEqual([
      {
        property: "user",
        reason: `${prefix}user 'nobody@internal-authz' is not known to the engine, so it cannot be given a permission. A user must be added to the engine before it gets permissions: in the Administration Portal (Administration > Users > Add), or by 'POST /ovirt-engine/api/users' with 'user_name' and 'domain.name'; then run this again. Nothing was changed`,
      },
      {
        property: "role",
        reason: `${prefix}role 'Admin' does not exist on the engine; roles there include UserRole, VmPoolAdmin, PowerUserRole, UserVmManager, ClusterAdmin, DataCenterAdmin, DiskCreator, DiskOperator and 16 more (names compare ignoring case). Nothing was changed`,
      },
    ]);
    expect(await backend.verify(grant({ user: "alice@internal-authz" }, "UserRole", { name: "gone", uid: "00000000-0000-4000-8000-00000000dead" }), undefined)).toEqual([
      {
        property: "pool",
        reason:
          "ovirt preview of permission UserRole for user alice@internal-authz on pool gone failed: pool 'gone' (id 00000000-0000-4000-8000-00000000dead) does not exist on the engine; it was removed outside Pulumi or recreated, so run 'pulumi refresh' and then 'pulumi up'",
      },
    ]);
    const duplicate = await backend.verify(grant({ user: "alice@internal-authz" }), undefined);
    expect(duplicate.map((x) => x.property)).toEqual(["user"]);
    expect(duplicate[0]?.reason).toContain("already has role UserRole directly on pool 'perm-lab'");
    // The resource's own grant, on a later preview, is not a duplicate.
    expect(await backend.verify(grant({ user: "alice@internal-authz" }), grant({ user: "alice@internal-authz" }))).toEqual([]);
    expect([f.count("POST", /./), f.count("PUT", /./), f.count("DELETE", /./)]).toEqual([0, 0, 0]);
  });
});
