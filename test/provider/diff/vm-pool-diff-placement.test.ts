/**
 * A pool's placement in a trusted cluster: another engine cluster on oVirt
 * (a replacement), only a node affinity on KubeVirt (in place), so a
 * placement found missing on refresh never costs a KubeVirt pool its VMs.
 */
import { describe, expect, it } from "vitest";

import { diffVmPool } from "../../../provider/diff/vm-pool-diff";

const kubevirt = { name: "lab", size: 2, backend: { kind: "kubevirt", namespace: "default", virtualMachineTemplate: { spec: { runStrategy: "Halted" } } } };
const ovirt = { name: "lab", size: 2, backend: { kind: "ovirt", template: "rhel9" } };
const kubevirtPlacement = (lab: string): Record<string, unknown> => ({ kind: "kubevirt", name: "secure", nodeSelector: { lab }, attestationLabel: { key: "vmpools.io/attested", value: "true" } });
const IN_PLACE = { changes: true, replaces: [], deleteBeforeReplace: false };

describe("diffVmPool and trustedCluster", () => {
  it.each([
    ["KubeVirt: placing a pool", kubevirt, { ...kubevirt, trustedCluster: kubevirtPlacement("secure") }, IN_PLACE],
    ["KubeVirt: a placement found missing on refresh", { ...kubevirt }, { ...kubevirt, trustedCluster: kubevirtPlacement("secure") }, IN_PLACE],
    ["KubeVirt: another node selector", { ...kubevirt, trustedCluster: kubevirtPlacement("secure") }, { ...kubevirt, trustedCluster: kubevirtPlacement("exam") }, IN_PLACE],
    ["KubeVirt: taking a pool out", { ...kubevirt, trustedCluster: kubevirtPlacement("secure") }, kubevirt, IN_PLACE],
    ["oVirt: another trusted cluster replaces", { ...ovirt, trustedCluster: { kind: "ovirt", name: "a", id: "1" } }, { ...ovirt, trustedCluster: { kind: "ovirt", name: "b", id: "2" } }, { changes: true, replaces: ["trustedCluster"], deleteBeforeReplace: true }],
  ])("%s", (_name, olds, news, expected) => {
    expect(diffVmPool(olds, news)).toEqual(expected);
  });
});
