/**
 * VMs, their settings, disks and storage as the engine's JSON renders them
 * (`VmMapper.map(VM, Vm)`, `VmBaseMapper.mapCommonEntityToModel` and
 * `mapVmBaseEntityToModel`, `InitializationMapper`, `MigrationOptionsMapper`,
 * `DisplayMapper`, `SsoMapper`). README "VM settings of pool VMs".
 */
import type { DiskProfile, StorageDomain, Vm, VmDisk } from "./model";
import type { VmInit, VmSettings } from "./vm-settings";

type Json = Record<string, unknown>;

const API = "/ovirt-engine/api";
const MIB = 1_048_576;

function link(collection: string, id: string): Json {
  return { id, href: `${API}/${collection}/${id}` };
}

/** `initialization`: everything stored, but a root password only as `******`. */
export function renderInitialization(init: VmInit): Json {
  const { rootPassword, hostName, domain, timezone, authorizedSshKeys, regenerateSshKeys, dnsServers, dnsSearch, windowsLicenseKey } = init;
  const { customScript, inputLocale, uiLanguage, systemLocale, userLocale, userName, activeDirectoryOu, orgName } = init;
  const out: Json = {
    host_name: hostName,
    // A blank domain is left out (StringUtils.isNotBlank).
    domain: domain !== undefined && domain.trim() !== "" ? domain : undefined,
    timezone,
    authorized_ssh_keys: authorizedSshKeys,
    regenerate_ssh_keys: regenerateSshKeys,
    dns_servers: dnsServers,
    dns_search: dnsSearch,
    windows_license_key: windowsLicenseKey,
    root_password: rootPassword === undefined ? undefined : "******",
    custom_script: customScript,
    input_locale: inputLocale,
    ui_language: uiLanguage,
    system_locale: systemLocale,
    user_locale: userLocale,
    user_name: userName,
    active_directory_ou: activeDirectoryOu,
    org_name: orgName,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

/**
 * The settings part of a VM representation. `allContent` adds the
 * device-level `soundcard_enabled` (`BackendVmResource.doPopulate`).
 */
export function renderVmSettings(s: VmSettings, cpuArchitecture: string, allContent: boolean): Json {
  const domain = s.init?.domain;
  return {
    memory: s.memoryMb * MIB,
    memory_policy: { guaranteed: s.guaranteedMemoryMb * MIB, max: s.maxMemoryMb * MIB, ballooning: s.ballooning },
    cpu: {
      architecture: cpuArchitecture,
      topology: { sockets: s.sockets, cores: s.cores, threads: s.threads },
      ...(s.hostPassthrough ? { mode: "host_passthrough" } : {}),
    },
    os: { type: s.osType },
    high_availability: { enabled: s.highAvailability, priority: s.haPriority },
    migration_downtime: s.migrationDowntimeMs ?? -1,
    migration: {
      auto_converge: s.autoConverge,
      compressed: s.compressed,
      encrypted: "inherit",
      parallel_migrations_policy: "inherit",
      ...(s.migrationPolicyId === undefined ? {} : { policy: { id: s.migrationPolicyId } }),
    },
    placement_policy: {
      affinity: s.affinity,
      ...(s.hostIds.length === 0 ? {} : { hosts: { host: s.hostIds.map((id) => link("hosts", id)) } }),
    },
    sso: { methods: s.ssoGuestAgent ? { method: [{ id: "guest_agent" }] } : {} },
    display: {
      type: s.displayType,
      monitors: s.monitors,
      smartcard_enabled: s.smartcard,
      allow_override: false,
      copy_paste_enabled: true,
      file_transfer_enabled: true,
      disconnect_action: "LOCK_SCREEN",
      disconnect_action_delay: 0,
    },
    usb: s.usbEnabled ? { enabled: true, type: "native" } : { enabled: false },
    ...(s.timeZone === undefined ? {} : { time_zone: { name: s.timeZone } }),
    ...(domain !== undefined && domain.trim() !== "" ? { domain: { name: domain } } : {}),
    ...(s.init === undefined ? {} : { initialization: renderInitialization(s.init) }),
    ...(allContent ? { soundcard_enabled: s.soundcard } : {}),
  };
}

/** Options for {@link renderVm}. */
export interface RenderVmOptions {
  /** `All-Content: true`. */
  allContent: boolean;
  /** The cluster's CPU architecture (`cpu.architecture`). */
  cpuArchitecture: string;
  /** `next_run=true`: the configuration the VM gets at its next start. */
  nextRun?: boolean;
  /** Inside a pool's `vm`: no `cluster`, `template`, `vm_pool` (`VmPoolMapper.map(VM, VmPool)`). */
  asPoolVm?: boolean;
}

/** A VM. */
export function renderVm(vm: Vm, options: RenderVmOptions): Json {
  const href = `${API}/vms/${vm.id}`;
  const settings = options.nextRun === true && vm.nextRun !== undefined ? vm.nextRun : vm.settings;
  const links = options.asPoolVm === true ? {} : { cluster: link("clusters", vm.clusterId), template: link("templates", vm.templateId), ...(vm.poolId === undefined ? {} : { vm_pool: link("vmpools", vm.poolId) }) };
  return {
    id: vm.id,
    href,
    name: vm.name,
    status: vm.status,
    stateless: vm.stateless,
    delete_protected: vm.deleteProtected,
    creation_time: vm.creationTime,
    next_run_configuration_exists: vm.nextRun !== undefined,
    ...renderVmSettings(settings, options.cpuArchitecture, options.allContent),
    ...links,
    actions: { link: ["detach", "shutdown", "start", "stop"].map((rel) => ({ href: `${href}/${rel}`, rel })) },
    link: ["permissions", "diskattachments"].map((rel) => ({ href: `${href}/${rel}`, rel })),
  };
}

/** A VM's disk attachment (`/vms/{id}/diskattachments`). */
export function renderDiskAttachment(vm: Vm, disk: VmDisk): Json {
  return {
    id: disk.id,
    href: `${API}/vms/${vm.id}/diskattachments/${disk.id}`,
    active: true,
    bootable: true,
    interface: "virtio_scsi",
    disk: link("disks", disk.id),
    vm: link("vms", vm.id),
  };
}

/** A disk (`/disks/{id}`): where it lives and with which profile. */
export function renderDisk(disk: VmDisk): Json {
  return {
    id: disk.id,
    href: `${API}/disks/${disk.id}`,
    name: disk.name,
    provisioned_size: disk.sizeBytes,
    format: "cow",
    sparse: true,
    status: "ok",
    storage_type: "image",
    storage_domains: { storage_domain: [link("storagedomains", disk.storageDomainId)] },
    ...(disk.diskProfileId === undefined ? {} : { disk_profile: link("diskprofiles", disk.diskProfileId) }),
  };
}

/** A data storage domain. */
export function renderStorageDomain(sd: StorageDomain): Json {
  return {
    id: sd.id,
    href: `${API}/storagedomains/${sd.id}`,
    name: sd.name,
    type: "data",
    status: sd.status,
    available: sd.availableBytes,
    used: sd.usedBytes,
    master: false,
    data_centers: { data_center: [link("datacenters", sd.dataCenterId)] },
    link: [{ href: `${API}/storagedomains/${sd.id}/diskprofiles`, rel: "diskprofiles" }],
  };
}

/** A disk profile. */
export function renderDiskProfile(p: DiskProfile): Json {
  return { id: p.id, href: `${API}/diskprofiles/${p.id}`, name: p.name, storage_domain: link("storagedomains", p.storageDomainId) };
}
