/**
 * Conformance with the engine source behind reference §6: only monitored
 * actions get a job. `ActionType` declares `AddCluster`, `UpdateCluster`,
 * `RemoveCluster`, `AddPermission` and `RemovePermission` with
 * `isActionMonitored = false`, and `ExecutionHandler.shouldMonitorCommand`
 * is `isActionMonitored() && !isInternal`, so none of them records a job,
 * whatever `Correlation-Id` it carries. (§6 lists the text "Granting
 * Permission to User/Group ..." from `ExecutionMessages.properties`; the
 * engine never uses it for REST adds.) A client cannot prove by jobs that a
 * cluster or permission is its own.
 */
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DEFAULT_SEED_IDS } from "../../../sandbox/ovirt-engine/seed";
import { createPoolId } from "./conformance-4-6-helpers";
import { startTestSandbox, type TestSandbox } from "./sandbox-client";

describe("§6 unmonitored commands record no job", () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox();
  });
  afterAll(async () => t?.close());

  const jobsOf = async (correlationId: string): Promise<unknown> => (await t.api("GET", `/jobs?search=${encodeURIComponent(`correlation_id=${correlationId}`)}`)).json;

  it("§6 records no job for a cluster add, update and remove", async () => {
    const ids = [randomUUID(), randomUUID(), randomUUID()] as const;
    const created = await t.api("POST", "/clusters", { body: { name: "unmonitored-c", data_center: { name: "Default" } }, headers: { "Correlation-Id": ids[0] } });
    expect(created.status).toBe(201);
    const id = (created.json as { id: string }).id;
    expect((await t.api("PUT", `/clusters/${id}`, { body: { description: "x" }, headers: { "Correlation-Id": ids[1] } })).status).toBe(200);
    expect((await t.api("DELETE", `/clusters/${id}`, { headers: { "Correlation-Id": ids[2] } })).status).toBe(200);
    for (const correlationId of ids) {
      expect(await jobsOf(correlationId)).toEqual({});
    }
  });

  it("§6 records no job for a permission add (new or duplicate), a failed add or a remove", async () => {
    const poolId = await createPoolId(t, "unmonitored-pool");
    const ids = [randomUUID(), randomUUID(), randomUUID(), randomUUID()] as const;
    const body = { role: { name: "UserRole" }, user: { id: DEFAULT_SEED_IDS.bob } };
    const added = await t.api("POST", `/vmpools/${poolId}/permissions`, { body, headers: { "Correlation-Id": ids[0] } });
    expect(added.status).toBe(201);
    expect((await t.api("POST", `/vmpools/${poolId}/permissions`, { body, headers: { "Correlation-Id": ids[1] } })).status).toBe(201);
    const missing = await t.api("POST", `/vmpools/${poolId}/permissions`, { body: { role: { name: "UserRole" }, user: { id: randomUUID() } }, headers: { "Correlation-Id": ids[2] } });
    expect(missing.status).toBe(400);
    const pid = (added.json as { id: string }).id;
    expect((await t.api("DELETE", `/vmpools/${poolId}/permissions/${pid}`, { headers: { "Correlation-Id": ids[3] } })).status).toBe(200);
    for (const correlationId of ids) {
      expect(await jobsOf(correlationId)).toEqual({});
    }
  });
});
