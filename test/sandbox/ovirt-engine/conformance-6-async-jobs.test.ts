/**
 * Conformance with reference §6: what returns before the work is done (pool
 * create and grow with `image_locked` VMs, delete while the pool is still
 * visible, prestart through the monitor), `async=true` / `Expect:
 * 202-accepted`, and jobs with their exact descriptions, status values and
 * search by correlation id. Every test runs on its own sandbox with a
 * ManualClock, so each transition happens exactly when the test moves time.
 */
import { randomUUID } from "node:crypto";

import { afterEach, describe, expect, it } from "vitest";

import { ManualClock } from "../../../sandbox/ovirt-engine/clock";
import type { EngineTimings } from "../../../sandbox/ovirt-engine/model";
import { DEFAULT_SEED_IDS } from "../../../sandbox/ovirt-engine/seed";
import { createPoolId, items, poolVms } from "./conformance-4-6-helpers";
import { startTestSandbox, type TestSandbox } from "./sandbox-client";

const TIMINGS: EngineTimings = { diskCreateMs: 1_000, vmBootMs: 2_000, vmStopMs: 500, vmRemoveMs: 100 };
/** `VmPoolMonitorIntervalInMinutes` (default 5), in ms. */
const MONITOR_INTERVAL_MS = 5 * 60_000;

interface JobJson {
  id: string;
  href: string;
  description: string;
  status: string;
  start_time: number;
  end_time?: number;
  last_updated: number;
  external: boolean;
  auto_cleared: boolean;
  owner?: { id: string };
}

describe("§6 asynchronous behaviour and jobs", () => {
  let t: TestSandbox | undefined;
  let clock: ManualClock;
  const start = async (): Promise<TestSandbox> => {
    clock = new ManualClock();
    t = await startTestSandbox({ clock, timings: TIMINGS, tls: false });
    return t;
  };
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const statuses = async (s: TestSandbox, pool: string): Promise<string[]> => (await poolVms(s, pool)).map((vm) => vm.status).sort();
  const jobs = async (s: TestSandbox, search: string): Promise<JobJson[]> => {
    const res = await s.api("GET", `/jobs?search=${encodeURIComponent(search)}`);
    expect(res.status).toBe(200);
    return items<JobJson>(res, "job");
  };

  it("§6 pool create returns 201 while every new VM is still image_locked; they become down when their disks are ready", async () => {
    const s = await start();
    await createPoolId(s, "lock-pool", { size: 3 });
    expect(await statuses(s, "lock-pool")).toEqual(["image_locked", "image_locked", "image_locked"]);
    clock.advance(TIMINGS.diskCreateMs - 1);
    expect(await statuses(s, "lock-pool")).toEqual(["image_locked", "image_locked", "image_locked"]);
    clock.advance(1);
    expect(await statuses(s, "lock-pool")).toEqual(["down", "down", "down"]);
  });

  it("§6 pool grow returns 200 with the added VMs image_locked beside the existing ones", async () => {
    const s = await start();
    const id = await createPoolId(s, "grow-pool", { size: 1 });
    clock.advance(TIMINGS.diskCreateMs);
    const res = await s.api("PUT", `/vmpools/${id}`, { body: { size: 3 } });
    expect([res.status, (res.json as { size: number }).size]).toEqual([200, 3]);
    expect(await statuses(s, "grow-pool")).toEqual(["down", "image_locked", "image_locked"]);
  });

  it("§6 pool delete returns 200 while a running VM is still being stopped; the pool stays visible until it is removed", async () => {
    const s = await start();
    const id = await createPoolId(s, "busy-pool", { size: 2 });
    clock.advance(TIMINGS.diskCreateMs);
    s.sandbox.control.takeVm({ pool: "busy-pool" }, "alice");
    clock.advance(TIMINGS.vmBootMs);
    expect(await statuses(s, "busy-pool")).toEqual(["down", "up"]);
    expect((await s.api("DELETE", `/vmpools/${id}`)).status).toBe(200);
    const during = await s.api("GET", `/vmpools/${id}`);
    expect([during.status, (during.json as { prestarted_vms: number }).prestarted_vms]).toEqual([200, 0]);
    expect(await statuses(s, "busy-pool")).toEqual(["powering_down"]);
    clock.advance(TIMINGS.vmStopMs + TIMINGS.diskCreateMs);
    const after = await s.api("GET", `/vmpools/${id}`);
    expect([after.status, after.text]).toEqual([404, ""]);
    expect(await statuses(s, "busy-pool")).toEqual([]);
  });

  it("§2.5 removes a pool whose VMs are all down inside the DELETE", async () => {
    const s = await start();
    const id = await createPoolId(s, "idle-pool", { size: 2 });
    clock.advance(TIMINGS.diskCreateMs);
    expect((await s.api("DELETE", `/vmpools/${id}`)).status).toBe(200);
    expect((await s.api("GET", `/vmpools/${id}`)).status).toBe(404);
  });

  it("§6 prestarted VMs are not started by the create but by the next prestart monitor cycle", async () => {
    const s = await start();
    await createPoolId(s, "prestart-pool", { size: 2, prestarted_vms: 1 });
    clock.advance(TIMINGS.diskCreateMs);
    expect(await statuses(s, "prestart-pool")).toEqual(["down", "down"]);
    clock.advance(MONITOR_INTERVAL_MS - TIMINGS.diskCreateMs - 1);
    expect(await statuses(s, "prestart-pool")).toEqual(["down", "down"]);
    clock.advance(1);
    expect(await statuses(s, "prestart-pool")).toEqual(["down", "wait_for_launch"]);
    clock.advance(TIMINGS.vmBootMs);
    expect(await statuses(s, "prestart-pool")).toEqual(["down", "up"]);
  });

  it("§6 a pool update triggers the prestart monitor at once instead of waiting for the next cycle (§2.4)", async () => {
    const s = await start();
    const id = await createPoolId(s, "trigger-pool", { size: 2 });
    clock.advance(TIMINGS.diskCreateMs);
    expect((await s.api("PUT", `/vmpools/${id}`, { body: { prestarted_vms: 1 } })).status).toBe(200);
    clock.advance(TIMINGS.diskCreateMs);
    expect(await statuses(s, "trigger-pool")).toEqual(["down", "wait_for_launch"]);
  });

  it("§6 DELETE with async=true answers 202 and the removal goes on afterwards", async () => {
    const s = await start();
    const id = await createPoolId(s, "async-del-pool");
    const res = await s.api("DELETE", `/vmpools/${id}?async=true`);
    expect(res.status).toBe(202);
    expect((await s.api("GET", `/vmpools/${id}`)).status).toBe(200);
    clock.advance(TIMINGS.diskCreateMs * 2);
    expect((await s.api("GET", `/vmpools/${id}`)).status).toBe(404);
  });

  it("§6 DELETE with Expect: 202-accepted answers 202", async () => {
    const s = await start();
    const id = await createPoolId(s, "expect-del-pool");
    clock.advance(TIMINGS.diskCreateMs);
    const res = await s.api("DELETE", `/vmpools/${id}`, { headers: { Expect: "202-accepted" } });
    expect(res.status).toBe(202);
  });

  it('§6 an action with async=true answers 202 with status "pending"', async () => {
    const s = await start();
    const id = await createPoolId(s, "async-alloc-pool");
    clock.advance(TIMINGS.diskCreateMs);
    const res = await s.api("POST", `/vmpools/${id}/allocatevm?async=true`, { body: {} });
    expect(res.status).toBe(202);
    expect((res.json as { status: string }).status).toBe("pending");
  });

  it('§6 an action with Expect: 202-accepted answers 202 with status "pending"', async () => {
    const s = await start();
    const id = await createPoolId(s, "expect-alloc-pool");
    clock.advance(TIMINGS.diskCreateMs);
    const res = await s.api("POST", `/vmpools/${id}/allocatevm`, { body: {}, headers: { Expect: "202-accepted" } });
    expect(res.status).toBe(202);
    expect((res.json as { status: string }).status).toBe("pending");
  });

  it("§6 records a pool create as job 'Creating VM Pool <pool> from template <template>', finished, found by its UUID correlation_id", async () => {
    const s = await start();
    const correlationId = randomUUID();
    await createPoolId(s, "job-create-pool", {}, { "Correlation-Id": correlationId });
    const found = await jobs(s, `correlation_id=${correlationId}`);
    expect(found.map((j) => [j.description, j.status])).toEqual([["Creating VM Pool job-create-pool from template rhel9-desktop", "finished"]]);
  });

  it("§6 records a pool update as job 'Configuring VM Pool <pool> properties', finished", async () => {
    const s = await start();
    const id = await createPoolId(s, "job-update-pool");
    const correlationId = randomUUID();
    expect((await s.api("PUT", `/vmpools/${id}`, { body: { description: "changed" }, headers: { "Correlation-Id": correlationId } })).status).toBe(200);
    const found = await jobs(s, `correlation_id=${correlationId}`);
    expect(found.map((j) => [j.description, j.status])).toEqual([["Configuring VM Pool job-update-pool properties", "finished"]]);
  });

  it("§6 records a pool removal as job 'Removing VM Pool <pool> from Cluster <cluster>'", async () => {
    const s = await start();
    const id = await createPoolId(s, "job-remove-pool");
    const correlationId = randomUUID();
    expect((await s.api("DELETE", `/vmpools/${id}`, { headers: { "Correlation-Id": correlationId } })).status).toBe(200);
    const found = await jobs(s, `correlation_id=${correlationId}`);
    expect(found.map((j) => j.description)).toEqual(["Removing VM Pool job-remove-pool from Cluster Default"]);
  });

  it("§6 takes the correlation id from the correlation_id query parameter as from the header", async () => {
    const s = await start();
    const correlationId = randomUUID();
    const res = await s.api("POST", `/vmpools?correlation_id=${correlationId}`, { body: { name: "job-query-pool", cluster: { name: "Default" }, template: { name: "rhel9-desktop" } } });
    expect(res.status).toBe(201);
    expect((await jobs(s, `correlation_id=${correlationId}`)).map((j) => j.description)).toEqual(["Creating VM Pool job-query-pool from template rhel9-desktop"]);
  });

  it("§6 records a create that fails while adding its VMs as a failed job", async () => {
    const s = await start();
    const correlationId = randomUUID();
    const name = "x".repeat(63);
    const res = await s.api("POST", "/vmpools", { body: { name, cluster: { name: "Default" }, template: { name: "rhel9-desktop" } }, headers: { "Correlation-Id": correlationId } });
    expect(res.status).toBe(400);
    const found = await jobs(s, `correlation_id=${correlationId}`);
    expect(found.map((j) => [j.description, j.status])).toEqual([[`Creating VM Pool ${name} from template rhel9-desktop`, "failed"]]);
  });

  it("§6 renders a job with its times on the engine clock, external false, auto_cleared true and the calling user as owner", async () => {
    const s = await start();
    clock.advance(12_345);
    const now = clock.now();
    const correlationId = randomUUID();
    await createPoolId(s, "job-fields-pool", {}, { "Correlation-Id": correlationId });
    const [job] = await jobs(s, `correlation_id=${correlationId}`);
    expect(job).toEqual({
      id: job?.id,
      href: `/ovirt-engine/api/jobs/${job?.id ?? ""}`,
      description: "Creating VM Pool job-fields-pool from template rhel9-desktop",
      status: "finished",
      start_time: now,
      end_time: now,
      last_updated: now,
      external: false,
      auto_cleared: true,
      owner: { id: DEFAULT_SEED_IDS.admin, href: `/ovirt-engine/api/users/${DEFAULT_SEED_IDS.admin}` },
    });
    expect((await s.api("GET", `/jobs/${job?.id ?? ""}`)).json).toEqual(job);
  });

  it("§6 answers a job search by a correlation id no command used with an empty collection {}", async () => {
    const s = await start();
    await createPoolId(s, "job-other-pool");
    const res = await s.api("GET", `/jobs?search=${encodeURIComponent(`correlation_id=${randomUUID()}`)}`);
    expect([res.status, res.json]).toEqual([200, {}]);
  });
});
