/**
 * Conformance with reference §4: an update (`PUT /clusters/{id}`) changes
 * the CPU type and the compatibility version in place, as `ClusterMapper`
 * maps `cpu.type` and `version` on update as on add; fields left out keep
 * their values. (The sandbox models no CPU or version compatibility checks.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startTestSandbox, type TestSandbox } from "./sandbox-client";

interface ClusterJson {
  id: string;
  name: string;
  description: string;
  comment?: string;
  cpu?: { type: string; architecture: string };
  version: { major: number; minor: number };
  virt_service: boolean;
  gluster_service: boolean;
  trusted_service: boolean;
}

describe("§4 cluster update of CPU type and compatibility version", () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox();
  });
  afterAll(async () => t?.close());

  const createOk = async (name: string, extra: Record<string, unknown> = {}): Promise<ClusterJson> => {
    const res = await t.api("POST", "/clusters", { body: { name, data_center: { name: "Default" }, ...extra } });
    expect(res.status, res.text).toBe(201);
    return res.json as ClusterJson;
  };

  it("§4 creates a cluster with the cpu type and version the body names", async () => {
    const c = await createOk("upd-create", { cpu: { type: "Intel Nehalem Family" }, version: { major: 4, minor: 7 } });
    expect([c.cpu?.type, c.version]).toEqual(["Intel Nehalem Family", { major: 4, minor: 7 }]);
  });

  it("§4 changes cpu.type and version by PUT, keeping the services, description and comment left out", async () => {
    const c = await createOk("upd-cpu", { description: "kept", comment: "kept too", cpu: { type: "Intel Nehalem Family" }, version: { major: 4, minor: 7 } });
    const res = await t.api("PUT", `/clusters/${c.id}`, { body: { cpu: { type: "Intel Cascadelake Server Family" }, version: { major: 4, minor: 8 } } });
    expect(res.status, res.text).toBe(200);
    const updated = res.json as ClusterJson;
    expect([updated.cpu?.type, updated.version, updated.description, updated.comment, updated.virt_service, updated.gluster_service]).toEqual([
      "Intel Cascadelake Server Family",
      { major: 4, minor: 8 },
      "kept",
      "kept too",
      true,
      false,
    ]);
    expect(((await t.api("GET", `/clusters/${c.id}`)).json as ClusterJson).cpu?.type).toBe("Intel Cascadelake Server Family");
  });

  it("§4 keeps cpu type and version when a PUT leaves them out", async () => {
    const c = await createOk("upd-keep", { cpu: { type: "Intel Nehalem Family" }, version: { major: 4, minor: 7 } });
    const res = await t.api("PUT", `/clusters/${c.id}`, { body: { description: "only this" } });
    expect(res.status).toBe(200);
    const updated = res.json as ClusterJson;
    expect([updated.cpu?.type, updated.version, updated.description]).toEqual(["Intel Nehalem Family", { major: 4, minor: 7 }, "only this"]);
  });
});
