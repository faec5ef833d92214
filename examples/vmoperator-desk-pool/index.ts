/**
 * Shared desks on VM-Operator: the VMs exist already (each a VM-Operator
 * `VirtualMachine` labelled `desk: shared`); this program pools `desks` of
 * them, keeps one running for the next user, and lets the `students` role
 * use them and `alice` run the pool. The VMs' other pools stay as they are,
 * and `destroy` takes them out of this pool without stopping or deleting
 * them. Credentials come from `vmpools:kubeconfig` (set as a secret) or from
 * KUBECONFIG, never from the program.
 *
 *   pulumi config set desks 2
 *   pulumi config set --secret vmpools:kubeconfig "$(cat ~/.kube/vdi-admin.yaml)"
 *   pulumi up
 */
import * as pulumi from "@pulumi/pulumi";
import { PoolPermission, VmPool } from "pulumi-vmpools";

const config = new pulumi.Config();

const desks = new VmPool("desks", {
  size: config.getNumber("desks") ?? 2,
  prestarted: 1,
  backend: {
    kind: "vmoperator",
    namespace: config.get("namespace") ?? "vdi",
    // An assignment outlives a closed console by this long: a coffee break.
    retention: config.get("retention") ?? "PT30M",
    selector: { matchLabels: { desk: "shared" } },
  },
});

// VM-Operator roles and users are those of its web GUI, not Kubernetes subjects.
new PoolPermission("students", { pool: desks, role: "UserRole", group: "students" });
new PoolPermission("alice-runs-desks", { pool: desks, role: "VmPoolAdmin", user: "alice", may: ["start", "stop", "reset", "accessConsole"] });

/** The pool's name and its member VMs. */
export const poolName = desks.name;
export const members = desks.members;
