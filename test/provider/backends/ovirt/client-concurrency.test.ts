/**
 * The oVirt client shared by every resource of a provider process, against
 * the engine sandbox: one login however many calls wait for it, one re-login
 * after the token expires, never more requests in flight than the engine's
 * limiter allows, backing off when an overloaded engine answers 503, and
 * one cached client per connection, replaced when its credentials are
 * refused.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { OvirtClient, parseRetryAfter, type OvirtConnection } from "../../../../provider/backends/ovirt/client";
import { clearOvirtClientCache } from "../../../../provider/backends/ovirt/client-cache";
import { RequestLimiter } from "../../../../provider/backends/ovirt/request-limiter";
import { getOvirtClient } from "../../../../provider/backends/registry";
import { toProviderSettings } from "../../../../provider/config/settings";
import { startEngineWithCaFile, type EngineUnderTest } from "../../../harness/ovirt-engine";

const ctx = { backend: "ovirt" as const, operation: "test", resource: "test" };
const FAST = { attempts: 4, baseDelayMs: 1, maxDelayMs: 8 };
const SSO = /^\/ovirt-engine\/sso\/oauth\/token$/;
const CLUSTERS = /^\/ovirt-engine\/api\/clusters$/;

describe("the shared oVirt client against the engine sandbox", () => {
  let under: EngineUnderTest;
  let connection: OvirtConnection;
  const control = (): EngineUnderTest["engine"]["control"] => under.engine.control;

  beforeAll(async () => {
    under = await startEngineWithCaFile();
    connection = { url: under.engine.url, username: "admin@internal", password: under.engine.credentials.password, caFile: under.caFile, insecure: false };
  });
  afterAll(async () => {
    clearOvirtClientCache();
    await under?.dispose();
  });
  beforeEach(() => {
    control().clearFaults();
    control().setOverload(undefined);
    control().resetOverloadStats();
    control().resetRequestCounts();
  });

  const slowClusters = (ms: number): number => control().addFault({ method: "GET", path: "/clusters$", kind: "latency", latencyMs: ms });
  const many = (client: OvirtClient, n: number): Promise<unknown[]> => Promise.all(Array.from({ length: n }, () => client.call(ctx, "GET", "/clusters", { idempotent: true })));

  it("logs in once for many concurrent first calls", async () => {
    const client = new OvirtClient(connection, FAST);
    await many(client, 12);
    client.close();
    expect(control().countRequests("POST", SSO)).toBe(1);
    expect(control().countRequests("GET", CLUSTERS)).toBe(12);
  });

  it("logs in again once when the token expires under many concurrent calls", async () => {
    const client = new OvirtClient(connection, FAST);
    await client.call(ctx, "GET", "/clusters", { idempotent: true });
    control().expireTokens();
    slowClusters(20);
    await many(client, 8);
    client.close();
    expect(control().countRequests("POST", SSO)).toBe(2);
  });

  it("keeps to its limiter: never more requests in flight than the limit, so an engine overloaded above it answers no 503", async () => {
    control().setOverload(4);
    slowClusters(40);
    const limiter = new RequestLimiter(4);
    const client = new OvirtClient(connection, FAST, limiter);
    await many(client, 20);
    client.close();
    expect(control().overload()).toMatchObject({ peakInFlight: 4, rejected: 0 });
    expect(limiter.stats()).toMatchObject({ peakActive: 4, narrowed: 0, active: 0, queued: 0 });
  });

  it("backs off when an overloaded engine answers 503, narrowing the shared window, and every call succeeds", async () => {
    control().setOverload(3);
    slowClusters(40);
    const limiter = new RequestLimiter(16);
    const client = new OvirtClient(connection, FAST, limiter);
    const answers = await many(client, 24);
    client.close();
    expect(answers).toHaveLength(24);
    expect(control().overload().rejected).toBeGreaterThan(0);
    expect(limiter.stats().narrowed).toBeGreaterThan(0);
    expect(limiter.stats().window).toBeLessThan(16);
  });

  it("reads Retry-After as seconds or an HTTP date, capped at a minute", () => {
    const now = Date.UTC(2026, 0, 1);
    expect(parseRetryAfter("3", now)).toBe(3_000);
    expect(parseRetryAfter(new Date(now + 5_000).toUTCString(), now)).toBe(5_000);
    expect(parseRetryAfter("3600", now)).toBe(60_000);
    expect(parseRetryAfter(new Date(now - 5_000).toUTCString(), now)).toBe(0);
    expect([parseRetryAfter(undefined, now), parseRetryAfter("", now), parseRetryAfter("soon", now)]).toEqual([undefined, undefined, undefined]);
  });

  describe("getOvirtClient", () => {
    const settings = (password: string, max = "8"): ReturnType<typeof toProviderSettings> =>
      toProviderSettings((key) => ({ ovirtUrl: under.engine.url, ovirtUsername: "admin@internal", ovirtPassword: password, ovirtCaFile: under.caFile, ovirtMaxConcurrentRequests: max })[key], {});

    it("gives every resource of the process the same client per connection, so one login serves them all", async () => {
      clearOvirtClientCache();
      const a = getOvirtClient(settings(connection.password), undefined);
      const b = getOvirtClient(settings(connection.password), undefined);
      expect(b).toBe(a);
      await a.call(ctx, "GET", "/clusters", { idempotent: true });
      await b.call(ctx, "GET", "/datacenters", { idempotent: true });
      expect(control().countRequests("POST", SSO)).toBe(1);
    });

    it("gives a changed credential a client of its own", () => {
      clearOvirtClientCache();
      expect(getOvirtClient(settings("another-password"), undefined)).not.toBe(getOvirtClient(settings(connection.password), undefined));
    });

    it("replaces a client whose credentials the engine refused", async () => {
      clearOvirtClientCache();
      const refused = getOvirtClient(settings("wrong"), undefined);
      await expect(refused.call(ctx, "GET", "/clusters", { idempotent: true })).rejects.toThrow("the engine refused the login of 'admin@internal'");
      expect(refused.usable).toBe(false);
      const renewed = getOvirtClient(settings("wrong"), undefined);
      expect(renewed).not.toBe(refused);
      expect(renewed.usable).toBe(true);
    });

    it("shares one limiter per engine between the clients of different logins, set from vmpools:ovirtMaxConcurrentRequests", async () => {
      clearOvirtClientCache();
      control().setOverload(2);
      slowClusters(40);
      const asAlice = toProviderSettings((key) => ({ ovirtUrl: under.engine.url, ovirtUsername: "alice@internal", ovirtPassword: "alice-password", ovirtCaFile: under.caFile, ovirtMaxConcurrentRequests: "2" })[key], {});
      const clients = [getOvirtClient(settings(connection.password, "2"), undefined), getOvirtClient(asAlice, undefined)];
      expect(clients[1]).not.toBe(clients[0]);
      await Promise.all(clients.flatMap((client) => Array.from({ length: 6 }, () => client.call(ctx, "GET", "/clusters", { idempotent: true }))));
      expect(control().overload()).toMatchObject({ peakInFlight: 2, rejected: 0 });
      expect(control().countRequests("GET", CLUSTERS)).toBe(12);
    });
  });
});
