/**
 * The VM settings of the New Pool window as the engine keeps them on a VM or
 * template (`VmBase`/`VmStatic`), and how a request's `vm` element overlays
 * them (`VmMapper.map(Vm, VmStatic)`, `VmBaseMapper.mapVmBaseModelToEntity`,
 * `InitializationMapper`, `MigrationOptionsMapper`). README "VM settings of
 * pool VMs".
 */
import { readBool, readInt, readObject, readString, type Body } from "./body";
import { malformedBody, type MessageRef } from "./faults";
import { isValidTimeZone } from "./time-zones";

/** Migration mode (`MigrationSupport` as REST's `VmAffinity`). */
export type Affinity = "migratable" | "user_migratable" | "pinned";
/** `InheritableBoolean`: inherit the cluster's value, or force it. */
export type InheritableBoolean = "inherit" | "true" | "false";

/** Initial-run data (`VmInit`); used by cloud-init or sysprep, chosen by OS at run time. */
export interface VmInit {
  hostName?: string;
  domain?: string;
  timezone?: string;
  authorizedSshKeys?: string;
  regenerateSshKeys?: boolean;
  dnsServers?: string;
  dnsSearch?: string;
  windowsLicenseKey?: string;
  /** Stored, never rendered (GET shows `******`). */
  rootPassword?: string;
  customScript?: string;
  inputLocale?: string;
  uiLanguage?: string;
  systemLocale?: string;
  userLocale?: string;
  userName?: string;
  activeDirectoryOu?: string;
  orgName?: string;
}

/** The string attributes of `initialization` and the `VmInit` field each sets. */
const INIT_STRINGS: readonly (readonly [string, Exclude<keyof VmInit, "regenerateSshKeys">])[] = [
  ["host_name", "hostName"],
  ["domain", "domain"],
  ["timezone", "timezone"],
  ["authorized_ssh_keys", "authorizedSshKeys"],
  ["dns_servers", "dnsServers"],
  ["dns_search", "dnsSearch"],
  ["windows_license_key", "windowsLicenseKey"],
  ["root_password", "rootPassword"],
  ["custom_script", "customScript"],
  ["input_locale", "inputLocale"],
  ["ui_language", "uiLanguage"],
  ["system_locale", "systemLocale"],
  ["user_locale", "userLocale"],
  ["user_name", "userName"],
  ["active_directory_ou", "activeDirectoryOu"],
  ["org_name", "orgName"],
];

/** The settings a VM or template carries. Memory in MiB, as the engine stores it. */
export interface VmSettings {
  /** Unique OS name, e.g. `rhel_9x64`, `windows_2019x64`. */
  osType: string;
  memoryMb: number;
  maxMemoryMb: number;
  guaranteedMemoryMb: number;
  ballooning: boolean;
  sockets: number;
  cores: number;
  threads: number;
  /** Pass-through host CPU (`useHostCpuFlags`). */
  hostPassthrough: boolean;
  affinity: Affinity;
  /** Hosts the VM may start on (`dedicatedVmForVdsList`); empty for any host. */
  hostIds: string[];
  /** Undefined: the engine's default (rendered as -1). */
  migrationDowntimeMs: number | undefined;
  autoConverge: InheritableBoolean;
  compressed: InheritableBoolean;
  migrationPolicyId: string | undefined;
  highAvailability: boolean;
  haPriority: number;
  /** SSO method guest agent (else none). */
  ssoGuestAgent: boolean;
  smartcard: boolean;
  displayType: "spice" | "vnc";
  monitors: number;
  /** `UsbPolicy`: DISABLED or ENABLED_NATIVE. */
  usbEnabled: boolean;
  /** Undefined: the engine default. */
  timeZone: string | undefined;
  /** A sound device (a device, not a `VmStatic` field). */
  soundcard: boolean;
  init: VmInit | undefined;
}

/**
 * `VmHandler.updateDefaultTimeZone`, run by `AddVm` and `UpdateVm`: no time
 * zone becomes `DefaultWindowsTimeZone` or `DefaultGeneralTimeZone`.
 */
export function withDefaultTimeZone(s: VmSettings): VmSettings {
  return s.timeZone !== undefined ? s : { ...s, timeZone: s.osType.startsWith("windows") ? "GMT Standard Time" : "Etc/GMT" };
}

/** A deep copy, as `new VmStatic(other)` gives each pool VM its own. */
export function copySettings(s: VmSettings): VmSettings {
  return { ...s, hostIds: [...s.hostIds], init: s.init === undefined ? undefined : { ...s.init } };
}

const MIB = 1_048_576;

function readEnum<T extends string>(body: Body, key: string, allowed: readonly T[]): T | undefined {
  const value = readString(body, key);
  if (value === undefined) {
    return undefined;
  }
  const found = allowed.find((a) => a === value.toLowerCase());
  if (found === undefined) {
    throw malformedBody(`Attribute '${key}' must be one of ${allowed.join(", ")}`);
  }
  return found;
}

/** Bytes to MiB as the mapper does (`(int) (bytes / 1048576)`). */
function mib(bytes: number): number {
  return Math.trunc(bytes / MIB);
}

/** `initialization` onto a `VmInit`; null when no attribute is set (`InitializationMapper.map`). */
export function readInitialization(model: Body, current: VmInit | undefined): VmInit | undefined {
  const init: VmInit = { ...(current ?? {}) };
  let any = false;
  for (const [attr, field] of INIT_STRINGS) {
    const value = readString(model, attr);
    if (value !== undefined) {
      init[field] = value;
      any = true;
    }
  }
  const regenerate = readBool(model, "regenerate_ssh_keys");
  if (regenerate !== undefined) {
    init.regenerateSshKeys = regenerate;
    any = true;
  }
  return any ? init : undefined;
}

function readMigration(migration: Body, s: VmSettings): void {
  const inheritable = ["inherit", "true", "false"] as const;
  s.autoConverge = readEnum(migration, "auto_converge", inheritable) ?? s.autoConverge;
  s.compressed = readEnum(migration, "compressed", inheritable) ?? s.compressed;
  const policy = readObject(migration, "policy");
  if (policy !== undefined) {
    s.migrationPolicyId = readString(policy, "id");
  }
}

function readPlacement(placement: Body, s: VmSettings): void {
  s.affinity = readEnum(placement, "affinity", ["migratable", "user_migratable", "pinned"] as const) ?? s.affinity;
  // The mapper resets the list whenever placement_policy is given, and skips hosts without an id.
  const hosts = readObject(placement, "hosts");
  const list = hosts === undefined ? [] : hosts["host"];
  if (list !== undefined && !Array.isArray(list)) {
    throw malformedBody("Attribute 'host' must be a list");
  }
  const ids = new Set<string>();
  for (const host of (list ?? []) as unknown[]) {
    if (typeof host === "object" && host !== null && !Array.isArray(host)) {
      const id = readString(host as Body, "id");
      if (id !== undefined) {
        ids.add(id);
      }
    }
  }
  s.hostIds = [...ids];
}

function readSso(sso: Body, s: VmSettings): void {
  const methods = readObject(sso, "methods");
  if (methods === undefined) {
    return;
  }
  const list = methods["method"];
  const items = Array.isArray(list) ? (list as unknown[]) : [];
  s.ssoGuestAgent = items.length === 1 && typeof items[0] === "object" && items[0] !== null && (items[0] as Body)["id"] === "guest_agent";
}

function readCpu(cpu: Body, s: VmSettings): void {
  const topology = readObject(cpu, "topology");
  if (topology !== undefined) {
    s.cores = readInt(topology, "cores") ?? s.cores;
    s.sockets = readInt(topology, "sockets") ?? s.sockets;
    s.threads = readInt(topology, "threads") ?? s.threads;
  }
  const mode = readEnum(cpu, "mode", ["custom", "host_model", "host_passthrough"] as const);
  if (mode !== undefined) {
    s.hostPassthrough = mode === "host_passthrough";
  }
}

function readMemory(vm: Body, s: VmSettings): void {
  const memory = readInt(vm, "memory");
  if (memory !== undefined) {
    s.memoryMb = mib(memory);
  }
  const policy = readObject(vm, "memory_policy");
  if (policy !== undefined) {
    const guaranteed = readInt(policy, "guaranteed");
    const max = readInt(policy, "max");
    s.guaranteedMemoryMb = guaranteed === undefined ? s.guaranteedMemoryMb : mib(guaranteed);
    s.maxMemoryMb = max === undefined ? s.maxMemoryMb : mib(max);
    s.ballooning = readBool(policy, "ballooning") ?? s.ballooning;
  }
}

function readDisplay(display: Body, s: VmSettings): void {
  s.smartcard = readBool(display, "smartcard_enabled") ?? s.smartcard;
  s.monitors = readInt(display, "monitors") ?? s.monitors;
  // The console type becomes the graphics device (DisplayHelper.setGraphicsToParams, on add and update).
  s.displayType = readEnum(display, "type", ["spice", "vnc"] as const) ?? s.displayType;
}

function readUsb(usb: Body, s: VmSettings): void {
  // getUsbPolicyOnUpdate: an explicit enabled flag wins; a type alone keeps a disabled policy.
  const enabled = readBool(usb, "enabled");
  if (enabled !== undefined) {
    s.usbEnabled = enabled;
  }
}

/**
 * Overlays a `vm` element on settings. `what` = `create` for `POST
 * /vmpools` (no USB, console type as graphics), `update` for `PUT
 * /vms/{id}` (USB by `getUsbPolicyOnUpdate`). Returns the bean-validation
 * messages (`@Min(0)` on the downtime), which fail the command before it runs.
 */
export function overlayVmElement(vm: Body, base: VmSettings, what: "create" | "update"): { settings: VmSettings; beanErrors: MessageRef[] } {
  const s = copySettings(base);
  const beanErrors: MessageRef[] = [];
  readMemory(vm, s);
  const cpu = readObject(vm, "cpu");
  if (cpu !== undefined) {
    readCpu(cpu, s);
  }
  const ha = readObject(vm, "high_availability");
  if (ha !== undefined) {
    s.highAvailability = readBool(ha, "enabled") ?? s.highAvailability;
    s.haPriority = readInt(ha, "priority") ?? s.haPriority;
  }
  const display = readObject(vm, "display");
  if (display !== undefined) {
    readDisplay(display, s);
  }
  const downtime = readInt(vm, "migration_downtime");
  if (downtime !== undefined) {
    s.migrationDowntimeMs = downtime === -1 ? undefined : downtime;
    if (downtime < -1) {
      beanErrors.push("VALIDATION_VM_MIGRATION_DOWNTIME_RANGE", { key: "ACTION_TYPE_FAILED_ATTRIBUTE_PATH", vars: { path: `${what === "create" ? "vmStaticData" : "vmStatic"}.migrationDowntime` } });
    }
  }
  const migration = readObject(vm, "migration");
  if (migration !== undefined) {
    readMigration(migration, s);
  }
  const placement = readObject(vm, "placement_policy");
  if (placement !== undefined) {
    readPlacement(placement, s);
  }
  const timeZone = readObject(vm, "time_zone");
  const tzName = timeZone === undefined ? undefined : readString(timeZone, "name");
  if (tzName !== undefined) {
    s.timeZone = tzName === "" ? undefined : tzName;
  }
  const sso = readObject(vm, "sso");
  if (sso !== undefined) {
    readSso(sso, s);
  }
  const initialization = readObject(vm, "initialization");
  if (initialization !== undefined) {
    s.init = readInitialization(initialization, s.init) ?? s.init;
  }
  const domain = readObject(vm, "domain");
  const domainName = domain === undefined ? undefined : readString(domain, "name");
  if (domainName !== undefined && (initialization === undefined || readString(initialization, "domain") === undefined)) {
    s.init = { ...(s.init ?? {}), domain: domainName };
  }
  const usb = readObject(vm, "usb");
  if (usb !== undefined && what === "update") {
    readUsb(usb, s);
  }
  // @ValidTimeZone on VmBase (a class-level constraint, so the path is the VmStatic itself).
  if (s.timeZone !== undefined && !isValidTimeZone(s.osType, s.timeZone)) {
    beanErrors.push("ACTION_TYPE_FAILED_INVALID_TIMEZONE", { key: "ACTION_TYPE_FAILED_ATTRIBUTE_PATH", vars: { path: what === "create" ? "vmStaticData" : "vmStatic" } });
  }
  return { settings: s, beanErrors };
}
