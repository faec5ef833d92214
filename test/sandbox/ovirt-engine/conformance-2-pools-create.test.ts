/**
 * Conformance of the sandbox with reference §2.1–§2.3: the pool endpoints,
 * the attributes a pool reads back with, and what `POST /vmpools` does
 * (defaults, VM naming, name rules, the validation order, the prestarted
 * arithmetic, partial failure).
 */
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { TEST_TIMINGS } from "../../../sandbox/ovirt-engine/model";
import { DEFAULT_SEED_IDS } from "../../../sandbox/ovirt-engine/seed";
import {
  createPool,
  expectBare404,
  expectOperationFailed,
  getPool,
  longName,
  poolBody,
  poolVms,
  startManualSandbox,
  vmByName,
  vmStatuses,
  type PoolJson,
} from "./pool-conformance-helpers";
import type { TestSandbox } from "./sandbox-client";

const BLANK = "00000000-0000-0000-0000-000000000000";
const INVALID_NAME =
  "[Can not create VM-Pool. The given name is invalid for pool name. Only lower-case and upper-case letters, numbers, '_', '-', '.', and one mask sequence are allowed., Attribute: vmPool.name]";
const NO_VMS = "[Cannot create Pool with 0 VMs]";
const PRESTARTED = "[Cannot create VM-Pool. Number of Prestarted VMs cannot exceed the number of VMs in the Pool.]";
const NAME_USED = "[Cannot create VM-Pool. The VM-Pool name is already in use, please choose a unique name and try again.]";
const MAX_USER_VMS = "[Number of max assigned VMs per user must be between 1 and 32,767., Attribute: vmPool.maxAssignedVmsPerUser]";
const NAME_TOO_LONG = "[Cannot create VM-Pool. The given name is too long.]";

describe("§2.1–§2.3 VM pools: endpoints, attributes, create", () => {
  let t: TestSandbox;
  const post = (body: Record<string, unknown>) => t.api("POST", "/vmpools", { body });
  const advance = (ms: number): void => {
    t.sandbox.control.advanceClock(ms);
  };
  const poolsNamed = async (name: string): Promise<PoolJson[]> => {
    const res = await t.api("GET", `/vmpools?search=${encodeURIComponent(`name=${name}`)}`);
    expect(res.status).toBe(200);
    return (res.json as { vm_pool?: PoolJson[] }).vm_pool ?? [];
  };

  beforeAll(async () => {
    t = await startManualSandbox();
    t.sandbox.control.seed({
      dataCenters: [{ name: "Maint", status: "maintenance" }],
      clusters: [
        { name: "MaintCluster", dataCenter: "Maint" },
        { name: "NoArch", dataCenter: "Default", cpuArchitecture: "" },
        { name: "Power", dataCenter: "Default", cpuArchitecture: "ppc64" },
      ],
      templates: [
        { name: "protected-tpl", cluster: "Default", deleteProtected: true },
        { name: "power-tpl", cluster: "Power" },
      ],
    });
  });
  afterAll(async () => t?.close());

  it("§2.1 POST /vmpools answers 201 with a Location header naming the new pool", async () => {
    const res = await post(poolBody("ep-create"));
    const pool = res.json as PoolJson;
    expect(res.status).toBe(201);
    expect(pool.href).toBe(`/ovirt-engine/api/vmpools/${pool.id}`);
    expect(res.headers.location).toBe(pool.href);
    expect(pool.name).toBe("ep-create");
  });

  it("§2.1 GET /vmpools lists pools as {vm_pool: [...]} and GET /vmpools/{id} reads one", async () => {
    const created = await createPool(t, "ep-list");
    expect((await poolsNamed("ep-list")).map((p) => [p.id, p.name])).toEqual([[created.id, "ep-list"]]);
    expect((await getPool(t, created.id)).name).toBe("ep-list");
  });

  it("§2.1 a missing or malformed pool id in the path is 404 with an empty body, for GET, PUT and DELETE", async () => {
    expectBare404(await t.api("GET", `/vmpools/${randomUUID()}`));
    expectBare404(await t.api("GET", "/vmpools/not-a-uuid"));
    expectBare404(await t.api("PUT", `/vmpools/${randomUUID()}`, { body: { description: "x" } }));
    expectBare404(await t.api("DELETE", `/vmpools/${randomUUID()}`));
  });

  it("§2.2 a pool created with only name, cluster and template reads back with the engine's defaults", async () => {
    const pool = await createPool(t, "attr-defaults");
    expect({ ...pool, vm: undefined }).toMatchObject({
      name: "attr-defaults",
      description: "",
      size: 1,
      prestarted_vms: 0,
      max_user_vms: 1,
      type: "automatic",
      stateful: false,
      auto_storage_select: false,
      use_latest_template_version: false,
      cluster: { id: DEFAULT_SEED_IDS.cluster, href: `/ovirt-engine/api/clusters/${DEFAULT_SEED_IDS.cluster}` },
      template: { id: DEFAULT_SEED_IDS.template, href: `/ovirt-engine/api/templates/${DEFAULT_SEED_IDS.template}` },
    });
    expect(pool.soundcard_enabled).toBeUndefined();
    expect(pool.tpm_enabled).toBeUndefined();
  });

  it("§2.2 tpm_enabled is read back only with All-Content: true, soundcard_enabled never", async () => {
    const pool = await createPool(t, "attr-devices", { soundcard_enabled: true, tpm_enabled: true });
    const plain = await getPool(t, pool.id);
    expect([plain.tpm_enabled, plain.soundcard_enabled]).toEqual([undefined, undefined]);
    const full = (await t.api("GET", `/vmpools/${pool.id}`, { headers: { "All-Content": "true" } })).json as PoolJson;
    expect([full.tpm_enabled, full.soundcard_enabled]).toEqual([true, undefined]);
  });

  it("§2.2 size on read is the number of VMs mapped to the pool", async () => {
    const pool = await createPool(t, "attr-size", { size: 3 });
    expect(pool.size).toBe(3);
    advance(TEST_TIMINGS.diskCreateMs);
    const vm = (await poolVms(t, "attr-size")).find((v) => v.name === "attr-size-3");
    expect((await t.api("POST", `/vms/${vm?.id ?? ""}/detach`, { body: {} })).status).toBe(200);
    expect((await getPool(t, pool.id)).size).toBe(2);
  });

  it("§2.2 template on read is the latest version's id when use_latest_template_version is true", async () => {
    const pool = await createPool(t, "attr-latest", { template: { id: DEFAULT_SEED_IDS.template }, use_latest_template_version: true });
    expect([pool.use_latest_template_version, pool.template?.id]).toEqual([true, DEFAULT_SEED_IDS.templateV2]);
    expect((await poolVms(t, "attr-latest")).map((vm) => vm.template.id)).toEqual([DEFAULT_SEED_IDS.templateV2]);
  });

  it("§2.2 vm on read is one pool VM without its cluster, template and vm_pool links (VmPoolMapper.map(VM, VmPool))", async () => {
    const pool = await createPool(t, "attr-vm", { size: 2 });
    expect(["attr-vm-1", "attr-vm-2"]).toContain(pool.vm?.name);
    expect(pool.vm).not.toHaveProperty("vm_pool");
    expect(pool.vm).not.toHaveProperty("cluster");
    expect(pool.vm).not.toHaveProperty("template");
  });

  it("§2.3 refuses a body without name, template and cluster with 400 Incomplete parameters listing all three", async () => {
    const res = await post({ description: "nothing else" });
    expect({ status: res.status, body: res.json }).toEqual({
      status: 400,
      body: { reason: "Incomplete parameters", detail: "VmPool [name, template.id|name, cluster.id|name] required for add" },
    });
  });

  it("§2.3 names only the missing field when one is left out", async () => {
    const res = await post({ name: "inc-cluster", template: { name: "rhel9-desktop" } });
    expect({ status: res.status, body: res.json }).toEqual({ status: 400, body: { reason: "Incomplete parameters", detail: "VmPool [cluster.id|name] required for add" } });
  });

  it("§2.3 an unknown cluster or template, by name or id, is 404 with an Entity not found fault", async () => {
    const missing = randomUUID();
    const cases: [Record<string, unknown>, string][] = [
      [{ cluster: { name: "nope" } }, "Entity not found: Cluster: name=nope"],
      [{ cluster: { id: missing } }, `Entity not found: Cluster: id=${missing}`],
      [{ template: { name: "nope" } }, "Entity not found: Template: name=nope"],
      [{ template: { id: missing } }, `Entity not found: ${missing}`],
    ];
    for (const [override, detail] of cases) {
      const res = await post(poolBody("unknown-ref", override));
      expect({ status: res.status, body: res.json }).toEqual({ status: 404, body: { reason: "Operation Failed", detail } });
    }
  });

  it("§2.3 creates every VM inside the request: image_locked when the call returns, down once the disks are ready", async () => {
    await createPool(t, "sync", { size: 2 });
    expect(await vmStatuses(t, "sync")).toEqual([
      ["sync-1", "image_locked"],
      ["sync-2", "image_locked"],
    ]);
    advance(TEST_TIMINGS.diskCreateMs);
    expect(await vmStatuses(t, "sync")).toEqual([
      ["sync-1", "down"],
      ["sync-2", "down"],
    ]);
  });

  it("§2.3 names the VMs <pool>-1 .. <pool>-n when the name has no mask", async () => {
    await createPool(t, "plain", { size: 3 });
    expect((await vmStatuses(t, "plain")).map(([name]) => name)).toEqual(["plain-1", "plain-2", "plain-3"]);
  });

  it("§2.3 replaces a ? mask with the counter zero-padded to the mask's width, wherever the mask is", async () => {
    const cases: [string, number, string[]][] = [
      ["my???pool", 2, ["my001pool", "my002pool"]],
      ["???front", 1, ["001front"]],
      ["back???", 1, ["back001"]],
      ["??rt", 1, ["01rt"]],
      ["pool-T4534f?????rt", 1, ["pool-T4534f00001rt"]],
    ];
    for (const [name, size, names] of cases) {
      await createPool(t, name, { size });
      expect((await vmStatuses(t, name)).map(([vm]) => vm)).toEqual(names);
    }
  });

  it("§2.3 skips VM names already taken in the data center", async () => {
    await createPool(t, "taken");
    advance(TEST_TIMINGS.diskCreateMs);
    const first = await vmByName(t, "taken-1");
    // Detaching the only VM deletes the pool and leaves taken-1 standalone.
    expect((await t.api("POST", `/vms/${first?.id ?? ""}/detach`, { body: {} })).status).toBe(200);
    await createPool(t, "taken", { size: 2 });
    expect((await vmStatuses(t, "taken")).map(([name]) => name)).toEqual(["taken-2", "taken-3"]);
  });

  it("§2.3 refuses names outside the pool name pattern with 400 [invalid pool name, Attribute: vmPool.name]", async () => {
    for (const name of ["???", "a??b??", "my pool", "pool-T453&4f", "pool-T4534f??r-t??", "??rt??asda"]) {
      expectOperationFailed(await post(poolBody(name)), 400, INVALID_NAME);
    }
  });

  it("§2.3 accepts letters of any script, digits, '.', '_' and '-' in pool names", async () => {
    await createPool(t, "Škoda_pool.é-2");
    expect((await vmStatuses(t, "Škoda_pool.é-2")).map(([name]) => name)).toEqual(["Škoda_pool.é-2-1"]);
  });

  it("§2.3 VM names may be as long as MaxVmNameLength, 64 characters", async () => {
    const name = longName("len62-", 62);
    await createPool(t, name, { size: 9 });
    const names = (await poolVms(t, name)).map((vm) => vm.name);
    expect(names).toHaveLength(9);
    expect(names).toContain(`${name}-9`);
    expect(`${name}-9`).toHaveLength(64);
  });

  it("§2.3 partial failure: VM names over 64 characters fail, the call answers 400 and the pool stays with fewer VMs (inferred)", async () => {
    const name = longName("part62-", 62);
    expectOperationFailed(await post(poolBody(name, { size: 11 })), 400, NAME_TOO_LONG);
    const pools = await poolsNamed(name);
    expect(pools.map((p) => [p.name, p.size])).toEqual([[name, 9]]);
    expect((await poolVms(t, name)).map((vm) => vm.name)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `${name}-${n}`));
  });

  it("§2.3 partial failure: when no VM could be added the pool is gone as well (inferred)", async () => {
    const name = longName("none63-", 63);
    expectOperationFailed(await post(poolBody(name, { size: 2 })), 400, NAME_TOO_LONG);
    expect(await poolsNamed(name)).toEqual([]);
    expect(await poolVms(t, name)).toEqual([]);
  });

  it("§2.3 the VM name limit is the MaxVmNameLength engine config value", async () => {
    const name = longName("cfg66-", 66);
    t.sandbox.control.setConfig({ MaxVmNameLength: 70 });
    try {
      await createPool(t, name);
      expect((await poolVms(t, name)).map((vm) => vm.name)).toEqual([`${name}-1`]);
    } finally {
      t.sandbox.control.setConfig({ MaxVmNameLength: 64 });
    }
  });

  it("§2.3 pool names are unique case-sensitively: 409 for the same name, 201 for the same letters in another case", async () => {
    await createPool(t, "CaseName");
    expectOperationFailed(await post(poolBody("CaseName")), 409, NAME_USED);
    expect((await post(poolBody("casename"))).status).toBe(201);
  });

  it("§2.3 refuses size 0 and negative sizes with 400 [Cannot create Pool with 0 VMs]", async () => {
    expectOperationFailed(await post(poolBody("size-zero", { size: 0 })), 400, NO_VMS);
    expectOperationFailed(await post(poolBody("size-negative", { size: -1 })), 400, NO_VMS);
  });

  it("§2.3 accepts prestarted_vms up to twice the size on create, as the engine's arithmetic does (inferred)", async () => {
    const pool = await createPool(t, "pre-double", { size: 2, prestarted_vms: 4 });
    expect([pool.size, pool.prestarted_vms]).toEqual([2, 4]);
  });

  it("§2.3 refuses prestarted_vms above twice the size with 409", async () => {
    expectOperationFailed(await post(poolBody("pre-over", { size: 2, prestarted_vms: 5 })), 409, PRESTARTED);
  });

  it("§2.3 refuses max_user_vms outside 1..32767 with 400 and accepts 32767", async () => {
    expectOperationFailed(await post(poolBody("muv-zero", { max_user_vms: 0 })), 400, MAX_USER_VMS);
    expectOperationFailed(await post(poolBody("muv-over", { max_user_vms: 32768 })), 400, MAX_USER_VMS);
    expect((await createPool(t, "muv-max", { max_user_vms: 32767 })).max_user_vms).toBe(32767);
  });

  it("§2.3 MaxVmsInPool is not enforced through REST", async () => {
    t.sandbox.control.setConfig({ MaxVmsInPool: 2 });
    try {
      expect((await createPool(t, "over-max-vms", { size: 3 })).size).toBe(3);
    } finally {
      t.sandbox.control.setConfig({ MaxVmsInPool: 1000 });
    }
  });

  it("§2.3 refuses the Blank template with 409 [VM-Pool must be based on  non-blank Template.]", async () => {
    expectOperationFailed(await post(poolBody("blank", { template: { id: BLANK } })), 409, "[VM-Pool must be based on  non-blank Template.]");
  });

  it("§2.3 order: bean validation of the name comes before the size check", async () => {
    expectOperationFailed(await post(poolBody("bad name", { size: 0 })), 400, INVALID_NAME);
  });

  it("§2.3 order: a cluster without architecture is refused (400) before the name clash", async () => {
    await createPool(t, "order-arch");
    const res = await post(poolBody("order-arch", { cluster: { name: "NoArch" } }));
    expectOperationFailed(res, 400, "[Cannot create VM-Pool. The cluster does not have a defined architecture.]");
  });

  it("§2.3 order: the name clash (409) comes before the data center status", async () => {
    await createPool(t, "order-clash");
    expectOperationFailed(await post(poolBody("order-clash", { cluster: { name: "MaintCluster" } })), 409, NAME_USED);
  });

  it("§2.3 order: a data center that is not up is refused with 409 before the size check", async () => {
    const res = await post(poolBody("order-dc", { cluster: { name: "MaintCluster" }, size: 0 }));
    expectOperationFailed(res, 409, "[Cannot create VM-Pool. Unknown Data Center status.]");
  });

  it("§2.3 order: a template whose architecture differs from the cluster's is refused with 400 before the size check", async () => {
    const res = await post(poolBody("order-tplarch", { template: { name: "power-tpl" }, size: 0 }));
    expectOperationFailed(res, 400, "[Can not create VM-Pool. The selected template is not compatible with Cluster architecture.]");
  });

  it("§2.3 order: size 0 is refused before the prestarted check", async () => {
    expectOperationFailed(await post(poolBody("order-size", { size: 0, prestarted_vms: 5 })), 400, NO_VMS);
  });

  it("§2.3 order: the size and prestarted checks come before the Blank template check", async () => {
    expectOperationFailed(await post(poolBody("order-blank-size", { template: { id: BLANK }, size: 0 })), 400, NO_VMS);
    expectOperationFailed(await post(poolBody("order-blank-pre", { template: { id: BLANK }, size: 1, prestarted_vms: 3 })), 409, PRESTARTED);
  });

  it("§2.3 delete protection is copied from the template into the pool VMs", async () => {
    await createPool(t, "dp-copied", { template: { name: "protected-tpl" }, size: 2 });
    expect((await poolVms(t, "dp-copied")).map((vm) => vm.delete_protected)).toEqual([true, true]);
  });

  it("§2.3 vm.delete_protected in the create body overrides the template's delete protection", async () => {
    await createPool(t, "dp-override", { template: { name: "protected-tpl" }, vm: { delete_protected: false } });
    expect((await poolVms(t, "dp-override")).map((vm) => vm.delete_protected)).toEqual([false]);
  });

  it("§2.2 pool VMs are stateless unless the pool is stateful", async () => {
    await createPool(t, "stateless-vms");
    await createPool(t, "stateful-vms", { stateful: true });
    expect((await poolVms(t, "stateless-vms")).map((vm) => vm.stateless)).toEqual([true]);
    expect((await poolVms(t, "stateful-vms")).map((vm) => vm.stateless)).toEqual([false]);
  });
});
