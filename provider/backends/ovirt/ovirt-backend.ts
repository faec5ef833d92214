/**
 * Pools on an oVirt engine, through its REST API v4 (reference §2, §3, §6).
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

import { BackendError, NotFoundError, PoolInitError, type ErrorContext } from "../../errors";
import { calculateTimeoutMs, DEFAULT_TIMEOUTS_MS, type OvirtPoolInputs, type VmPoolInputs } from "../../schemas/vm-pool";
import type { PoolSnapshot, VmPoolBackend, VmPoolState } from "../backend";
import type { OvirtClient } from "./client";
import { findOvirtCreateJobs, findOvirtPoolByName } from "./ovirt-pool-lookups";
import { verifyOvirtPool } from "./ovirt-pool-verify";
import { resolveOvirtCluster, resolveOvirtRefs } from "./ovirt-refs";
import { countOvirtPoolUsage, listOvirtPoolVms } from "./ovirt-usage";
import { detachAllOvirtVms, finishPendingRemovals, InterruptedRemovalError, PENDING_REMOVALS_KEY, readPendingRemovals, shrinkOvirtPool, type RemovalContext } from "./ovirt-vm-removal";
import { fromOvirtPool, toInputsFromOvirtPool, toOvirtPoolCreateBody, toOvirtPoolUpdateBody, type ObservedOvirtPool, type ObservedOvirtVm, type ResolvedRefs } from "./mapping";
import { resolveOvirtStartHosts } from "./ovirt-host-lookups";
import { readOvirtVmSettingsState, updateFreeOvirtVms, updateNewOvirtVms } from "./ovirt-vm-settings";
import { hashPoolSecrets } from "../../secret-hash";

/** How often and (unless a pool's `timeouts` say otherwise) how long the backend waits for the engine. */
export interface OvirtWaits {
  /** Polling period. @default 2000 ms */
  readonly pollMs: number;
  /** Longest wait of any operation. @default the operation's default in DEFAULT_TIMEOUTS_MS */
  readonly timeoutMs?: number;
}

/** When an operation must give up: the time, and the budget it came from (for messages). */
interface Deadline {
  readonly at: number;
  readonly budgetMs: number;
}

/** The defaults of {@link OvirtWaits}. */
export const DEFAULT_OVIRT_WAITS: OvirtWaits = { pollMs: 2_000 };

/**
 * The first wait between two polls, doubled after each until `pollMs`: most
 * waits (disks of a small pool, a removal) end within a second, and a fixed
 * 2 s period would make every one of them last 2 s; long waits still poll
 * every `pollMs`, so the number of polls grows with the time waited, never
 * with the number of VMs.
 */
const FIRST_POLL_MS = 250;

function toOvirtInputs(inputs: VmPoolInputs): OvirtPoolInputs {
  if (inputs.backend.kind !== "ovirt") {
    throw new Error(`the oVirt backend was given a '${inputs.backend.kind}' pool`);
  }
  return inputs as OvirtPoolInputs;
}

/** Pools as oVirt `vm_pool` entities. */
export class OvirtBackend implements VmPoolBackend {
  constructor(
    private readonly client: OvirtClient,
    private readonly waits: OvirtWaits = DEFAULT_OVIRT_WAITS,
  ) {}

  private context(operation: string, resource: string): ErrorContext {
    return { backend: "ovirt", operation, resource };
  }

  private async listVms(ctx: ErrorContext, poolName: string): Promise<ObservedOvirtVm[]> {
    return listOvirtPoolVms(this.client, ctx, poolName);
  }

  private async findPoolByName(ctx: ErrorContext, name: string): Promise<ObservedOvirtPool | undefined> {
    return findOvirtPoolByName(this.client, ctx, name);
  }

  /** Waits before poll number `poll` (0-based) of one wait: {@link FIRST_POLL_MS}, doubling up to `pollMs`. */
  private async pause(poll: number): Promise<void> {
    await sleep(Math.min(this.waits.pollMs, FIRST_POLL_MS * 2 ** Math.min(poll, 16)));
  }

  /** The time an operation may wait: the pool's `timeouts`, else the backend's setting, else the default. */
  private deadlineOf(inputs: OvirtPoolInputs, operation: "create" | "update" | "delete"): Deadline {
    const budgetMs = inputs.timeouts?.[operation] !== undefined ? calculateTimeoutMs(inputs, operation) : (this.waits.timeoutMs ?? DEFAULT_TIMEOUTS_MS[operation]);
    return { at: Date.now() + budgetMs, budgetMs };
  }

  /** Waits until the pool has `size` VMs and none is `image_locked`; resolves with them. */
  private async waitForVms(ctx: ErrorContext, pool: ObservedOvirtPool, size: number, deadline: Deadline): Promise<ObservedOvirtVm[]> {
    for (let poll = 0; ; poll++) {
      const vms = await this.listVms(ctx, pool.name);
      if (vms.length >= size && vms.every((vm) => vm.status !== "image_locked")) {
        return vms;
      }
      if (Date.now() > deadline.at) {
        const locked = vms.filter((vm) => vm.status === "image_locked").map((vm) => vm.name);
        throw new PoolInitError(pool.id, {}, [`after ${Math.round(deadline.budgetMs / 1000)}s the pool has ${vms.length} of ${size} VMs${locked.length > 0 ? `, and ${locked.join(", ")} still have locked disks` : ""}; the next 'pulumi up' waits again`]);
      }
      await this.pause(poll);
    }
  }

  /**
   * The pool's snapshot once, with `backend.waitForPrestarted`, as many free
   * VMs are running as `prestarted` asks. The engine's monitor starts them up
   * to `VmPoolMonitorIntervalInMinutes` (5) after a create, at once after an
   * update. Past the deadline the pool exists, so the error carries its id.
   * `first` is the pool and its VMs as just seen (the answer of the create or
   * update, and the VMs the wait for disks listed): the engine is asked again
   * only when there is something to wait for.
   */
  private async waitForPrestarted(ctx: ErrorContext, first: { pool: ObservedOvirtPool; vms: readonly ObservedOvirtVm[] }, inputs: OvirtPoolInputs, refs: ResolvedRefs, deadline: Deadline): Promise<PoolSnapshot> {
    const id = first.pool.id;
    for (let poll = 0; ; poll++) {
      const observed = poll === 0 ? first.pool : fromOvirtPool((await this.client.call(ctx, "GET", `/vmpools/${id}`, { idempotent: true })).body);
      const snapshot = await this.snapshot(ctx, observed, poll === 0 ? first.vms : await this.listVms(ctx, observed.name), inputs, refs);
      const up = snapshot.state.vms?.filter((vm) => vm.status === "up").length ?? 0;
      const ready = Math.min(snapshot.state.prestartedVmCount ?? 0, up);
      if (inputs.backend.waitForPrestarted !== true || ready >= inputs.prestarted) {
        return snapshot;
      }
      if (Date.now() > deadline.at) {
        throw new PoolInitError(id, { ...snapshot.state }, [`${ready} of ${inputs.prestarted} prestarted VMs are up; the engine's prestart monitor starts them within VmPoolMonitorIntervalInMinutes; the next 'pulumi up' waits again`]);
      }
      await this.pause(poll);
    }
  }

  /**
   * The pool as state: credentials as salted hashes, and each VM with the
   * declared `backend.vm` settings it does not carry.
   */
  private async snapshot(ctx: ErrorContext, observed: ObservedOvirtPool, vms: readonly ObservedOvirtVm[], previous: OvirtPoolInputs, refs: ResolvedRefs): Promise<PoolSnapshot> {
    const inputs = hashPoolSecrets(toInputsFromOvirtPool(observed, previous, refs));
    const usage = await countOvirtPoolUsage(this.client, ctx, observed.type, vms);
    const staleOf = await readOvirtVmSettingsState(this.client, ctx, previous, vms, observed.clusterId);
    return {
      id: observed.id,
      inputs,
      state: {
        ...inputs,
        uid: observed.id,
        apiVersion: "ovirt-engine/api/v4",
        vmCount: vms.length,
        readyVmCount: vms.filter((vm) => vm.status === "up").length,
        vms: vms.map((vm) => ({ id: vm.id, name: vm.name, status: vm.status, ...(staleOf === undefined ? {} : { staleSettings: staleOf.get(vm.id) ?? [] }) })),
        ...(staleOf === undefined ? {} : { vmsWithOldSettings: vms.filter((vm) => (staleOf.get(vm.id) ?? []).length > 0).map((vm) => vm.name) }),
        runningVmCount: usage.running,
        prestartedVmCount: usage.prestarted,
        takenVmCount: usage.taken,
      },
    };
  }

  /**
   * Creates the pool with a fresh correlation id. If the answer is an error
   * or lost (a dropped connection, a gateway's 5xx, a 409 to a POST the
   * client repeated after the first one ran), the pool is looked up by name
   * and claimed only when the engine's jobs show our correlation id created
   * it: never a second pool, never someone else's.
   */
  async create(pool: VmPoolInputs): Promise<PoolSnapshot> {
    const inputs = toOvirtInputs(pool);
    const ctx = this.context("create", inputs.name);
    const refs = await resolveOvirtRefs(this.client, ctx, inputs);
    const hostRefs = await resolveOvirtStartHosts(this.client, ctx, inputs.backend.vm, refs.clusterId);
    // Asking first costs a GET but sends nothing the engine would refuse
    // (a refused create still leaves a failed job in its event log).
    const before = await this.findPoolByName(ctx, inputs.name);
    if (before !== undefined) {
      if (inputs.adopt === true) {
        // Explicitly asked for: take the pool over as it is; the next diff
        // plans whatever differs from the declared settings.
        return this.snapshot(ctx, before, await this.listVms(ctx, inputs.name), inputs, refs);
      }
      throw this.notOurs(ctx, inputs.name);
    }
    const correlationId = randomUUID();
    const deadline = this.deadlineOf(inputs, "create");
    let created: ObservedOvirtPool;
    try {
      const answer = await this.client.call(ctx, "POST", "/vmpools", { body: toOvirtPoolCreateBody(inputs, { ...refs, ...hostRefs }), correlationId, idempotent: false });
      created = fromOvirtPool(answer.body);
    } catch (err) {
      created = await this.claimAfterFailedCreate(ctx, err, inputs, refs, correlationId, deadline);
    }
    // From here on the pool exists: whatever fails, the error carries its id,
    // so Pulumi records the pool instead of forgetting it.
    try {
      let vms = await this.waitForVms(ctx, created, inputs.size, deadline);
      if (inputs.backend.vm !== undefined && (await updateNewOvirtVms(this.client, ctx, inputs, hostRefs, vms)) > 0) {
        // What the create does not take from its vm (USB) is written to each new VM.
        vms = await this.listVms(ctx, inputs.name);
      }
      return await this.waitForPrestarted(ctx, { pool: created, vms }, inputs, refs, deadline);
    } catch (err) {
      if (PoolInitError.isInstance(err) && Object.keys(err.properties).length > 0) {
        throw err;
      }
      const reasons = PoolInitError.isInstance(err) ? err.reasons : [`the pool was created, but ${err instanceof Error ? err.message : String(err)}; the next 'pulumi up' continues`];
      throw new PoolInitError(created.id, await this.tryState(ctx, created, inputs, refs), reasons);
    }
  }

  /**
   * The state of a pool that exists, for an error that must carry it: read
   * from the engine when it answers, else what is known without it, so
   * refresh and the retrying update have an id and inputs to work from.
   */
  private async tryState(ctx: ErrorContext, pool: ObservedOvirtPool, inputs: OvirtPoolInputs, refs: ResolvedRefs): Promise<Record<string, unknown>> {
    try {
      return { ...(await this.snapshot(ctx, pool, await this.listVms(ctx, pool.name), inputs, refs)).state };
    } catch {
      return { ...hashPoolSecrets(inputs), uid: pool.id, apiVersion: "ovirt-engine/api/v4", vmCount: 0, readyVmCount: 0 };
    }
  }

  /**
   * Runs a read-only lookup until it succeeds or the deadline passes,
   * waiting between attempts while the engine fails in ways that may pass:
   * finding out whether a create ran must outlast a short outage, or the
   * pool it made would be forgotten.
   */
  private async patiently<T>(deadline: Deadline, lookup: () => Promise<T>): Promise<T> {
    for (let poll = 0; ; poll++) {
      try {
        return await lookup();
      } catch (err) {
        if (!(BackendError.isInstance(err) && err.retryable) || Date.now() > deadline.at) {
          throw err;
        }
      }
      await this.pause(poll);
    }
  }

  private notOurs(ctx: ErrorContext, name: string, cause?: unknown): BackendError {
    return new BackendError(ctx, `a pool named '${name}' already exists on the engine; this provider does not adopt pools it did not create unless told to, so choose another name, remove that pool, or set 'adopt: true' to take it over`, { status: 409, cause });
  }

  /**
   * After a create that failed or lost its answer: the pool, when a job of
   * our correlation id made it; a {@link PoolInitError} carrying its id when
   * the engine made it with fewer VMs (reference §2.3); otherwise the error,
   * or "not ours" for a name another pool took since we looked.
   */
  private async claimAfterFailedCreate(ctx: ErrorContext, err: unknown, inputs: OvirtPoolInputs, refs: ResolvedRefs, correlationId: string, deadline: Deadline): Promise<ObservedOvirtPool> {
    const status = BackendError.isInstance(err) ? err.status : undefined;
    const nameTaken = status === 409 && err instanceof Error && err.message.includes("name is already in use");
    const existing = await this.patiently(deadline, () => this.findPoolByName(ctx, inputs.name));
    const jobs = existing === undefined ? { finished: 0, failed: 0 } : await this.patiently(deadline, () => findOvirtCreateJobs(this.client, ctx, correlationId, inputs.name));
    // A refused repeat records a failed job of its own: then only another job proves the pool ours.
    const ours = jobs.finished > 0 || jobs.failed > (nameTaken ? 1 : 0);
    if (existing === undefined || !ours) {
      throw nameTaken ? this.notOurs(ctx, inputs.name, err) : err;
    }
    if (jobs.finished === 0) {
      // Our create ran and failed part-way: the pool holds the VMs it made.
      const vms = await this.listVms(ctx, inputs.name);
      throw new PoolInitError(existing.id, (await this.snapshot(ctx, existing, vms, inputs, refs)).state, [`the engine created the pool with ${vms.length} of ${inputs.size} VMs: ${err instanceof Error ? err.message : String(err)}`]);
    }
    return existing;
  }

  async read(id: string, previous: VmPoolState): Promise<PoolSnapshot | undefined> {
    const inputs = toOvirtInputs(previous);
    const ctx = this.context("read", inputs.name);
    let observed: ObservedOvirtPool;
    try {
      observed = fromOvirtPool((await this.client.call(ctx, "GET", `/vmpools/${id}`, { idempotent: true })).body);
    } catch (err) {
      if (NotFoundError.isInstance(err)) {
        return undefined;
      }
      throw err;
    }
    const vms = await this.listVms(ctx, observed.name);
    let clusterId = "";
    try {
      clusterId = await resolveOvirtCluster(this.client, ctx, inputs);
    } catch (err) {
      // A cluster renamed or removed since: the snapshot then shows its id.
      if (!(BackendError.isInstance(err) && err.status === 404)) {
        throw err;
      }
    }
    const snapshot = await this.snapshot(ctx, observed, vms, inputs, { clusterId, templateId: observed.templateId ?? "" });
    const pending = readPendingRemovals(previous);
    if (pending.length === 0) {
      return snapshot;
    }
    // A refresh only reads: the VMs an interrupted shrink left stay recorded for the next update.
    const state: VmPoolState & { [PENDING_REMOVALS_KEY]?: string[] } = { ...snapshot.state, [PENDING_REMOVALS_KEY]: pending };
    return { ...snapshot, state };
  }

  /**
   * Read-only checks `check()` runs before anything changes, so `preview`
   * fails where `up` would fail half-way (see {@link verifyOvirtPool}).
   */
  async verify(pool: VmPoolInputs, previous: VmPoolInputs | undefined, notice?: (message: string) => void): Promise<{ property: string; reason: string }[]> {
    const inputs = toOvirtInputs(pool);
    return verifyOvirtPool(this.client, this.context("preview", inputs.name), inputs, previous, notice);
  }

  private removal(ctx: ErrorContext, deadline: Deadline): RemovalContext {
    return { client: this.client, ctx, deadline, pause: (poll) => this.pause(poll) };
  }

  /**
   * Grows or shrinks the pool and changes description, comment, prestarted,
   * max per user and SPICE proxy in place. First removes what an earlier,
   * interrupted shrink left (`pendingVmRemovals` in state). When it fails
   * after changing something (a VM removed, the pool written), the error is
   * a {@link PoolInitError} with the pool's state as the engine has it now,
   * VMs an interrupted shrink left included, so Pulumi's state follows the
   * engine and the next `up` finishes the job.
   */
  async update(id: string, previous: VmPoolState, pool: VmPoolInputs): Promise<PoolSnapshot> {
    const inputs = toOvirtInputs(pool);
    const ctx = this.context("update", inputs.name);
    // One budget for the whole update: stopping VMs to shrink, new disks, prestarting.
    const deadline = this.deadlineOf(inputs, "update");
    let left: readonly string[] = readPendingRemovals(previous);
    let changed = left.length > 0;
    try {
      await finishPendingRemovals(this.client, ctx, left);
      left = [];
      const current = fromOvirtPool((await this.client.call(ctx, "GET", `/vmpools/${id}`, { idempotent: true })).body);
      if (inputs.size < current.size) {
        // A refusal comes before the first VM goes; anything after it is a change.
        await shrinkOvirtPool(this.removal(ctx, deadline), current, inputs, () => {
          changed = true;
        });
      }
      const refs = await resolveOvirtRefs(this.client, ctx, inputs);
      const hostRefs = await resolveOvirtStartHosts(this.client, ctx, inputs.backend.vm, refs.clusterId);
      // Which VMs a grow adds matters only to a pool with VM settings to write to them.
      const before = inputs.backend.vm === undefined ? undefined : new Set((await this.listVms(ctx, current.name)).map((vm) => vm.id));
      const templateChanged = previous.backend.kind !== "ovirt" || previous.backend.templateVersion !== inputs.backend.templateVersion;
      const answer = await this.client.call(ctx, "PUT", `/vmpools/${id}`, { body: toOvirtPoolUpdateBody(inputs, refs, templateChanged), correlationId: randomUUID(), idempotent: true });
      changed = true;
      const observed = fromOvirtPool(answer.body);
      let vms = await this.waitForVms(ctx, observed, inputs.size, deadline);
      if (before !== undefined) {
        // A grow copies an existing VM, which may carry old settings.
        await updateNewOvirtVms(this.client, ctx, inputs, hostRefs, vms.filter((vm) => !before.has(vm.id)));
        if (inputs.backend.vmUpdatePolicy === "updateFreeVms") {
          await updateFreeOvirtVms(this.client, ctx, inputs, hostRefs, vms.filter((vm) => before.has(vm.id)));
        }
        vms = await this.listVms(ctx, observed.name);
      }
      return await this.waitForPrestarted(ctx, { pool: observed, vms }, inputs, { clusterId: observed.clusterId, templateId: observed.templateId ?? "" }, deadline);
    } catch (err) {
      if (err instanceof InterruptedRemovalError) {
        left = err.pendingVmIds;
      }
      if (!changed && left.length === 0) {
        throw err;
      }
      const reason = err instanceof InterruptedRemovalError ? err.reason : err;
      const text = reason instanceof Error ? reason.message : String(reason);
      const reasons =
        left.length > 0
          ? [`VM ${left.join(", ")} may be detached from the pool but not yet removed, as the engine failed (${text}); the next 'pulumi up' removes ${left.length === 1 ? "it" : "them"}`]
          : PoolInitError.isInstance(err)
            ? err.reasons
            : [text];
      const now = await this.tryReadState(ctx, id, inputs, previous);
      throw new PoolInitError(id, left.length > 0 ? { ...now, [PENDING_REMOVALS_KEY]: left } : now, reasons);
    }
  }

  /** The pool's state as the engine has it now, for an error that must carry it; `fallback` when the engine does not answer. */
  private async tryReadState(ctx: ErrorContext, id: string, inputs: OvirtPoolInputs, fallback: VmPoolState): Promise<Record<string, unknown>> {
    try {
      const observed = fromOvirtPool((await this.client.call(ctx, "GET", `/vmpools/${id}`, { idempotent: true })).body);
      return await this.tryState(ctx, observed, inputs, { clusterId: observed.clusterId, templateId: observed.templateId ?? "" });
    } catch {
      const { [PENDING_REMOVALS_KEY]: _stale, ...rest } = fallback as VmPoolState & { [PENDING_REMOVALS_KEY]?: unknown };
      return { ...rest };
    }
  }

  /**
   * Deletes the pool and waits until the engine answers 404; not-found is
   * success. Refuses while delete protection is on. With `keepVmsOnDelete`,
   * detaches every VM instead (the last detach removes the pool).
   */
  async delete(id: string, previous: VmPoolState): Promise<void> {
    const inputs = toOvirtInputs(previous);
    const ctx = this.context("delete", inputs.name);
    const deadline = this.deadlineOf(inputs, "delete");
    if (inputs.deleteProtection) {
      throw new BackendError(ctx, "delete protection is on; set 'deleteProtection: false' and run 'pulumi up' before deleting the pool");
    }
    try {
      // VMs an interrupted shrink detached go with the pool; they are not the kept ones.
      await finishPendingRemovals(this.client, ctx, readPendingRemovals(previous));
    } catch (err) {
      throw err instanceof InterruptedRemovalError ? new BackendError(ctx, `could not remove VM ${err.pendingVmIds.join(", ")}, detached by an earlier shrink: ${err.message}`, { retryable: true, cause: err.reason }) : err;
    }
    try {
      if (inputs.backend.keepVmsOnDelete) {
        await detachAllOvirtVms(this.removal(ctx, deadline), inputs.name);
      } else {
        await this.client.call(ctx, "DELETE", `/vmpools/${id}`, { idempotent: true });
      }
    } catch (err) {
      if (NotFoundError.isInstance(err)) {
        return;
      }
      throw err;
    }
    for (let poll = 0; ; poll++) {
      try {
        await this.client.call(ctx, "GET", `/vmpools/${id}`, { idempotent: true });
      } catch (err) {
        if (NotFoundError.isInstance(err)) {
          return;
        }
        throw err;
      }
      if (Date.now() > deadline.at) {
        throw new BackendError(ctx, `the engine still shows the pool ${Math.round(deadline.budgetMs / 1000)}s after removal began (a VM may be delete-protected or failing to stop)`, { retryable: true });
      }
      await this.pause(poll);
    }
  }
}
