/**
 * Lab desktops that must run only on nodes an attestation agent verified:
 * a trusted cluster (the nodes labelled `vmpools.io/attested=true` among the
 * `lab=secure` ones), a pool placed in it, which gets a required node
 * affinity, students allowed to use the VMs and a lab admin allowed to scale
 * the pool, as least-privilege RBAC.
 *
 *   pulumi config set --secret vmpools:kubeconfig "$(cat ~/.kube/config)"
 *   pulumi config set labAdmin alice
 *   pulumi up
 */
import * as pulumi from "@pulumi/pulumi";
import { PoolPermission, TrustedCluster, VmPool } from "pulumi-vmpools";

const config = new pulumi.Config();

const secure = new TrustedCluster("secure-nodes", {
  backend: { kind: "kubevirt", nodeSelector: { lab: "secure" } },
});

const lab = new VmPool("secure-lab", {
  size: config.getNumber("labSize") ?? 3,
  trustedCluster: secure,
  backend: {
    kind: "kubevirt",
    namespace: config.get("namespace") ?? "default",
    virtualMachineTemplate: {
      spec: {
        runStrategy: "Halted",
        template: { spec: { domain: { devices: {}, resources: { requests: { memory: "2Gi" } } } } },
      },
    },
  },
});

new PoolPermission("students-use-lab", { pool: lab, role: "UserRole", group: config.get("students") ?? "vdi-users" });
new PoolPermission("admin-scales-lab", { pool: lab, role: "VmPoolAdmin", user: config.require("labAdmin") });

/** Nodes of the trusted cluster, and those without attestation. */
export const nodes = secure.hosts;
export const untrustedNodes = secure.untrustedHosts;
export const poolName = lab.name;
