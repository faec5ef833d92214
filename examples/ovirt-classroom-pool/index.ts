/**
 * A classroom of identical desktops on oVirt: twenty VMs named room12-01 ..
 * room12-20, four of them started ahead so students do not wait. Connection
 * settings come from stack config or OVIRT_* variables, never from here:
 *
 *   pulumi config set vmpools:ovirtUrl https://engine.example.com/ovirt-engine/api
 *   pulumi config set vmpools:ovirtUsername admin@internal
 *   pulumi config set --secret vmpools:ovirtPassword ...
 *   pulumi config set vmpools:ovirtCaFile ./engine-ca.pem
 *   pulumi up
 */
import * as pulumi from "@pulumi/pulumi";
import { VmPool } from "pulumi-vmpools";

const config = new pulumi.Config();

const room = new VmPool("room12-??", {
  size: config.getNumber("desks") ?? 20,
  prestarted: 4,
  maxVmsPerUser: 1,
  description: "Room 12 student desktops",
  backend: {
    kind: "ovirt",
    cluster: config.get("cluster") ?? "Default",
    template: "rhel9-desktop",
    templateVersion: "latest",
  },
});

/** The engine's pool id and how many VMs it holds. */
export const poolId = room.uid;
export const vms = room.vmCount;
