/**
 * Taking VMs out of a pool, which the engine allows one way only: detach a
 * VM (it becomes a standalone VM) and then remove it, two requests. An
 * answer lost between them, or an engine that stops answering, would leave
 * a standalone VM that nothing tracks. So detaching is repeatable (a VM
 * found already detached counts as detached), removal treats not-found as
 * done, and a VM still standing when the engine stops answering is handed
 * back to be recorded in the pool's state (`pendingVmRemovals`): the next
 * update, or the pool's delete, removes it.
 */
import { BackendError, NotFoundError, type ErrorContext } from "../../errors";
import type { OvirtPoolInputs } from "../../schemas/vm-pool";
import type { OvirtClient } from "./client";
import { listOvirtPoolVms, planOvirtShrink } from "./ovirt-usage";
import type { ObservedOvirtPool } from "./mapping";

/** The state key of the VMs a shrink detached but could not remove yet. */
export const PENDING_REMOVALS_KEY = "pendingVmRemovals";

/** What the removal needs from the backend. */
export interface RemovalContext {
  readonly client: OvirtClient;
  readonly ctx: ErrorContext;
  /** Waits before poll number `poll` of one wait. */
  pause(poll: number): Promise<void>;
  /** When the operation must give up, ms since the epoch, and its budget (for messages). */
  readonly deadline: { readonly at: number; readonly budgetMs: number };
}

/**
 * A removal interrupted by the engine: `pendingVmIds` are VMs that may be
 * detached but not removed. It never leaves the backend, which turns it into
 * a `PoolInitError` carrying them, so `instanceof` is safe here.
 */
export class InterruptedRemovalError extends Error {
  constructor(
    readonly pendingVmIds: readonly string[],
    readonly reason: unknown,
  ) {
    super(reason instanceof Error ? reason.message : String(reason));
    this.name = "InterruptedRemovalError";
  }
}

/** The VM ids a previous, interrupted shrink left to remove, from the pool's state. */
export function readPendingRemovals(state: object): string[] {
  const value = (state as Record<string, unknown>)[PENDING_REMOVALS_KEY];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** Detaches a pool VM; a VM already detached (by an earlier attempt whose answer was lost) counts as detached. */
export async function detachOvirtVm(client: OvirtClient, ctx: ErrorContext, vmId: string): Promise<void> {
  try {
    await client.call(ctx, "POST", `/vms/${vmId}/detach`, { body: {}, idempotent: true });
  } catch (err) {
    if (!(BackendError.isInstance(err) && err.status === 409 && err.message.includes("not attached to the VM-Pool"))) {
      throw err;
    }
  }
}

/** Removes a standalone VM; not-found is done. */
async function removeOvirtVm(client: OvirtClient, ctx: ErrorContext, vmId: string): Promise<void> {
  try {
    await client.call(ctx, "DELETE", `/vms/${vmId}`, { idempotent: true });
  } catch (err) {
    if (!NotFoundError.isInstance(err)) {
      throw err;
    }
  }
}

/**
 * Removes the VMs an interrupted shrink left: each that is still a
 * standalone VM and down. One back in a pool, running, or gone is left
 * alone (never delete a VM someone started since). Throws an
 * {@link InterruptedRemovalError} with those still to do when the engine
 * fails again.
 */
export async function finishPendingRemovals(client: OvirtClient, ctx: ErrorContext, vmIds: readonly string[]): Promise<void> {
  for (const [i, vmId] of vmIds.entries()) {
    try {
      let vm: { status?: string; vm_pool?: unknown } | undefined;
      try {
        vm = (await client.call(ctx, "GET", `/vms/${vmId}`, { idempotent: true })).body as { status?: string; vm_pool?: unknown };
      } catch (err) {
        if (!NotFoundError.isInstance(err)) {
          throw err;
        }
      }
      if (vm !== undefined && vm.vm_pool === undefined && vm.status === "down") {
        await removeOvirtVm(client, ctx, vmId);
      }
    } catch (err) {
      throw new InterruptedRemovalError(vmIds.slice(i), err);
    }
  }
}

async function waitUntilDown(rc: RemovalContext, poolName: string, ids: ReadonlySet<string>): Promise<void> {
  for (let poll = 0; ; poll++) {
    const pending = (await listOvirtPoolVms(rc.client, rc.ctx, poolName)).filter((vm) => ids.has(vm.id) && vm.status !== "down");
    if (pending.length === 0) {
      return;
    }
    if (Date.now() > rc.deadline.at) {
      throw new BackendError(rc.ctx, `VMs ${pending.map((vm) => vm.name).join(", ")} did not stop in time`, { retryable: true });
    }
    await rc.pause(poll);
  }
}

/**
 * Shrinks a pool: only VMs that are down and held by no user go, newest
 * first, unless `forceShrink`; otherwise it fails before changing anything,
 * naming the VMs in use and their users (`onFirstChange` is called before
 * the first change, never for a refusal). Each VM is detached, then removed;
 * when the engine fails half-way, the VM in hand is handed back in an
 * {@link InterruptedRemovalError} (the VMs after it are untouched, still in
 * the pool, and the next update shrinks again).
 */
export async function shrinkOvirtPool(rc: RemovalContext, current: ObservedOvirtPool, inputs: OvirtPoolInputs, onFirstChange: () => void = () => undefined): Promise<void> {
  const { excess, free, busy, refusal } = await planOvirtShrink(rc.client, rc.ctx, current, inputs);
  let chosen = free;
  if (free.length < excess) {
    if (refusal !== undefined) {
      throw new BackendError(rc.ctx, refusal, { status: 409 });
    }
    chosen = [...free, ...busy.slice(0, excess - free.length).map(({ vm }) => vm)];
    onFirstChange();
    for (const vm of chosen.filter((v) => v.status !== "down")) {
      await rc.client.call(rc.ctx, "POST", `/vms/${vm.id}/stop`, { body: {}, idempotent: true });
    }
    await waitUntilDown(rc, current.name, new Set(chosen.map((vm) => vm.id)));
  }
  onFirstChange();
  for (const vm of chosen) {
    try {
      await detachOvirtVm(rc.client, rc.ctx, vm.id);
      await removeOvirtVm(rc.client, rc.ctx, vm.id);
    } catch (err) {
      throw new InterruptedRemovalError([vm.id], err);
    }
  }
}

/**
 * Stops the pool's running VMs, waits until they are down, then detaches
 * each, keeping them as standalone VMs (the last detach removes the pool).
 */
export async function detachAllOvirtVms(rc: RemovalContext, poolName: string): Promise<void> {
  for (const vm of await listOvirtPoolVms(rc.client, rc.ctx, poolName)) {
    if (vm.status !== "down" && vm.status !== "image_locked") {
      await rc.client.call(rc.ctx, "POST", `/vms/${vm.id}/stop`, { body: {}, idempotent: true });
    }
  }
  for (let poll = 0; ; poll++) {
    const vms = await listOvirtPoolVms(rc.client, rc.ctx, poolName);
    if (vms.every((vm) => vm.status === "down")) {
      for (const vm of vms) {
        await detachOvirtVm(rc.client, rc.ctx, vm.id);
      }
      return;
    }
    if (Date.now() > rc.deadline.at) {
      throw new BackendError(rc.ctx, `VMs ${vms.filter((vm) => vm.status !== "down").map((vm) => vm.name).join(", ")} did not stop in time to be detached`, { retryable: true });
    }
    await rc.pause(poll);
  }
}
