/**
 * A classroom of identical desktops on oVirt: VMs named room12-01,
 * room12-02, ..., a few of them started ahead so students do not wait, and
 * the students' group allowed to take them.
 * Connection settings come from stack config (or OVIRT_* variables), never
 * from the program; see README.md in this folder:
 *
 *   pulumi config set vmpools:ovirtUrl https://engine.example.com/ovirt-engine/api
 *   pulumi config set vmpools:ovirtUsername admin@internal
 *   pulumi config set --secret vmpools:ovirtPassword ...
 *   pulumi config set vmpools:ovirtCaFile ./engine-ca.pem
 *   pulumi up
 */
import * as pulumi from "@pulumi/pulumi";
import { PoolPermission, VmPool } from "pulumi-vmpools";

const config = new pulumi.Config();

const room = new VmPool("room12-??", {
  size: config.getNumber("desks") ?? 20,
  prestarted: config.getNumber("prestarted") ?? 4,
  maxVmsPerUser: 1,
  description: config.get("description") ?? "Room 12 student desktops",
  backend: {
    kind: "ovirt",
    cluster: config.get("cluster") ?? "Default",
    template: config.get("template") ?? "rhel9-desktop",
    templateVersion: "latest",
  },
});

// The students may take a desktop of the pool (the engine's UserRole on it).
const students = new PoolPermission("students-use-room12", { pool: room, role: "UserRole", group: config.get("students") ?? "vdi-users" });

/** The engine's pool id. */
export const poolId = room.uid;
/** How many VMs the pool holds, and how many of them are running. */
export const vmCount = room.vmCount;
export const runningVmCount = room.runningVmCount;
/** Each desktop with its engine status (`down`, `up`, ...). */
export const desktops = room.vms.apply((vms) => (vms ?? []).map((vm) => ({ name: vm.name, status: vm.status })));
/** The engine's id of the students' group the pool is granted to. */
export const studentsGroupId = students.principalId;
