/**
 * The control API, over HTTP under `/__sandbox/` and in-process through
 * `sandbox.control`: inspection, seeding, engine config, attestation,
 * taking VMs, request counts, fault rules, token expiry, the manual clock
 * and the prestart monitor.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { ManualClock } from "../../../sandbox/ovirt-engine/clock";
import { DEFAULT_ENGINE_CONFIG } from "../../../sandbox/ovirt-engine/model";
import { DEFAULT_SEED_IDS } from "../../../sandbox/ovirt-engine/seed";
import { bodyOf, createPool, itemsOf, type JsonObject } from "./conformance-1-7-helpers";
import { startTestSandbox, type RawResponse, type TestSandbox } from "./sandbox-client";

describe("control API", () => {
  const clock = new ManualClock();
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox({ clock });
  });
  afterAll(async () => t?.close());
  afterEach(() => {
    t.sandbox.control.clearFaults();
  });

  /** A control request over HTTP (no credentials). */
  const ctl = (method: string, sub: string, body?: unknown): Promise<RawResponse> =>
    t.raw(method, `/__sandbox${sub}`, body === undefined ? {} : { body, headers: { "Content-Type": "application/json" } });
  const diskMs = (): number => t.sandbox.control.engine.timings.diskCreateMs;

  it("control: GET /__sandbox/state lists every entity and the engine config, without passwords", async () => {
    const res = await ctl("GET", "/state");
    expect(res.status).toBe(200);
    const state = bodyOf(res);
    expect(Object.keys(state)).toEqual(["config", "dataCenters", "clusters", "hosts", "templates", "storageDomains", "diskProfiles", "pools", "vms", "users", "groups", "permissions", "jobs"]);
    expect(state["config"]).toEqual(DEFAULT_ENGINE_CONFIG);
    const users = state["users"] as JsonObject[];
    expect(users.map((u) => u["principal"]).sort()).toEqual(["admin", "alice", "bob"]);
    expect(users.filter((u) => "password" in u)).toEqual([]);
    expect((state["clusters"] as JsonObject[]).map((c) => c["id"])).toEqual([DEFAULT_SEED_IDS.cluster]);
  });

  it("control: needs no credentials, is not counted as an API request, and no fault rule applies to it", async () => {
    t.sandbox.control.resetRequestCounts();
    t.sandbox.control.addFault({ path: ".*", kind: "error" });
    expect((await ctl("GET", "/pools")).status).toBe(200);
    expect((await ctl("GET", "/requests")).json).toEqual({});
    expect(t.sandbox.control.requestCounts()).toEqual({});
  });

  it("control: GET /__sandbox/pools summarises each pool with its VMs, statuses and users", async () => {
    const pool = await createPool(t, "summary-pool", { size: 2, prestarted_vms: 1 });
    const vms = t.sandbox.control.engine.store.poolVms(String(pool["id"]));
    const res = await ctl("GET", "/pools");
    expect(res.status).toBe(200);
    expect((res.json as JsonObject[]).find((p) => p["name"] === "summary-pool")).toEqual({
      id: pool["id"],
      name: "summary-pool",
      size: 2,
      prestartedVms: 1,
      beingDestroyed: false,
      vms: vms.map((vm, i) => ({ id: vm.id, name: `summary-pool-${i + 1}`, status: "image_locked", users: [] })),
    });
  });

  it("control: POST /__sandbox/seed adds entities from JSON and refuses references to missing ones with 400", async () => {
    const res = await ctl("POST", "/seed", { clusters: [{ name: "Seeded", dataCenter: "Default" }] });
    expect([res.status, res.json]).toEqual([200, {}]);
    expect(itemsOf(await t.api("GET", "/clusters?search=name%3DSeeded"), "cluster").map((c) => c["name"])).toEqual(["Seeded"]);
    const bad = await ctl("POST", "/seed", { clusters: [{ name: "Orphan", dataCenter: "Nope" }] });
    expect([bad.status, bad.json]).toEqual([400, { error: "seed: no data center named 'Nope'" }]);
  });

  it("control: PUT /__sandbox/config sets engine-config values, answers the whole config, and refuses unknown keys", async () => {
    const res = await ctl("PUT", "/config", { AttestationServer: "attest.example.test" });
    expect([res.status, res.json]).toEqual([200, { ...DEFAULT_ENGINE_CONFIG, AttestationServer: "attest.example.test" }]);
    expect(t.sandbox.control.engine.store.config.AttestationServer).toBe("attest.example.test");
    const bad = await ctl("PUT", "/config", { Nope: 1 });
    expect([bad.status, bad.json]).toEqual([400, { error: `unknown engine config key 'Nope'; known: ${Object.keys(DEFAULT_ENGINE_CONFIG).join(", ")}` }]);
    t.sandbox.control.setConfig({ AttestationServer: "" });
  });

  it("control: POST /__sandbox/attestation sets what the attestation server says and re-attests the host's cluster", async () => {
    t.sandbox.control.seed({ clusters: [{ name: "TrustedC", dataCenter: "Default", trustedService: true }], hosts: [{ name: "th1", cluster: "TrustedC" }] });
    const host = async (): Promise<JsonObject | undefined> => itemsOf(await t.api("GET", "/hosts?search=name%3Dth1"), "host")[0];
    expect(await host()).toMatchObject({ status: "up" });
    expect((await ctl("POST", "/attestation", { host: "th1", result: "untrusted" })).status).toBe(200);
    expect(await host()).toMatchObject({ status: "non_operational", status_detail: "untrusted" });
    expect((await ctl("POST", "/attestation", { host: "th1", result: "trusted" })).status).toBe(200);
    expect(await host()).not.toHaveProperty("status_detail");
    expect((await ctl("POST", "/attestation", { host: "th1", result: "maybe" })).json).toEqual({ error: 'result must be "trusted" or "untrusted"' });
    const missing = await ctl("POST", "/attestation", { host: "nope", result: "trusted" });
    expect([missing.status, missing.json]).toEqual([400, { error: "no host 'nope'" }]);
  });

  it("control: POST /__sandbox/take-vm lets a user take a free pool VM (as the VM Portal does)", async () => {
    await createPool(t, "take-pool");
    clock.advance(diskMs());
    const res = await ctl("POST", "/take-vm", { pool: "take-pool", user: "alice" });
    expect(res.status).toBe(200);
    const taken = bodyOf(res);
    expect(taken).toEqual({ id: taken["id"], name: "take-pool-1" });
    const summary = t.sandbox.control.pools().find((p) => p.name === "take-pool");
    expect(summary?.vms).toEqual([{ id: taken["id"], name: "take-pool-1", status: "wait_for_launch", users: ["alice"] }]);
    const none = await ctl("POST", "/take-vm", { pool: "take-pool", user: "bob" });
    expect([none.status, none.json]).toEqual([400, { error: 'no VM to take for {"pool":"take-pool"}' }]);
    expect((await ctl("POST", "/take-vm", { pool: "take-pool", user: "zed" })).json).toEqual({ error: "no user 'zed'" });
  });

  it("control: GET /__sandbox/requests counts API requests per method and path; DELETE resets them", async () => {
    expect((await ctl("DELETE", "/requests")).status).toBe(200);
    await t.api("GET", "/clusters");
    await t.api("GET", "/clusters");
    await t.api("GET", `/clusters/${DEFAULT_SEED_IDS.cluster}`);
    expect((await ctl("GET", "/requests")).json).toEqual({ "GET /ovirt-engine/api/clusters": 2, [`GET /ovirt-engine/api/clusters/${DEFAULT_SEED_IDS.cluster}`]: 1 });
    await ctl("DELETE", "/requests");
    expect((await ctl("GET", "/requests")).json).toEqual({});
  });

  it("control: POST, GET and DELETE /__sandbox/faults add, list (with hits) and remove fault rules", async () => {
    const added = await ctl("POST", "/faults", { method: "GET", path: "^/ovirt-engine/api/templates$", kind: "error", status: 500, times: 3 });
    expect(added.status).toBe(200);
    const id = Number(bodyOf(added)["id"]);
    expect((await t.api("GET", "/templates")).status).toBe(500);
    expect((await ctl("GET", "/faults")).json).toEqual([{ method: "GET", path: "^/ovirt-engine/api/templates$", kind: "error", status: 500, times: 3, id, hits: 1 }]);
    expect((await ctl("DELETE", `/faults/${id}`)).json).toEqual({});
    expect((await ctl("GET", "/faults")).json).toEqual([]);
    expect((await t.api("GET", "/templates")).status).toBe(200);
    expect((await ctl("DELETE", `/faults/${id}`)).json).toEqual({ error: `no fault rule ${id}` });
    await ctl("POST", "/faults", { path: "^/x$", kind: "drop" });
    await ctl("POST", "/faults", { path: "^/y$", kind: "conflict" });
    expect((await ctl("DELETE", "/faults")).status).toBe(200);
    expect((await ctl("GET", "/faults")).json).toEqual([]);
  });

  it("control: POST /__sandbox/faults refuses an invalid rule with 400 and the reason", async () => {
    const badPattern = "(";
    let regexError = "";
    try {
      new RegExp(badPattern);
    } catch (err) {
      regexError = (err as Error).message;
    }
    expect(regexError).toBe("Invalid regular expression: /(/: Unterminated group");
    const cases: [JsonObject, string][] = [
      [{ path: badPattern, kind: "error" }, regexError],
      [{ path: ".*", kind: "explode" }, "fault rule kind must be one of latency, error, drop, expire-token, conflict"],
      [{ kind: "error" }, "fault rule path must be a regular expression (string)"],
      [{ path: ".*", kind: "error", rate: 1.5 }, "fault rule rate must be a number from 0 to 1"],
      [{ path: ".*", kind: "error", status: 404 }, "fault rule status must be one of 500, 502, 503, 504"],
      [{ path: ".*", kind: "drop", phase: "during" }, 'fault rule phase must be "before" or "after"'],
      [{ path: ".*", kind: "error", times: 0 }, "fault rule times must be a positive integer"],
      [{ path: ".*", kind: "latency" }, "a latency rule needs latencyMs"],
      [{ path: ".*", kind: "error", pattern: "x" }, "unknown fault rule attribute(s): pattern; known: method, path, kind, rate, times, latencyMs, status, phase"],
    ];
    for (const [rule, error] of cases) {
      const res = await ctl("POST", "/faults", rule);
      expect([res.status, res.json], JSON.stringify(rule)).toEqual([400, { error }]);
    }
    expect(t.sandbox.control.listFaults()).toEqual([]);
  });

  it("control: POST /__sandbox/clock/advance steps a manual clock (new VMs leave image_locked) and refuses a bad ms", async () => {
    const pool = await createPool(t, "clock-pool");
    const vm = t.sandbox.control.engine.store.poolVms(String(pool["id"]))[0];
    expect(vm?.status).toBe("image_locked");
    expect((await ctl("POST", "/clock/advance", { ms: diskMs() - 1 })).status).toBe(200);
    expect(vm?.status).toBe("image_locked");
    expect((await ctl("POST", "/clock/advance", { ms: 1 })).json).toEqual({});
    expect(vm?.status).toBe("down");
    const bad = await ctl("POST", "/clock/advance", { ms: "soon" });
    expect([bad.status, bad.json]).toEqual([400, { error: "ms must be a non-negative number of milliseconds" }]);
  });

  it("control: POST /__sandbox/prestart-monitor runs one prestart cycle now", async () => {
    const pool = await createPool(t, "monitor-pool", { size: 2, prestarted_vms: 1 });
    clock.advance(diskMs());
    const statuses = (): string[] => t.sandbox.control.engine.store.poolVms(String(pool["id"])).map((vm) => vm.status);
    expect(statuses()).toEqual(["down", "down"]);
    expect((await ctl("POST", "/prestart-monitor")).json).toEqual({});
    expect(statuses()).toEqual(["wait_for_launch", "down"]);
  });

  it("control: an unknown route answers 404 with the list of routes; a body that is not JSON answers 400", async () => {
    const res = await ctl("GET", "/nope");
    expect(res.status).toBe(404);
    expect(res.json).toEqual({
      error: "no control route GET /nope",
      routes: [
        "GET /state",
        "GET /pools",
        "POST /seed",
        "PUT /config",
        "POST /attestation",
        "POST /take-vm",
        "GET /requests",
        "DELETE /requests",
        "GET /faults",
        "POST /faults",
        "DELETE /faults",
        "GET /overload",
        "PUT /overload",
        "DELETE /overload",
        "POST /expire-tokens",
        "POST /clock/advance",
        "POST /prestart-monitor",
        "DELETE /faults/{id}",
      ],
    });
    const bad = await ctl("POST", "/seed", "{not json");
    expect([bad.status, bad.json]).toEqual([400, { error: "control request body is not JSON" }]);
  });

  it("control (in-process): seed, setConfig, takeVm, pools and state work as methods", async () => {
    const { control } = t.sandbox;
    control.seed({ users: [{ principal: "carol", password: "carol-password" }] });
    expect(await t.token("carol@internal", "carol-password")).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(control.setConfig({ VmPoolMonitorBatchSize: 2 }).VmPoolMonitorBatchSize).toBe(2);
    expect(() => {
      control.setConfig({ Nope: 1 } as unknown as Partial<typeof DEFAULT_ENGINE_CONFIG>);
    }).toThrow(/^unknown engine config key 'Nope'/);
    control.setConfig({ VmPoolMonitorBatchSize: DEFAULT_ENGINE_CONFIG.VmPoolMonitorBatchSize });
    await createPool(t, "inproc-pool");
    clock.advance(diskMs());
    const vm = control.takeVm({ pool: "inproc-pool" }, "carol");
    expect(control.pools().find((p) => p.name === "inproc-pool")?.vms).toEqual([{ id: vm.id, name: "inproc-pool-1", status: "wait_for_launch", users: ["carol"] }]);
    expect((control.state()["users"] as JsonObject[]).some((u) => u["principal"] === "carol" && !("password" in u))).toBe(true);
  });

  it("control (in-process): addFault, listFaults, clearFaults, requestCounts, countRequests and resetRequestCounts", async () => {
    const { control } = t.sandbox;
    control.resetRequestCounts();
    const id = control.addFault({ method: "GET", path: "^/ovirt-engine/api/datacenters$", kind: "error", times: 1 });
    expect((await t.api("GET", "/datacenters")).status).toBe(503);
    expect((await t.api("GET", "/datacenters")).status).toBe(200);
    expect(control.listFaults()).toEqual([{ method: "GET", path: "^/ovirt-engine/api/datacenters$", kind: "error", times: 1, id, hits: 1 }]);
    control.clearFaults(id);
    expect(control.listFaults()).toEqual([]);
    expect(() => {
      control.clearFaults(id);
    }).toThrow(`no fault rule ${id}`);
    expect(control.requestCounts()).toEqual({ "GET /ovirt-engine/api/datacenters": 2 });
    expect(control.countRequests("GET", /datacenters$/)).toBe(2);
    expect(control.countRequests("POST", /datacenters$/)).toBe(0);
    control.resetRequestCounts();
    expect(control.requestCounts()).toEqual({});
  });

  it("control (in-process): advanceClock and runPrestartMonitor; advanceClock refuses on a system clock", async () => {
    const { control } = t.sandbox;
    const pool = await createPool(t, "inproc-monitor-pool", { prestarted_vms: 1 });
    control.advanceClock(diskMs());
    control.runPrestartMonitor();
    expect(control.engine.store.poolVms(String(pool["id"])).map((vm) => vm.status)).toEqual(["wait_for_launch"]);
    expect(() => {
      control.advanceClock(-1);
    }).toThrow("ms must be a non-negative number of milliseconds");
    const real = await startTestSandbox({ tls: false });
    try {
      expect(() => {
        real.sandbox.control.advanceClock(1);
      }).toThrow("the sandbox runs on a system clock; start it with a ManualClock to step time");
      const res = await real.raw("POST", "/__sandbox/clock/advance", { body: { ms: 1 }, headers: { "Content-Type": "application/json" } });
      expect([res.status, res.json]).toEqual([400, { error: "the sandbox runs on a system clock; start it with a ManualClock to step time" }]);
    } finally {
      await real.close();
    }
  });

  it("control: POST /__sandbox/expire-tokens (and control.expireTokens()) make every issued token 401", async () => {
    const own = await startTestSandbox({ tls: false });
    try {
      const alice = await own.token("alice@internal", "alice-password");
      expect((await own.raw("POST", "/__sandbox/expire-tokens")).json).toEqual({});
      expect((await own.api("GET", "/clusters")).status).toBe(401);
      expect((await own.api("GET", "/clusters", { auth: { bearer: alice } })).status).toBe(401);
      const fresh = await own.token("alice@internal", "alice-password");
      expect((await own.api("GET", "/clusters", { auth: { bearer: fresh } })).status).toBe(200);
      own.sandbox.control.expireTokens();
      expect((await own.api("GET", "/clusters", { auth: { bearer: fresh } })).status).toBe(401);
    } finally {
      await own.close();
    }
  });
});
