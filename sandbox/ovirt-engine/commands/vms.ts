/**
 * VM commands that matter for pools (reference §3): detach, stop, shutdown,
 * start, suspend, remove, and a user taking a pool VM.
 */
import { isRunning, type Engine } from "../engine";
import { EngineFault, operationFailed } from "../faults";
import type { User, Vm } from "../model";

/**
 * `POST /vms/{id}/detach`: the VM leaves its pool (which shrinks by one and
 * has `prestarted_vms` capped at the new count) and stays as a normal VM.
 * Detaching the last VM deletes the pool.
 */
export function detachVm(engine: Engine, vm: Vm): void {
  const fail = (key: "VM_POOL_CANNOT_DETACH_VM_NOT_ATTACHED_TO_POOL" | "VM_POOL_CANNOT_REMOVE_RUNNING_VM_FROM_POOL" | "ACTION_TYPE_FAILED_VM_IS_LOCKED"): EngineFault =>
    operationFailed("VAR__ACTION__DETACH", "VAR__TYPE__VM", key);
  if (vm.poolId === undefined) {
    throw fail("VM_POOL_CANNOT_DETACH_VM_NOT_ATTACHED_TO_POOL");
  }
  if (isRunning(vm)) {
    throw fail("VM_POOL_CANNOT_REMOVE_RUNNING_VM_FROM_POOL");
  }
  if (vm.status === "image_locked") {
    throw fail("ACTION_TYPE_FAILED_VM_IS_LOCKED");
  }
  const pool = engine.store.pools.get(vm.poolId);
  vm.poolId = undefined;
  if (pool === undefined) {
    return;
  }
  const remaining = engine.store.poolVms(pool.id).length;
  pool.prestartedVms = Math.min(pool.prestartedVms, remaining);
  if (remaining === 0) {
    engine.forgetPool(pool.id);
  }
}

/** `POST /vms/{id}/stop` and `/shutdown`: accepted at once; the VM reaches `down` later. */
export function stopVm(engine: Engine, vm: Vm): void {
  if (isRunning(vm) && vm.status !== "powering_down") {
    engine.stopVm(vm);
  }
}

/** `POST /vms/{id}/start`. */
export function startVm(engine: Engine, vm: Vm): void {
  if (vm.status === "image_locked") {
    throw operationFailed("VAR__ACTION__RUN", "VAR__TYPE__VM", "ACTION_TYPE_FAILED_VM_IS_LOCKED");
  }
  if (vm.status === "down") {
    engine.startVm(vm);
  }
}

/** `POST /vms/{id}/suspend`: refused for pool VMs. */
export function suspendVm(vm: Vm): void {
  if (vm.poolId !== undefined) {
    throw operationFailed(undefined, undefined, "VM_CANNOT_SUSPEND_VM_FROM_POOL");
  }
  if (isRunning(vm)) {
    vm.status = "suspended";
  }
}

/** `DELETE /vms/{id}`: a running VM and a pool VM are refused, in that order. */
export function removeVm(engine: Engine, vm: Vm): void {
  if (isRunning(vm)) {
    throw operationFailed("VAR__ACTION__REMOVE", "VAR__TYPE__VM", "ACTION_TYPE_FAILED_VM_IS_RUNNING");
  }
  if (vm.poolId !== undefined) {
    throw operationFailed("VAR__ACTION__REMOVE", "VAR__TYPE__VM", "ACTION_TYPE_FAILED_VM_ATTACHED_TO_POOL");
  }
  if (vm.deleteProtected) {
    throw operationFailed("VAR__ACTION__REMOVE", "VAR__TYPE__VM", "ACTION_TYPE_FAILED_DELETE_PROTECTION_ENABLED");
  }
  engine.forgetVm(vm);
}

/**
 * A user takes a pool VM, as the VM Portal does (control API only): the user
 * is attached and the VM runs.
 */
export function takeVm(engine: Engine, vm: Vm, user: User): void {
  engine.attachUser(vm, user.id);
  if (vm.status === "down") {
    engine.startVm(vm);
  }
}
