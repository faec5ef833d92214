/**
 * Exam desktops that must run only on hosts the attestation server verified
 * ("Trusted Compute Pools"): a trusted cluster, a pool placed in it, the
 * students' group allowed to use the pool and a proctor allowed to manage it.
 * The engine needs an attestation server (engine-config AttestationServer).
 *
 *   pulumi config set vmpools:ovirtUrl https://engine.example.com/ovirt-engine/api
 *   pulumi config set vmpools:ovirtUsername admin@internal
 *   pulumi config set --secret vmpools:ovirtPassword ...
 *   pulumi config set proctor carol@internal-authz
 *   pulumi up
 */
import * as pulumi from "@pulumi/pulumi";
import { PoolPermission, TrustedCluster, VmPool } from "pulumi-vmpools";

const config = new pulumi.Config();

const secure = new TrustedCluster("exam-hosts", {
  description: "Hosts verified by the attestation server",
  backend: {
    kind: "ovirt",
    dataCenter: config.get("dataCenter") ?? "Default",
    cpuType: config.get("cpuType") ?? "Intel Nehalem Family",
  },
});

const exam = new VmPool("exam-??", {
  size: config.getNumber("desks") ?? 10,
  description: "Exam desktops",
  trustedCluster: secure,
  backend: { kind: "ovirt", template: config.get("template") ?? "rhel9-desktop" },
});

const students = new PoolPermission("students-use-exam", { pool: exam, role: "UserRole", group: config.get("students") ?? "vdi-users" });
const proctor = new PoolPermission("proctor-runs-exam", { pool: exam, role: "VmPoolAdmin", user: config.require("proctor") });

/** The hosts of the trusted cluster and those attestation refused. */
export const hosts = secure.hosts;
export const untrustedHosts = secure.untrustedHosts;
/** The pool, and who may do what with it. */
export const poolId = exam.uid;
export const permissions = pulumi.all([students.principalId, proctor.principalId]).apply(([s, p]) => ({ students: s, proctor: p }));
