/**
 * Conformance, sandbox README "VM settings of pool VMs", create: each
 * setting of the New Pool window sent in `POST /vmpools`'s `vm` element is
 * stored on every pool VM and rendered by `GET /vms` as the engine's JSON
 * (`BackendVmPoolsResource.add`/`mapToVM`, `VmPoolMapper.map(VmPool,
 * VmStatic)`, `VmMapper`, `VmBaseMapper`, `InitializationMapper`,
 * `MigrationOptionsMapper`), and the settings the create does not take.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DEFAULT_SEED_IDS } from "../../../sandbox/ovirt-engine/seed";
import { getPool, startManualSandbox } from "./pool-conformance-helpers";
import type { TestSandbox } from "./sandbox-client";
import { createPoolWithVm, firstVm, getVm, MIB, settingsOf, type VmSettingsJson } from "./vm-settings-helpers";

const hostLink = (id: string): { id: string; href: string } => ({ id, href: `/ovirt-engine/api/hosts/${id}` });

describe("VM settings of pool VMs: create", () => {
  let t: TestSandbox;
  /** Creates a pool of `size` VMs with a `vm` element and returns its VMs' settings. */
  const created = async (name: string, vm: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<VmSettingsJson[]> => {
    await createPoolWithVm(t, name, vm, extra);
    return settingsOf(t, name);
  };

  beforeAll(async () => {
    t = await startManualSandbox();
  });
  afterAll(async () => t?.close());

  it("templates: a Linux and a Windows template with their OS type (os.type; VmMapper.map(VmTemplate, VmStatic) copies osId)", async () => {
    const res = await t.api("GET", `/templates/${DEFAULT_SEED_IDS.windowsTemplate}`);
    expect([res.status, (res.json as VmSettingsJson).os.type]).toEqual([200, "windows_2019x64"]);
    const linux = await t.api("GET", `/templates/${DEFAULT_SEED_IDS.template}`);
    expect((linux.json as VmSettingsJson).os.type).toBe("rhel_9x64");
    const [vm] = await created("os-win", {}, { template: { name: "win2019-desktop" } });
    expect([vm?.os.type, vm?.time_zone]).toEqual(["windows_2019x64", { name: "GMT Standard Time" }]);
  });

  it("without a vm element every VM has the template's settings (VmMapper.map(VmTemplate, VmStatic))", async () => {
    const vms = await created("tpl-defaults", {}, { size: 2 });
    expect(vms.map((v) => [v.memory, v.cpu.topology, v.placement_policy, v.migration_downtime, v.high_availability])).toEqual([
      [4096 * MIB, { sockets: 1, cores: 1, threads: 1 }, { affinity: "migratable" }, -1, { enabled: false, priority: 0 }],
      [4096 * MIB, { sockets: 1, cores: 1, threads: 1 }, { affinity: "migratable" }, -1, { enabled: false, priority: 0 }],
    ]);
  });

  it("host: placement_policy.hosts pins every VM to the given hosts by id (VmBaseMapper.mapCommonModelToEntity)", async () => {
    const vms = await created("pin-hosts", { placement_policy: { hosts: { host: [{ id: DEFAULT_SEED_IDS.host }, { id: DEFAULT_SEED_IDS.host2 }] } } }, { size: 2 });
    for (const vm of vms) {
      expect(vm.placement_policy.hosts?.host).toEqual([hostLink(DEFAULT_SEED_IDS.host), hostLink(DEFAULT_SEED_IDS.host2)]);
    }
  });

  it("host: a host given by name only is skipped (the mapper's `continue` without an id), so the VM may start on any host", async () => {
    const [vm] = await created("pin-by-name", { placement_policy: { hosts: { host: [{ name: "host1" }] } } });
    expect(vm?.placement_policy).toEqual({ affinity: "migratable" });
  });

  it.each([
    ["migratable", "automatic and manual migration"],
    ["user_migratable", "manual migration only"],
    ["pinned", "no migration"],
  ])("host: placement_policy.affinity %s (%s) is stored and rendered (VmBaseMapper map(MigrationSupport))", async (affinity) => {
    const [vm] = await created(`affinity-${affinity}`, { placement_policy: { affinity } });
    expect(vm?.placement_policy.affinity).toBe(affinity);
  });

  it("host: migration.policy.id is stored and rendered as migration.policy (MigrationOptionsMapper)", async () => {
    const policy = "80554327-0569-496b-bdeb-fcbbf52b827b";
    const [vm] = await created("mig-policy", { migration: { policy: { id: policy } } });
    expect(vm?.migration.policy).toEqual({ id: policy });
  });

  it("host: without a policy, migration has no policy element and auto_converge/compressed inherit", async () => {
    const [vm] = await created("mig-none", {});
    expect(vm?.migration).toEqual({ auto_converge: "inherit", compressed: "inherit", encrypted: "inherit", parallel_migrations_policy: "inherit" });
  });

  it.each([
    ["true", "false"],
    ["false", "true"],
    ["inherit", "inherit"],
  ])("host: migration.auto_converge %s and compressed %s are stored as InheritableBoolean (MigrationOptionsMapper.copyMigrationOptions)", async (autoConverge, compressed) => {
    const [vm] = await created(`mig-ac-${autoConverge}`, { migration: { auto_converge: autoConverge, compressed } });
    expect([vm?.migration.auto_converge, vm?.migration.compressed]).toEqual([autoConverge, compressed]);
  });

  it("host: migration_downtime in ms is stored; -1 means the engine default and renders as -1 (mapMinusOneToNull / mapNullToMinusOne)", async () => {
    const [custom] = await created("downtime-500", { migration_downtime: 500 });
    const [unset] = await created("downtime-default", { migration_downtime: -1 });
    expect([custom?.migration_downtime, unset?.migration_downtime]).toEqual([500, -1]);
  });

  it("host: cpu.mode host_passthrough sets pass-through host CPU and renders cpu.mode; other modes render none (VmBaseMapper useHostCpuFlags)", async () => {
    const [pass] = await created("cpu-pass", { cpu: { mode: "host_passthrough" }, placement_policy: { affinity: "pinned" } });
    const [custom] = await created("cpu-custom", { cpu: { mode: "custom" } });
    expect([pass?.cpu.mode, custom?.cpu.mode]).toEqual(["host_passthrough", undefined]);
  });

  it("host: numa_tune_mode has no effect on pool VMs, which get no vNUMA nodes (VmMapper.map(Vm, VmStatic) re-tunes existing nodes only)", async () => {
    const [vm] = await created("numa-preferred", { numa_tune_mode: "preferred" });
    expect(vm).not.toHaveProperty("numa_tune_mode");
  });

  it("initial run: cloud-init fields of initialization are stored on every VM and rendered (InitializationMapper)", async () => {
    const init = { host_name: "desk.example.org", user_name: "clouduser", authorized_ssh_keys: "ssh-ed25519 AAAA user@x", custom_script: "runcmd:\n - echo hi\n", timezone: "Europe/Berlin", regenerate_ssh_keys: true };
    const vms = await created("cloud-init", { initialization: init }, { size: 2 });
    expect(vms.map((v) => v.initialization)).toEqual([init, init]);
  });

  it("initial run: a root password is stored but rendered only as ****** (InitializationMapper.map(VmInit, Initialization))", async () => {
    const [vm] = await created("init-password", { initialization: { user_name: "root", root_password: "s3cret!" } });
    expect(vm?.initialization).toEqual({ user_name: "root", root_password: "******" });
    expect(JSON.stringify(await getVm(t, vm?.id ?? ""))).not.toContain("s3cret!");
  });

  it("initial run: sysprep for a Windows template — custom script (the sysprep file) and domain, the domain also as the VM's domain.name (VmBaseMapper.mapVmBaseEntityToModel)", async () => {
    const init = { custom_script: "<unattend>$ComputerName$</unattend>", domain: "ad.example.org", active_directory_ou: "OU=Desktops", org_name: "Example" };
    const [vm] = await created("sysprep-win", { initialization: init }, { template: { name: "win2019-desktop" } });
    expect([vm?.initialization, vm?.domain]).toEqual([init, { name: "ad.example.org" }]);
  });

  it("initial run: vm.domain.name alone is stored as the initialization's domain (VmMapper.map(Vm, VmStatic) backward compatibility)", async () => {
    const [vm] = await created("domain-compat", { domain: { name: "corp.example" } }, { template: { name: "win2019-desktop" } });
    expect([vm?.initialization, vm?.domain]).toEqual([{ domain: "corp.example" }, { name: "corp.example" }]);
  });

  it("initial run: a time zone is stored as time_zone.name (VmBaseMapper.mapVmBaseModelToEntity)", async () => {
    const [berlin] = await created("tz-berlin", { time_zone: { name: "Europe/Berlin" } });
    expect(berlin?.time_zone).toEqual({ name: "Europe/Berlin" });
  });

  it("initial run: an empty time zone name resets it, and AddVm fills the OS default (VmHandler.updateDefaultTimeZone: GMT Standard Time for Windows, Etc/GMT else)", async () => {
    const [windows] = await created("tz-reset-win", { time_zone: { name: "" } }, { template: { name: "win2019-desktop" } });
    const [linux] = await created("tz-reset-linux", { time_zone: { name: "" } });
    expect([windows?.time_zone, linux?.time_zone]).toEqual([{ name: "GMT Standard Time" }, { name: "Etc/GMT" }]);
  });

  it("resources: memory, memory_policy.guaranteed and max are stored in MiB and rendered in bytes (VmBaseMapper BYTES_PER_MB)", async () => {
    const [vm] = await created("mem", { memory: 2048 * MIB, memory_policy: { guaranteed: 1024 * MIB, max: 8192 * MIB } });
    expect([vm?.memory, vm?.memory_policy.guaranteed, vm?.memory_policy.max]).toEqual([2048 * MIB, 1024 * MIB, 8192 * MIB]);
  });

  it("resources: memory not a whole MiB is truncated to MiB ((int) (bytes / BYTES_PER_MB))", async () => {
    const [vm] = await created("mem-trunc", { memory: 2048 * MIB + 1000, memory_policy: { guaranteed: 1024 * MIB } });
    expect(vm?.memory).toBe(2048 * MIB);
  });

  it("resources: cpu.topology sockets, cores and threads are stored and rendered", async () => {
    const [vm] = await created("cpu-topo", { cpu: { topology: { sockets: 2, cores: 4, threads: 2 } } });
    expect(vm?.cpu.topology).toEqual({ sockets: 2, cores: 4, threads: 2 });
  });

  it("resources: high_availability enabled and priority are stored and rendered", async () => {
    const [vm] = await created("ha", { high_availability: { enabled: true, priority: 50 } });
    expect(vm?.high_availability).toEqual({ enabled: true, priority: 50 });
  });

  it("resources: sso with one guest_agent method, or with none (SsoMapper)", async () => {
    const [none] = await created("sso-none", { sso: { methods: { method: [] } } });
    const [agent] = await created("sso-agent", { sso: { methods: { method: [{ id: "guest_agent" }] } } });
    expect([none?.sso, agent?.sso]).toEqual([{ methods: {} }, { methods: { method: [{ id: "guest_agent" }] } }]);
  });

  it("resources: display.smartcard_enabled is stored and rendered (VmBaseMapper.mapCommonModelToEntity)", async () => {
    const [vm] = await created("smartcard", { display: { smartcard_enabled: true } });
    expect(vm?.display.smartcard_enabled).toBe(true);
  });

  it("resources: display.type chooses the console (graphics device) of the new VMs (DisplayHelper.setGraphicsToParams)", async () => {
    const [vnc] = await created("console-vnc", { display: { type: "vnc" } });
    const [spice] = await created("console-default", {});
    expect([vnc?.display.type, spice?.display.type]).toEqual(["vnc", "spice"]);
  });

  it("resources: the soundcard is the pool's soundcard_enabled, shown on VMs only with All-Content: true (BackendVmsResource/BackendVmResource.doPopulate)", async () => {
    const [plain] = await created("sound-off", { soundcard_enabled: true }, { soundcard_enabled: false });
    expect(plain).not.toHaveProperty("soundcard_enabled");
    expect((await getVm(t, plain?.id ?? "", { allContent: true })).soundcard_enabled).toBe(false);
    const [dflt] = await created("sound-template", {});
    expect((await getVm(t, dflt?.id ?? "", { allContent: true })).soundcard_enabled).toBe(true);
  });

  it("resources: vm.usb is ignored on a pool create; VMs keep the template's USB policy (getUsbPolicyOnCreate is used for plain VMs only)", async () => {
    const [vm] = await created("usb-ignored", { usb: { enabled: true, type: "native" } });
    expect(vm?.usb).toEqual({ enabled: false });
  });

  it("storage: each VM's disk is on the domain holding the template disk, with that domain's disk profile (CommonVmPoolCommand.ensureDestinationImageMap)", async () => {
    const [vm] = await created("disk-default", {});
    const attachments = (await t.api("GET", `/vms/${vm?.id ?? ""}/diskattachments`)).json as { disk_attachment: { disk: { id: string } }[] };
    const diskId = attachments.disk_attachment[0]?.disk.id ?? "";
    const disk = (await t.api("GET", `/disks/${diskId}`)).json as { storage_domains: { storage_domain: { id: string }[] }; disk_profile: { id: string } };
    expect([disk.storage_domains.storage_domain.map((d) => d.id), disk.disk_profile.id]).toEqual([[DEFAULT_SEED_IDS.storageDomain], DEFAULT_SEED_IDS.diskProfile]);
  });

  it("storage: a target storage domain in the vm element is ignored; REST has no field for it (VmPoolMapper, BackendVmPoolsResource.add)", async () => {
    const [vm] = await created("disk-target-ignored", { disk_attachments: { disk_attachment: [{ disk: { storage_domains: { storage_domain: [{ id: DEFAULT_SEED_IDS.storageDomain2 }] } } }] } });
    const attachments = (await t.api("GET", `/vms/${vm?.id ?? ""}/diskattachments`)).json as { disk_attachment: { disk: { id: string } }[] };
    const disk = (await t.api("GET", `/disks/${attachments.disk_attachment[0]?.disk.id ?? ""}`)).json as { storage_domains: { storage_domain: { id: string }[] } };
    expect(disk.storage_domains.storage_domain[0]?.id).toBe(DEFAULT_SEED_IDS.storageDomain);
  });

  it("storage: auto_storage_select puts each VM's disk on the template-disk domain with the most space left (autoSelectTargetDomainAndVolumeFormat)", async () => {
    // win2019-desktop's disk is on data1 (500 GiB free) and data2 (800 GiB); each disk takes 20 GiB.
    const vms = await created("disk-auto", {}, { template: { name: "win2019-desktop" }, auto_storage_select: true, size: 3 });
    const domains: string[] = [];
    for (const vm of vms) {
      const attachments = (await t.api("GET", `/vms/${vm.id}/diskattachments`)).json as { disk_attachment: { disk: { id: string } }[] };
      const disk = (await t.api("GET", `/disks/${attachments.disk_attachment[0]?.disk.id ?? ""}`)).json as { storage_domains: { storage_domain: { id: string }[] } };
      domains.push(disk.storage_domains.storage_domain[0]?.id ?? "");
    }
    expect(domains).toEqual([DEFAULT_SEED_IDS.storageDomain2, DEFAULT_SEED_IDS.storageDomain2, DEFAULT_SEED_IDS.storageDomain2]);
  });

  it("storage: the seeded storage domains and their disk profiles are readable (/storagedomains, /storagedomains/{id}/diskprofiles)", async () => {
    const domains = (await t.api("GET", "/storagedomains")).json as { storage_domain: { name: string }[] };
    expect(domains.storage_domain.map((d) => d.name)).toEqual(["data1", "data2"]);
    const profiles = (await t.api("GET", `/storagedomains/${DEFAULT_SEED_IDS.storageDomain2}/diskprofiles`)).json as { disk_profile: { id: string; name: string }[] };
    expect(profiles.disk_profile.map((p) => [p.id, p.name])).toEqual([[DEFAULT_SEED_IDS.diskProfile2, "data2"]]);
    expect((await t.api("GET", "/storagedomains/00000000-0000-0000-0000-00000000beef")).status).toBe(404);
  });

  it("GET /vmpools/{id} renders vm as the oldest pool VM with its settings, without cluster, template and vm_pool (VmPoolMapper.map(VM, VmPool))", async () => {
    const pool = await createPoolWithVm(t, "pool-vm-view", { memory: 3072 * MIB, memory_policy: { guaranteed: 1024 * MIB } }, { size: 2 });
    const read = await getPool(t, pool.id);
    const vm = read.vm as VmSettingsJson | undefined;
    expect([vm?.name, vm?.memory, vm?.cluster]).toEqual(["pool-vm-view-1", 3072 * MIB, undefined]);
  });

  it("every VM of one create gets its own copy of the same settings (CommonVmPoolCommand.buildAddVmParameters: new VmStatic(...))", async () => {
    const vms = await created("same-settings", { memory: 1024 * MIB, memory_policy: { guaranteed: 512 * MIB }, high_availability: { enabled: true } }, { size: 3 });
    const strip = ({ id: _id, href: _href, name: _name, actions: _a, link: _l, creation_time: _c, ...rest }: VmSettingsJson & Record<string, unknown>): Record<string, unknown> => rest;
    const [a, ...others] = vms.map((v) => strip(v as VmSettingsJson & Record<string, unknown>));
    for (const other of others) {
      expect(other).toEqual(a);
    }
  });

  it("the first VM read back has the full settings representation (one VM checked attribute by attribute)", async () => {
    await createPoolWithVm(t, "full-view", {
      memory: 2048 * MIB,
      memory_policy: { guaranteed: 2048 * MIB, max: 4096 * MIB },
      cpu: { topology: { sockets: 1, cores: 2, threads: 1 } },
      placement_policy: { affinity: "user_migratable", hosts: { host: [{ id: DEFAULT_SEED_IDS.host }] } },
      migration_downtime: 200,
    });
    const vm = await firstVm(t, "full-view");
    expect({ cpu: vm.cpu, memory_policy: vm.memory_policy, placement_policy: vm.placement_policy, next: vm.next_run_configuration_exists }).toEqual({
      cpu: { architecture: "x86_64", topology: { sockets: 1, cores: 2, threads: 1 } },
      memory_policy: { guaranteed: 2048 * MIB, max: 4096 * MIB, ballooning: true },
      placement_policy: { affinity: "user_migratable", hosts: { host: [hostLink(DEFAULT_SEED_IDS.host)] } },
      next: false,
    });
  });
});
