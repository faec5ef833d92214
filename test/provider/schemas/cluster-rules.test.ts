import { describe, expect, it } from "vitest";

import { MAX_OVIRT_CLUSTER_NAME, validateOvirtClusterName, validateTrustedClusterServices, validateTrustedPlacement } from "../../../provider/schemas/cluster-rules";

describe("validateOvirtClusterName", () => {
  it.each(["Default", "exam-hosts", "secure_1.a", "Кластер", "クラスタ", "x".repeat(MAX_OVIRT_CLUSTER_NAME)])("accepts %s", (name) => {
    expect(validateOvirtClusterName(name)).toEqual([]);
  });

  it.each(["exam hosts", "a/b", "a@b", "lab-??", ""])("rejects %j", (name) => {
    expect(validateOvirtClusterName(name)).toEqual([{ path: ["name"], value: name, message: "must use only letters, digits, '.', '_' and '-' (the engine's cluster name alphabet), and no spaces" }]);
  });

  it("rejects 41 characters with the engine's limit", () => {
    const name = "x".repeat(41);
    expect(validateOvirtClusterName(name)).toEqual([{ path: ["name"], value: name, message: "must be at most 40 characters (the engine's cluster name limit)" }]);
  });
});

describe("validateTrustedClusterServices", () => {
  const noVirt = {
    path: ["backend", "virtService"],
    value: false,
    message: "must be true: a trusted cluster runs VMs on attested hosts, which needs the virt service (the engine's web UI allows trust only with virt on)",
  };
  const gluster = {
    path: ["backend", "glusterService"],
    value: true,
    message: "must be false: the trusted service excludes the gluster service (the engine's web UI turns trust off when gluster is on); use a separate cluster for storage",
  };
  it.each([
    [{ virtService: true, glusterService: false }, []],
    [{ virtService: false, glusterService: false }, [noVirt]],
    [{ virtService: true, glusterService: true }, [gluster]],
    [{ virtService: false, glusterService: true }, [noVirt, gluster]],
  ])("%j -> %j", (services, issues) => {
    expect(validateTrustedClusterServices(services)).toEqual(issues);
  });
});

describe("validateTrustedPlacement", () => {
  const placement = { kind: "ovirt", name: "secure", id: "c-1" };
  it.each([
    ["no placement", { backend: { kind: "ovirt" } }],
    ["placement only", { backend: { kind: "ovirt" }, trustedCluster: placement }],
    ["the cluster by name", { backend: { kind: "ovirt", cluster: "secure" }, trustedCluster: placement }],
    ["the cluster by id", { backend: { kind: "ovirt", cluster: "c-1" }, trustedCluster: placement }],
    ["the same named connection", { backend: { kind: "ovirt", connection: "lab2" }, trustedCluster: { ...placement, connection: "lab2" } }],
  ])("accepts %s", (_, pool) => {
    expect(validateTrustedPlacement(pool)).toEqual([]);
  });

  it.each([
    [
      "another backend kind",
      { backend: { kind: "kubevirt" }, trustedCluster: placement },
      [{ path: ["trustedCluster"], value: "ovirt", message: "is a trusted cluster on ovirt, but the pool lives on kubevirt; place the pool in a TrustedCluster on kubevirt" }],
    ],
    [
      "another connection",
      { backend: { kind: "ovirt", connection: "lab2" }, trustedCluster: placement },
      [{ path: ["trustedCluster"], value: "(default)", message: "is reached through connection (default), but the pool through lab2; both must be on the same engine or cluster" }],
    ],
    [
      "another cluster",
      { backend: { kind: "ovirt", cluster: "Default" }, trustedCluster: placement },
      [{ path: ["backend", "cluster"], value: "Default", message: "must be the trusted cluster 'secure' the pool is placed in (leave it out to take it from 'trustedCluster')" }],
    ],
  ])("refuses %s", (_, pool, issues) => {
    expect(validateTrustedPlacement(pool)).toEqual(issues);
  });
});
