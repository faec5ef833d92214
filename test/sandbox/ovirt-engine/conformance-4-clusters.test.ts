/**
 * Conformance with reference §4: the cluster endpoints, name rules and
 * service rules of `ClusterValidator`, `AddClusterCommand`,
 * `UpdateClusterCommand` and `RemoveClusterCommand`. Trusted compute pools
 * (attestation) are in conformance-4-trusted.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DEFAULT_SEED_IDS } from "../../../sandbox/ovirt-engine/seed";
import { createPoolId, operationFailed, type Link } from "./conformance-4-6-helpers";
import { startTestSandbox, type TestSandbox } from "./sandbox-client";

interface ClusterJson {
  id: string;
  href: string;
  name: string;
  virt_service: boolean;
  gluster_service: boolean;
  trusted_service: boolean;
  data_center: Link;
}

describe("§4 cluster endpoints", () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox();
    t.sandbox.control.seed({ dataCenters: [{ id: "a1b2c3d4-0000-4000-8000-00000000dc02", name: "Second" }] });
  });
  afterAll(async () => t?.close());

  const create = (body: Record<string, unknown>) => t.api("POST", "/clusters", { body });
  const createOk = async (name: string, extra: Record<string, unknown> = {}): Promise<ClusterJson> => {
    const res = await create({ name, data_center: { name: "Default" }, ...extra });
    expect(res.status, res.text).toBe(201);
    return res.json as ClusterJson;
  };

  it("§4 creates a cluster from name and data_center with 201, Location and the entity defaults virt on, gluster and trusted off", async () => {
    const res = await create({ name: "c-create", data_center: { id: DEFAULT_SEED_IDS.dataCenter } });
    expect(res.status).toBe(201);
    const body = res.json as ClusterJson;
    expect(body.href).toBe(`/ovirt-engine/api/clusters/${body.id}`);
    expect(new URL(String(res.headers.location), t.sandbox.origin).href).toBe(`${t.sandbox.origin}/ovirt-engine/api/clusters/${body.id}`);
    expect(body).toMatchObject({ name: "c-create", virt_service: true, gluster_service: false, trusted_service: false, data_center: { id: DEFAULT_SEED_IDS.dataCenter } });
    const read = await t.api("GET", `/clusters/${body.id}`);
    expect(read.status).toBe(200);
    expect(read.json).toEqual(body);
  });

  it("§4 refuses a create without name and data_center with 400 Incomplete parameters naming both", async () => {
    const res = await create({ description: "nothing else" });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ reason: "Incomplete parameters", detail: "Cluster [name, dataCenter.name|id] required for add" });
  });

  it("§4 refuses a create without data_center with 400 Incomplete parameters [dataCenter.name|id]", async () => {
    const res = await create({ name: "c-no-dc" });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ reason: "Incomplete parameters", detail: "Cluster [dataCenter.name|id] required for add" });
  });

  it("§4 answers a create naming an unknown data center with 404 Entity not found (inferred, as §2.3)", async () => {
    const res = await create({ name: "c-no-such-dc", data_center: { name: "Nowhere" } });
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ reason: "Operation Failed", detail: "Entity not found: Datacenter: name=Nowhere" });
  });

  it("§4 accepts a 40-character name", async () => {
    const name = `n40-${"x".repeat(36)}`;
    expect((await createOk(name)).name).toBe(name);
  });

  it("§4 refuses a 41-character name with 400 [Cluster name must not exceed 40 characters, Attribute: cluster.name]", async () => {
    const res = await create({ name: "x".repeat(41), data_center: { name: "Default" } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(operationFailed("Cluster name must not exceed 40 characters", "Attribute: cluster.name"));
  });

  it("§4 refuses an empty name with the size message (@Size min 1 shares VALIDATION_CLUSTER_NAME_MAX)", async () => {
    const res = await create({ name: "", data_center: { name: "Default" } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(operationFailed("Cluster name must not exceed 40 characters", "Attribute: cluster.name"));
  });

  it("§4 accepts I18N name characters: letters of any script, digits, '.', '_' and '-'", async () => {
    expect((await createOk("Zürich_東京-1.b")).name).toBe("Zürich_東京-1.b");
  });

  it("§4 refuses a name with a space with 400 [Cluster names may only contain letters, numbers, '-', or '_'., Attribute: cluster.name]", async () => {
    const res = await create({ name: "two words", data_center: { name: "Default" } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(operationFailed("Cluster names may only contain letters, numbers, '-', or '_'.", "Attribute: cluster.name"));
  });

  it("§4 refuses a create whose name differs from an existing one only in case with 409 [Cannot create Cluster. Cluster name is already in use.]", async () => {
    const res = await create({ name: "DEFAULT", data_center: { name: "Default" } });
    expect(res.status).toBe(409);
    expect(res.json).toEqual(operationFailed("Cannot create Cluster. Cluster name is already in use."));
  });

  it("§4 refuses renaming to another cluster's name with 409 [Cannot edit Cluster. Cluster name is already in use.]", async () => {
    const cluster = await createOk("c-rename");
    const res = await t.api("PUT", `/clusters/${cluster.id}`, { body: { name: "Default" } });
    expect(res.status).toBe(409);
    expect(res.json).toEqual(operationFailed("Cannot edit Cluster. Cluster name is already in use."));
  });

  it("§4 checks a rename case-sensitively (engine: UpdateClusterCommand.isClusterUnique uses getByName(name, true))", async () => {
    const cluster = await createOk("c-rename-case");
    const res = await t.api("PUT", `/clusters/${cluster.id}`, { body: { name: "default" } });
    expect(res.status).toBe(200);
    expect((res.json as ClusterJson).name).toBe("default");
  });

  it("§4 refuses a create with virt and gluster both off with 400 [At least one service [virt / gluster] must be enabled on the cluster.]", async () => {
    const res = await create({ name: "c-no-service", data_center: { name: "Default" }, virt_service: false, gluster_service: false });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(operationFailed("At least one service [virt / gluster] must be enabled on the cluster."));
  });

  it("§4 refuses an update that turns both services off with 400 [At least one service [virt / gluster] must be enabled on the cluster.]", async () => {
    const cluster = await createOk("c-services-off");
    const res = await t.api("PUT", `/clusters/${cluster.id}`, { body: { virt_service: false } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(operationFailed("At least one service [virt / gluster] must be enabled on the cluster."));
  });

  it("§4 allows virt and gluster together by default (AllowClusterWithVirtGlusterEnabled = true)", async () => {
    const cluster = await createOk("c-both", { gluster_service: true });
    expect([cluster.virt_service, cluster.gluster_service]).toEqual([true, true]);
  });

  it("§4 refuses a cluster that disables virt while it has VMs with 409 [Cannot disable virt service on the cluster as it contains VMs.]", async () => {
    const cluster = await createOk("c-with-vms");
    await createPoolId(t, "pool-in-c-with-vms", { cluster: { id: cluster.id } });
    const res = await t.api("PUT", `/clusters/${cluster.id}`, { body: { virt_service: false, gluster_service: true } });
    expect(res.status).toBe(409);
    expect(res.json).toEqual(operationFailed("Cannot disable virt service on the cluster as it contains VMs."));
  });

  it("§4 allows disabling virt (for gluster) on a cluster without VMs", async () => {
    const cluster = await createOk("c-gluster-only");
    const res = await t.api("PUT", `/clusters/${cluster.id}`, { body: { virt_service: false, gluster_service: true } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ virt_service: false, gluster_service: true });
  });

  it("§4 refuses moving a cluster to another data center with 409 [Cannot change Data Center association when editing a Cluster.]", async () => {
    const cluster = await createOk("c-move");
    const res = await t.api("PUT", `/clusters/${cluster.id}`, { body: { data_center: { id: "a1b2c3d4-0000-4000-8000-00000000dc02" } } });
    expect(res.status).toBe(409);
    expect(res.json).toEqual(operationFailed("Cannot change Data Center association when editing a Cluster."));
  });

  it("§4 refuses removing a cluster with hosts, VMs, templates and pools with 409 listing every reason (no space in the pools one)", async () => {
    await createPoolId(t, "pool-in-default");
    const res = await t.api("DELETE", `/clusters/${DEFAULT_SEED_IDS.cluster}`);
    expect(res.status).toBe(409);
    expect(res.json).toEqual(
      operationFailed(
        "Cannot remove Cluster. Cluster contains one or more Hosts",
        "Cannot remove Cluster. One or more VMs are still assigned to the Cluster",
        "Cannot remove Cluster. One or more Template(s) are still associated with the Cluster",
        "Cannot remove Cluster.One or more VM-Pools are still associated with it",
      ),
    );
  });

  it("§4 refuses removing a cluster whose only content is a host with 409 [Cannot remove Cluster. Cluster contains one or more Hosts]", async () => {
    const cluster = await createOk("c-host-only");
    t.sandbox.control.seed({ hosts: [{ name: "host-c-host-only", cluster: "c-host-only" }] });
    const res = await t.api("DELETE", `/clusters/${cluster.id}`);
    expect(res.status).toBe(409);
    expect(res.json).toEqual(operationFailed("Cannot remove Cluster. Cluster contains one or more Hosts"));
  });

  it("§4 removes an empty cluster with 200, after which GET answers 404 with an empty body", async () => {
    const cluster = await createOk("c-remove");
    const res = await t.api("DELETE", `/clusters/${cluster.id}`);
    expect(res.status).toBe(200);
    const read = await t.api("GET", `/clusters/${cluster.id}`);
    expect([read.status, read.text]).toEqual([404, ""]);
  });

  it("§4 answers GET, PUT and DELETE of a missing cluster with 404 and an empty body", async () => {
    const missing = "a1b2c3d4-0000-4000-8000-0000000c1999";
    const answers = [await t.api("GET", `/clusters/${missing}`), await t.api("PUT", `/clusters/${missing}`, { body: { description: "x" } }), await t.api("DELETE", `/clusters/${missing}`)];
    expect(answers.map((r) => [r.status, r.text])).toEqual([
      [404, ""],
      [404, ""],
      [404, ""],
    ]);
  });
});

describe("§4 cluster service rules that depend on engine-config", () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox();
  });
  afterAll(async () => t?.close());

  it("§4 refuses virt and gluster together with 409 [Cannot create Cluster. Enabling both Virt and Gluster services is not allowed.] when AllowClusterWithVirtGlusterEnabled is false", async () => {
    t.sandbox.control.setConfig({ AllowClusterWithVirtGlusterEnabled: false });
    try {
      const res = await t.api("POST", "/clusters", { body: { name: "c-mixed", data_center: { name: "Default" }, virt_service: true, gluster_service: true } });
      expect(res.status).toBe(409);
      expect(res.json).toEqual(operationFailed("Cannot create Cluster. Enabling both Virt and Gluster services is not allowed."));
    } finally {
      t.sandbox.control.setConfig({ AllowClusterWithVirtGlusterEnabled: true });
    }
  });

  it("§4 refuses trusted_service on add without an AttestationServer with 400 [Attestation server should be configured correctly.]", async () => {
    expect(t.sandbox.control.state()["config"]).toMatchObject({ AttestationServer: "" });
    const res = await t.api("POST", "/clusters", { body: { name: "c-trusted", data_center: { name: "Default" }, trusted_service: true } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(operationFailed("Attestation server should be configured correctly."));
  });

  it("§4 refuses trusted_service on update without an AttestationServer with 400 [Attestation server should be configured correctly.]", async () => {
    const res = await t.api("PUT", `/clusters/${DEFAULT_SEED_IDS.cluster}`, { body: { trusted_service: true } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(operationFailed("Attestation server should be configured correctly."));
    const read = await t.api("GET", `/clusters/${DEFAULT_SEED_IDS.cluster}`);
    expect((read.json as ClusterJson).trusted_service).toBe(false);
  });

  it("§4 creates a trusted cluster once AttestationServer is configured", async () => {
    t.sandbox.control.setConfig({ AttestationServer: "oat.example" });
    const res = await t.api("POST", "/clusters", { body: { name: "c-trusted-ok", data_center: { name: "Default" }, trusted_service: true } });
    expect(res.status).toBe(201);
    expect((res.json as ClusterJson).trusted_service).toBe(true);
  });
});
