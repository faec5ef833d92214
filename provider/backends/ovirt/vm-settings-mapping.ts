/**
 * Pure conversions between `backend.vm` and the engine's `vm` JSON, written
 * from the API model (`types/Vm.java`, `VmBase.java`, `Initialization.java`)
 * and the engine's `VmMapper`/`VmBaseMapper`: the `vm` of `POST /vmpools`
 * (create-time overrides of the template) and the body of `PUT /vms/{id}`.
 * One table maps each setting to the engine field it becomes, so writing and
 * comparing a VM's settings cannot drift apart.
 */
import { getAtPath, isDeepEqual } from "../../diff/input-diff";
import type { InitialRun } from "../../schemas/ovirt-initial-run";
import type { OvirtVmSettings } from "../../schemas/ovirt-vm-settings";

const MIB = 1_048_576;

/** Host names the backend resolved `host.startOn` to. */
export interface VmSettingsRefs {
  /** Host name -> id. */
  readonly hostIds: ReadonlyMap<string, string>;
}

/** The engine's placement affinity for each migration mode. */
export const MIGRATION_AFFINITY = { automatic: "migratable", manual: "user_migratable", none: "pinned" } as const;
/** The engine's `InheritableBoolean` for each input value. */
const INHERITABLE = { inherit: "inherit", on: "true", off: "false" } as const;

/** One VM setting: its input path under `backend.vm`, the engine field it becomes, and how. */
interface SettingField {
  /** Path under `backend.vm`, e.g. `host.migrationMode`. */
  readonly setting: string;
  /** Path in the engine's `vm` JSON. */
  readonly engine: readonly string[];
  /** The engine value for the input value. */
  readonly toEngine: (value: never, refs: VmSettingsRefs) => unknown;
  /** The engine value as compared (e.g. host ids sorted). @default as read */
  readonly normalize?: (value: unknown) => unknown;
}

function hostList(value: unknown): unknown {
  const hosts = (value as { host?: { id?: string }[] } | undefined)?.host ?? [];
  return { host: hosts.map((h) => ({ id: h.id })).sort((a, b) => String(a.id).localeCompare(String(b.id))) };
}

/**
 * Every setting of `backend.vm` except the initial run
 * ({@link toOvirtInitialization}), NUMA (check() refuses it: a pool VM has
 * no NUMA nodes to tune, reference below) and storage (the engine places
 * pool VM disks where the template's disks are; preview checks the domain).
 * USB is written after the create: `POST /vmpools` ignores `vm.usb` (only
 * plain VM creates read it, `getUsbPolicyOnCreate`).
 */
export const VM_SETTING_FIELDS: readonly SettingField[] = [
  {
    setting: "host.startOn",
    engine: ["placement_policy", "hosts"],
    toEngine: (value: "any" | string[], refs) => ({ host: value === "any" ? [] : value.map((name) => ({ id: refs.hostIds.get(name) ?? name })) }),
    normalize: hostList,
  },
  { setting: "host.migrationMode", engine: ["placement_policy", "affinity"], toEngine: (value: keyof typeof MIGRATION_AFFINITY) => MIGRATION_AFFINITY[value] },
  { setting: "host.migrationPolicy", engine: ["migration", "policy", "id"], toEngine: (value: string) => value },
  { setting: "host.migrationDowntimeMs", engine: ["migration_downtime"], toEngine: (value: number) => value },
  { setting: "host.autoConverge", engine: ["migration", "auto_converge"], toEngine: (value: keyof typeof INHERITABLE) => INHERITABLE[value] },
  { setting: "host.compression", engine: ["migration", "compressed"], toEngine: (value: keyof typeof INHERITABLE) => INHERITABLE[value] },
  // "custom" is the engine's CpuMode for a VM that does not pass the host CPU through.
  // The engine renders a mode only for pass-through.
  { setting: "host.passThroughHostCpu", engine: ["cpu", "mode"], toEngine: (value: boolean) => (value ? "host_passthrough" : "custom"), normalize: (value) => (value === "host_passthrough" ? value : "custom") },
  { setting: "resources.memoryMiB", engine: ["memory"], toEngine: (value: number) => value * MIB },
  { setting: "resources.guaranteedMemoryMiB", engine: ["memory_policy", "guaranteed"], toEngine: (value: number) => value * MIB },
  { setting: "resources.maxMemoryMiB", engine: ["memory_policy", "max"], toEngine: (value: number) => value * MIB },
  { setting: "resources.cpuSockets", engine: ["cpu", "topology", "sockets"], toEngine: (value: number) => value },
  { setting: "resources.cpuCores", engine: ["cpu", "topology", "cores"], toEngine: (value: number) => value },
  { setting: "highAvailability", engine: ["high_availability", "enabled"], toEngine: (value: boolean) => value },
  // SSO through the guest agent is the engine's only method; none means off.
  // No method renders as `methods: {}`.
  { setting: "sso", engine: ["sso", "methods", "method"], toEngine: (value: boolean) => (value ? [{ id: "guest_agent" }] : []), normalize: (value) => (Array.isArray(value) ? value.map((m: { id?: string }) => ({ id: m.id })) : []) },
  { setting: "smartcard", engine: ["display", "smartcard_enabled"], toEngine: (value: boolean) => value },
  { setting: "soundcard", engine: ["soundcard_enabled"], toEngine: (value: boolean) => value },
  { setting: "usb", engine: ["usb", "enabled"], toEngine: (value: boolean) => value },
  { setting: "console", engine: ["display", "type"], toEngine: (value: string) => value },
  { setting: "timeZone", engine: ["time_zone", "name"], toEngine: (value: string) => value },
];

function setAtPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let current = target;
  path.forEach((key, i) => {
    if (i === path.length - 1) {
      current[key] = value;
      return;
    }
    const next = current[key];
    current = typeof next === "object" && next !== null ? (next as Record<string, unknown>) : (current[key] = {});
  });
}

/** The settings given in `vm`, each with its input path under `backend.vm`. */
export function listGivenSettings(vm: OvirtVmSettings | undefined): { field: SettingField; value: unknown }[] {
  return VM_SETTING_FIELDS.flatMap((field) => {
    const value = getAtPath(vm, field.setting.split("."));
    return value === undefined ? [] : [{ field, value }];
  });
}

/**
 * The engine's `vm` JSON for the given settings, without the initial run.
 * Example: `{host: {migrationMode: "none", passThroughHostCpu: true}}` ->
 * `{placement_policy: {affinity: "pinned"}, cpu: {mode: "host_passthrough"}}`.
 */
export function toOvirtVmSettingsBody(vm: OvirtVmSettings | undefined, refs: VmSettingsRefs): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const { field, value } of listGivenSettings(vm)) {
    setAtPath(body, field.engine, field.toEngine(value as never, refs));
  }
  return body;
}

/**
 * The engine's `initialization` for the initial run. cloud-init and sysprep
 * share the engine's one `VmInit`: for sysprep the custom file is its
 * `custom_script`, the local administrator its `user_name`/`root_password`.
 */
export function toOvirtInitialization(run: InitialRun | undefined): Record<string, unknown> | undefined {
  const c = run?.cloudInit;
  if (c !== undefined) {
    return {
      ...(c.hostName === undefined ? {} : { host_name: c.hostName }),
      ...(c.user === undefined ? {} : { user_name: c.user.name, ...(c.user.password === undefined ? {} : { root_password: c.user.password }) }),
      ...(c.sshKeys === undefined ? {} : { authorized_ssh_keys: c.sshKeys.join("\n") }),
      ...(c.customScript === undefined ? {} : { custom_script: c.customScript }),
      ...(c.timeZone === undefined ? {} : { timezone: c.timeZone }),
    };
  }
  const s = run?.sysprep;
  if (s !== undefined) {
    return {
      ...(s.customFile === undefined ? {} : { custom_script: s.customFile }),
      ...(s.domain === undefined ? {} : { domain: s.domain }),
      ...(s.organizationalUnit === undefined ? {} : { active_directory_ou: s.organizationalUnit }),
      ...(s.adminUser === undefined ? {} : { user_name: s.adminUser }),
      ...(s.adminPassword === undefined ? {} : { root_password: s.adminPassword }),
      ...(s.timeZone === undefined ? {} : { timezone: s.timeZone }),
    };
  }
  return undefined;
}

/**
 * The `vm` of `POST /vmpools`: every setting plus the initial run. The sound
 * card is also a pool field on create (`BackendVmPoolsResource.add` reads
 * `soundcard_enabled` of the pool, not of its `vm`), so the caller sends it
 * there too.
 */
export function toOvirtPoolVmBody(vm: OvirtVmSettings | undefined, refs: VmSettingsRefs): Record<string, unknown> | undefined {
  if (vm === undefined) {
    return undefined;
  }
  const initialization = toOvirtInitialization(vm.initialRun);
  return { ...toOvirtVmSettingsBody(vm, refs), ...(initialization === undefined ? {} : { initialization }) };
}

/**
 * The settings (input paths under `backend.vm`) whose value a VM, as the
 * engine lists it, does not carry. Example: declared `{console: "vnc"}`, VM
 * `{display: {type: "spice"}}` -> `["console"]`.
 */
export function findStaleSettings(vm: OvirtVmSettings | undefined, observed: unknown, refs: VmSettingsRefs): string[] {
  return listGivenSettings(vm)
    .filter(({ field, value }) => {
      const wanted = field.toEngine(value as never, refs);
      const actual = getAtPath(observed, field.engine);
      const normalize = field.normalize ?? ((v: unknown) => v);
      return !isDeepEqual(normalize(wanted), normalize(actual));
    })
    .map(({ field }) => field.setting);
}

/**
 * The settings (input paths under `backend.vm`, initial run left out) that
 * differ between two declarations. Example: `{console: "spice"}` ->
 * `{console: "vnc", usb: true}` gives `["usb", "console"]` in table order.
 */
export function findChangedSettings(before: OvirtVmSettings | undefined, after: OvirtVmSettings | undefined): string[] {
  return VM_SETTING_FIELDS.filter((field) => !isDeepEqual(getAtPath(before, field.setting.split(".")), getAtPath(after, field.setting.split(".")))).map((field) => field.setting);
}
