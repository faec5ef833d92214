/**
 * Conformance with reference §4, trusted compute pools: a host in a trusted
 * cluster that the attestation server does not trust is `non_operational`
 * with `status_detail: "untrusted"`; the control API flips attestation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DEFAULT_SEED_IDS } from "../../../sandbox/ovirt-engine/seed";
import { startTestSandbox, type TestSandbox } from "./sandbox-client";

interface HostJson {
  id: string;
  name: string;
  status: string;
  status_detail?: string;
  cluster: { id: string };
}

describe("§4 trusted compute pools", () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox();
    t.sandbox.control.setConfig({ AttestationServer: "oat.example" });
  });
  afterAll(async () => t?.close());

  let seq = 0;
  /** Seeds a cluster of its own with one host; returns the host's id. */
  const seedHost = (trustedCluster: boolean, attestation: "trusted" | "untrusted"): { hostId: string; cluster: string; hostName: string } => {
    seq += 1;
    const cluster = `attest-${seq}`;
    const hostName = `attest-host-${seq}`;
    const hostId = `a1b2c3d4-0000-4000-8000-00000000a${String(600 + seq)}`;
    t.sandbox.control.seed({ clusters: [{ name: cluster, dataCenter: "Default", trustedService: trustedCluster }], hosts: [{ id: hostId, name: hostName, cluster, attestation }] });
    return { hostId, cluster, hostName };
  };
  const host = async (id: string): Promise<HostJson> => {
    const res = await t.api("GET", `/hosts/${id}`);
    expect(res.status).toBe(200);
    return res.json as HostJson;
  };

  it("§4 shows an untrusted host of a trusted cluster as status non_operational with status_detail untrusted", async () => {
    const { hostId } = seedHost(true, "untrusted");
    const bad = await host(hostId);
    expect([bad.status, bad.status_detail]).toEqual(["non_operational", "untrusted"]);
  });

  it("§4 keeps a trusted host of a trusted cluster up, with no status_detail", async () => {
    const { hostId } = seedHost(true, "trusted");
    const good = await host(hostId);
    expect(good.status).toBe("up");
    expect(good).not.toHaveProperty("status_detail");
  });

  it("§4 keeps a host the attestation server distrusts up when its cluster is not trusted", async () => {
    const { hostId } = seedHost(false, "untrusted");
    const plain = await host(hostId);
    expect(plain.status).toBe("up");
    expect(plain).not.toHaveProperty("status_detail");
  });

  it("§4 finds the untrusted host by search status=non_operational", async () => {
    const { cluster, hostName } = seedHost(true, "untrusted");
    seedHost(true, "trusted");
    const res = await t.api("GET", `/hosts?search=${encodeURIComponent(`status=non_operational and cluster=${cluster}`)}`);
    expect(res.status).toBe(200);
    expect((res.json as { host: HostJson[] }).host.map((h) => h.name)).toEqual([hostName]);
  });

  it("§4 moves a host to non_operational/untrusted when the control API flips its attestation to untrusted", async () => {
    const { hostId, hostName } = seedHost(true, "trusted");
    t.sandbox.control.setHostAttestation(hostName, "untrusted");
    const flipped = await host(hostId);
    expect([flipped.status, flipped.status_detail]).toEqual(["non_operational", "untrusted"]);
  });

  it("§4 brings an untrusted host back up when the control API flips its attestation to trusted", async () => {
    const { hostId, hostName } = seedHost(true, "untrusted");
    t.sandbox.control.setHostAttestation(hostName, "trusted");
    const back = await host(hostId);
    expect(back.status).toBe("up");
    expect(back).not.toHaveProperty("status_detail");
  });

  it("§4 attests the hosts of a cluster when trusted_service is turned on by update", async () => {
    t.sandbox.control.setHostAttestation("host1", "untrusted");
    expect((await host(DEFAULT_SEED_IDS.host)).status).toBe("up");
    const res = await t.api("PUT", `/clusters/${DEFAULT_SEED_IDS.cluster}`, { body: { trusted_service: true } });
    expect(res.status).toBe(200);
    expect((res.json as { trusted_service: boolean }).trusted_service).toBe(true);
    const after = await host(DEFAULT_SEED_IDS.host);
    expect([after.status, after.status_detail]).toEqual(["non_operational", "untrusted"]);
  });

  it("§4 brings untrusted hosts back up when trusted_service is turned off", async () => {
    const { hostId, cluster } = seedHost(true, "untrusted");
    expect((await host(hostId)).status).toBe("non_operational");
    const clusterId = ((await t.api("GET", `/clusters?search=${encodeURIComponent(`name=${cluster}`)}`)).json as { cluster: { id: string }[] }).cluster[0]?.id ?? "";
    const res = await t.api("PUT", `/clusters/${clusterId}`, { body: { trusted_service: false } });
    expect(res.status).toBe(200);
    const after = await host(hostId);
    expect(after.status).toBe("up");
    expect(after).not.toHaveProperty("status_detail");
  });
});
