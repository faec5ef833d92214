import { describe, expect, it } from "vitest";

import { UNKNOWN } from "../../../provider/check";
import { diffTrustedCluster } from "../../../provider/diff/trusted-cluster-diff";

const ovirt = { name: "secure", description: "", backend: { kind: "ovirt", dataCenter: "Default", virtService: true, glusterService: false, comment: "" } };
const stateOf = (inputs: Record<string, unknown>): Record<string, unknown> => ({ ...inputs, uid: "c-1", hosts: [{ name: "h1", status: "up", trusted: true }], untrustedHosts: [], placement: { kind: "ovirt", name: "secure", id: "c-1" } });
const withBackend = (change: Record<string, unknown>): Record<string, unknown> => ({ ...ovirt, backend: { ...ovirt.backend, ...change } });

describe("diffTrustedCluster", () => {
  it("sees no change when only outputs differ from the inputs", () => {
    expect(diffTrustedCluster(stateOf(ovirt), ovirt)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it.each<[string, Record<string, unknown>]>([
    ["description", { ...ovirt, description: "attested" }],
    ["comment", withBackend({ comment: "x" })],
    ["CPU type", withBackend({ cpuType: "Intel Nehalem Family" })],
    ["compatibility version", withBackend({ compatibilityVersion: "4.8" })],
    ["virt service", withBackend({ virtService: false })],
  ])("changes %s in place", (_, news) => {
    expect(diffTrustedCluster(stateOf(ovirt), news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("plans an update that turns trust back on when refresh found it off (the state's backend.trustedService: false)", () => {
    expect(diffTrustedCluster(stateOf(withBackend({ trustedService: false })), ovirt)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("replaces a renamed cluster, creating the new one first (the names do not collide)", () => {
    expect(diffTrustedCluster(stateOf(ovirt), { ...ovirt, name: "secure2" })).toEqual({ changes: true, replaces: ["name"], deleteBeforeReplace: false });
  });

  it("replaces a cluster moved to another data center, deleting the old one first (same name)", () => {
    expect(diffTrustedCluster(stateOf(ovirt), withBackend({ dataCenter: "Second" }))).toEqual({ changes: true, replaces: ["backend"], deleteBeforeReplace: true });
  });

  it("replaces a cluster moved to another connection, creating first (another engine)", () => {
    expect(diffTrustedCluster(stateOf(ovirt), withBackend({ connection: "lab2" }))).toEqual({ changes: true, replaces: ["backend"], deleteBeforeReplace: false });
  });

  it("replaces a cluster moved to another backend kind", () => {
    const kubevirt = { name: "secure", description: "", backend: { kind: "kubevirt", nodeSelector: {}, attestationLabel: { key: "vmpools.io/attested", value: "true" } } };
    expect(diffTrustedCluster(stateOf(ovirt), kubevirt)).toEqual({ changes: true, replaces: ["backend"], deleteBeforeReplace: true });
  });

  it("counts a name unknown during preview as a replacement, not knowing whether it collides", () => {
    expect(diffTrustedCluster(stateOf(ovirt), { ...ovirt, name: UNKNOWN })).toEqual({ changes: true, replaces: ["name"], deleteBeforeReplace: false });
  });
});
