import { describe, expect, it } from "vitest";

import { toOvirtPoolCreateBody, toOvirtPoolUpdateBody } from "../../../../provider/backends/ovirt/mapping";
import { findChangedSettings, findStaleSettings, toOvirtInitialization, toOvirtPoolVmBody, toOvirtVmSettingsBody } from "../../../../provider/backends/ovirt/vm-settings-mapping";
import { vmPoolInputsSchema, type OvirtPoolInputs } from "../../../../provider/schemas/vm-pool";

const refs = { hostIds: new Map([["host1", "h-1"], ["host2", "h-2"]]) };
const GIB = 1_073_741_824;

describe("toOvirtVmSettingsBody", () => {
  it.each([
    { vm: { host: { startOn: ["host2", "host1"] } }, body: { placement_policy: { hosts: { host: [{ id: "h-2" }, { id: "h-1" }] } } } },
    { vm: { host: { startOn: "any" as const } }, body: { placement_policy: { hosts: { host: [] } } } },
    { vm: { host: { migrationMode: "automatic" as const } }, body: { placement_policy: { affinity: "migratable" } } },
    { vm: { host: { migrationMode: "manual" as const } }, body: { placement_policy: { affinity: "user_migratable" } } },
    { vm: { host: { migrationMode: "none" as const, passThroughHostCpu: true } }, body: { placement_policy: { affinity: "pinned" }, cpu: { mode: "host_passthrough" } } },
    { vm: { host: { passThroughHostCpu: false } }, body: { cpu: { mode: "custom" } } },
    { vm: { host: { migrationPolicy: "p-1", migrationDowntimeMs: 250 } }, body: { migration: { policy: { id: "p-1" } }, migration_downtime: 250 } },
    { vm: { host: { autoConverge: "on" as const, compression: "off" as const } }, body: { migration: { auto_converge: "true", compressed: "false" } } },
    { vm: { host: { autoConverge: "inherit" as const } }, body: { migration: { auto_converge: "inherit" } } },
    { vm: { resources: { memoryMiB: 4096, guaranteedMemoryMiB: 2048, maxMemoryMiB: 16384 } }, body: { memory: 4 * GIB, memory_policy: { guaranteed: 2 * GIB, max: 16 * GIB } } },
    { vm: { resources: { cpuSockets: 2, cpuCores: 4 } }, body: { cpu: { topology: { sockets: 2, cores: 4 } } } },
    { vm: { highAvailability: true, sso: true, smartcard: false, soundcard: true, usb: false }, body: { high_availability: { enabled: true }, sso: { methods: { method: [{ id: "guest_agent" }] } }, display: { smartcard_enabled: false }, soundcard_enabled: true, usb: { enabled: false } } },
    { vm: { sso: false, console: "vnc" as const, timeZone: "Etc/GMT" }, body: { sso: { methods: { method: [] } }, display: { type: "vnc" }, time_zone: { name: "Etc/GMT" } } },
    { vm: {}, body: {} },
    { vm: undefined, body: {} },
  ])("maps $vm", ({ vm, body }) => {
    expect(toOvirtVmSettingsBody(vm, refs)).toEqual(body);
  });
});

describe("toOvirtInitialization", () => {
  it("maps cloud-init", () => {
    expect(toOvirtInitialization({ cloudInit: { hostName: "kiosk", user: { name: "student", password: "pw" }, sshKeys: ["ssh-ed25519 A", "ssh-rsa B"], customScript: "#cloud-config\n", timeZone: "Europe/Berlin" } })).toEqual({
      host_name: "kiosk",
      user_name: "student",
      root_password: "pw",
      authorized_ssh_keys: "ssh-ed25519 A\nssh-rsa B",
      custom_script: "#cloud-config\n",
      timezone: "Europe/Berlin",
    });
  });

  it("maps sysprep", () => {
    expect(toOvirtInitialization({ sysprep: { customFile: "<unattend/>", domain: "ad.example.com", organizationalUnit: "OU=Labs", adminUser: "Administrator", adminPassword: "pw", timeZone: "W. Europe Standard Time" } })).toEqual({
      custom_script: "<unattend/>",
      domain: "ad.example.com",
      active_directory_ou: "OU=Labs",
      user_name: "Administrator",
      root_password: "pw",
      timezone: "W. Europe Standard Time",
    });
  });

  it("is absent without an initial run", () => {
    expect(toOvirtInitialization(undefined)).toBeUndefined();
    expect(toOvirtInitialization({})).toBeUndefined();
  });
});

describe("the pool bodies", () => {
  const inputs = vmPoolInputsSchema.parse({
    name: "w-??",
    size: 2,
    backend: { kind: "ovirt", cluster: "Default", template: "win11", vm: { soundcard: true, console: "spice", initialRun: { sysprep: { domain: "ad" } } } },
  }) as OvirtPoolInputs;

  it("sends the VM settings in the create's vm, and the sound card on the pool too", () => {
    const body = toOvirtPoolCreateBody(inputs, { clusterId: "c", templateId: "t", hostIds: new Map() });
    expect(body["vm"]).toEqual({ soundcard_enabled: true, display: { type: "spice" }, initialization: { domain: "ad" } });
    expect(body["soundcard_enabled"]).toBe(true);
    expect(toOvirtPoolVmBody(undefined, refs)).toBeUndefined();
  });

  it("sends no vm in an update, and the template only when it changes", () => {
    expect(toOvirtPoolUpdateBody(inputs, { clusterId: "c", templateId: "t" }, false)).toEqual({ use_latest_template_version: false, description: "", comment: "", size: 2, prestarted_vms: 0, max_user_vms: 1 });
    expect(toOvirtPoolUpdateBody(inputs, { clusterId: "c", templateId: "t" }, true)["template"]).toEqual({ id: "t" });
  });
});

describe("findStaleSettings", () => {
  const vm = { host: { startOn: ["host1", "host2"], migrationMode: "none" as const }, resources: { memoryMiB: 2048 }, console: "vnc" as const };

  it("finds nothing on a VM that carries every setting (host order does not matter)", () => {
    const observed = { placement_policy: { affinity: "pinned", hosts: { host: [{ id: "h-2", href: "/h/2" }, { id: "h-1" }] } }, memory: 2 * GIB, display: { type: "vnc", smartcard_enabled: false } };
    expect(findStaleSettings(vm, observed, refs)).toEqual([]);
  });

  it("reads the engine's renderings of off: no cpu mode, SSO methods {}", () => {
    expect(findStaleSettings({ host: { passThroughHostCpu: false }, sso: false }, { cpu: { topology: { sockets: 1 } }, sso: { methods: {} } }, refs)).toEqual([]);
    expect(findStaleSettings({ host: { passThroughHostCpu: true }, sso: true }, { cpu: {}, sso: { methods: {} } }, refs)).toEqual(["host.passThroughHostCpu", "sso"]);
  });

  it("names each setting the VM lacks", () => {
    const observed = { placement_policy: { affinity: "migratable" }, memory: GIB, display: { type: "spice" } };
    expect(findStaleSettings(vm, observed, refs)).toEqual(["host.startOn", "host.migrationMode", "resources.memoryMiB", "console"]);
  });
});

describe("findChangedSettings", () => {
  it.each([
    { before: { console: "spice" as const }, after: { console: "vnc" as const, usb: true }, changed: ["usb", "console"] },
    { before: undefined, after: { host: { migrationMode: "none" as const } }, changed: ["host.migrationMode"] },
    { before: { host: { migrationMode: "none" as const } }, after: { host: { migrationMode: "none" as const } }, changed: [] },
    { before: { initialRun: { cloudInit: { timeZone: "UTC" } } }, after: { initialRun: { cloudInit: { timeZone: "CET" } } }, changed: [] },
  ])("$before -> $after", ({ before, after, changed }) => {
    expect(findChangedSettings(before, after)).toEqual(changed);
  });
});
