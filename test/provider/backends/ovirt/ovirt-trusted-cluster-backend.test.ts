/**
 * The oVirt trusted-cluster backend against the engine sandbox: create with
 * the trusted service, hosts and untrusted hosts, the attestation fix-it,
 * names taken, lost answers, in-place updates, trust turned off outside
 * Pulumi, delete refused while pools or hosts remain, check() sending
 * nothing for bad inputs, and a VmPool kept out of an untrusted cluster.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { OvirtBackend } from "../../../../provider/backends/ovirt/ovirt-backend";
import { OvirtTrustedClusterBackend } from "../../../../provider/backends/ovirt/ovirt-trusted-cluster-backend";
import { toProviderSettings } from "../../../../provider/config/settings";
import { diffTrustedCluster } from "../../../../provider/diff/trusted-cluster-diff";
import { trustedClusterInputsSchema, type TrustedClusterInputs } from "../../../../provider/schemas/trusted-cluster";
import { vmPoolInputsSchema } from "../../../../provider/schemas/vm-pool";
import { TrustedClusterProvider } from "../../../../provider/trusted-cluster-provider";
import { DEFAULT_SEED_IDS } from "../../../../sandbox/ovirt-engine/seed";
import { startOvirtFixture, type OvirtFixture } from "./ovirt-engine-fixture";

const ATTESTATION_FIX =
  "the engine has no attestation server configured (engine-config key AttestationServer is empty, its default), and it refuses the trusted service without one. " +
  "On the engine machine run 'engine-config -s AttestationServer=<FQDN of the OpenAttestation server>', " +
  "and where they differ from the defaults also 'engine-config -s AttestationPort=<port>' (default 8443), 'engine-config -s AttestationTruststore=<trust store>' (default TrustStore.jks) " +
  "and 'engine-config -s AttestationTruststorePass=<password>'; then 'systemctl restart ovirt-engine' and run 'pulumi up' again";

function cluster(name: string, backend: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): TrustedClusterInputs {
  return trustedClusterInputsSchema.parse({ name, ...extra, backend: { kind: "ovirt", dataCenter: "Default", ...backend } });
}

describe("OvirtTrustedClusterBackend against the engine sandbox", () => {
  let f: OvirtFixture;
  let backend: OvirtTrustedClusterBackend;
  const store = () => f.sandbox.control.engine.store;
  const engineCluster = (name: string) => [...store().clusters.values()].find((c) => c.name === name);

  beforeAll(async () => {
    f = await startOvirtFixture();
    backend = new OvirtTrustedClusterBackend(f.client);
  });
  afterAll(async () => f?.dispose());
  beforeEach(() => {
    f.sandbox.control.clearFaults();
    f.sandbox.control.setConfig({ AttestationServer: "oat.example.test" });
    f.sandbox.control.resetRequestCounts();
  });

  it("creates a cluster with the trusted service on and reports its id, no hosts and its placement", async () => {
    const created = await backend.create(cluster("secure", { cpuType: "Intel Nehalem Family", compatibilityVersion: "4.7", comment: "exam hosts" }, { description: "attested only" }));
    const live = engineCluster("secure");
    expect(live).toMatchObject({ trustedService: true, virtService: true, glusterService: false, cpuType: "Intel Nehalem Family", version: { major: 4, minor: 7 }, description: "attested only", comment: "exam hosts", dataCenterId: DEFAULT_SEED_IDS.dataCenter });
    expect(created.id).toBe(live?.id);
    expect(created.state).toEqual({
      name: "secure",
      description: "attested only",
      backend: { kind: "ovirt", dataCenter: "Default", cpuType: "Intel Nehalem Family", compatibilityVersion: "4.7", virtService: true, glusterService: false, comment: "exam hosts" },
      uid: live?.id,
      hosts: [],
      untrustedHosts: [],
      placement: { kind: "ovirt", name: "secure", id: live?.id },
    });
    expect(created.inputs).toEqual(cluster("secure", { cpuType: "Intel Nehalem Family", compatibilityVersion: "4.7", comment: "exam hosts" }, { description: "attested only" }));
    expect(f.count("POST", /\/clusters$/)).toBe(1);
  });

  it("reads the cluster's hosts, and reports a host the attestation server refused as untrusted", async () => {
    const created = await backend.create(cluster("attested"));
    f.sandbox.control.seed({ hosts: [{ name: "att-h1", cluster: "attested" }, { name: "att-h2", cluster: "attested" }] });
    const first = await backend.read(created.id, created.state);
    expect([first?.state.hosts, first?.state.untrustedHosts]).toEqual([
      [
        { name: "att-h1", status: "up", trusted: true },
        { name: "att-h2", status: "up", trusted: true },
      ],
      [],
    ]);
    f.sandbox.control.setHostAttestation("att-h2", "untrusted");
    const second = await backend.read(created.id, created.state);
    expect([second?.state.hosts, second?.state.untrustedHosts]).toEqual([
      [
        { name: "att-h1", status: "up", trusted: true },
        { name: "att-h2", status: "non_operational", statusDetail: "untrusted", trusted: false },
      ],
      ["att-h2"],
    ]);
    expect(second?.inputs).toEqual(created.inputs);
  });

  it("fails with how to configure the attestation server when the engine has none, creating nothing", async () => {
    f.sandbox.control.setConfig({ AttestationServer: "" });
    const err: unknown = await backend.create(cluster("no-oat")).catch((e: unknown) => e);
    expect((err as Error).message).toBe(`ovirt create of trusted cluster no-oat failed: ${ATTESTATION_FIX}`);
    expect((err as { context?: unknown }).context).toEqual({ backend: "ovirt", operation: "create", resource: "trusted cluster no-oat" });
    expect((err as Error).message).not.toMatch(/HTTP|Operation Failed|\[/);
    expect(engineCluster("no-oat")).toBeUndefined();
    expect(f.count("POST", /\/clusters$/)).toBe(1);
  });

  it("refuses a name another cluster holds, ignoring case, before sending anything", async () => {
    const err: unknown = await backend.create(cluster("DEFAULT")).catch((e: unknown) => e);
    expect((err as Error).message).toBe(
      `ovirt create of trusted cluster DEFAULT failed: a cluster named 'Default' (id ${DEFAULT_SEED_IDS.cluster}) already exists on the engine, and cluster names are unique ignoring case; this provider does not take over clusters it did not create, so choose another 'name' or remove that cluster`,
    );
    expect(f.count("POST", /\/clusters$/)).toBe(0);
  });

  it("claims the cluster of a create whose answer was lost, without a second POST", async () => {
    f.sandbox.control.addFault({ method: "POST", path: "/clusters$", kind: "drop", phase: "after", times: 1 });
    const created = await backend.create(cluster("lost-answer"));
    expect([...store().clusters.values()].filter((c) => c.name === "lost-answer").map((c) => c.id)).toEqual([created.id]);
    expect(f.count("POST", /\/clusters$/)).toBe(1);
  });

  it("leaves nothing and claims nothing when the connection drops before the engine ran the create", async () => {
    f.sandbox.control.addFault({ method: "POST", path: "/clusters$", kind: "drop", phase: "before", times: 1 });
    await expect(backend.create(cluster("never-made"))).rejects.toThrow(/^ovirt create of trusted cluster never-made failed: the connection to the engine failed/);
    expect(engineCluster("never-made")).toBeUndefined();
  });

  it("changes description, comment, CPU type, compatibility version and services in place", async () => {
    const created = await backend.create(cluster("changing", { cpuType: "Intel Nehalem Family", compatibilityVersion: "4.7" }));
    f.sandbox.control.resetRequestCounts();
    const wanted = cluster("changing", { cpuType: "Intel Cascadelake Server Family", compatibilityVersion: "4.8", comment: "now commented" }, { description: "new text" });
    const updated = await backend.update(created.id, created.state, wanted);
    expect(engineCluster("changing")).toMatchObject({ id: created.id, cpuType: "Intel Cascadelake Server Family", version: { major: 4, minor: 8 }, description: "new text", comment: "now commented", trustedService: true });
    expect(updated.inputs).toEqual(wanted);
    expect([f.count("PUT", /\/clusters\//), f.count("POST", /./), f.count("DELETE", /./)]).toEqual([1, 0, 0]);
  });

  it("shows trust turned off outside Pulumi as a change the next update reverts", async () => {
    const created = await backend.create(cluster("tampered"));
    const live = engineCluster("tampered");
    if (live !== undefined) {
      live.trustedService = false;
    }
    const read = await backend.read(created.id, created.state);
    expect(read?.state.backend).toEqual({ kind: "ovirt", dataCenter: "Default", virtService: true, glusterService: false, comment: "", trustedService: false });
    expect(read?.inputs).toEqual(created.inputs);
    expect(diffTrustedCluster({ ...read?.state }, { ...created.inputs })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const fixed = await backend.update(created.id, read?.state ?? created.state, created.inputs);
    expect(engineCluster("tampered")?.trustedService).toBe(true);
    expect(diffTrustedCluster({ ...fixed.state }, { ...created.inputs })).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it("refuses to delete a cluster that holds pools, naming them and changing nothing", async () => {
    const created = await backend.create(cluster("with-pools"));
    const pools = new OvirtBackend(f.client, { pollMs: 10, timeoutMs: 5_000 });
    const placement = created.state.placement;
    for (const name of ["exam-b", "exam-a"]) {
      await pools.create(vmPoolInputsSchema.parse({ name, size: 1, trustedCluster: placement, backend: { kind: "ovirt", template: "rhel9-desktop" } }));
    }
    f.sandbox.control.resetRequestCounts();
    const err: unknown = await backend.delete(created.id, created.state).catch((e: unknown) => e);
    expect((err as Error).message).toBe(
      "ovirt delete of trusted cluster with-pools failed: cluster 'with-pools' still holds VM pools 'exam-a', 'exam-b'; the engine cannot remove a cluster with pools, and pools cannot move, so delete those pools first (remove the VmPool resources placed in this cluster, or delete them on the engine) and run this again. Nothing was changed",
    );
    expect(engineCluster("with-pools")?.id).toBe(created.id);
    expect(f.sandbox.control.pools().filter((p) => p.name.startsWith("exam-")).map((p) => p.size)).toEqual([1, 1]);
    expect([f.count("DELETE", /./), f.count("POST", /./), f.count("PUT", /./)]).toEqual([0, 0, 0]);
  });

  it("refuses to delete a cluster that still has hosts, naming them", async () => {
    const created = await backend.create(cluster("with-hosts"));
    f.sandbox.control.seed({ hosts: [{ name: "wh-1", cluster: "with-hosts" }] });
    await expect(backend.delete(created.id, created.state)).rejects.toThrow(
      "ovirt delete of trusted cluster with-hosts failed: cluster 'with-hosts' still has host 'wh-1'; the engine cannot remove a cluster with hosts, so put them in maintenance and move them to another cluster or remove them, then run this again. Nothing was changed",
    );
    expect(f.count("DELETE", /./)).toBe(0);
  });

  it("reports the engine's own removal refusal (a template left in the cluster) in its words, changing nothing", async () => {
    const created = await backend.create(cluster("with-template"));
    f.sandbox.control.seed({ templates: [{ name: "wt-template", cluster: "with-template" }] });
    await expect(backend.delete(created.id, created.state)).rejects.toThrow(
      "ovirt delete of trusted cluster with-template failed: the engine refuses to remove cluster 'with-template' (Operation Failed: [Cannot remove Cluster. One or more Template(s) are still associated with the Cluster]); remove or move what it names out of the cluster first and run this again. Nothing was changed",
    );
    expect(engineCluster("with-template")?.id).toBe(created.id);
  });

  it("turning trust back on by update without an attestation server fails with the same fix-it", async () => {
    const created = await backend.create(cluster("later-oat"));
    f.sandbox.control.setConfig({ AttestationServer: "" });
    await expect(backend.update(created.id, created.state, cluster("later-oat", {}, { description: "x" }))).rejects.toThrow(`ovirt update of trusted cluster later-oat failed: ${ATTESTATION_FIX}`);
    expect(engineCluster("later-oat")?.description).toBe("");
  });

  it("deletes an empty cluster; deleting again, and reading it, find nothing and succeed", async () => {
    const created = await backend.create(cluster("short-lived"));
    await backend.delete(created.id, created.state);
    expect(engineCluster("short-lived")).toBeUndefined();
    await backend.delete(created.id, created.state);
    expect(await backend.read(created.id, created.state)).toBeUndefined();
    expect(f.count("DELETE", /\/clusters\//)).toBe(1);
  });

  it("verifies read-only that the data center exists and a new cluster's name is free", async () => {
    expect(await backend.verify(cluster("fresh"), undefined)).toEqual([]);
    const failures = await backend.verify(cluster("default", { dataCenter: "Nowhere" }), undefined);
    expect(failures).toEqual([
      { property: "backend.dataCenter", reason: "ovirt preview of trusted cluster default failed: data center 'Nowhere' does not exist on the engine; it has 'Default'. Fix 'backend.dataCenter' (a name or an id)" },
      {
        property: "name",
        reason: `ovirt preview of trusted cluster default failed: a cluster named 'Default' (id ${DEFAULT_SEED_IDS.cluster}) already exists on the engine, and cluster names are unique ignoring case; this provider does not take over clusters it did not create, so choose another 'name' or remove that cluster`,
      },
    ]);
    // Its own cluster's name is not taken: the previous inputs had it.
    expect(await backend.verify(cluster("secure"), cluster("secure"))).toEqual([]);
    expect(await backend.verify(cluster("x", { dataCenter: DEFAULT_SEED_IDS.dataCenter }), undefined)).toEqual([]);
    expect([f.count("POST", /./), f.count("PUT", /./), f.count("DELETE", /./)]).toEqual([0, 0, 0]);
  });

  it("check() refuses a trusted cluster asked to run gluster without sending any request", async () => {
    const settings = toProviderSettings((key) => ({ ovirtUrl: f.sandbox.url, ovirtUsername: "admin@internal", ovirtPassword: f.sandbox.credentials.password, ovirtCaFile: f.under.caFile })[key]);
    const provider = new TrustedClusterProvider(() => settings);
    const bad = await provider.check({}, { name: "gluster-trust", backend: { kind: "ovirt", dataCenter: "Default", glusterService: true, virtService: false } });
    expect(bad.failures).toEqual([
      { property: "backend.virtService", reason: "must be true: a trusted cluster runs VMs on attested hosts, which needs the virt service (the engine's web UI allows trust only with virt on) (got false)" },
      { property: "backend.glusterService", reason: "must be false: the trusted service excludes the gluster service (the engine's web UI turns trust off when gluster is on); use a separate cluster for storage (got true)" },
    ]);
    expect(f.countApi()).toBe(0);
    // The same inputs without gluster are verified against the engine, read-only.
    const good = await provider.check({}, { name: "gluster-free", backend: { kind: "ovirt", dataCenter: "Default" } });
    expect(good.failures).toEqual([]);
    expect([f.count("GET", /./) > 0, f.count("POST", /./), f.count("PUT", /./), f.count("DELETE", /./)]).toEqual([true, 0, 0, 0]);
  });

  it("VmPool verify refuses a pool placed in a cluster whose trusted service is off, naming the cluster", async () => {
    const created = await backend.create(cluster("pool-target"));
    const pools = new OvirtBackend(f.client);
    const pool = vmPoolInputsSchema.parse({ name: "placed", size: 1, trustedCluster: created.state.placement, backend: { kind: "ovirt", template: "rhel9-desktop" } });
    expect(await pools.verify(pool, undefined)).toEqual([]);
    const live = engineCluster("pool-target");
    if (live !== undefined) {
      live.trustedService = false;
    }
    expect(await pools.verify(pool, undefined)).toEqual([
      {
        property: "trustedCluster",
        reason: "places the pool in cluster 'pool-target', but that cluster has the trusted service off, so its hosts are not attested; turn it back on ('pulumi up' of the TrustedCluster does) before placing pools there",
      },
    ]);
    const stale = vmPoolInputsSchema.parse({ ...pool, trustedCluster: { ...created.state.placement, id: "00000000-0000-4000-8000-000000000bad" } });
    expect((await pools.verify(stale, undefined))[0]?.reason).toBe(
      `is the trusted cluster 'pool-target' with id 00000000-0000-4000-8000-000000000bad, but the pool's cluster 'pool-target' is ${created.id}: that cluster was replaced or renamed outside Pulumi; run 'pulumi refresh' on the TrustedCluster and try again`,
    );
  });
});
