/**
 * VM pool commands as the engine's REST layer and backend run them
 * (`BackendVmPoolsResource`, `AddVmPoolCommand`, `UpdateVmPoolCommand`,
 * `RemoveVmPoolCommand`, `AttachUserToVmFromPoolAndRun`), reference §2.
 */
import { readBool, readInt, readObject, readReference, readString, type Body, type Reference } from "../body";
import { isRunning, type CommandContext, type Engine } from "../engine";
import { entityNotFound, EngineFault, incompleteParameters, operationFailed, type MessageRef } from "../faults";
import type { EngineMessageKey } from "../engine-messages";
import { BLANK_TEMPLATE_ID, type Cluster, type Template, type Vm, type VmPool } from "../model";
import { isValidPoolName } from "../names";
import { copySettings, overlayVmElement } from "../vm-settings";
import { addVmsToPool, effectiveTemplate, growSourceFromPoolVm, moveVmToVersion, type PoolVmSource } from "./pool-vms";

/** Bean range of `max_user_vms`. */
const MAX_USER_VMS_RANGE = { min: 1, max: 32767 };

function resolveCluster(engine: Engine, ref: Reference): Cluster {
  const clusters = [...engine.store.clusters.values()];
  if (ref.id !== undefined) {
    const found = engine.store.clusters.get(ref.id);
    if (found === undefined) {
      throw entityNotFound(`Cluster: id=${ref.id}`);
    }
    return found;
  }
  const found = clusters.find((c) => c.name === ref.name);
  if (found === undefined) {
    throw entityNotFound(`Cluster: name=${ref.name ?? ""}`);
  }
  return found;
}

/** Templates by id, or by name (the base version, inferred). */
export function resolveTemplate(engine: Engine, ref: Reference): Template {
  if (ref.id !== undefined) {
    const found = engine.store.templates.get(ref.id);
    if (found === undefined) {
      throw entityNotFound(ref.id);
    }
    return found;
  }
  const found = [...engine.store.templates.values()]
    .filter((t) => t.name === ref.name)
    .sort((a, b) => a.versionNumber - b.versionNumber)[0];
  if (found === undefined) {
    throw entityNotFound(`Template: name=${ref.name ?? ""}`);
  }
  return found;
}

/** Bean validation of the pool entity, which runs before `validate()`. */
function validateBean(name: string, maxUserVms: number): MessageRef[] {
  const refs: MessageRef[] = [];
  if (!isValidPoolName(name)) {
    refs.push("ACTION_TYPE_FAILED_INVALID_POOL_NAME", { key: "ACTION_TYPE_FAILED_ATTRIBUTE_PATH", vars: { path: "vmPool.name" } });
  }
  if (maxUserVms < MAX_USER_VMS_RANGE.min || maxUserVms > MAX_USER_VMS_RANGE.max) {
    refs.push("VALIDATION_VM_POOLS_NUMBER_OF_MAX_ASSIGNED_VMS_OUT_OF_RANGE", {
      key: "ACTION_TYPE_FAILED_ATTRIBUTE_PATH",
      vars: { path: "vmPool.maxAssignedVmsPerUser" },
    });
  }
  return refs;
}

/** The first failing step of `CommonVmPoolCommand.validate` shared by add and update. */
function validateCommon(engine: Engine, pool: { id: string | undefined; name: string }, cluster: Cluster, template: Template): EngineMessageKey | undefined {
  if (cluster.cpuArchitecture === "") {
    return "ACTION_TYPE_FAILED_CLUSTER_UNDEFINED_ARCHITECTURE";
  }
  const clash = [...engine.store.pools.values()].find((p) => p.name === pool.name && p.id !== pool.id);
  if (clash !== undefined) {
    return clash.lock === "creating" ? "ACTION_TYPE_FAILED_VM_POOL_IS_BEING_CREATED" : "ACTION_TYPE_FAILED_NAME_ALREADY_USED";
  }
  if (engine.store.clusterDataCenter(cluster.id)?.status !== "up") {
    return "ACTION_TYPE_FAILED_STORAGE_POOL_STATUS_ILLEGAL";
  }
  if (template.id !== BLANK_TEMPLATE_ID && template.cpuArchitecture !== cluster.cpuArchitecture) {
    return "ACTION_TYPE_FAILED_TEMPLATE_IS_INCOMPATIBLE";
  }
  return undefined;
}

/** `POST /vmpools`: validates, creates the pool and all its VMs inside the request. */
export function createPool(engine: Engine, ctx: CommandContext, body: Body): VmPool {
  const name = readString(body, "name");
  const templateRef = readReference(body, "template");
  const clusterRef = readReference(body, "cluster");
  const missing = [name === undefined ? "name" : undefined, templateRef === undefined ? "template.id|name" : undefined, clusterRef === undefined ? "cluster.id|name" : undefined].filter(
    (f): f is string => f !== undefined,
  );
  if (name === undefined || templateRef === undefined || clusterRef === undefined) {
    throw incompleteParameters("VmPool", missing, "add");
  }
  const cluster = resolveCluster(engine, clusterRef);
  const template = resolveTemplate(engine, templateRef);
  const size = readInt(body, "size") ?? 1;
  const prestarted = readInt(body, "prestarted_vms") ?? 0;
  const maxUserVms = readInt(body, "max_user_vms") ?? 1;
  const fail = (...refs: MessageRef[]): EngineFault => {
    engine.recordJob(ctx, `Creating VM Pool ${name} from template ${template.name}`, false);
    return operationFailed("VAR__ACTION__CREATE", "VAR__TYPE__DESKTOP_POOL", ...refs);
  };

  // The template's settings with the `vm` element over them (BackendVmPoolsResource.mapToVM).
  const vmElement = readObject(body, "vm");
  const base = copySettings(template.settings);
  base.soundcard = readBool(body, "soundcard_enabled") ?? template.settings.soundcard;
  const overlaid = vmElement === undefined ? { settings: base, beanErrors: [] } : overlayVmElement(vmElement, base, "create");
  const beanErrors = [...validateBean(name, maxUserVms), ...overlaid.beanErrors];
  if (beanErrors.length > 0) {
    throw fail(...beanErrors);
  }
  const common = validateCommon(engine, { id: undefined, name }, cluster, template);
  if (common !== undefined) {
    throw fail(common);
  }
  if (size < 1) {
    throw fail("VM_POOL_CANNOT_CREATE_WITH_NO_VMS");
  }
  // The REST mapper sets both assignedVmsCount and vmsCount to `size`, so the
  // engine only refuses prestarted > 2 x size (reference §2.3, inferred).
  if (prestarted > size + size) {
    throw fail("ACTION_TYPE_FAILED_PRESTARTED_VMS_CANNOT_EXCEED_VMS_COUNT");
  }
  if (template.id === BLANK_TEMPLATE_ID) {
    throw fail("VM_POOL_CANNOT_CREATE_FROM_BLANK_TEMPLATE");
  }

  const display = readObject(body, "display");
  const pool: VmPool = {
    id: engine.newId(),
    name,
    description: readString(body, "description") ?? "",
    comment: readString(body, "comment") ?? "",
    clusterId: cluster.id,
    templateId: template.id,
    useLatestTemplateVersion: readBool(body, "use_latest_template_version") ?? false,
    type: readString(body, "type") === "manual" ? "manual" : "automatic",
    stateful: readBool(body, "stateful") ?? false,
    autoStorageSelect: readBool(body, "auto_storage_select") ?? false,
    maxUserVms,
    prestartedVms: prestarted,
    soundcardEnabled: readBool(body, "soundcard_enabled") ?? false,
    tpmEnabled: readBool(body, "tpm_enabled") ?? false,
    displayProxy: display === undefined ? undefined : readString(display, "proxy"),
    beingDestroyed: false,
    lock: "creating",
  };
  engine.store.pools.set(pool.id, pool);
  const deleteProtected = vmElement === undefined ? undefined : readBool(vmElement, "delete_protected");
  const source: PoolVmSource = { template: effectiveTemplate(engine, pool, template), settings: overlaid.settings, deleteProtected: deleteProtected ?? template.deleteProtected };
  const failures = addVmsToPool(engine, pool, size, source);
  pool.lock = undefined;
  if (engine.store.poolVms(pool.id).length === 0) {
    // onNoVmsAdded: the pool row goes too.
    engine.forgetPool(pool.id);
  }
  if (failures.length > 0) {
    engine.recordJob(ctx, `Creating VM Pool ${name} from template ${template.name}`, false);
    // The copied AddVm messages decide the status; the pool may exist with
    // fewer VMs. The pool command's own `$action create` / `$type VM-Pool`
    // come first in the list, and the translator keeps the first value of
    // each variable, so AddVm's `add` / `VM` lose (inferred).
    throw operationFailed("VAR__ACTION__CREATE", "VAR__TYPE__DESKTOP_POOL", ...failures);
  }
  engine.recordJob(ctx, `Creating VM Pool ${name} from template ${template.name}`, true);
  return pool;
}

/** `PUT /vmpools/{id}`: overlays the body on the pool; `size` is the absolute target and may only grow. */
export function updatePool(engine: Engine, ctx: CommandContext, pool: VmPool, body: Body): VmPool {
  const { store } = engine;
  const current = store.poolVms(pool.id);
  const target = readInt(body, "size") ?? current.length;
  const fail = (...refs: MessageRef[]): EngineFault => {
    engine.recordJob(ctx, `Configuring VM Pool ${pool.name} properties`, false);
    return operationFailed("VAR__ACTION__UPDATE", "VAR__TYPE__DESKTOP_POOL", ...refs);
  };
  const name = readString(body, "name") ?? pool.name;
  const maxUserVms = readInt(body, "max_user_vms") ?? pool.maxUserVms;
  const prestarted = readInt(body, "prestarted_vms") ?? pool.prestartedVms;
  const templateRef = readReference(body, "template");
  const template = templateRef === undefined ? store.templates.get(pool.templateId) : resolveTemplate(engine, templateRef);
  const cluster = store.clusters.get(pool.clusterId);
  if (template === undefined || cluster === undefined) {
    throw fail("VM_POOL_CANNOT_UPDATE_POOL_NOT_FOUND");
  }
  const useLatest = readBool(body, "use_latest_template_version") ?? pool.useLatestTemplateVersion;

  const beanErrors = validateBean(name, maxUserVms);
  if (beanErrors.length > 0) {
    throw fail(...beanErrors);
  }
  if (pool.beingDestroyed) {
    throw fail({ key: "ACTION_TYPE_FAILED_VM_POOL_IS_BEING_REMOVED", vars: { VmPoolName: pool.name } });
  }
  if (pool.lock === "updating") {
    throw fail({ key: "ACTION_TYPE_FAILED_VM_POOL_IS_BEING_UPDATED", vars: { VmPoolName: pool.name } });
  }
  const common = validateCommon(engine, { id: pool.id, name }, cluster, template);
  if (common !== undefined) {
    throw fail(common);
  }
  // Still `CommonVmPoolCommand.validate`: the engine bounds prestarted by
  // assignedVmsCount + vmsCount, i.e. the current count when not growing and
  // s + (s - c) when going from c to s. It runs before the decrease check.
  if (prestarted > target + (target - current.length)) {
    throw fail("ACTION_TYPE_FAILED_PRESTARTED_VMS_CANNOT_EXCEED_VMS_COUNT");
  }
  // `UpdateVmPoolCommand.validate`, each check failing alone, in this order.
  const checks: [boolean, EngineMessageKey][] = [
    [target < current.length, "VM_POOL_CANNOT_DECREASE_VMS_FROM_POOL"],
    [(readString(body, "type") ?? pool.type) !== pool.type, "VM_POOL_CANNOT_CHANGE_POOL_TYPE"],
    [(readBool(body, "stateful") ?? pool.stateful) !== pool.stateful, "VM_POOL_CANNOT_CHANGE_POOL_STATEFUL_OPTION"],
    [name !== pool.name, "VM_POOL_CANNOT_CHANGE_POOL_NAME"],
    [(readBool(body, "auto_storage_select") ?? pool.autoStorageSelect) !== pool.autoStorageSelect, "VM_POOL_CANNOT_CHANGE_AUTO_STORAGE_SELECT"],
  ];
  const failed = checks.find(([differs]) => differs);
  if (failed !== undefined) {
    throw fail(failed[1]);
  }
  const templateChanged = template.id !== pool.templateId || useLatest !== pool.useLatestTemplateVersion;
  if (templateChanged) {
    if (current.some((vm) => vm.deleteProtected)) {
      throw fail("VM_POOL_CANNOT_CHANGE_TEMPLATE_WHEN_DELETE_PROTECTED");
    }
    if (template.baseTemplateId !== store.templates.get(pool.templateId)?.baseTemplateId) {
      throw fail("ACTION_TYPE_FAILED_TEMPLATE_IS_ON_DIFFERENT_CHAIN");
    }
  }

  pool.description = readString(body, "description") ?? pool.description;
  pool.comment = readString(body, "comment") ?? pool.comment;
  pool.maxUserVms = maxUserVms;
  pool.prestartedVms = prestarted;
  pool.templateId = template.id;
  pool.useLatestTemplateVersion = useLatest;
  const display = readObject(body, "display");
  if (display !== undefined) {
    pool.displayProxy = readString(display, "proxy");
  }
  if (templateChanged) {
    const version = effectiveTemplate(engine, pool, template);
    for (const vm of current) {
      moveVmToVersion(vm, version);
    }
  }
  // The PUT's `vm` element is never read (UpdateParametersProvider maps the stored pool).
  const failures = target > current.length ? addVmsToPool(engine, pool, target - current.length, growSource(engine, pool, current, templateRef === undefined ? undefined : template)) : [];
  engine.recordJob(ctx, `Configuring VM Pool ${pool.name} properties`, failures.length === 0);
  // The engine triggers the monitor after executing, whether or not every VM was added.
  engine.triggerPrestartMonitor();
  if (failures.length > 0) {
    throw operationFailed("VAR__ACTION__UPDATE", "VAR__TYPE__DESKTOP_POOL", ...failures);
  }
  return pool;
}

/**
 * Where a grow's VMs come from: with `template` in the PUT, that template
 * (its settings and `initialization`; `VmMapper.map(template, ...)`);
 * without, a copy of a pool VM (`GetVmDataByPoolId`).
 */
function growSource(engine: Engine, pool: VmPool, current: Vm[], named: Template | undefined): PoolVmSource {
  const representative = current[0];
  if (named === undefined && representative !== undefined) {
    return growSourceFromPoolVm(engine, pool, representative);
  }
  const template = named ?? engine.store.templates.get(pool.templateId);
  if (template === undefined) {
    throw new Error(`sandbox: pool ${pool.name} has no template`);
  }
  const version = effectiveTemplate(engine, pool, template);
  return { template: version, settings: copySettings(template.settings), deleteProtected: template.deleteProtected };
}

/**
 * `DELETE /vmpools/{id}`: answers at once. Down VMs are detached and removed
 * now; running ones are powered off and removed when down, then the pool row
 * goes. A delete-protected VM stays behind as a standalone VM and halts the
 * removal, leaving the pool.
 */
export function removePool(engine: Engine, ctx: CommandContext, pool: VmPool): void {
  const { store } = engine;
  const clusterName = store.clusters.get(pool.clusterId)?.name ?? "";
  pool.beingDestroyed = true;
  pool.prestartedVms = 0;
  pool.lock = "removing";
  engine.recordJob(ctx, `Removing VM Pool ${pool.name} from Cluster ${clusterName}`, true);

  let halted = false;
  const removeIfDown = (vm: Vm): void => {
    if (halted || store.vms.get(vm.id) !== vm || vm.status !== "down") {
      return;
    }
    vm.poolId = undefined;
    if (vm.deleteProtected) {
      halted = true;
      return;
    }
    engine.forgetVm(vm);
  };
  const finishIfEmpty = (): void => {
    if (!halted && store.poolVms(pool.id).length === 0) {
      engine.forgetPool(pool.id);
    }
  };
  for (const vm of store.poolVms(pool.id)) {
    if (vm.status === "down") {
      removeIfDown(vm);
    } else if (vm.status === "image_locked") {
      // Disks still being created: removal waits for them.
      const wait = (): void => {
        if (vm.status === "image_locked") {
          engine.clock.schedule(engine.timings.diskCreateMs, wait);
        } else if (isRunning(vm)) {
          engine.stopVm(vm, () => {
            removeIfDown(vm);
            finishIfEmpty();
          });
        } else {
          removeIfDown(vm);
          finishIfEmpty();
        }
      };
      engine.clock.schedule(engine.timings.diskCreateMs, wait);
    } else {
      engine.stopVm(vm, () => {
        removeIfDown(vm);
        finishIfEmpty();
      });
    }
  }
  finishIfEmpty();
}

/**
 * `POST /vmpools/{id}/allocatevm`: attaches a free VM to the caller and runs
 * it, preferring an already prestarted one.
 */
export function allocateVm(engine: Engine, ctx: CommandContext, pool: VmPool): Vm {
  const vms = engine.store.poolVms(pool.id);
  const fail = (key: EngineMessageKey): EngineFault => operationFailed("VAR__ACTION__ALLOCATE_AND_RUN", "VAR__TYPE__VM_FROM_VM_POOL", key);
  const free = vms.filter((vm) => vm.userIds.length === 0);
  const chosen = free.find((vm) => vm.status === "up") ?? free.find((vm) => vm.status === "down");
  if (chosen === undefined || pool.beingDestroyed) {
    throw fail("ACTION_TYPE_FAILED_NO_AVAILABLE_POOL_VMS");
  }
  if (vms.filter((vm) => vm.userIds.includes(ctx.user.id)).length >= pool.maxUserVms) {
    throw fail("VM_POOL_CANNOT_ATTACH_TO_MORE_VMS_FROM_POOL");
  }
  engine.attachUser(chosen, ctx.user.id);
  if (chosen.status === "down") {
    engine.startVm(chosen);
  }
  return chosen;
}
