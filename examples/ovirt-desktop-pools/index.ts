/**
 * Two desktop pools on oVirt with the VM settings of the New Pool window:
 * Windows desktops that join a domain through a custom sysprep file, and
 * Linux desktops set up by cloud-init. Credentials come from secret stack
 * config and stay encrypted (or hashed) in state. They go into the sysprep
 * file and the cloud-config script rather than the engine's password field:
 * once a stateless pool's initial run stores a password, the engine refuses
 * every later edit of its VMs, and any VM-setting change replaces the pool.
 *
 *   pulumi config set --secret sysprepFile "$(cat unattend.xml)"   # domain join and administrator password
 *   pulumi config set --secret linuxPassword ...
 *   pulumi config set migrationMode none      # a host setting; see vmUpdatePolicy
 *   pulumi config set vmUpdatePolicy updateFreeVms
 *
 * The engine gives a pool's VM settings to VMs only when it creates them, so
 * an edit reaches new VMs; `preview` names the VMs that keep the old value,
 * and `vmUpdatePolicy: updateFreeVms` updates those down and free.
 */
import * as pulumi from "@pulumi/pulumi";
import { VmPool } from "pulumi-vmpools";

const config = new pulumi.Config();

/** A config value that must be one of `allowed`; `fallback` when unset. */
function choose<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
  const value = config.get(key) ?? fallback;
  const match = allowed.find((a) => a === value);
  if (match === undefined) {
    throw new Error(`config '${key}' must be one of ${allowed.join(", ")} (got '${value}')`);
  }
  return match;
}

const migrationMode = choose("migrationMode", ["automatic", "manual", "none"], "automatic");
const vmUpdatePolicy = choose("vmUpdatePolicy", ["newVmsOnly", "updateFreeVms"], "newVmsOnly");
const cluster = config.get("cluster") ?? "Default";

// Windows: VM names win-desk-01 .. fit the 15-character computer name.
const windows = new VmPool("win-desk-??", {
  size: config.getNumber("windowsDesks") ?? 3,
  description: "Windows desktops joined to the domain",
  backend: {
    kind: "ovirt",
    cluster,
    template: config.get("windowsTemplate") ?? "win2019-desktop",
    vmUpdatePolicy,
    vm: {
      host: { migrationMode, autoConverge: "inherit", compression: "inherit" },
      resources: { memoryMiB: 8192, guaranteedMemoryMiB: 4096, cpuSockets: 1, cpuCores: 4 },
      initialRun: {
        sysprep: {
          customFile: config.requireSecret("sysprepFile"),
          domain: config.get("domain") ?? "ad.example.com",
          timeZone: "W. Europe Standard Time",
        },
      },
      console: "spice",
      usb: true,
      smartcard: false,
      soundcard: true,
      sso: true,
    },
  },
});

// Linux: the student account and the teacher's SSH key from cloud-init.
const linux = new VmPool("linux-desk-??", {
  size: config.getNumber("linuxDesks") ?? 3,
  description: "Linux desktops",
  backend: {
    kind: "ovirt",
    cluster,
    template: config.get("linuxTemplate") ?? "rhel9-desktop",
    vmUpdatePolicy,
    vm: {
      host: { migrationMode },
      resources: { memoryMiB: 4096, cpuSockets: 2, cpuCores: 1 },
      initialRun: {
        cloudInit: {
          user: { name: "student" },
          // The password through cloud-config, so the VMs stay editable (see above).
          customScript: pulumi.interpolate`#cloud-config\nchpasswd:\n  expire: false\n  users:\n    - name: student\n      password: ${config.requireSecret("linuxPassword")}\n      type: text\n`,
          sshKeys: [config.get("teacherKey") ?? "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample teacher@example.com"],
          timeZone: "Europe/Berlin",
        },
      },
      console: "vnc",
      highAvailability: false,
    },
  },
});

/** VMs that do not carry the declared VM settings yet, per pool. */
export const windowsVmsWithOldSettings = windows.vmsWithOldSettings;
export const linuxVmsWithOldSettings = linux.vmsWithOldSettings;
/** Each desktop with its engine status. */
export const windowsDesktops = windows.vms.apply((vms) => (vms ?? []).map((vm) => ({ name: vm.name, status: vm.status })));
export const linuxDesktops = linux.vms.apply((vms) => (vms ?? []).map((vm) => ({ name: vm.name, status: vm.status })));
