/**
 * PoolPermission on KubeVirt through its resource provider against a real
 * kube-apiserver with RBAC on. What the Role and RoleBinding allow is asked
 * of the API server's own authorizer with SubjectAccessReviews (as admin),
 * for the static-token users alice and bob and the group vdi-users; a bare
 * API server serves no KubeVirt subresources, but RBAC decides anyway.
 */
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { KubevirtClient } from "../../../../provider/backends/kubevirt/client";
import { KubevirtBackend } from "../../../../provider/backends/kubevirt/kubevirt-backend";
import { KubevirtPoolPermissionBackend } from "../../../../provider/backends/kubevirt/kubevirt-permission-backend";
import type { ProviderSettings } from "../../../../provider/config/settings";
import { PoolPermissionProvider } from "../../../../provider/pool-permission-provider";
import { poolPermissionInputsSchema } from "../../../../provider/schemas/pool-permission";
import { vmPoolInputsSchema } from "../../../../provider/schemas/vm-pool";
import { SMALL_VM_SPEC } from "../../../fixtures/programs";
import { reviewAccess, startTestCluster, type TestCluster, type TestUser, clusterProviderSettings } from "../../../harness/kube-apiserver";
import { missingTools } from "../../../harness/tools";

const skip = missingTools("etcd", "kube-apiserver").length > 0;

type Props = Record<string, unknown>;
type Principal = { user: string } | { group: string };

/** One access question: who, doing what, to which object, where (default namespace `vdi`). */
interface Ask {
  who: string;
  verb: string;
  what: string;
  name?: string;
  namespace?: string;
}

/** `what` is `<group>:<resource>[/<subresource>]`, e.g. `subresources.kubevirt.io:virtualmachines/start`. */
const GROUPS: Record<string, string[]> = { alice: ["vdi-users", "system:authenticated"], bob: ["vdi-users", "system:authenticated"] };
const START = "subresources.kubevirt.io:virtualmachines/start";
const VNC = "subresources.kubevirt.io:virtualmachineinstances/vnc";
const CONSOLE = "subresources.kubevirt.io:virtualmachineinstances/console";
const VM = "kubevirt.io:virtualmachines";
const POOL = "pool.kubevirt.io:virtualmachinepools";
const SCALE = "pool.kubevirt.io:virtualmachinepools/scale";

describe.skipIf(skip)("PoolPermission on KubeVirt against a real API server", () => {
  let cluster: TestCluster;
  let rbac: k8s.RbacAuthorizationV1Api;
  const pools: Record<string, { name: string; uid: string; size: number }> = {};
  const settings = (user: TestUser): ProviderSettings => clusterProviderSettings(cluster, user);
  const provider = (user: TestUser = "admin"): PoolPermissionProvider => new PoolPermissionProvider(() => settings(user));

  beforeAll(async () => {
    cluster = await startTestCluster();
    const admin = cluster.kubeConfig("admin");
    rbac = admin.makeApiClient(k8s.RbacAuthorizationV1Api);
    const core = admin.makeApiClient(k8s.CoreV1Api);
    const backend = new KubevirtBackend(new KubevirtClient(admin), 5_000);
    for (const namespace of ["vdi", "other"]) {
      await core.createNamespace({ body: { metadata: { name: namespace } } });
    }
    for (const [key, namespace, name, size] of [["lab", "vdi", "lab", 3], ["exam", "vdi", "exam", 2], ["other/lab", "other", "lab", 3]] as const) {
      const created = await backend.create(vmPoolInputsSchema.parse({ name, size, backend: { kind: "kubevirt", namespace, virtualMachineTemplate: { spec: SMALL_VM_SPEC } } }));
      pools[key] = { name, uid: created.state.uid, size };
    }
  });
  afterAll(async () => cluster?.stop());

  const args = (pool: string, role: string, principal: Principal, size?: number): Props => {
    const p = pools[pool] ?? { name: pool, uid: "none", size: 0 };
    return { role, ...principal, pool: { ...p, size: size ?? p.size }, backend: { kind: "kubevirt", namespace: pool.startsWith("other/") ? "other" : "vdi" } };
  };

  async function grant(news: Props): Promise<{ id: string; outs: Props; inputs: Props }> {
    const checked = await provider().check({}, news);
    expect(checked.failures).toEqual([]);
    const inputs = checked.inputs ?? {};
    const created = await provider().create(inputs);
    return { id: created.id, outs: created.outs ?? {}, inputs };
  }

  /** Asks each question; the answers come back as a table, so a failure shows them all. */
  async function answers(asks: Ask[]): Promise<string[]> {
    return Promise.all(
      asks.map(async (ask) => {
        const [group = "", resourcePath = ""] = ask.what.split(":");
        const [resource = "", subresource] = resourcePath.split("/");
        const allowed = await reviewAccess(cluster.kubeConfig("admin"), {
          user: ask.who,
          groups: GROUPS[ask.who] ?? [],
          namespace: ask.namespace ?? "vdi",
          verb: ask.verb,
          group,
          resource,
          ...(subresource === undefined ? {} : { subresource }),
          ...(ask.name === undefined ? {} : { name: ask.name }),
        });
        return `${allowed ? "yes" : "no "} ${ask.who} ${ask.verb} ${ask.what} ${ask.name ?? "*"} in ${ask.namespace ?? "vdi"}`;
      }),
    );
  }
  const exists = async (kind: "Role" | "RoleBinding", name: string, namespace = "vdi"): Promise<boolean> =>
    (kind === "Role" ? rbac.readNamespacedRole({ name, namespace }) : rbac.readNamespacedRoleBinding({ name, namespace })).then(
      () => true,
      () => false,
    );

  it("lets a pool user start, stop and restart the pool's VMs and open their VNC and console, and nothing more", async () => {
    const alice = await grant(args("lab", "UserRole", { user: "alice" }));
    expect(alice.id).toBe("vdi/vmpools-lab-userrole-user-alice");
    expect(alice.outs).toMatchObject({ principalId: "User:alice", objects: [{ kind: "Role", name: "vmpools-lab-userrole-user-alice" }, { kind: "RoleBinding", name: "vmpools-lab-userrole-user-alice" }] });
    const binding = await rbac.readNamespacedRoleBinding({ name: "vmpools-lab-userrole-user-alice", namespace: "vdi" });
    expect(alice.outs["uid"]).toBe(binding.metadata?.uid);
    expect(binding.metadata?.ownerReferences).toEqual([{ apiVersion: "pool.kubevirt.io/v1beta1", kind: "VirtualMachinePool", name: "lab", uid: pools["lab"]?.uid }]);
    expect(
      await answers([
        { who: "alice", verb: "update", what: START, name: "lab-0" },
        { who: "alice", verb: "update", what: "subresources.kubevirt.io:virtualmachines/stop", name: "lab-2" },
        { who: "alice", verb: "update", what: "subresources.kubevirt.io:virtualmachines/restart", name: "lab-1" },
        { who: "alice", verb: "get", what: VNC, name: "lab-0" },
        { who: "alice", verb: "get", what: CONSOLE, name: "lab-2" },
        { who: "alice", verb: "get", what: VM, name: "lab-1" },
        { who: "alice", verb: "get", what: "kubevirt.io:virtualmachineinstances", name: "lab-1" },
        // Not the pool, not beyond its size, not another pool, not elsewhere, not someone else.
        { who: "alice", verb: "delete", what: POOL, name: "lab" },
        { who: "alice", verb: "update", what: SCALE, name: "lab" },
        { who: "alice", verb: "delete", what: VM, name: "lab-0" },
        { who: "alice", verb: "patch", what: VM, name: "lab-0" },
        { who: "alice", verb: "list", what: VM },
        { who: "alice", verb: "update", what: START, name: "lab-3" },
        { who: "alice", verb: "update", what: START, name: "exam-0" },
        { who: "alice", verb: "get", what: VNC, name: "exam-0" },
        { who: "alice", verb: "update", what: START, name: "lab-0", namespace: "other" },
        { who: "alice", verb: "get", what: VNC, name: "lab-0", namespace: "other" },
        { who: "bob", verb: "update", what: START, name: "lab-0" },
      ]),
    ).toEqual([
      "yes alice update subresources.kubevirt.io:virtualmachines/start lab-0 in vdi",
      "yes alice update subresources.kubevirt.io:virtualmachines/stop lab-2 in vdi",
      "yes alice update subresources.kubevirt.io:virtualmachines/restart lab-1 in vdi",
      "yes alice get subresources.kubevirt.io:virtualmachineinstances/vnc lab-0 in vdi",
      "yes alice get subresources.kubevirt.io:virtualmachineinstances/console lab-2 in vdi",
      "yes alice get kubevirt.io:virtualmachines lab-1 in vdi",
      "yes alice get kubevirt.io:virtualmachineinstances lab-1 in vdi",
      "no  alice delete pool.kubevirt.io:virtualmachinepools lab in vdi",
      "no  alice update pool.kubevirt.io:virtualmachinepools/scale lab in vdi",
      "no  alice delete kubevirt.io:virtualmachines lab-0 in vdi",
      "no  alice patch kubevirt.io:virtualmachines lab-0 in vdi",
      "no  alice list kubevirt.io:virtualmachines * in vdi",
      "no  alice update subresources.kubevirt.io:virtualmachines/start lab-3 in vdi",
      "no  alice update subresources.kubevirt.io:virtualmachines/start exam-0 in vdi",
      "no  alice get subresources.kubevirt.io:virtualmachineinstances/vnc exam-0 in vdi",
      "no  alice update subresources.kubevirt.io:virtualmachines/start lab-0 in other",
      "no  alice get subresources.kubevirt.io:virtualmachineinstances/vnc lab-0 in other",
      "no  bob update subresources.kubevirt.io:virtualmachines/start lab-0 in vdi",
    ]);
  });

  it("lets a pool admin also read, patch and scale the pool, but not delete it or touch another pool", async () => {
    await grant(args("lab", "VmPoolAdmin", { user: "bob" }));
    expect(
      await answers([
        { who: "bob", verb: "update", what: SCALE, name: "lab" },
        { who: "bob", verb: "patch", what: SCALE, name: "lab" },
        { who: "bob", verb: "patch", what: POOL, name: "lab" },
        { who: "bob", verb: "update", what: START, name: "lab-2" },
        { who: "bob", verb: "delete", what: POOL, name: "lab" },
        { who: "bob", verb: "create", what: POOL },
        { who: "bob", verb: "update", what: SCALE, name: "exam" },
      ]),
    ).toEqual([
      "yes bob update pool.kubevirt.io:virtualmachinepools/scale lab in vdi",
      "yes bob patch pool.kubevirt.io:virtualmachinepools/scale lab in vdi",
      "yes bob patch pool.kubevirt.io:virtualmachinepools lab in vdi",
      "yes bob update subresources.kubevirt.io:virtualmachines/start lab-2 in vdi",
      "no  bob delete pool.kubevirt.io:virtualmachinepools lab in vdi",
      "no  bob create pool.kubevirt.io:virtualmachinepools * in vdi",
      "no  bob update pool.kubevirt.io:virtualmachinepools/scale exam in vdi",
    ]);
  });

  it("grants a group's permission to every member and to no one else", async () => {
    const group = await grant(args("exam", "UserRole", { group: "vdi-users" }));
    expect(group.outs["principalId"]).toBe("Group:vdi-users");
    expect(await answers([{ who: "bob", verb: "update", what: START, name: "exam-1" }, { who: "alice", verb: "get", what: VNC, name: "exam-0" }, { who: "carol", verb: "update", what: START, name: "exam-0" }])).toEqual([
      "yes bob update subresources.kubevirt.io:virtualmachines/start exam-1 in vdi",
      "yes alice get subresources.kubevirt.io:virtualmachineinstances/vnc exam-0 in vdi",
      "no  carol update subresources.kubevirt.io:virtualmachines/start exam-0 in vdi",
    ]);
  });

  it("keeps the Role's VM names in step with the pool's size, in place, and reads back with no diff", async () => {
    let current = await grant(args("lab", "UserRole", { user: "dora" }));
    for (const size of [5, 1]) {
      const news = (await provider().check(current.inputs, args("lab", "UserRole", { user: "dora" }, size))).inputs ?? {};
      expect(await provider().diff(current.id, current.outs, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
      current = { ...current, outs: (await provider().update(current.id, current.outs, news)).outs ?? {}, inputs: news };
    }
    expect(await answers([{ who: "dora", verb: "update", what: START, name: "lab-0" }, { who: "dora", verb: "update", what: START, name: "lab-1" }])).toEqual([
      "yes dora update subresources.kubevirt.io:virtualmachines/start lab-0 in vdi",
      "no  dora update subresources.kubevirt.io:virtualmachines/start lab-1 in vdi",
    ]);
    const read = await provider().read(current.id, current.outs);
    expect(read.inputs).toEqual(current.inputs);
    expect(await provider().diff(current.id, read.props ?? {}, current.inputs)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it("grants nothing on VMs for a pool of size 0 (an empty resourceNames would mean every VM)", async () => {
    await grant(args("lab", "UserRole", { user: "gina" }, 0));
    // The API server stores an empty rule list as none.
    expect((await rbac.readNamespacedRole({ name: "vmpools-lab-userrole-user-gina", namespace: "vdi" })).rules ?? []).toEqual([]);
    expect(await answers([{ who: "gina", verb: "update", what: START, name: "lab-0" }])).toEqual(["no  gina update subresources.kubevirt.io:virtualmachines/start lab-0 in vdi"]);
  });

  it("replaces a permission whose principal changes: the new objects first, then the old ones removed", async () => {
    const old = await grant(args("exam", "UserRole", { user: "erin" }));
    const news = (await provider().check(old.inputs, args("exam", "UserRole", { user: "fred" }))).inputs ?? {};
    expect(await provider().diff(old.id, old.outs, news)).toEqual({ changes: true, replaces: ["user"], deleteBeforeReplace: false });
    const created = await provider().create(news);
    await provider().delete(old.id, old.outs);
    expect(created.id).toBe("vdi/vmpools-exam-userrole-user-fred");
    expect([await exists("Role", "vmpools-exam-userrole-user-erin"), await exists("RoleBinding", "vmpools-exam-userrole-user-erin")]).toEqual([false, false]);
    expect(await answers([{ who: "fred", verb: "update", what: START, name: "exam-0" }, { who: "erin", verb: "update", what: START, name: "exam-0" }])).toEqual([
      "yes fred update subresources.kubevirt.io:virtualmachines/start exam-0 in vdi",
      "no  erin update subresources.kubevirt.io:virtualmachines/start exam-0 in vdi",
    ]);
  });

  it("deletes only its own objects: another permission on the same pool keeps working; deleting twice is fine", async () => {
    const mine = await grant(args("exam", "VmPoolAdmin", { user: "hank" }));
    await provider().delete(mine.id, mine.outs);
    await provider().delete(mine.id, mine.outs);
    expect([await exists("RoleBinding", "vmpools-exam-vmpooladmin-user-hank"), await exists("RoleBinding", "vmpools-exam-userrole-group-vdi-users"), await exists("Role", "vmpools-exam-userrole-group-vdi-users")]).toEqual([false, true, true]);
    expect(await answers([{ who: "bob", verb: "update", what: START, name: "exam-1" }])).toEqual(["yes bob update subresources.kubevirt.io:virtualmachines/start exam-1 in vdi"]);
  });

  it("never adopts a Role it did not create, in preview or create, and leaves it and nothing else behind", async () => {
    const foreign = await rbac.createNamespacedRole({ namespace: "vdi", body: { metadata: { name: "vmpools-lab-userrole-user-ivan" }, rules: [] } });
    const news = args("lab", "UserRole", { user: "ivan" });
    const message =
      "a Role named 'vmpools-lab-userrole-user-ivan' already exists in namespace 'vdi' and this permission did not create it; it is never adopted or changed. Delete it if it is a leftover, or grant the role to another principal";
    expect((await provider().check({}, news)).failures).toEqual([{ property: "user", reason: message }]);
    await expect(provider().create((await provider().check({}, news)).inputs ?? {})).rejects.toThrow(`kubevirt create of vdi/vmpools-lab-userrole-user-ivan failed: ${message}`);
    expect((await rbac.readNamespacedRole({ name: "vmpools-lab-userrole-user-ivan", namespace: "vdi" })).metadata?.uid).toBe(foreign.metadata?.uid);
    expect(await exists("RoleBinding", "vmpools-lab-userrole-user-ivan")).toBe(false);
  });

  it("removes the Role it just created when the RoleBinding's name is taken", async () => {
    await rbac.createNamespacedRoleBinding({ namespace: "vdi", body: { metadata: { name: "vmpools-lab-userrole-user-jack" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "x" }, subjects: [] } });
    await expect(provider().create((await provider().check({}, args("lab", "UserRole", { user: "jack" }))).inputs ?? {})).rejects.toThrow("a RoleBinding named 'vmpools-lab-userrole-user-jack' already exists");
    expect(await exists("Role", "vmpools-lab-userrole-user-jack")).toBe(false);
  });

  it("never deletes newer objects that took its names, and reads itself as gone", async () => {
    const old = await grant(args("lab", "UserRole", { user: "kate" }));
    await provider().delete(old.id, old.outs);
    const newer = await grant(args("lab", "UserRole", { user: "kate" }));
    await provider().delete(old.id, old.outs);
    expect(await exists("RoleBinding", "vmpools-lab-userrole-user-kate")).toBe(true);
    expect(await provider().read(old.id, old.outs)).toEqual({});
    expect((await provider().read(newer.id, newer.outs)).id).toBe(newer.id);
  });

  it("shows out-of-band edits as drift, and the next update repairs the Role or plans a replacement", async () => {
    const perm = await grant(args("lab", "UserRole", { user: "liam" }));
    const name = "vmpools-lab-userrole-user-liam";
    const role = await rbac.readNamespacedRole({ name, namespace: "vdi" });
    await rbac.replaceNamespacedRole({ name, namespace: "vdi", body: { metadata: role.metadata ?? {}, rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }] } });
    const widened = await provider().read(perm.id, perm.outs);
    expect(widened.inputs?.["pool"]).toEqual({ name: "lab", uid: pools["lab"]?.uid });
    expect(await provider().diff(perm.id, widened.props ?? {}, perm.inputs)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const repaired = await provider().update(perm.id, widened.props ?? {}, perm.inputs);
    expect(await answers([{ who: "liam", verb: "delete", what: POOL, name: "lab" }, { who: "liam", verb: "update", what: START, name: "lab-1" }])).toEqual([
      "no  liam delete pool.kubevirt.io:virtualmachinepools lab in vdi",
      "yes liam update subresources.kubevirt.io:virtualmachines/start lab-1 in vdi",
    ]);
    // A Role deleted out of band is created again by the next update.
    await rbac.deleteNamespacedRole({ name, namespace: "vdi" });
    const missing = await provider().read(perm.id, repaired.outs ?? {});
    const recreated = await provider().update(perm.id, missing.props ?? {}, perm.inputs);
    expect(await answers([{ who: "liam", verb: "update", what: START, name: "lab-0" }])).toEqual(["yes liam update subresources.kubevirt.io:virtualmachines/start lab-0 in vdi"]);
    // A second subject slipped into the binding: repaired in place (a
    // replacement would collide with the tampered objects' names).
    const binding = await rbac.readNamespacedRoleBinding({ name, namespace: "vdi" });
    await rbac.replaceNamespacedRoleBinding({ name, namespace: "vdi", body: { metadata: binding.metadata ?? {}, roleRef: binding.roleRef, subjects: [...(binding.subjects ?? []), { kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "mallory" }] } });
    expect(await answers([{ who: "mallory", verb: "update", what: START, name: "lab-0" }])).toEqual(["yes mallory update subresources.kubevirt.io:virtualmachines/start lab-0 in vdi"]);
    const tampered = await provider().read(perm.id, recreated.outs ?? {});
    expect(await provider().diff(perm.id, tampered.props ?? {}, perm.inputs)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    await provider().update(perm.id, tampered.props ?? {}, perm.inputs);
    expect((await rbac.readNamespacedRoleBinding({ name, namespace: "vdi" })).subjects).toEqual([{ kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "liam" }]);
    expect(await answers([{ who: "mallory", verb: "update", what: START, name: "lab-0" }, { who: "liam", verb: "update", what: START, name: "lab-0" }])).toEqual([
      "no  mallory update subresources.kubevirt.io:virtualmachines/start lab-0 in vdi",
      "yes liam update subresources.kubevirt.io:virtualmachines/start lab-0 in vdi",
    ]);
  });

  it("claims its own Role when a create's answer is lost, proven by its create id, without a second create", async () => {
    let creates = 0;
    // A connection that loses the answer of the first Role create after the server ran it.
    class LosingClient extends KubevirtClient {
      override makeApiClient<T extends k8s.ApiType>(api: k8s.ApiConstructor<T>): T {
        const client = super.makeApiClient(api);
        if (client instanceof k8s.RbacAuthorizationV1Api) {
          const create = client.createNamespacedRole.bind(client);
          client.createNamespacedRole = async (...call: Parameters<typeof create>) => {
            creates += 1;
            await create(...call);
            throw new Error("socket hang up");
          };
        }
        return client;
      }
    }
    const backend = new KubevirtPoolPermissionBackend(new LosingClient(cluster.kubeConfig("admin"), { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 }));
    const inputs = poolPermissionInputsSchema.parse(args("lab", "UserRole", { user: "owen" }));
    const created = await backend.create(inputs);
    expect(creates).toBe(1);
    expect(created.state.objects?.[0]?.uid).toBe((await rbac.readNamespacedRole({ name: "vmpools-lab-userrole-user-owen", namespace: "vdi" })).metadata?.uid);
  });

  it("refuses a pool that was recreated since, in preview and in create", async () => {
    const stale = { ...args("lab", "UserRole", { user: "mia" }), pool: { name: "lab", uid: "0000-stale", size: 1 } };
    expect((await provider().check({}, stale)).failures).toEqual([
      { property: "pool.uid", reason: `is 0000-stale, but the pool 'lab' now has uid ${pools["lab"]?.uid ?? ""} (it was recreated); run 'pulumi refresh' so the permission follows the new pool` },
    ]);
    await expect(provider().create(poolPermissionInputsSchema.parse(stale))).rejects.toThrow(
      `kubevirt create of vdi/vmpools-lab-userrole-user-mia failed: VirtualMachinePool 'lab' was recreated (uid ${pools["lab"]?.uid ?? ""}, the permission names 0000-stale); run 'pulumi refresh' so the permission follows the new pool`,
    );
    expect(await exists("Role", "vmpools-lab-userrole-user-mia")).toBe(false);
  });

  it("tells a provider identity that may not grant what the Role holds about RBAC's escalation check, leaving nothing behind", async () => {
    // alice may read pools and write Roles in 'other', where she holds no KubeVirt permission to pass on.
    await rbac.createNamespacedRole({
      namespace: "other",
      body: {
        metadata: { name: "pool-reader-role-writer" },
        rules: [
          { apiGroups: ["pool.kubevirt.io"], resources: ["virtualmachinepools"], verbs: ["get"] },
          { apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles", "rolebindings"], verbs: ["get", "create", "delete"] },
        ],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: "other",
      body: { metadata: { name: "alice-writes-roles" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "pool-reader-role-writer" }, subjects: [{ kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "alice" }] },
    });
    const inputs = (await provider().check({}, args("other/lab", "UserRole", { user: "nina" }))).inputs ?? {};
    const err: unknown = await provider("alice").create(inputs).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^kubevirt create of other\/vmpools-lab-userrole-user-nina failed: roles\.rbac\.authorization\.k8s\.io "vmpools-lab-userrole-user-nina" is forbidden: user "alice" .* is attempting to grant RBAC permissions not currently held/s);
    expect((err as Error).message).toMatch(/creating a Role or RoleBinding needs every permission it grants \(RBAC escalation check\), or the 'escalate' and 'bind' verbs on roles$/);
    expect(await exists("Role", "vmpools-lab-userrole-user-nina", "other")).toBe(false);
  });
});
