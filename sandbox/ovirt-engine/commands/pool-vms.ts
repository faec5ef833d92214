/**
 * Adding VMs to a pool (`CommonVmPoolCommand.addVmsToPool`, one `AddVm`
 * each) and where their settings and disks come from: the create's
 * template-plus-`vm` settings, a grow's copy of a pool VM
 * (`GetVmDataByPoolId`), or a new template version. README "VM settings of
 * pool VMs".
 */
import { isRunning, type Engine } from "../engine";
import type { MessageRef } from "../faults";
import type { Template, Vm, VmDisk, VmPool } from "../model";
import { nextPoolVmNames } from "../names";
import { copySettings, withDefaultTimeZone, type VmSettings } from "../vm-settings";
import { checkAddVm } from "./vm-checks";

/** What the VMs of one create or grow are made from. */
export interface PoolVmSource {
  /** The template version the VMs are created from. */
  template: Template;
  /** The `VmStatic` every VM gets a copy of. */
  settings: VmSettings;
  /** `delete_protected` of the new VMs. */
  deleteProtected: boolean;
}

/**
 * The template new VMs use: the latest version of the chain when the pool
 * follows it (`CommonVmPoolCommand.init`), else the given one.
 */
export function effectiveTemplate(engine: Engine, pool: VmPool, template: Template): Template {
  return pool.useLatestTemplateVersion ? (engine.store.latestVersion(template.id) ?? template) : template;
}

/**
 * The source of a grow without `template` in the PUT: the static data of the
 * VM `GetVmDataFromPoolByPoolId` returns (`LIMIT 1` without an order; here
 * the oldest remaining VM). When the pool follows the latest version, the
 * `@CopyOnNewVersion` fields come from that version (`GetVmDataByPoolIdQuery`),
 * the VM's own `initialization` and migration downtime stay.
 */
export function growSourceFromPoolVm(engine: Engine, pool: VmPool, representative: Vm): PoolVmSource {
  const { store } = engine;
  const template = store.templates.get(representative.templateId) ?? store.templates.get(pool.templateId);
  if (template === undefined) {
    throw new Error(`sandbox: pool ${pool.name} has no template`);
  }
  // A pending template change (next run) or use-latest loads the template's data over the VM's.
  const pending = representative.nextRunTemplateId === undefined ? undefined : store.templates.get(representative.nextRunTemplateId);
  const latest = pool.useLatestTemplateVersion ? effectiveTemplate(engine, pool, pending ?? template) : pending;
  const base = representative.settings;
  const settings =
    latest === undefined
      ? copySettings(base)
      : { ...copySettings(latest.settings), migrationDowntimeMs: base.migrationDowntimeMs, init: base.init === undefined ? undefined : { ...base.init } };
  // Devices (console, sound card) of a grow come from the template, not from the copied VM.
  settings.displayType = (latest ?? template).settings.displayType;
  settings.soundcard = (latest ?? template).settings.soundcard;
  return { template: latest ?? template, settings, deleteProtected: representative.deleteProtected };
}

/** A template version's settings on an existing VM (`UpdateVmVersion`: `@CopyOnNewVersion` fields copied). */
function settingsFromNewVersion(template: Template, current: VmSettings): VmSettings {
  return { ...copySettings(template.settings), migrationDowntimeMs: current.migrationDowntimeMs };
}

/**
 * An existing VM follows a template change: a down VM is re-made from the
 * new version at once (`UpdateVmVersion`), a running one gets it as its
 * next-run configuration (`UpdateVmCommand.updateVmTemplateVersion`). Both
 * a pool's template change and a `PUT /vms/{id}` naming a version do this.
 */
export function moveVmToVersion(vm: Vm, version: Template): void {
  const next = settingsFromNewVersion(version, vm.settings);
  if (isRunning(vm)) {
    vm.nextRun = next;
    vm.nextRunTemplateId = version.id;
  } else {
    vm.templateId = version.id;
    vm.settings = next;
    vm.nextRun = undefined;
  }
}

/**
 * The disks of one new VM: on the domain holding the template disk
 * (`fillImagesMapBasedOnTemplate`: the first active one), or, with
 * `auto_storage_select`, on the one with the most space left in this
 * command (`autoSelectTargetDomainAndVolumeFormat`), with that domain's
 * disk profile.
 */
function placeDisk(engine: Engine, pool: VmPool, template: Template, vmName: string, spaceLeft: Map<string, number>): VmDisk[] {
  const { store } = engine;
  const domains = template.diskStorageDomainIds.flatMap((id) => {
    const d = store.storageDomains.get(id);
    return d !== undefined && d.status === "active" ? [d] : [];
  });
  let target = domains[0];
  if (target === undefined) {
    return [];
  }
  if (pool.autoStorageSelect) {
    for (const d of domains) {
      if ((spaceLeft.get(d.id) ?? d.availableBytes) > (spaceLeft.get(target.id) ?? target.availableBytes)) {
        target = d;
      }
    }
    spaceLeft.set(target.id, (spaceLeft.get(target.id) ?? target.availableBytes) - template.diskSizeBytes);
  }
  const profile = [...store.diskProfiles.values()].find((p) => p.storageDomainId === target.id);
  return [{ id: engine.newId(), name: `${vmName}_Disk1`, storageDomainId: target.id, diskProfileId: profile?.id, sizeBytes: template.diskSizeBytes }];
}

/**
 * Adds `count` VMs one by one, as `addVmsToPool` does: each `AddVm` checks
 * the settings and the name; a VM is `image_locked` until its disks are
 * ready; after `VmPoolMaxSubsequentFailures` failures in a row the loop
 * stops. Returns the messages of the failed additions, each once (the engine
 * copies an `AddVm` message only when it is not in the list yet).
 */
export function addVmsToPool(engine: Engine, pool: VmPool, count: number, source: PoolVmSource): MessageRef[] {
  const { store } = engine;
  const dataCenterId = store.clusters.get(pool.clusterId)?.dataCenterId ?? "";
  const failures: MessageRef[] = [];
  const spaceLeft = new Map<string, number>();
  let inARow = 0;
  for (const name of nextPoolVmNames(pool.name, count, store.vmNamesInDataCenter(dataCenterId))) {
    if (inARow >= store.config.VmPoolMaxSubsequentFailures) {
      break;
    }
    const refused = checkAddVm(store, pool.clusterId, name, source.settings);
    if (refused !== undefined) {
      const key = typeof refused === "string" ? refused : refused.key;
      if (!failures.some((f) => (typeof f === "string" ? f : f.key) === key)) {
        failures.push(refused);
      }
      inARow++;
      continue;
    }
    inARow = 0;
    const vm: Vm = {
      id: engine.newId(),
      name,
      clusterId: pool.clusterId,
      templateId: source.template.id,
      poolId: pool.id,
      status: "image_locked",
      stateless: !pool.stateful,
      deleteProtected: source.deleteProtected,
      settings: withDefaultTimeZone(copySettings(source.settings)),
      nextRun: undefined,
      nextRunTemplateId: undefined,
      disks: placeDisk(engine, pool, source.template, name, spaceLeft),
      userIds: [],
      creationTime: engine.clock.now(),
    };
    store.vms.set(vm.id, vm);
    engine.lockImagesThenDown(vm);
  }
  return failures;
}
