/**
 * Fault injection: latency, 500/503 at a rate, dropped connections before
 * and after the engine ran the request, token expiry mid-run and 409
 * "Related operation is currently in progress", each scoped by method and
 * path pattern; faults never corrupt the engine's state; requests are
 * counted per method and path.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { ManualClock } from "../../../sandbox/ovirt-engine/clock";
import type { FaultRule } from "../../../sandbox/ovirt-engine/fault-injection";
import { DEFAULT_SEED_IDS } from "../../../sandbox/ovirt-engine/seed";
import { createPool, itemsOf, MISSING_ID, poolBody, type JsonObject } from "./conformance-1-7-helpers";
import { startTestSandbox, type TestSandbox } from "./sandbox-client";

const POOLS = "^/ovirt-engine/api/vmpools$";
const POOL = "^/ovirt-engine/api/vmpools/[^/]+$";
const IN_PROGRESS = "Related operation is currently in progress. Please try again later.";

describe("fault injection", () => {
  const clock = new ManualClock();
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox({ tls: false, clock });
  });
  afterAll(async () => t?.close());
  afterEach(() => {
    t.sandbox.control.clearFaults();
  });

  const fault = (rule: FaultRule): number => t.sandbox.control.addFault(rule);
  const hits = (id: number): number | undefined => t.sandbox.control.listFaults().find((r) => r.id === id)?.hits;
  const poolNames = async (name: string): Promise<unknown[]> => itemsOf(await t.api("GET", `/vmpools?search=name%3D${name}`), "vm_pool").map((p) => p["name"]);

  it("fault injection: latency delays matching requests by latencyMs", async () => {
    const id = fault({ method: "GET", path: "^/ovirt-engine/api/clusters$", kind: "latency", latencyMs: 300 });
    const started = Date.now();
    const res = await t.api("GET", "/clusters");
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(res.status).toBe(200);
    expect(itemsOf(res, "cluster").map((c) => c["id"])).toEqual([DEFAULT_SEED_IDS.cluster]);
    expect(hits(id)).toBe(1);
  });

  it("fault injection: an error rule answers 503 by default with an empty body, and the engine does not run the request", async () => {
    fault({ method: "POST", path: POOLS, kind: "error" });
    const res = await t.api("POST", "/vmpools", { body: poolBody("error-503-pool") });
    expect([res.status, res.text]).toEqual([503, ""]);
    expect(await poolNames("error-503-pool")).toEqual([]);
  });

  it("fault injection: an error rule with status 500 answers 500", async () => {
    fault({ method: "GET", path: "^/ovirt-engine/api/templates$", kind: "error", status: 500 });
    const res = await t.api("GET", "/templates");
    expect([res.status, res.text]).toEqual([500, ""]);
  });

  it("fault injection: rate hits a fraction of matching requests, the same ones from run to run, and the rule counts its hits", async () => {
    const statuses = async (sandbox: TestSandbox): Promise<{ seen: number[]; hits: number | undefined }> => {
      const id = sandbox.sandbox.control.addFault({ method: "GET", path: "^/ovirt-engine/api/hosts$", kind: "error", rate: 0.5 });
      const seen: number[] = [];
      for (let i = 0; i < 40; i++) {
        seen.push((await sandbox.api("GET", "/hosts")).status);
      }
      return { seen, hits: sandbox.sandbox.control.listFaults().find((r) => r.id === id)?.hits };
    };
    const [one, two] = [await startTestSandbox({ tls: false }), await startTestSandbox({ tls: false })];
    try {
      const first = await statuses(one);
      const failures = first.seen.filter((s) => s === 503).length;
      expect(first.seen.filter((s) => s !== 503 && s !== 200)).toEqual([]);
      expect(failures).toBe(first.hits);
      expect(failures).toBeGreaterThan(5);
      expect(failures).toBeLessThan(35);
      expect((await statuses(two)).seen).toEqual(first.seen);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it("fault injection: times retires a rule after that many hits", async () => {
    const id = fault({ path: "^/ovirt-engine/api/datacenters$", kind: "error", times: 2 });
    const seen = [];
    for (let i = 0; i < 3; i++) {
      seen.push((await t.api("GET", "/datacenters")).status);
    }
    expect(seen).toEqual([503, 503, 200]);
    expect(hits(id)).toBe(2);
  });

  it("fault injection: rules are scoped by method and path pattern", async () => {
    const pool = await createPool(t, "scoped-pool");
    fault({ method: "POST", path: POOLS, kind: "error" });
    expect((await t.api("GET", "/vmpools")).status).toBe(200);
    expect((await t.api("GET", `/vmpools/${String(pool["id"])}`)).status).toBe(200);
    expect((await t.api("PUT", `/vmpools/${String(pool["id"])}`, { body: { description: "still works" } })).status).toBe(200);
    expect((await t.api("POST", "/vmpools", { body: poolBody("scoped-refused") })).status).toBe(503);
    t.sandbox.control.clearFaults();
    fault({ path: POOL, kind: "error", status: 500 });
    expect((await t.api("GET", `/vmpools/${String(pool["id"])}`)).status).toBe(500);
    expect((await t.api("PUT", `/vmpools/${String(pool["id"])}`, { body: { description: "x" } })).status).toBe(500);
    expect((await t.api("GET", "/vmpools")).status).toBe(200);
  });

  it("fault injection: a drop before the engine runs closes the connection without an answer and changes nothing", async () => {
    fault({ method: "POST", path: POOLS, kind: "drop" });
    await expect(t.api("POST", "/vmpools", { body: poolBody("dropped-before") })).rejects.toMatchObject({ code: "ECONNRESET" });
    expect(await poolNames("dropped-before")).toEqual([]);
  });

  it("fault injection: a drop after the engine ran loses only the answer (the pool exists; a retry gets 409 name in use)", async () => {
    fault({ method: "POST", path: POOLS, kind: "drop", phase: "after", times: 1 });
    await expect(t.api("POST", "/vmpools", { body: poolBody("dropped-after", { size: 2 }) })).rejects.toMatchObject({ code: "ECONNRESET" });
    expect(await poolNames("dropped-after")).toEqual(["dropped-after"]);
    expect(t.sandbox.control.pools().find((p) => p.name === "dropped-after")?.size).toBe(2);
    const retry = await t.api("POST", "/vmpools", { body: poolBody("dropped-after", { size: 2 }) });
    expect(retry.status).toBe(409);
    expect(retry.json).toEqual({ reason: "Operation Failed", detail: "[Cannot create VM-Pool. The VM-Pool name is already in use, please choose a unique name and try again.]" });
  });

  it("fault injection: an error after the engine ran answers the gateway's status (502/504) with no body, and the pool exists", async () => {
    fault({ method: "POST", path: POOLS, kind: "error", status: 504, phase: "after", times: 1 });
    const res = await t.api("POST", "/vmpools", { body: poolBody("gateway-after", { size: 2 }) });
    expect([res.status, res.text]).toEqual([504, ""]);
    expect(await poolNames("gateway-after")).toEqual(["gateway-after"]);
    fault({ method: "POST", path: POOLS, kind: "error", status: 502, times: 1 });
    expect((await t.api("POST", "/vmpools", { body: poolBody("gateway-before") })).status).toBe(502);
    expect(await poolNames("gateway-before")).toEqual([]);
  });

  it(`fault injection: conflict answers 409 [Cannot create VM-Pool. ${IN_PROGRESS}] and the engine does not run the request`, async () => {
    fault({ method: "POST", path: POOLS, kind: "conflict", times: 1 });
    const res = await t.api("POST", "/vmpools", { body: poolBody("locked-pool") });
    expect(res.status).toBe(409);
    expect(res.json).toEqual({ reason: "Operation Failed", detail: `[Cannot create VM-Pool. ${IN_PROGRESS}]` });
    expect(await poolNames("locked-pool")).toEqual([]);
    expect((await t.api("POST", "/vmpools", { body: poolBody("locked-pool") })).status).toBe(201);
  });

  it("fault injection: conflict fills ${action} and ${type} as the command behind the request does (edit/remove VM-Pool, add Permission, remove Cluster)", async () => {
    const pool = await createPool(t, "conflict-verbs-pool");
    fault({ path: ".*", kind: "conflict" });
    const cases: [string, string, JsonObject | undefined, string][] = [
      ["PUT", `/vmpools/${String(pool["id"])}`, { description: "x" }, "Cannot edit VM-Pool."],
      ["DELETE", `/vmpools/${String(pool["id"])}`, undefined, "Cannot remove VM-Pool."],
      ["POST", `/vmpools/${String(pool["id"])}/permissions`, { role: { name: "UserRole" }, user: { id: DEFAULT_SEED_IDS.alice } }, "Cannot add Permission."],
      ["DELETE", `/clusters/${DEFAULT_SEED_IDS.cluster}`, undefined, "Cannot remove Cluster."],
      ["POST", "/clusters", { name: "c", data_center: { name: "Default" } }, "Cannot create Cluster."],
    ];
    for (const [method, apiPath, body, prefix] of cases) {
      const res = await t.api(method, apiPath, body === undefined ? {} : { body });
      expect(res.status, `${method} ${apiPath}`).toBe(409);
      expect(res.json).toEqual({ reason: "Operation Failed", detail: `[${prefix} ${IN_PROGRESS}]` });
    }
    t.sandbox.control.clearFaults();
    expect(t.sandbox.control.pools().find((p) => p.id === pool["id"])?.beingDestroyed).toBe(false);
    expect(itemsOf(await t.api("GET", `/vmpools/${String(pool["id"])}/permissions`), "permission").some((p) => p["user"] !== undefined && (p["user"] as JsonObject)["id"] === DEFAULT_SEED_IDS.alice)).toBe(false);
  });

  it("fault injection: conflict on a request that runs no command (a GET) keeps ${action} and ${type} as they are (StrSubstitutor leaves unknown variables)", async () => {
    fault({ method: "GET", path: "^/ovirt-engine/api/datacenters$", kind: "conflict", times: 1 });
    const res = await t.api("GET", "/datacenters");
    expect(res.status).toBe(409);
    expect(res.json).toEqual({ reason: "Operation Failed", detail: `[Cannot \${action} \${type}. ${IN_PROGRESS}]` });
    expect((await t.api("GET", "/datacenters")).status).toBe(200);
  });

  it("fault injection: conflict on an action answers the failed action holding the fault ([Cannot allocate and run VM from VM-Pool. ...])", async () => {
    const pool = await createPool(t, "conflict-action-pool");
    fault({ method: "POST", path: "/allocatevm$", kind: "conflict" });
    const res = await t.api("POST", `/vmpools/${String(pool["id"])}/allocatevm`, { body: {} });
    expect(res.status).toBe(409);
    expect(res.json).toEqual({ status: "failed", fault: { reason: "Operation Failed", detail: `[Cannot allocate and run VM from VM-Pool. ${IN_PROGRESS}]` } });
  });

  it("fault injection: token expiry mid-run makes the matching request and later ones with old tokens 401; a new token works", async () => {
    const own = await startTestSandbox({ tls: false });
    try {
      const before = await own.token("alice@internal", "alice-password");
      own.sandbox.control.addFault({ method: "GET", path: POOLS, kind: "expire-token", times: 1 });
      expect((await own.api("GET", "/clusters", { auth: { bearer: before } })).status).toBe(200);
      const hit = await own.api("GET", "/vmpools", { auth: { bearer: before } });
      expect(hit.status).toBe(401);
      expect(hit.headers["www-authenticate"]).toBe('Basic realm="RESTAPI"');
      expect((await own.api("GET", "/clusters", { auth: { bearer: before } })).status).toBe(401);
      expect((await own.api("GET", "/clusters")).status).toBe(401);
      const fresh = await own.token("alice@internal", "alice-password");
      expect((await own.api("GET", "/vmpools", { auth: { bearer: fresh } })).status).toBe(200);
    } finally {
      await own.close();
    }
  });

  it("fault injection: faults never corrupt state (error, drop before, conflict and expiry leave every entity as it was)", async () => {
    const pool = await createPool(t, "untouched-pool", { size: 2 });
    clock.advance(t.sandbox.control.engine.timings.diskCreateMs);
    const before = JSON.stringify(t.sandbox.control.state());
    const id = String(pool["id"]);
    const attempts: [string, string, JsonObject | undefined][] = [
      ["POST", "/vmpools", poolBody("never-created")],
      ["PUT", `/vmpools/${id}`, { size: 5, description: "never" }],
      ["DELETE", `/vmpools/${id}`, undefined],
      ["POST", `/vmpools/${id}/allocatevm`, {}],
      ["POST", `/vmpools/${id}/permissions`, { role: { name: "UserRole" }, user: { id: DEFAULT_SEED_IDS.bob } }],
    ];
    for (const kind of ["error", "drop", "conflict"] as const) {
      const rule = fault({ path: "^/ovirt-engine/api/vmpools", kind });
      for (const [method, apiPath, body] of attempts) {
        const res = t.api(method, apiPath, body === undefined ? {} : { body });
        if (kind === "drop") {
          await expect(res).rejects.toMatchObject({ code: "ECONNRESET" });
        } else {
          expect((await res).status, `${kind} ${method} ${apiPath}`).toBe(kind === "error" ? 503 : 409);
        }
      }
      t.sandbox.control.clearFaults(rule);
    }
    expect(JSON.stringify(t.sandbox.control.state())).toBe(before);
    expect((await t.api("GET", `/vmpools/${id}`)).status).toBe(200);
  });

  it("fault injection: every request is counted per method and path, faulted and dropped ones included", async () => {
    t.sandbox.control.resetRequestCounts();
    fault({ method: "POST", path: POOLS, kind: "error", times: 1 });
    fault({ method: "DELETE", path: POOL, kind: "drop", times: 1 });
    await t.api("GET", "/clusters");
    await t.api("GET", "/clusters?search=name%3DDefault");
    await t.api("GET", `/vmpools/${MISSING_ID}`);
    await t.api("POST", "/vmpools", { body: poolBody("counted") });
    await expect(t.api("DELETE", `/vmpools/${MISSING_ID}`)).rejects.toMatchObject({ code: "ECONNRESET" });
    await t.raw("GET", "/__sandbox/requests");
    expect(t.sandbox.control.requestCounts()).toEqual({
      "GET /ovirt-engine/api/clusters": 2,
      [`GET /ovirt-engine/api/vmpools/${MISSING_ID}`]: 1,
      "POST /ovirt-engine/api/vmpools": 1,
      [`DELETE /ovirt-engine/api/vmpools/${MISSING_ID}`]: 1,
    });
    expect(t.sandbox.control.countRequests("GET", /^\/ovirt-engine\/api\/(clusters|vmpools)/)).toBe(3);
    expect(t.sandbox.control.countRequests("POST", /vmpools$/)).toBe(1);
  });
});
