import { describe, expect, it } from "vitest";

import { validateInitialRun, validateMemory, validateNumaReachable, validateNumaTuneMode, validateUsbReachable, validateOvirtVmSettings, validatePassThroughHostCpu, validateStorage } from "../../../provider/schemas/ovirt-vm-rules";
import { vmPoolInputsSchema } from "../../../provider/schemas/vm-pool";

describe("validatePassThroughHostCpu", () => {
  it.each([{ host: { passThroughHostCpu: true, migrationMode: "none" as const } }, { host: { passThroughHostCpu: false, migrationMode: "automatic" as const } }, { host: {} }, undefined])("accepts %j", (vm) => {
    expect(validatePassThroughHostCpu(vm)).toEqual([]);
  });

  it.each([
    { mode: "manual" as const, got: "'manual'" },
    { mode: "automatic" as const, got: "'automatic'" },
    { mode: undefined, got: "the template's migration mode" },
  ])("refuses pass-through with migration mode $mode", ({ mode, got }) => {
    expect(validatePassThroughHostCpu({ host: { passThroughHostCpu: true, ...(mode === undefined ? {} : { migrationMode: mode }) } })).toEqual([
      { path: ["backend", "vm", "host", "passThroughHostCpu"], value: true, message: `needs 'backend.vm.host.migrationMode: "none"' (got ${got}): a VM with the host's CPU passed through cannot migrate` },
    ]);
  });
});

describe("validateNumaTuneMode", () => {
  it.each([{ numaTuneMode: "preferred" as const, numaNodes: 1 }, { numaTuneMode: "strict" as const, numaNodes: 4 }, { numaTuneMode: "interleave" as const }, {}])("accepts %j", (host) => {
    expect(validateNumaTuneMode({ host })).toEqual([]);
  });

  it.each([
    { nodes: 2, got: "2" },
    { nodes: 0, got: "0" },
    { nodes: undefined, got: "none" },
  ])("refuses preferred with $nodes nodes", ({ nodes, got }) => {
    expect(validateNumaTuneMode({ host: { numaTuneMode: "preferred", ...(nodes === undefined ? {} : { numaNodes: nodes }) } })).toEqual([
      { path: ["backend", "vm", "host", "numaTuneMode"], value: "preferred", message: `'preferred' needs exactly one NUMA node: set 'backend.vm.host.numaNodes' to 1 (got ${got}), or use 'strict' or 'interleave'` },
    ]);
  });
});

describe("validateNumaReachable", () => {
  it.each([{ numaNodes: 0 }, {}, undefined])("accepts %j", (host) => {
    expect(validateNumaReachable(host === undefined ? undefined : { host })).toEqual([]);
  });

  const message = "cannot be applied to pool VMs through the engine's REST API (a pool's VMs get no NUMA nodes, and the tune mode only tunes existing nodes); give the template the NUMA nodes instead";
  it.each([
    { host: { numaNodes: 1, numaTuneMode: "preferred" as const }, field: "numaNodes", value: 1 },
    { host: { numaTuneMode: "strict" as const }, field: "numaTuneMode", value: "strict" },
  ])("refuses $host", ({ host, field, value }) => {
    expect(validateNumaReachable({ host })).toEqual([{ path: ["backend", "vm", "host", field], value, message }]);
  });
});

describe("validateUsbReachable", () => {
  it.each([
    { vm: { usb: true, initialRun: { sysprep: { adminPassword: "x" } } }, stateful: true },
    { vm: { usb: true, initialRun: { sysprep: { customFile: "<unattend/>" } } }, stateful: false },
    { vm: { initialRun: { cloudInit: { user: { name: "u", password: "x" } } } }, stateful: false },
  ])("accepts $vm (stateful $stateful)", ({ vm, stateful }) => {
    expect(validateUsbReachable(vm, stateful)).toEqual([]);
  });

  it.each([{ sysprep: { adminPassword: "x" } }, { cloudInit: { user: { name: "u", password: "x" } } }])("refuses USB on a stateless pool whose initial run stores a password: %j", (initialRun) => {
    expect(validateUsbReachable({ usb: false, initialRun }, false)).toEqual([
      {
        path: ["backend", "vm", "usb"],
        value: false,
        message:
          "cannot reach the VMs of this stateless pool: the engine's pool create ignores USB, and the engine refuses later edits of stateless pool VMs whose initial run stores a password; set USB on the template, or put the password in 'sysprep.customFile' or 'cloudInit.customScript'",
      },
    ]);
  });
});

describe("validateMemory", () => {
  it("accepts guaranteed <= memory <= max", () => {
    expect(validateMemory({ resources: { memoryMiB: 4096, guaranteedMemoryMiB: 4096, maxMemoryMiB: 4096 } })).toEqual([]);
  });

  it("reports both bounds at once", () => {
    expect(validateMemory({ resources: { memoryMiB: 4096, guaranteedMemoryMiB: 8192, maxMemoryMiB: 2048 } })).toEqual([
      { path: ["backend", "vm", "resources", "guaranteedMemoryMiB"], value: 8192, message: "must not exceed 'memoryMiB' (4096)" },
      { path: ["backend", "vm", "resources", "maxMemoryMiB"], value: 2048, message: "must be at least 'memoryMiB' (4096)" },
    ]);
  });
});

describe("validateStorage", () => {
  it.each([
    { vm: { resources: { storageDomain: "data1", diskProfile: "gold" } }, auto: false },
    { vm: { resources: {} }, auto: true },
  ])("accepts %j", ({ vm, auto }) => {
    expect(validateStorage(vm, auto)).toEqual([]);
  });

  it("refuses a domain with automatic selection, and a profile without a domain", () => {
    expect(validateStorage({ resources: { storageDomain: "data1" } }, true)).toEqual([
      { path: ["backend", "vm", "resources", "storageDomain"], value: "data1", message: "must not be set with 'backend.autoStorageSelect: true': choose automatic selection or one storage domain" },
    ]);
    expect(validateStorage({ resources: { diskProfile: "gold" } }, false)).toEqual([
      { path: ["backend", "vm", "resources", "diskProfile"], value: "gold", message: "needs 'backend.vm.resources.storageDomain': a disk profile belongs to one storage domain" },
    ]);
  });
});

describe("validateInitialRun", () => {
  it("accepts sysprep when every VM name fits 15 characters", () => {
    expect(validateInitialRun({ initialRun: { sysprep: { domain: "ad.example.com" } } }, "win-lab-??", 99)).toEqual([]);
  });

  it("refuses sysprep with VM names over 15 characters", () => {
    expect(validateInitialRun({ initialRun: { sysprep: {} } }, "classroom-12-???", 3)).toEqual([
      {
        path: ["name"],
        value: "classroom-12-???",
        message: "makes VM names up to 16 characters long ('classroom-12-003' for a pool of 3); a Windows computer name holds 15, and the engine's sysprep cuts longer VM names to 15 at first boot, so VMs would share computer names, so shorten the name",
      },
    ]);
  });

  it("lets cloud-init have long names", () => {
    expect(validateInitialRun({ initialRun: { cloudInit: { timeZone: "UTC" } } }, "classroom-12-???", 3)).toEqual([]);
  });

  it("takes a fixed cloud-init host name for a pool of one VM only", () => {
    expect(validateInitialRun({ initialRun: { cloudInit: { hostName: "kiosk" } } }, "kiosk", 1)).toEqual([]);
    expect(validateInitialRun({ initialRun: { cloudInit: { hostName: "kiosk" } } }, "kiosk-?", 2)).toEqual([
      {
        path: ["backend", "vm", "initialRun", "cloudInit", "hostName"],
        value: "kiosk",
        message: "must be left out for a pool of more than one VM (size 2): the engine copies one initialization to every pool VM, so all 2 would get this host name",
      },
    ]);
  });

  it("refuses both cloud-init and sysprep", () => {
    expect(validateInitialRun({ initialRun: { cloudInit: {}, sysprep: {} } }, "w-??", 2)).toEqual([
      { path: ["backend", "vm", "initialRun"], value: "cloudInit and sysprep", message: "must set either 'cloudInit' (Linux templates) or 'sysprep' (Windows templates), not both" },
    ]);
  });
});

describe("validateOvirtVmSettings", () => {
  it("reports every rule's problem at once", () => {
    const issues = validateOvirtVmSettings({
      name: "a-very-long-windows-pool-??",
      size: 2,
      stateful: false,
      backend: { autoStorageSelect: true, vm: { host: { passThroughHostCpu: true, numaTuneMode: "preferred", numaNodes: 2 }, resources: { storageDomain: "d" }, initialRun: { sysprep: {} } } },
    });
    expect(issues.map((i) => i.path.join("."))).toEqual(["backend.vm.host.passThroughHostCpu", "backend.vm.host.numaTuneMode", "backend.vm.host.numaNodes", "backend.vm.resources.storageDomain", "name"]);
  });
});

describe("backend.vm in the pool schema", () => {
  const base = { name: "lab-??", size: 2, backend: { kind: "ovirt", cluster: "Default", template: "rhel9" } };

  it("parses every setting", () => {
    const vm = {
      host: { startOn: ["host1", "host2"], migrationMode: "none", migrationPolicy: "80554327-0569-496b-bdeb-fcbbf52b827b", migrationDowntimeMs: 500, autoConverge: "on", compression: "off", passThroughHostCpu: true },
      initialRun: { cloudInit: { user: { name: "student", password: "pw" }, sshKeys: ["ssh-ed25519 AAAA"], customScript: "#cloud-config\n", timeZone: "Europe/Berlin" } },
      resources: { storageDomain: "data1", diskProfile: "gold", memoryMiB: 4096, guaranteedMemoryMiB: 2048, maxMemoryMiB: 8192, cpuSockets: 2, cpuCores: 2 },
      highAvailability: true,
      sso: false,
      smartcard: true,
      soundcard: false,
      usb: true,
      console: "vnc",
      timeZone: "Etc/GMT",
    };
    // Stateful: USB with a stored password can reach only a stateful pool's VMs.
    const parsed = vmPoolInputsSchema.safeParse({ ...base, stateful: true, backend: { ...base.backend, vm, vmUpdatePolicy: "updateFreeVms" } });
    expect(parsed.success).toBe(true);
    expect(parsed.data?.backend).toMatchObject({ vm, vmUpdatePolicy: "updateFreeVms" });
  });

  it.each([
    { vm: { host: { migrationMode: "sometimes" } }, path: "backend.vm.host.migrationMode", message: "must be 'automatic', 'manual' or 'none'" },
    { vm: { host: { autoConverge: "yes" } }, path: "backend.vm.host.autoConverge", message: "must be 'inherit', 'on' or 'off'" },
    { vm: { host: { startOn: [] } }, path: "backend.vm.host.startOn", message: "must name at least one host, or be 'any'" },
    { vm: { console: "rdp" }, path: "backend.vm.console", message: "must be 'spice' or 'vnc'" },
    { vm: { resources: { cpuSockets: 0 } }, path: "backend.vm.resources.cpuSockets", message: "must be at least 1" },
    { vm: { colour: "red" }, path: "backend.vm", message: 'Unrecognized key: "colour"' },
  ])("refuses $path", ({ vm, path, message }) => {
    const parsed = vmPoolInputsSchema.safeParse({ ...base, backend: { ...base.backend, vm } });
    expect(parsed.error?.issues.map((i) => ({ path: i.path.join("."), message: i.message }))).toEqual([{ path, message }]);
  });

  it("refuses an unknown update policy", () => {
    const parsed = vmPoolInputsSchema.safeParse({ ...base, backend: { ...base.backend, vmUpdatePolicy: "always" } });
    expect(parsed.error?.issues.map((i) => i.message)).toEqual(["must be 'newVmsOnly' or 'updateFreeVms'"]);
  });
});
