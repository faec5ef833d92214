/**
 * VmPool and PoolPermission on VM-Operator through their resource providers
 * against a real kube-apiserver with the project's VM-Operator fixture CRDs
 * and, when the shared reference folder is there, VM-Operator's real CRDs.
 * A bare API server runs no VM-Operator manager, so the tests create the
 * VMs, assignments included (through the status subresource), themselves.
 */
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { PoolPermissionProvider } from "../../../../provider/pool-permission-provider";
import { VmPoolProvider } from "../../../../provider/vm-pool-provider";
import { clusterProviderSettings, startTestCluster, type TestCluster, type VmoperatorCrdSource } from "../../../harness/kube-apiserver";
import { missingTools, optionalReference } from "../../../harness/tools";

const skip = missingTools("etcd", "kube-apiserver").length > 0;
const SOURCES: VmoperatorCrdSource[] = ["fixture", ...(optionalReference("crds", "the VM-Operator backend tests on VM-Operator's real CRDs") === undefined ? [] : (["reference"] as const))];

type Props = Record<string, unknown>;
const GROUP = { group: "vmoperator.jdrupes.org", version: "v1" };
const NS = "vdi";

describe.skipIf(skip).each(SOURCES)("VM-Operator pools and permissions on a real API server (%s CRDs)", (source) => {
  let cluster: TestCluster;
  let objects: k8s.CustomObjectsApi;
  const notices: string[] = [];
  const pools = (): VmPoolProvider =>
    new VmPoolProvider(
      () => clusterProviderSettings(cluster),
      async (messages) => {
        notices.push(...messages);
      },
    );
  const permissions = (): PoolPermissionProvider => new PoolPermissionProvider(() => clusterProviderSettings(cluster));

  const getVm = async (name: string): Promise<{ pools: string[]; state: string; uid: string; resourceVersion: string }> => {
    const vm = (await objects.getNamespacedCustomObject({ ...GROUP, namespace: NS, plural: "vms", name })) as { metadata: { uid: string; resourceVersion: string }; spec: { pools: string[]; vm: { state: string } } };
    return { pools: vm.spec.pools, state: vm.spec.vm.state, uid: vm.metadata.uid, resourceVersion: vm.metadata.resourceVersion };
  };
  const getPool = async (name: string): Promise<{ spec: { retention: string; loginOnAssignment: boolean; permissions: Props[] }; metadata: { resourceVersion: string; uid: string } } | undefined> => {
    try {
      return (await objects.getNamespacedCustomObject({ ...GROUP, namespace: NS, plural: "vmpools", name })) as never;
    } catch (err) {
      if (err instanceof k8s.ApiException && err.code === 404) {
        return undefined;
      }
      throw err;
    }
  };
  const createVm = async (name: string, vmPools: string[], state = "Stopped", labels: Record<string, string> = {}): Promise<void> => {
    await objects.createNamespacedCustomObject({ ...GROUP, namespace: NS, plural: "vms", body: { apiVersion: "vmoperator.jdrupes.org/v1", kind: "VirtualMachine", metadata: { name, labels }, spec: { pools: vmPools, vm: { maximumCpus: 1, state } } } });
  };
  const assign = async (vm: string, pool: string, user: string): Promise<void> => {
    await objects.patchNamespacedCustomObjectStatus(
      { ...GROUP, namespace: NS, plural: "vms", name: vm, body: { status: { assignment: { pool, user, lastUsed: "2026-11-29T12:00:00Z" } } } },
      k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch),
    );
  };

  /** Parses inputs as the provider does after check() (verify is skipped), for calling up as if preview had not run. */
  async function checkedRaw(news: Props): Promise<Props> {
    const result = await new VmPoolProvider(() => ({ ...clusterProviderSettings(cluster), verifyReferences: false })).check({}, news);
    expect(result.failures).toEqual([]);
    return result.inputs ?? {};
  }

  async function checked(provider: VmPoolProvider | PoolPermissionProvider, olds: Props, news: Props): Promise<Props> {
    const result = await provider.check(olds, news);
    expect(result.failures).toEqual([]);
    return result.inputs ?? {};
  }

  beforeAll(async () => {
    cluster = await startTestCluster({ vmoperatorCrds: source });
    const admin = cluster.kubeConfig("admin");
    objects = admin.makeApiClient(k8s.CustomObjectsApi);
    await admin.makeApiClient(k8s.CoreV1Api).createNamespace({ body: { metadata: { name: NS } } });
    // "other" is a pool nobody here manages; desk-b and desk-d belong to it too.
    await createVm("desk-a", []);
    await createVm("desk-b", ["other"]);
    await createVm("desk-c", []);
    await createVm("desk-d", ["other"], "Running");
    for (const [name, state] of [["room-1", "Stopped"], ["room-2", "Running"], ["room-3", "Stopped"]] as const) {
      await createVm(name, [], state, { room: "12" });
    }
  });
  afterAll(async () => cluster?.stop());

  it("refuses in check() what the API server would refuse, and sends nothing", async () => {
    const news = { name: "bad", size: 1, backend: { kind: "vmoperator", namespace: NS, retention: "4 hours", vms: ["desk-a"] } };
    const result = await pools().check({}, news);
    expect(result.failures).toEqual([
      { property: "backend.retention", reason: `must be a duration such as 'PT4H', 'PT30M' or 'P1DT12H', or an instant such as '2026-12-24T18:00:00Z' or '2026-12-24T18:00:00+01:00' (the VmPool CRD's ISO 8601 pattern) (got "4 hours")` },
    ]);
    expect(await getPool("bad")).toBeUndefined();
    // The API server's own verdict on the same value, for comparison (dry run: nothing stored).
    const refusal = await objects
      .createNamespacedCustomObject({ ...GROUP, namespace: NS, plural: "vmpools", dryRun: "All", body: { apiVersion: "vmoperator.jdrupes.org/v1", kind: "VmPool", metadata: { name: "bad" }, spec: { retention: "4 hours", permissions: [] } } })
      .then(() => undefined, (err: unknown) => (err instanceof k8s.ApiException ? err.code : err));
    expect(refusal).toBe(422);
    // Accepted by the API server, refused by VM-Operator's Java parser: check() says why.
    const weekly = await pools().check({}, { ...news, backend: { ...news.backend, retention: "P1W" } });
    expect((weekly.failures ?? []).map((f) => f.property)).toEqual(["backend.retention"]);
    expect(weekly.failures?.[0]?.reason).toContain("Java's Duration.parse");
  });

  let lab: { id: string; outs: Props; inputs: Props };

  it("creates a pool of named VMs, joining them without disturbing their other pools, and prestarts by name", async () => {
    const inputs = await checked(pools(), {}, { name: "lab", size: 2, prestarted: 1, backend: { kind: "vmoperator", namespace: NS, retention: "PT4h", vms: ["desk-a", "desk-b"] } });
    const created = await pools().create(inputs);
    lab = { id: created.id, outs: created.outs ?? {}, inputs };
    expect(created.id).toBe("vdi/lab");
    expect(created.outs).toMatchObject({ size: 2, prestarted: 1, members: ["desk-a", "desk-b"], startedVms: ["desk-a"], vmCount: 2, runningVmCount: 1, apiVersion: "vmoperator.jdrupes.org/v1" });
    const pool = await getPool("lab");
    expect(pool?.spec).toEqual({ retention: "PT4h", loginOnAssignment: false, permissions: [] });
    expect(await getVm("desk-a")).toMatchObject({ pools: ["lab"], state: "Running" });
    expect(await getVm("desk-b")).toMatchObject({ pools: ["other", "lab"], state: "Stopped" });
    expect(await getVm("desk-c")).toMatchObject({ pools: [], state: "Stopped" });
  });

  let alice: { id: string; outs: Props; inputs: Props };
  let staff: { id: string; outs: Props; inputs: Props };

  it("adds PoolPermission entries beside one made by hand, refusing to adopt that one", async () => {
    // An entry made outside Pulumi (kubectl, the GUI's admin), which no PoolPermission owns.
    const pool = await getPool("lab");
    await objects.replaceNamespacedCustomObject({ ...GROUP, namespace: NS, plural: "vmpools", name: "lab", body: { ...pool, spec: { ...pool?.spec, permissions: [{ user: "bob", may: ["accessConsole"] }] } } });
    const uid = String(lab.outs["uid"]);
    const base = { pool: { name: "lab", uid }, backend: { kind: "vmoperator", namespace: NS } };
    const aliceInputs = await checked(permissions(), {}, { ...base, role: "UserRole", user: "alice" });
    const a = await permissions().create(aliceInputs);
    alice = { id: a.id, outs: a.outs ?? {}, inputs: aliceInputs };
    const staffInputs = await checked(permissions(), {}, { ...base, role: "VmPoolAdmin", group: "staff" });
    const s = await permissions().create(staffInputs);
    staff = { id: s.id, outs: s.outs ?? {}, inputs: staffInputs };
    expect(alice.id).toBe("vdi/lab/user:alice");
    expect(staff.id).toBe("vdi/lab/role:staff");
    expect((await getPool("lab"))?.spec.permissions).toEqual([
      { user: "bob", may: ["accessConsole"] },
      { user: "alice", may: ["accessConsole", "start"] },
      { role: "staff", may: ["*"] },
    ]);
    const adopt = await permissions().check({}, { ...base, role: "UserRole", user: "bob" });
    expect(adopt.failures).toEqual([
      { property: "user", reason: `the pool already has a permission entry for user 'bob' (may: ["accessConsole"]) that this PoolPermission did not add; remove it from the VmPool or drop this resource` },
    ]);
  });

  it("refuses a 'may' the CRD does not allow in check(), leaving the pool untouched", async () => {
    const before = (await getPool("lab"))?.metadata.resourceVersion;
    const result = await permissions().check({}, { pool: { name: "lab", uid: String(lab.outs["uid"]) }, backend: { kind: "vmoperator", namespace: NS }, role: "UserRole", user: "carol", may: ["delete"] });
    expect(result.failures).toEqual([{ property: "may.0", reason: `must be one of 'start', 'stop', 'reset', 'accessConsole', '*': the VmPool CRD allows nothing else (got "delete")` }]);
    expect((await getPool("lab"))?.metadata.resourceVersion).toBe(before);
    // The API server's own verdict on such an entry (dry run: nothing stored).
    const pool = await getPool("lab");
    const refusal = await objects
      .replaceNamespacedCustomObject({ ...GROUP, namespace: NS, plural: "vmpools", name: "lab", dryRun: "All", body: { ...pool, spec: { ...pool?.spec, permissions: [{ user: "carol", may: ["delete"] }] } } })
      .then(() => undefined, (err: unknown) => (err instanceof k8s.ApiException ? err.code : err));
    expect(refusal).toBe(422);
  });

  it("changes retention and members in place, keeping every permission entry", async () => {
    const news = await checked(pools(), lab.inputs, { name: "lab", size: 2, prestarted: 1, backend: { kind: "vmoperator", namespace: NS, retention: "P1DT12H", loginOnAssignment: true, vms: ["desk-b", "desk-c"] } });
    expect(await pools().diff(lab.id, lab.outs, news)).toMatchObject({ changes: true, replaces: [] });
    expect(notices.some((n) => n.includes("takes 'desk-a' out of the pool (the VMs stay, as they are)"))).toBe(true);
    notices.length = 0;
    await checked(pools(), lab.inputs, { ...news, prestarted: 0 });
    expect(notices).toContain(
      "VmPool vdi/lab: lowers prestarted from 1 to 0: up stops at most 1 running member(s) that this pool started and nobody holds; VMs others started or users hold keep running",
    );
    const updated = await pools().update(lab.id, lab.outs, news);
    lab = { ...lab, outs: updated.outs ?? {}, inputs: news };
    const pool = await getPool("lab");
    expect(pool?.spec.retention).toBe("P1DT12H");
    expect(pool?.spec.loginOnAssignment).toBe(true);
    expect(pool?.spec.permissions.map((p) => p["user"] ?? p["role"])).toEqual(["bob", "alice", "staff"]);
    // desk-a leaves but keeps running: leaving a pool never stops a VM.
    expect(await getVm("desk-a")).toMatchObject({ pools: [], state: "Running" });
    expect(await getVm("desk-b")).toMatchObject({ pools: ["other", "lab"] });
    expect(await getVm("desk-c")).toMatchObject({ pools: ["lab"] });
    // desk-a, which it had started, is no member now; one member is started for prestarted 1.
    expect(updated.outs).toMatchObject({ members: ["desk-b", "desk-c"], startedVms: ["desk-b"] });
  });

  it("removes one PoolPermission's entry while another and the hand-made one stay", async () => {
    await permissions().delete(alice.id, alice.outs);
    expect((await getPool("lab"))?.spec.permissions).toEqual([
      { user: "bob", may: ["accessConsole"] },
      { role: "staff", may: ["*"] },
    ]);
    expect(await permissions().read(alice.id, alice.outs)).toEqual({});
    // Deleting twice is fine.
    await permissions().delete(alice.id, alice.outs);
  });

  it("reports membership and permission changes made out of band on refresh", async () => {
    const c = (await objects.getNamespacedCustomObject({ ...GROUP, namespace: NS, plural: "vms", name: "desk-c" })) as { spec: Props };
    await objects.replaceNamespacedCustomObject({ ...GROUP, namespace: NS, plural: "vms", name: "desk-c", body: { ...c, spec: { ...c.spec, pools: [] } } });
    const pool = await getPool("lab");
    const perms = (pool?.spec.permissions ?? []).map((p) => (p["role"] === "staff" ? { role: "staff", may: ["start"] } : p));
    await objects.replaceNamespacedCustomObject({ ...GROUP, namespace: NS, plural: "vmpools", name: "lab", body: { ...pool, spec: { ...pool?.spec, permissions: perms } } });
    const read = await pools().read(lab.id, lab.outs);
    expect(read.inputs).toMatchObject({ size: 1, backend: { vms: ["desk-b"], retention: "P1DT12H" } });
    expect((await pools().diff(lab.id, read.props ?? {}, lab.inputs)).changes).toBe(true);
    const staffRead = await permissions().read(staff.id, staff.outs);
    expect(staffRead.inputs).toMatchObject({ may: ["start"] });
    expect((await permissions().diff(staff.id, staffRead.props ?? {}, staff.inputs)).replaces).toEqual([]);
    // The next up puts both back.
    const restored = await pools().update(lab.id, read.props ?? {}, lab.inputs);
    expect(restored.outs).toMatchObject({ members: ["desk-b", "desk-c"] });
    await permissions().update(staff.id, staffRead.props ?? {}, staff.inputs);
    expect((await getPool("lab"))?.spec.permissions).toContainEqual({ role: "staff", may: ["*"] });
  });

  it("loses nothing when the pool and several permissions write at the same time (409s are read again)", async () => {
    const uid = String(lab.outs["uid"]);
    const base = { pool: { name: "lab", uid }, backend: { kind: "vmoperator", namespace: NS }, role: "UserRole" };
    const users = ["u1", "u2", "u3", "u4"];
    const inputs = await Promise.all(users.map(async (user) => checked(permissions(), {}, { ...base, user })));
    const poolNews = await checked(pools(), lab.inputs, { ...lab.inputs, backend: { ...(lab.inputs["backend"] as Props), retention: "PT2H" } });
    // All at once: every write reads the pool and writes it back under its resourceVersion.
    const [created, updated] = await Promise.all([Promise.all(inputs.map(async (i) => permissions().create(i))), pools().update(lab.id, lab.outs, poolNews)]);
    lab = { ...lab, outs: updated.outs ?? {}, inputs: poolNews };
    const pool = await getPool("lab");
    expect(pool?.spec.retention).toBe("PT2H");
    expect(pool?.spec.permissions.map((p) => p["user"] ?? p["role"]).sort()).toEqual(["bob", "staff", "u1", "u2", "u3", "u4"]);
    await Promise.all(created.map(async (c) => permissions().delete(c.id, c.outs ?? {})));
    expect((await getPool("lab"))?.spec.permissions.map((p) => p["user"] ?? p["role"])).toEqual(["bob", "staff"]);
  });

  it("refuses to take out a member a user holds, in preview and up, changing nothing", async () => {
    await assign("desk-c", "lab", "dora");
    const before = await getVm("desk-c");
    const news = { name: "lab", size: 1, prestarted: 1, backend: { kind: "vmoperator", namespace: NS, retention: "PT2H", loginOnAssignment: true, vms: ["desk-b"] } };
    const result = await pools().check(lab.inputs, news);
    expect(result.failures).toEqual([{ property: "backend.vms", reason: "VM 'desk-c' would leave the pool while user 'dora' holds it; wait until the assignment ends or keep it in the pool" }]);
    expect(await getVm("desk-c")).toEqual(before);
    // up refuses it too (when preview was skipped), before writing anything.
    const poolBefore = (await getPool("lab"))?.metadata.resourceVersion;
    const forced = await checkedRaw({ ...news });
    await expect(pools().update(lab.id, lab.outs, forced)).rejects.toThrow("VM 'desk-c' would leave the pool while user 'dora' holds it");
    expect(await getVm("desk-c")).toEqual(before);
    expect((await getPool("lab"))?.metadata.resourceVersion).toBe(poolBefore);
  });

  it("adopts an existing VmPool only when asked, bringing it to the declared settings and keeping its entries", async () => {
    await objects.createNamespacedCustomObject({ ...GROUP, namespace: NS, plural: "vmpools", body: { apiVersion: "vmoperator.jdrupes.org/v1", kind: "VmPool", metadata: { name: "legacy" }, spec: { retention: "PT1H", permissions: [{ role: "staff" }] } } });
    const news = { name: "legacy", size: 1, backend: { kind: "vmoperator", namespace: NS, retention: "PT3H", vms: ["desk-d"] } };
    expect((await pools().check({}, news)).failures).toEqual([{ property: "name", reason: "a VmPool 'legacy' already exists in namespace 'vdi'; choose another name, or set 'adopt: true' to take it over" }]);
    const adopted = await pools().create(await checked(pools(), {}, { ...news, adopt: true }));
    const legacy = await getPool("legacy");
    expect(legacy?.spec.retention).toBe("PT3H");
    expect(legacy?.spec.permissions).toEqual([{ role: "staff", may: ["accessConsole"] }]);
    expect(await getVm("desk-d")).toMatchObject({ pools: ["other", "legacy"], state: "Running" });
    await pools().delete(adopted.id, adopted.outs ?? {});
    expect(await getVm("desk-d")).toMatchObject({ pools: ["other"], state: "Running" });
  });

  it("deletes the pool: members leave it, no VM is deleted or stopped, other pools stay", async () => {
    const states = await Promise.all(["desk-a", "desk-b", "desk-c", "desk-d"].map(getVm));
    await permissions().delete(staff.id, staff.outs);
    await pools().delete(lab.id, lab.outs);
    expect(await getPool("lab")).toBeUndefined();
    const after = await Promise.all(["desk-a", "desk-b", "desk-c", "desk-d"].map(getVm));
    expect(after.map((vm) => vm.pools)).toEqual([[], ["other"], [], ["other"]]);
    expect(after.map((vm) => [vm.uid, vm.state])).toEqual(states.map((vm) => [vm.uid, vm.state]));
    // Deleting again: not found is success.
    await pools().delete(lab.id, lab.outs);
  });

  it("takes `size` of the VMs a selector matches, and refuses in preview when too few match", async () => {
    const few = await pools().check({}, { name: "room", size: 4, backend: { kind: "vmoperator", namespace: NS, selector: { matchLabels: { room: "12" } } } });
    expect(few.failures).toEqual([{ property: "backend.selector", reason: "the selector matches 3 VMs ('room-1', 'room-2', 'room-3'), fewer than the size 4; label more VMs or lower 'size'" }]);
    expect(await getPool("room")).toBeUndefined();
    notices.length = 0;
    const inputs = await checked(pools(), {}, { name: "room", size: 2, prestarted: 1, backend: { kind: "vmoperator", namespace: NS, selector: { matchLabels: { room: "12" } } } });
    expect(notices).toEqual(["VmPool vdi/room: the selector matches 3 VMs; 'room-3' stays out of the pool (size 2)", "VmPool vdi/room: adds 'room-1', 'room-2' to the pool"]);
    const created = await pools().create(inputs);
    // room-2 already runs, so prestarted 1 starts nothing.
    expect(created.outs).toMatchObject({ members: ["room-1", "room-2"], startedVms: [], runningVmCount: 1 });
    expect((await getVm("room-3")).pools).toEqual([]);
    await pools().delete(created.id, created.outs ?? {});
    expect((await Promise.all(["room-1", "room-2", "room-3"].map(getVm))).map((vm) => [vm.pools, vm.state])).toEqual([
      [[], "Stopped"],
      [[], "Running"],
      [[], "Stopped"],
    ]);
  });

  it("lowering prestarted stops only the members the pool started and nobody holds", async () => {
    const start = await checked(pools(), {}, { name: "night", size: 3, prestarted: 3, backend: { kind: "vmoperator", namespace: NS, vms: ["room-1", "room-2", "room-3"] } });
    const created = await pools().create(start);
    // room-2 was running before: only room-1 and room-3 are the pool's to stop.
    expect(created.outs).toMatchObject({ startedVms: ["room-1", "room-3"], runningVmCount: 3 });
    await assign("room-1", "night", "erin");
    const lower = await checked(pools(), start, { ...start, prestarted: 0 });
    const updated = await pools().update(created.id, created.outs ?? {}, lower);
    expect((await Promise.all(["room-1", "room-2", "room-3"].map(getVm))).map((vm) => vm.state)).toEqual(["Running", "Running", "Stopped"]);
    expect(updated.outs).toMatchObject({ startedVms: ["room-1"], takenVmCount: 1 });
    await pools().delete(created.id, updated.outs ?? {});
    expect((await Promise.all(["room-1", "room-2", "room-3"].map(getVm))).map((vm) => [vm.pools, vm.state])).toEqual([
      [[], "Running"],
      [[], "Running"],
      [[], "Stopped"],
    ]);
  });
});
