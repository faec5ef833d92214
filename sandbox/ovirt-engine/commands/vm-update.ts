/**
 * `PUT /vms/{id}` (`BackendVmResource.UpdateParametersProvider`,
 * `UpdateVmCommand`) for the settings the sandbox models, on pool VMs as on
 * any VM: the VM keeps its pool; a stateless pool's VM may not change its
 * initial-run data; on a running VM the fields editable only when down wait
 * for the next run. README "VM settings of pool VMs".
 */
import { readReference, readString, type Body } from "../body";
import { isRunning, type Engine } from "../engine";
import { EngineFault, entityNotFound, operationFailed, type MessageRef } from "../faults";
import type { Vm } from "../model";
import { copySettings, overlayVmElement, withDefaultTimeZone, type VmSettings } from "../vm-settings";
import { moveVmToVersion } from "./pool-vms";
import { checkCpuTopology, checkPinnedHosts } from "./vm-checks";

/** Hot-plugged memory must change by multiples of this (x86 `hotplugMemorySizeFactorMb`). */
const HOTPLUG_MEMORY_FACTOR_MB = 256;

/**
 * Fields `VmBase` marks `@EditableVmField(onStatuses = Down)`: on a running
 * VM a change to them goes to the next run.
 */
const DOWN_ONLY: readonly (keyof VmSettings)[] = [
  "maxMemoryMb",
  "guaranteedMemoryMb",
  "cores",
  "threads",
  "hostPassthrough",
  "timeZone",
  "usbEnabled",
  "ssoGuestAgent",
  "smartcard",
  "monitors",
  "displayType",
  "soundcard",
];

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function fail(...refs: MessageRef[]): EngineFault {
  return operationFailed("VAR__ACTION__UPDATE", "VAR__TYPE__VM", ...refs);
}

/** The checks of `UpdateVmCommand.validate` on the settings, in its order. */
function validateUpdate(engine: Engine, vm: Vm, body: Body, wanted: VmSettings): void {
  const name = readString(body, "name");
  if (name !== undefined && name.length > engine.store.config.MaxVmNameLength) {
    throw fail("ACTION_TYPE_FAILED_NAME_LENGTH_IS_TOO_LONG");
  }
  const pinned = checkPinnedHosts(engine.store, vm.clusterId, wanted);
  if (pinned !== undefined) {
    throw fail(pinned);
  }
  const cpu = checkCpuTopology(engine.store, wanted);
  if (cpu !== undefined) {
    throw fail(cpu);
  }
  if (wanted.guaranteedMemoryMb > wanted.memoryMb) {
    throw fail("ACTION_TYPE_FAILED_MIN_MEMORY_CANNOT_EXCEED_MEMORY_SIZE");
  }
  // In a stateless pool the VM's VmInit must stay as it is. The REST layer
  // reads the VM with its password hidden (passwordAlreadyStored) and the
  // command compares that with the stored VmInit, so a VM with a stored root
  // password never compares equal (inferred from VmInit.equals).
  const pool = vm.poolId === undefined ? undefined : engine.store.pools.get(vm.poolId);
  const initChanged = !same(wanted.init, vm.settings.init) || vm.settings.init?.rootPassword !== undefined;
  if (vm.poolId !== undefined && (pool === undefined || !pool.stateful) && initChanged) {
    throw fail("ACTION_TYPE_CANNOT_CHANGE_INITIAL_RUN_DATA");
  }
  if (wanted.maxMemoryMb < wanted.memoryMb) {
    throw fail({ key: "ACTION_TYPE_FAILED_MAX_MEMORY_CANNOT_BE_SMALLER_THAN_MEMORY_SIZE", vars: { maxMemory: String(wanted.maxMemoryMb), memory: String(wanted.memoryMb) } });
  }
}

/** Whether a running VM can take this memory change now (hot plug), as `memoryNextRunSnapshotRequired` decides. */
function memoryHotPluggable(vm: Vm, wantedMb: number): boolean {
  const change = wantedMb - vm.settings.memoryMb;
  return vm.status === "up" && change >= 0 && change % HOTPLUG_MEMORY_FACTOR_MB === 0;
}

/**
 * A template id in the body other than the VM's (`UpdateVmCommand.validate`,
 * before any other check): allowed for pool VMs only and within the chain;
 * then the VM moves to that version (down: at once; running: next run) and
 * nothing else in the body is applied.
 */
function changeTemplate(engine: Engine, vm: Vm, templateId: string): Vm {
  const { store } = engine;
  const next = store.templates.get(templateId);
  if (next === undefined) {
    throw fail("ACTION_TYPE_FAILED_TEMPLATE_DOES_NOT_EXIST");
  }
  const current = store.templates.get(vm.templateId);
  if (current !== undefined && current.baseTemplateId !== next.baseTemplateId) {
    throw fail("ACTION_TYPE_FAILED_TEMPLATE_IS_ON_DIFFERENT_CHAIN");
  }
  if (vm.poolId === undefined) {
    throw fail("ACTION_TYPE_FAILED_TEMPLATE_ID_CANT_BE_CHANGED");
  }
  moveVmToVersion(vm, next);
  return vm;
}

/**
 * What `BackendVmResource.update` does before the command: another cluster
 * runs `ChangeVMCluster` (not emulated: refused as such), and pinned hosts
 * given by name become ids (`validateAndUpdateHostsInPlacementPolicy`; an
 * unknown name is 404 `Entity not found`). Returns the body with ids.
 */
function resolveRestParts(engine: Engine, vm: Vm, body: Body): Body {
  const cluster = readReference(body, "cluster");
  const clusterId = cluster?.id ?? [...engine.store.clusters.values()].find((c) => c.name === cluster?.name)?.id;
  if (cluster !== undefined && clusterId !== vm.clusterId) {
    throw new EngineFault(400, { reason: "Not emulated", detail: "The sandbox does not emulate ChangeVMCluster (PUT /vms/{id} with another cluster)." });
  }
  const placement = body["placement_policy"];
  const hosts = typeof placement === "object" && placement !== null ? (placement as Body)["hosts"] : undefined;
  const list = typeof hosts === "object" && hosts !== null ? (hosts as Body)["host"] : undefined;
  if (!Array.isArray(list)) {
    return body;
  }
  const resolved = (list as unknown[]).map((entry) => {
    if (typeof entry !== "object" || entry === null) {
      return entry;
    }
    const host = entry as Body;
    const name = host["name"];
    if (host["id"] !== undefined || typeof name !== "string") {
      return host;
    }
    const found = [...engine.store.hosts.values()].find((h) => h.name === name);
    if (found === undefined) {
      throw entityNotFound(name);
    }
    return { ...host, id: found.id };
  });
  return { ...body, placement_policy: { ...(placement as Body), hosts: { ...(hosts as Body), host: resolved } } };
}

/**
 * `PUT /vms/{id}`: overlays the body on the VM's settings (`next_run=true`
 * sends every change to the next run). Returns the VM.
 */
export function updateVm(engine: Engine, vm: Vm, requestBody: Body, nextRunRequested: boolean): Vm {
  const body = resolveRestParts(engine, vm, requestBody);
  const templateId = readReference(body, "template")?.id;
  if (templateId !== undefined && templateId !== (vm.nextRunTemplateId ?? vm.templateId)) {
    return changeTemplate(engine, vm, templateId);
  }
  const base = vm.nextRun ?? vm.settings;
  const overlaid = overlayVmElement(body, base, "update");
  const wanted = withDefaultTimeZone(overlaid.settings);
  // The sound device is a parameter of the update (params.setSoundDeviceEnabled), not a VmStatic field.
  const soundcard = body["soundcard_enabled"];
  if (typeof soundcard === "boolean") {
    wanted.soundcard = soundcard;
  }
  const beanErrors = overlaid.beanErrors;
  if (beanErrors.length > 0) {
    throw fail(...beanErrors);
  }
  validateUpdate(engine, vm, body, wanted);
  vm.name = readString(body, "name") ?? vm.name;
  const deleteProtected = body["delete_protected"];
  if (typeof deleteProtected === "boolean") {
    vm.deleteProtected = deleteProtected;
  }
  if (!isRunning(vm)) {
    vm.settings = wanted;
    vm.nextRun = undefined;
    return vm;
  }
  const now = copySettings(vm.settings);
  let needsNextRun = nextRunRequested || vm.nextRun !== undefined;
  for (const field of Object.keys(wanted) as (keyof VmSettings)[]) {
    if (same(wanted[field], vm.settings[field])) {
      continue;
    }
    const downOnly = DOWN_ONLY.includes(field) || (field === "memoryMb" && !memoryHotPluggable(vm, wanted.memoryMb)) || (field === "sockets" && vm.status !== "up");
    if (downOnly || nextRunRequested) {
      needsNextRun = true;
    } else {
      // Hot-settable or editable at any status: applies now.
      Object.assign(now, { [field]: wanted[field] });
    }
  }
  vm.settings = now;
  vm.nextRun = needsNextRun ? wanted : undefined;
  return vm;
}
