/**
 * Conformance, reference §1.3: the Version header and the `/v4` prefix, the
 * JSON shapes (no root wrapper, snake_case, `{id, href}` links, collections
 * and empty collections), All-Content, search, Correlation-Id as the jobs
 * see it, and `async=true` / `Expect: 202-accepted`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ManualClock } from "../../../sandbox/ovirt-engine/clock";
import { DEFAULT_SEED_IDS } from "../../../sandbox/ovirt-engine/seed";
import { bodyOf, createPool, itemsOf, type JsonObject } from "./conformance-1-7-helpers";
import { startTestSandbox, type TestSandbox } from "./sandbox-client";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Every attribute name in a JSON value, recursively. */
function attributeNames(value: unknown): string[] {
  if (Array.isArray(value)) {
    return value.flatMap(attributeNames);
  }
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([key, inner]) => [key, ...attributeNames(inner)]);
  }
  return [];
}

describe("§1.3 version, format and request headers", () => {
  const clock = new ManualClock();
  let t: TestSandbox;
  let pool: JsonObject;
  let createdAt: number;
  beforeAll(async () => {
    t = await startTestSandbox({ clock });
    createdAt = clock.now();
    pool = await createPool(t, "fmt-pool", { size: 2 });
  });
  afterAll(async () => t?.close());

  const poolId = (): string => String(pool["id"]);

  it("§1.3 accepts Version: 4", async () => {
    const res = await t.api("GET", `/vmpools/${poolId()}`, { headers: { Version: "4" } });
    expect(res.status).toBe(200);
    expect(bodyOf(res)["id"]).toBe(poolId());
  });

  it("§1.3 accepts Version: 3 (supported list 3, 4)", async () => {
    const res = await t.api("GET", `/vmpools/${poolId()}`, { headers: { Version: "3" } });
    expect(res.status).toBe(200);
  });

  it("§1.3 answers an unsupported Version with a bare 400", async () => {
    for (const version of ["5", "2", "4.5", "v4"]) {
      const res = await t.api("GET", "/vmpools", { headers: { Version: version } });
      expect(res.status, version).toBe(400);
      expect(res.text).toBe("");
    }
  });

  it("§1.3 serves the API under the /ovirt-engine/api/v4 prefix too", async () => {
    const plain = await t.api("GET", `/vmpools/${poolId()}`);
    const v4 = await t.raw("GET", `/ovirt-engine/api/v4/vmpools/${poolId()}`, { headers: { Accept: "application/json" }, auth: { basic: ["admin@internal", "sandbox-admin"] } });
    expect(v4.status).toBe(200);
    expect(v4.json).toEqual(plain.json);
  });

  it("§1.3 renders an entity as a plain object with no root wrapper", async () => {
    const res = await t.api("GET", `/vmpools/${poolId()}`);
    expect(res.headers["content-type"]).toBe("application/json");
    const body = bodyOf(res);
    expect(body).not.toHaveProperty("vm_pool");
    expect(body).toMatchObject({ id: poolId(), href: `/ovirt-engine/api/vmpools/${poolId()}`, name: "fmt-pool" });
  });

  it("§1.3 uses snake_case attribute names (prestarted_vms, max_user_vms, use_latest_template_version)", async () => {
    const body = bodyOf(await t.api("GET", `/vmpools/${poolId()}`));
    expect(Object.keys(body)).toEqual(expect.arrayContaining(["prestarted_vms", "max_user_vms", "use_latest_template_version"]));
    expect(attributeNames(body).filter((name) => !/^[a-z][a-z0-9_]*$/.test(name))).toEqual([]);
  });

  it("§1.3 renders references as {id, href}", async () => {
    const body = bodyOf(await t.api("GET", `/vmpools/${poolId()}`));
    expect(body["cluster"]).toEqual({ id: DEFAULT_SEED_IDS.cluster, href: `/ovirt-engine/api/clusters/${DEFAULT_SEED_IDS.cluster}` });
    expect(body["template"]).toEqual({ id: DEFAULT_SEED_IDS.template, href: `/ovirt-engine/api/templates/${DEFAULT_SEED_IDS.template}` });
  });

  it('§1.3 renders a collection as {"<singular>": [...]}: {"vm_pool": [...]}, {"vm": [...]}', async () => {
    const pools = bodyOf(await t.api("GET", "/vmpools"));
    expect(Object.keys(pools)).toEqual(["vm_pool"]);
    expect((pools["vm_pool"] as JsonObject[]).map((p) => p["id"])).toEqual([poolId()]);
    const vms = bodyOf(await t.api("GET", "/vms"));
    expect(Object.keys(vms)).toEqual(["vm"]);
    expect((vms["vm"] as JsonObject[]).map((v) => v["name"]).sort()).toEqual(["fmt-pool-1", "fmt-pool-2"]);
  });

  it("§1.3 renders an empty collection as {} (inferred: NON_NULL drops the null list)", async () => {
    const res = await t.api("GET", "/vmpools?search=name%3Dno-such-pool");
    expect(res.status).toBe(200);
    expect(res.text).toBe("{}");
    const vms = await t.api("GET", "/vms?search=pool%3Dno-such-pool");
    expect(vms.text).toBe("{}");
  });

  it("§1.3 renders integers and booleans as JSON numbers and booleans and enums as lower-case strings", async () => {
    const body = bodyOf(await t.api("GET", `/vmpools/${poolId()}`));
    expect(body).toMatchObject({ size: 2, prestarted_vms: 0, max_user_vms: 1, stateful: false, use_latest_template_version: false, type: "automatic" });
    const vm = itemsOf(await t.api("GET", "/vms?search=name%3Dfmt-pool-1"), "vm")[0];
    expect(vm).toMatchObject({ status: "image_locked", stateless: true });
  });

  it("§1.3 renders dates as epoch-millisecond numbers (inferred)", async () => {
    const vm = itemsOf(await t.api("GET", "/vms?search=name%3Dfmt-pool-1"), "vm")[0];
    expect(vm?.["creation_time"]).toBe(createdAt);
  });

  it("§1.3 leaves unset attributes out (Include.NON_NULL)", async () => {
    const body = bodyOf(await t.api("GET", `/vmpools/${poolId()}`));
    expect(body).not.toHaveProperty("comment");
    expect(body).not.toHaveProperty("display");
  });

  it("§1.3 All-Content: true (header or all_content=true) turns on the populated data, which a plain GET leaves out", async () => {
    const plain = bodyOf(await t.api("GET", `/vmpools/${poolId()}`));
    expect(plain).not.toHaveProperty("tpm_enabled");
    const header = bodyOf(await t.api("GET", `/vmpools/${poolId()}`, { headers: { "All-Content": "true" } }));
    expect(header["tpm_enabled"]).toBe(false);
    const query = bodyOf(await t.api("GET", `/vmpools/${poolId()}?all_content=true`));
    expect(query["tpm_enabled"]).toBe(false);
  });

  it("§1.3 searches pools by name: exact, quoted, * wildcard, case-insensitive unless case_sensitive=true", async () => {
    const names = async (query: string): Promise<unknown[]> => itemsOf(await t.api("GET", `/vmpools?${query}`), "vm_pool").map((p) => p["name"]);
    expect(await names("search=name%3Dfmt-pool")).toEqual(["fmt-pool"]);
    expect(await names("search=name%3D%22fmt-pool%22")).toEqual(["fmt-pool"]);
    expect(await names("search=name%3Dfmt-*")).toEqual(["fmt-pool"]);
    expect(await names("search=name%3DFMT-POOL")).toEqual(["fmt-pool"]);
    expect(await names("search=name%3DFMT-POOL&case_sensitive=true")).toEqual([]);
  });

  it("§1.3 searches VMs of a pool with pool=<name>, each with a vm_pool link", async () => {
    const vms = itemsOf(await t.api("GET", "/vms?search=pool%3Dfmt-pool"), "vm");
    expect(vms.map((v) => v["name"]).sort()).toEqual(["fmt-pool-1", "fmt-pool-2"]);
    for (const vm of vms) {
      expect(vm["vm_pool"]).toEqual({ id: poolId(), href: `/ovirt-engine/api/vmpools/${poolId()}` });
    }
  });

  it("§1.3 returns everything without max and at most N with max=N", async () => {
    expect(itemsOf(await t.api("GET", "/vms"), "vm")).toHaveLength(2);
    expect(itemsOf(await t.api("GET", "/vms?max=1"), "vm")).toHaveLength(1);
  });

  it("§1.3 searches users by usrname=<login>@<authz>", async () => {
    const users = itemsOf(await t.api("GET", "/users?search=usrname%3Dalice%40internal-authz"), "user");
    expect(users.map((u) => [u["id"], u["user_name"], u["principal"]])).toEqual([[DEFAULT_SEED_IDS.alice, "alice@internal-authz", "alice"]]);
    expect(itemsOf(await t.api("GET", "/users?search=usrname%3Dalice%40other-authz"), "user")).toEqual([]);
  });

  it("§1.3 searches groups by name", async () => {
    const groups = itemsOf(await t.api("GET", "/groups?search=name%3Dvdi-users"), "group");
    expect(groups.map((g) => [g["id"], g["name"]])).toEqual([[DEFAULT_SEED_IDS.vdiUsers, "vdi-users"]]);
  });

  it("§1.3 Correlation-Id: strips characters outside [0-9a-zA-Z_-], cuts to 36, and tags the job (GET /jobs?search=correlation_id=<id>)", async () => {
    const sent = "abc.def/ghi jkl!mno_pqr-0123456789-ABCDEFGHIJKLMNOP";
    const expected = "abcdefghijklmno_pqr-0123456789-ABCDE";
    expect(expected).toHaveLength(36);
    await createPool(t, "corr-pool", {}, { headers: { "Correlation-Id": sent } });
    const jobs = itemsOf(await t.api("GET", `/jobs?search=correlation_id%3D${expected}`), "job");
    expect(jobs.map((j) => [j["description"], j["status"]])).toEqual([["Creating VM Pool corr-pool from template rhel9-desktop", "finished"]]);
  });

  it("§1.3 takes the correlation id from the correlation_id query parameter too", async () => {
    const id = "b7c1d2e3-0000-4000-8000-00000000c0de";
    await createPool(t, "corr-query-pool");
    const res = await t.api("PUT", `/vmpools/${String((await findPool("corr-query-pool"))["id"])}?correlation_id=${id}`, { body: { description: "tagged" } });
    expect(res.status).toBe(200);
    const jobs = itemsOf(await t.api("GET", `/jobs?search=correlation_id%3D${id}`), "job");
    expect(jobs.map((j) => j["description"])).toEqual(["Configuring VM Pool corr-query-pool properties"]);
  });

  it("§1.3 generates a UUID correlation id when none is given", async () => {
    await createPool(t, "uncorrelated-pool");
    const job = [...t.sandbox.control.engine.store.jobs.values()].find((j) => j.description === "Creating VM Pool uncorrelated-pool from template rhel9-desktop");
    expect(job?.correlationId).toMatch(UUID);
  });

  it("§1.3 async=true on a delete answers 202", async () => {
    const doomed = await createPool(t, "async-delete-pool");
    const res = await t.api("DELETE", `/vmpools/${String(doomed["id"])}?async=true`);
    expect(res.status).toBe(202);
  });

  it("§1.3 Expect: 202-accepted on a delete answers 202", async () => {
    const doomed = await createPool(t, "expect-delete-pool");
    const res = await t.api("DELETE", `/vmpools/${String(doomed["id"])}`, { headers: { Expect: "202-accepted" } });
    expect(res.status).toBe(202);
  });

  it('§1.3 async=true on an action answers 202 with status "pending"', async () => {
    const target = await createPool(t, "async-action-pool");
    clock.advance(t.sandbox.control.engine.timings.diskCreateMs);
    const res = await t.api("POST", `/vmpools/${String(target["id"])}/allocatevm?async=true`, { body: {} });
    expect(res.status).toBe(202);
    const body = bodyOf(res);
    const vm = body["vm"] as JsonObject;
    expect(body).toEqual({ status: "pending", vm: { id: vm["id"], href: `/ovirt-engine/api/vms/${String(vm["id"])}` } });
  });

  async function findPool(name: string): Promise<JsonObject> {
    const found = itemsOf(await t.api("GET", `/vmpools?search=name%3D${name}`), "vm_pool")[0];
    expect(found, name).toBeDefined();
    return found ?? {};
  }
});
