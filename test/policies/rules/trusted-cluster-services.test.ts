import { describe, expect, it } from "vitest";

import { trustedClusterServices } from "../../../policies/rules/trusted-cluster-services";
import { ovirtTrustedClusterProps, runResourcePolicy, TYPES, UNKNOWN_VALUE } from "../../harness/policy-harness";

const VIRT_OFF = "'backend.virtService' must be true: a trusted cluster runs VMs on attested hosts, which needs the virt service (the engine's web UI allows trust only with virt on) (got false)";
const GLUSTER_ON = "'backend.glusterService' must be false: the trusted service excludes the gluster service (the engine's web UI turns trust off when gluster is on); use a separate cluster for storage (got true)";

describe("trusted-cluster-services", () => {
  it.each([
    { props: ovirtTrustedClusterProps() },
    // Raw inputs without the defaults (virt on, gluster off).
    { props: { name: "exam-hosts", backend: { kind: "ovirt", dataCenter: "Default" } } },
    { props: ovirtTrustedClusterProps({ glusterService: UNKNOWN_VALUE }) },
    // KubeVirt has no services.
    { props: { name: "secure-nodes", backend: { kind: "kubevirt", nodeSelector: {} } } },
  ])("passes $props.backend", async ({ props }) => {
    expect((await runResourcePolicy(trustedClusterServices, { type: TYPES.cluster, name: "exam-hosts", props })).violations).toEqual([]);
  });

  it.each([
    { backend: { virtService: false }, messages: [VIRT_OFF] },
    { backend: { glusterService: true }, messages: [GLUSTER_ON] },
    { backend: { virtService: false, glusterService: true }, messages: [VIRT_OFF, GLUSTER_ON] },
  ])("reports $backend", async ({ backend, messages }) => {
    expect((await runResourcePolicy(trustedClusterServices, { type: TYPES.cluster, name: "exam-hosts", props: ovirtTrustedClusterProps(backend) })).violations).toEqual(messages);
  });
});
