/** The sandbox starts over HTTPS, serves the seeded pool-ready cluster and template, and stops. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DEFAULT_SEED_IDS } from "../../../sandbox/ovirt-engine/seed";
import { startTestSandbox, type TestSandbox } from "./sandbox-client";

describe("the oVirt engine sandbox", () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox();
  });
  afterAll(async () => t?.close());

  it("listens on loopback over HTTPS with its own CA", () => {
    expect(t.sandbox.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/ovirt-engine\/api$/);
    expect(t.sandbox.caPem).toContain("-----BEGIN CERTIFICATE-----");
  });

  it("serves the seeded cluster and template with a token", async () => {
    const clusters = await t.api("GET", "/clusters");
    expect(clusters.status).toBe(200);
    expect((clusters.json as { cluster: { id: string; name: string }[] }).cluster.map((c) => [c.id, c.name])).toEqual([[DEFAULT_SEED_IDS.cluster, "Default"]]);
    const templates = await t.api("GET", "/templates?search=name%3Drhel9-desktop");
    expect((templates.json as { template: { id: string }[] }).template.map((x) => x.id)).toEqual([DEFAULT_SEED_IDS.template, DEFAULT_SEED_IDS.templateV2]);
  });
});
