/**
 * An overloaded engine: with a threshold set, API and SSO requests that
 * arrive while that many are in flight are answered 503 with no body by the
 * proxy, the engine never runs them, and the sandbox counts the peak in
 * flight and the refusals. Off by default.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { itemsOf, poolBody } from "./conformance-1-7-helpers";
import { startTestSandbox, type RawResponse, type TestSandbox } from "./sandbox-client";

describe("overload: 503 above a threshold of requests in flight", () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox({ tls: false });
  });
  afterAll(async () => t?.close());
  afterEach(() => {
    t.sandbox.control.clearFaults();
    t.sandbox.control.setOverload(undefined);
    t.sandbox.control.resetOverloadStats();
  });

  /** Holds every matching request for `ms`, so requests overlap in flight. */
  const slow = (method: string, path: string, ms: number): number => t.sandbox.control.addFault({ method, path, kind: "latency", latencyMs: ms });
  const control = (method: string, path: string, body?: unknown): Promise<RawResponse> => t.raw(method, `/__sandbox${path}`, body === undefined ? {} : { body, headers: { "Content-Type": "application/json" } });

  it("is off by default: many requests in flight are all answered, and the peak is counted", async () => {
    slow("GET", "^/ovirt-engine/api/clusters$", 100);
    const answers = await Promise.all(Array.from({ length: 6 }, () => t.api("GET", "/clusters")));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(t.sandbox.control.overload()).toEqual({ maxConcurrentRequests: null, inFlight: 0, peakInFlight: 6, rejected: 0 });
  });

  it("answers 503 with an empty body to requests beyond the threshold, and the engine does not run them", async () => {
    t.sandbox.control.setOverload(2);
    slow("POST", "^/ovirt-engine/api/vmpools$", 150);
    const answers = await Promise.all(
      ["over-a", "over-b", "over-c", "over-d", "over-e"].map(async (name, i) => {
        // Staggered, so the first two are surely in flight when the others arrive.
        await new Promise((r) => setTimeout(r, i * 20));
        return t.api("POST", "/vmpools", { body: poolBody(name, { size: 1 }) });
      }),
    );
    expect(answers.map((a) => [a.status, a.text === ""])).toEqual([
      [201, false],
      [201, false],
      [503, true],
      [503, true],
      [503, true],
    ]);
    const listed = itemsOf(await t.api("GET", "/vmpools"), "vm_pool").map((p) => p["name"]);
    expect(listed.filter((n) => String(n).startsWith("over-")).sort()).toEqual(["over-a", "over-b"]);
    expect(t.sandbox.control.overload()).toMatchObject({ maxConcurrentRequests: 2, inFlight: 0, peakInFlight: 2, rejected: 3 });
  });

  it("admits requests again as soon as those in flight are answered, SSO logins included", async () => {
    t.sandbox.control.setOverload(1);
    slow("GET", "^/ovirt-engine/api/datacenters$", 150);
    const held = t.api("GET", "/datacenters");
    await new Promise((r) => setTimeout(r, 30));
    const refused = await t.raw("POST", "/ovirt-engine/sso/oauth/token", { headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "grant_type=password" });
    expect(refused.status).toBe(503);
    expect((await held).status).toBe(200);
    expect((await t.api("GET", "/datacenters")).status).toBe(200);
    expect(t.sandbox.control.overload().rejected).toBe(1);
  });

  it("counts refused requests in the request log, as the proxy saw them", async () => {
    t.sandbox.control.setOverload(1);
    t.sandbox.control.resetRequestCounts();
    slow("GET", "^/ovirt-engine/api/hosts$", 100);
    const answers = await Promise.all([t.api("GET", "/hosts"), new Promise((r) => setTimeout(r, 30)).then(() => t.api("GET", "/hosts"))]);
    expect(answers.map((a) => a.status)).toEqual([200, 503]);
    expect(t.sandbox.control.countRequests("GET", /^\/ovirt-engine\/api\/hosts$/)).toBe(2);
  });

  it("is set, read and reset over HTTP under /__sandbox/overload, and refuses a bad threshold with 400", async () => {
    expect(await control("PUT", "/overload", { maxConcurrentRequests: 3 })).toMatchObject({ status: 200, json: { maxConcurrentRequests: 3, inFlight: 0, rejected: 0 } });
    expect((await control("GET", "/overload")).json).toMatchObject({ maxConcurrentRequests: 3 });
    for (const bad of [0, 1.5, "4"]) {
      const res = await control("PUT", "/overload", { maxConcurrentRequests: bad });
      expect([res.status, (res.json as { error?: string }).error]).toEqual([400, "maxConcurrentRequests must be a positive whole number, or null to turn the overload off"]);
    }
    expect((await control("PUT", "/overload", { maxConcurrentRequests: null })).json).toMatchObject({ maxConcurrentRequests: null });
    expect((await control("DELETE", "/overload")).json).toMatchObject({ peakInFlight: 0, rejected: 0 });
  });

  it("can start overloaded, from the sandbox options", async () => {
    const other = await startTestSandbox({ tls: false, maxConcurrentRequests: 4 });
    try {
      expect(other.sandbox.control.overload().maxConcurrentRequests).toBe(4);
    } finally {
      await other.close();
    }
  });
});
