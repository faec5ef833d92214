/**
 * A trusted cluster on KubeVirt as a node report: the label selector, each
 * node's readiness and attestation, the untrusted nodes, and the placement.
 */
import { describe, expect, it } from "vitest";

import {
  toClusterHost,
  toInputsFromTrustedClusterState,
  toKubevirtTrustedClusterState,
  toNodeLabelSelector,
  type KubevirtTrustedClusterInputs,
  type NodeLike,
} from "../../../../provider/backends/kubevirt/trusted-cluster-mapping";
import { trustedClusterInputsSchema } from "../../../../provider/schemas/trusted-cluster";

const ATTESTED = { key: "vmpools.io/attested", value: "true" };
const node = (name: string, labels: Record<string, string>, ready?: string): NodeLike => ({
  metadata: { name, labels },
  status: ready === undefined ? {} : { conditions: [{ type: "MemoryPressure", status: "False" }, { type: "Ready", status: ready }] },
});

describe("toNodeLabelSelector", () => {
  it.each([
    ["every node for an empty selector", {}, ""],
    ["one label", { lab: "secure" }, "lab=secure"],
    ["keys sorted, comma-separated (ANDed)", { zone: "a", lab: "secure" }, "lab=secure,zone=a"],
  ])("%s", (_name, selector, expected) => {
    expect(toNodeLabelSelector(selector)).toBe(expected);
  });
});

describe("toClusterHost", () => {
  it.each([
    ["ready and attested", node("n1", { "vmpools.io/attested": "true" }, "True"), { name: "n1", status: "ready", trusted: true }],
    ["not ready but attested (readiness is reported apart)", node("n2", { "vmpools.io/attested": "true" }, "False"), { name: "n2", status: "not_ready", trusted: true }],
    ["Ready Unknown (kubelet silent) is not ready", node("n3", { "vmpools.io/attested": "true" }, "Unknown"), { name: "n3", status: "not_ready", trusted: true }],
    ["no Ready condition yet is not ready", node("n4", { "vmpools.io/attested": "true" }), { name: "n4", status: "not_ready", trusted: true }],
    ["without the attestation label: not attested", node("n5", {}, "True"), { name: "n5", status: "ready", statusDetail: "not_attested", trusted: false }],
    ["with another attestation value: not attested", node("n6", { "vmpools.io/attested": "false" }, "True"), { name: "n6", status: "ready", statusDetail: "not_attested", trusted: false }],
  ])("%s", (_name, given, expected) => {
    expect(toClusterHost(given, ATTESTED)).toEqual(expected);
  });
});

describe("toKubevirtTrustedClusterState", () => {
  const inputs = trustedClusterInputsSchema.parse({ name: "secure", backend: { kind: "kubevirt", nodeSelector: { lab: "secure" } } }) as KubevirtTrustedClusterInputs;

  it("reports the nodes sorted by name, names the unattested ones, and gives the placement", () => {
    const state = toKubevirtTrustedClusterState(inputs, [node("b", { lab: "secure" }, "True"), node("a", { lab: "secure", "vmpools.io/attested": "true" }, "True")]);
    expect(state).toEqual({
      name: "secure",
      description: "",
      backend: { kind: "kubevirt", nodeSelector: { lab: "secure" }, attestationLabel: ATTESTED },
      uid: "kubevirt/secure",
      hosts: [
        { name: "a", status: "ready", trusted: true },
        { name: "b", status: "ready", statusDetail: "not_attested", trusted: false },
      ],
      untrustedHosts: ["b"],
      placement: { kind: "kubevirt", name: "secure", nodeSelector: { lab: "secure" }, attestationLabel: ATTESTED },
    });
    expect(toInputsFromTrustedClusterState(state)).toEqual(inputs);
  });

  it("reports an empty cluster as no hosts, not as an error", () => {
    expect(toKubevirtTrustedClusterState(inputs, [])).toMatchObject({ hosts: [], untrustedHosts: [] });
  });

  it("keeps the connection in the placement, so the pool must use the same one", () => {
    const named = trustedClusterInputsSchema.parse({ name: "secure", backend: { kind: "kubevirt", connection: "lab2" } }) as KubevirtTrustedClusterInputs;
    expect(toKubevirtTrustedClusterState(named, []).placement).toEqual({ kind: "kubevirt", connection: "lab2", name: "secure", nodeSelector: {}, attestationLabel: ATTESTED });
  });
});

describe("trustedClusterInputsSchema on KubeVirt", () => {
  it("refuses a node selector on the attestation label, naming the label", () => {
    const result = trustedClusterInputsSchema.safeParse({ name: "secure", backend: { kind: "kubevirt", nodeSelector: { "vmpools.io/attested": "true" } } });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => ({ path: i.path, message: i.message }))).toEqual([
      {
        path: ["backend", "nodeSelector", "vmpools.io/attested"],
        message:
          "must not select on the attestation label 'vmpools.io/attested': pools placed in the cluster require it anyway, and selecting on it hides the nodes that lack it from 'untrustedHosts'; select the cluster's nodes by other labels",
      },
    ]);
  });

  it("accepts a custom attestation label that the selector does not use", () => {
    expect(trustedClusterInputsSchema.safeParse({ name: "secure", backend: { kind: "kubevirt", nodeSelector: { "vmpools.io/attested": "x" }, attestationLabel: { key: "example.com/tpm", value: "ok" } } }).success).toBe(true);
  });
});
