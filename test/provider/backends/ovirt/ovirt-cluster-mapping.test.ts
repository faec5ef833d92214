import { describe, expect, it } from "vitest";

import {
  classifyClusterFault,
  fromOvirtCluster,
  fromOvirtClusterList,
  fromOvirtHostList,
  isClusterAsRequested,
  isUntrustedHost,
  toClusterHosts,
  toInputsFromOvirtCluster,
  toOvirtClusterCreateBody,
  toOvirtClusterUpdateBody,
  toOvirtPlacement,
  toOvirtVersion,
  type ObservedOvirtCluster,
  type OvirtTrustedClusterInputs,
} from "../../../../provider/backends/ovirt/ovirt-cluster-mapping";
import { trustedClusterInputsSchema } from "../../../../provider/schemas/trusted-cluster";

const full = trustedClusterInputsSchema.parse({
  name: "secure",
  description: "attested",
  backend: { kind: "ovirt", connection: "lab2", dataCenter: "Default", cpuType: "Intel Nehalem Family", compatibilityVersion: "4.7", comment: "exam" },
}) as OvirtTrustedClusterInputs;
const bare = trustedClusterInputsSchema.parse({ name: "bare", backend: { kind: "ovirt", dataCenter: "Default" } }) as OvirtTrustedClusterInputs;

const observed: ObservedOvirtCluster = {
  id: "c-1",
  name: "secure",
  description: "attested",
  comment: "exam",
  cpuType: "Intel Nehalem Family",
  compatibilityVersion: "4.7",
  virtService: true,
  glusterService: false,
  trustedService: true,
  dataCenterId: "dc-1",
};

describe("toOvirtVersion", () => {
  it.each([
    ["4.7", { major: 4, minor: 7 }],
    ["4.10", { major: 4, minor: 10 }],
  ])("%s -> %j", (text, version) => {
    expect(toOvirtVersion(text)).toEqual(version);
  });
});

describe("toOvirtClusterCreateBody / toOvirtClusterUpdateBody", () => {
  it("sends name and data center by id on create, the services with trust on, and CPU and version when given", () => {
    expect(toOvirtClusterCreateBody(full, "dc-1")).toEqual({
      name: "secure",
      data_center: { id: "dc-1" },
      description: "attested",
      comment: "exam",
      virt_service: true,
      gluster_service: false,
      trusted_service: true,
      cpu: { type: "Intel Nehalem Family" },
      version: { major: 4, minor: 7 },
    });
  });

  it("leaves CPU type and version to the engine when not given, and never sends the name on update", () => {
    expect(toOvirtClusterUpdateBody(bare)).toEqual({ description: "", comment: "", virt_service: true, gluster_service: false, trusted_service: true });
  });
});

describe("fromOvirtCluster", () => {
  it("reads the engine's JSON, defaulting what it leaves out as the entity does (virt on, gluster and trust off)", () => {
    expect(fromOvirtCluster({ id: "c-2", name: "n", data_center: { id: "dc" } })).toEqual({
      id: "c-2",
      name: "n",
      description: "",
      comment: "",
      cpuType: undefined,
      compatibilityVersion: undefined,
      virtService: true,
      glusterService: false,
      trustedService: false,
      dataCenterId: "dc",
    });
    expect(fromOvirtCluster({ id: "c-1", name: "secure", description: "attested", comment: "exam", cpu: { type: "Intel Nehalem Family", architecture: "x86_64" }, version: { major: 4, minor: 7 }, virt_service: true, gluster_service: false, trusted_service: true, data_center: { id: "dc-1" } })).toEqual(observed);
  });

  it("names the first unexpected field", () => {
    expect(() => fromOvirtCluster({ id: "c", name: 3 })).toThrow("unexpected cluster from the engine at 'name': ");
  });

  it("reads an empty collection {} as no clusters", () => {
    expect(fromOvirtClusterList({})).toEqual([]);
    expect(fromOvirtClusterList(undefined)).toEqual([]);
  });
});

describe("hosts", () => {
  const hosts = fromOvirtHostList({
    host: [
      { id: "h10", name: "host10", status: "up", cluster: { id: "c-1" } },
      { id: "h2", name: "host2", status: "non_operational", status_detail: "untrusted", cluster: { id: "c-1" } },
      { id: "h3", name: "host3", status: "maintenance", cluster: { id: "c-1" } },
      { id: "h4", name: "host4", status: "non_operational", status_detail: "network_unreachable", cluster: { id: "c-1" } },
    ],
  });

  it("lists hosts in natural name order", () => {
    expect(hosts.map((h) => h.name)).toEqual(["host2", "host3", "host4", "host10"]);
  });

  it.each([
    [{ status: "non_operational", statusDetail: "untrusted" }, true],
    [{ status: "non_operational", statusDetail: "network_unreachable" }, false],
    [{ status: "up", statusDetail: undefined }, false],
  ])("isUntrustedHost(%j) is %s", (host, expected) => {
    expect(isUntrustedHost(host)).toBe(expected);
  });

  it("counts only up hosts of a trusted cluster as trusted, and lists only refused ones as untrusted", () => {
    expect(toClusterHosts(hosts, true)).toEqual({
      hosts: [
        { name: "host2", status: "non_operational", statusDetail: "untrusted", trusted: false },
        { name: "host3", status: "maintenance", trusted: false },
        { name: "host4", status: "non_operational", statusDetail: "network_unreachable", trusted: false },
        { name: "host10", status: "up", trusted: true },
      ],
      untrustedHosts: ["host2"],
    });
  });

  it("counts no host as trusted when the cluster's trusted service is off", () => {
    expect(toClusterHosts(hosts, false).hosts.filter((h) => h.trusted)).toEqual([]);
  });
});

describe("toInputsFromOvirtCluster", () => {
  it("reads back the given inputs unchanged when nothing drifted", () => {
    expect(toInputsFromOvirtCluster(observed, full)).toEqual(full);
  });

  it("keeps CPU type and version unset when the engine chose them", () => {
    expect(toInputsFromOvirtCluster({ ...observed, name: "bare", description: "", comment: "" }, bare)).toEqual(bare);
  });

  it("shows what changed outside Pulumi", () => {
    const drifted = toInputsFromOvirtCluster({ ...observed, description: "edited", cpuType: "Intel Cascadelake Server Family", compatibilityVersion: "4.8", glusterService: true }, full);
    expect(drifted.backend).toEqual({ ...full.backend, cpuType: "Intel Cascadelake Server Family", compatibilityVersion: "4.8", glusterService: true });
    expect(drifted.description).toBe("edited");
  });
});

describe("toOvirtPlacement", () => {
  it.each([
    ["lab2", { kind: "ovirt", connection: "lab2", name: "secure", id: "c-1" }],
    [undefined, { kind: "ovirt", name: "secure", id: "c-1" }],
  ])("connection %s", (connection, placement) => {
    expect(toOvirtPlacement(observed, connection)).toEqual(placement);
  });
});

describe("isClusterAsRequested", () => {
  it.each<[string, Partial<ObservedOvirtCluster>, boolean]>([
    ["the same cluster", {}, true],
    ["the name in another case", { name: "SECURE" }, true],
    ["another data center", { dataCenterId: "dc-2" }, false],
    ["trust off", { trustedService: false }, false],
    ["another description", { description: "x" }, false],
    ["another comment", { comment: "x" }, false],
    ["another CPU type", { cpuType: "x" }, false],
    ["another version", { compatibilityVersion: "4.8" }, false],
    ["gluster on", { glusterService: true }, false],
  ])("%s -> %s", (_, change, expected) => {
    expect(isClusterAsRequested({ ...observed, ...change }, full, "dc-1")).toBe(expected);
  });

  it("accepts any CPU type and version when the inputs left them to the engine", () => {
    expect(isClusterAsRequested({ ...observed, name: "bare", description: "", comment: "", cpuType: "x", compatibilityVersion: "9.9" }, bare, "dc-1")).toBe(true);
  });
});

describe("classifyClusterFault", () => {
  it.each([
    ["Operation Failed: [Attestation server should be configured correctly.]", ["attestation-not-configured"]],
    ["Operation Failed: [Cannot create Cluster. Cluster name is already in use.]", ["name-in-use"]],
    [
      "Operation Failed: [Cannot remove Cluster. Cluster contains one or more Hosts, Cannot remove Cluster. One or more VMs are still assigned to the Cluster, Cannot remove Cluster. One or more Template(s) are still associated with the Cluster, Cannot remove Cluster.One or more VM-Pools are still associated with it]",
      ["has-pools", "has-hosts", "has-vms", "has-templates"],
    ],
    ["Operation Failed: [Cannot disable virt service on the cluster as it contains VMs.]", ["virt-needed-by-vms"]],
    ["HTTP 500", ["other"]],
  ])("%s -> %j", (text, refusals) => {
    expect(classifyClusterFault(text)).toEqual(refusals);
  });
});
