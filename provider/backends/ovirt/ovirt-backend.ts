/**
 * Pools on an oVirt engine, through its REST API v4 (reference §2, §3, §6).
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

import { BackendError, NotFoundError, PoolInitError, type ErrorContext } from "../../errors";
import { calculateTimeoutMs, DEFAULT_TIMEOUTS_MS, type OvirtPoolInputs, type VmPoolInputs } from "../../schemas/vm-pool";
import type { PoolSnapshot, VmPoolBackend, VmPoolState } from "../backend";
import type { OvirtClient } from "./client";
import { resolveOvirtCluster, resolveOvirtRefs, verifyOvirtTrustedPlacement } from "./ovirt-refs";
import { countOvirtPoolUsage, listOvirtPoolVms, planOvirtShrink } from "./ovirt-usage";
import { fromOvirtPool, toInputsFromOvirtPool, toOvirtPoolCreateBody, toOvirtPoolUpdateBody, type ObservedOvirtPool, type ObservedOvirtVm, type ResolvedRefs } from "./mapping";

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
    const answer = await this.client.call(ctx, "GET", "/vmpools", { query: { search: `name=${name}`, case_sensitive: "true" }, idempotent: true });
    const list = (answer.body as { vm_pool?: unknown[] } | undefined)?.vm_pool ?? [];
    return list.map(fromOvirtPool).find((p) => p.name === name);
  }

  /** Whether the engine's jobs show that our correlation id created a pool of this name. */
  private async createdBy(ctx: ErrorContext, correlationId: string, name: string): Promise<boolean> {
    const answer = await this.client.call(ctx, "GET", "/jobs", { query: { search: `correlation_id=${correlationId}` }, idempotent: true });
    const jobs = (answer.body as { job?: { description?: string }[] } | undefined)?.job ?? [];
    return jobs.some((j) => j.description?.startsWith(`Creating VM Pool ${name} from template`) === true);
  }

  /** Waits until the pool has `size` VMs and none is `image_locked`. */
  /** The time an operation may wait: the pool's `timeouts`, else the backend's setting, else the default. */
  private deadlineOf(inputs: OvirtPoolInputs, operation: "create" | "update" | "delete"): Deadline {
    const budgetMs = inputs.timeouts?.[operation] !== undefined ? calculateTimeoutMs(inputs, operation) : (this.waits.timeoutMs ?? DEFAULT_TIMEOUTS_MS[operation]);
    return { at: Date.now() + budgetMs, budgetMs };
  }

  private async waitForVms(ctx: ErrorContext, pool: ObservedOvirtPool, size: number, deadline: Deadline): Promise<ObservedOvirtVm[]> {
    for (;;) {
      const vms = await this.listVms(ctx, pool.name);
      if (vms.length >= size && vms.every((vm) => vm.status !== "image_locked")) {
        return vms;
      }
      if (Date.now() > deadline.at) {
        const locked = vms.filter((vm) => vm.status === "image_locked").map((vm) => vm.name);
        throw new PoolInitError(pool.id, {}, [`after ${Math.round(deadline.budgetMs / 1000)}s the pool has ${vms.length} of ${size} VMs${locked.length > 0 ? `, and ${locked.join(", ")} still have locked disks` : ""}; the next 'pulumi up' waits again`]);
      }
      await sleep(this.waits.pollMs);
    }
  }

  /**
   * The pool's snapshot once, with `backend.waitForPrestarted`, as many free
   * VMs are running as `prestarted` asks. The engine's monitor starts them up
   * to `VmPoolMonitorIntervalInMinutes` (5) after a create, at once after an
   * update. Past the deadline the pool exists, so the error carries its id.
   */
  private async waitForPrestarted(ctx: ErrorContext, id: string, inputs: OvirtPoolInputs, refs: ResolvedRefs, deadline: Deadline): Promise<PoolSnapshot> {
    for (;;) {
      const observed = fromOvirtPool((await this.client.call(ctx, "GET", `/vmpools/${id}`, { idempotent: true })).body);
      const snapshot = await this.snapshot(ctx, observed, await this.listVms(ctx, observed.name), inputs, refs);
      const up = snapshot.state.vms?.filter((vm) => vm.status === "up").length ?? 0;
      const ready = Math.min(snapshot.state.prestartedVmCount ?? 0, up);
      if (inputs.backend.waitForPrestarted !== true || ready >= inputs.prestarted) {
        return snapshot;
      }
      if (Date.now() > deadline.at) {
        throw new PoolInitError(id, { ...snapshot.state }, [`${ready} of ${inputs.prestarted} prestarted VMs are up; the engine's prestart monitor starts them within VmPoolMonitorIntervalInMinutes; the next 'pulumi up' waits again`]);
      }
      await sleep(this.waits.pollMs);
    }
  }

  private async snapshot(ctx: ErrorContext, observed: ObservedOvirtPool, vms: readonly ObservedOvirtVm[], previous: OvirtPoolInputs, refs: ResolvedRefs): Promise<PoolSnapshot> {
    const inputs = toInputsFromOvirtPool(observed, previous, refs);
    const usage = await countOvirtPoolUsage(this.client, ctx, observed.type, vms);
    return {
      id: observed.id,
      inputs,
      state: {
        ...inputs,
        uid: observed.id,
        apiVersion: "ovirt-engine/api/v4",
        vmCount: vms.length,
        readyVmCount: vms.filter((vm) => vm.status === "up").length,
        vms: vms.map((vm) => ({ id: vm.id, name: vm.name, status: vm.status })),
        runningVmCount: usage.running,
        prestartedVmCount: usage.prestarted,
        takenVmCount: usage.taken,
      },
    };
  }

  /**
   * Creates the pool with a fresh correlation id. If the answer is lost (a
   * dropped connection, a timeout) or reports a partial failure, the pool is
   * looked up by name and claimed only when the engine's jobs show our
   * correlation id created it: never a second pool, never someone else's.
   */
  async create(pool: VmPoolInputs): Promise<PoolSnapshot> {
    const inputs = toOvirtInputs(pool);
    const ctx = this.context("create", inputs.name);
    const refs = await resolveOvirtRefs(this.client, ctx, inputs);
    const notOurs = (cause?: unknown): BackendError =>
      new BackendError(ctx, `a pool named '${inputs.name}' already exists on the engine; this provider does not adopt pools it did not create unless told to, so choose another name, remove that pool, or set 'adopt: true' to take it over`, { status: 409, cause });
    const before = await this.findPoolByName(ctx, inputs.name);
    if (before !== undefined) {
      if (inputs.adopt === true) {
        // Explicitly asked for: take the pool over as it is; the next diff
        // plans whatever differs from the declared settings.
        return this.snapshot(ctx, before, await this.listVms(ctx, inputs.name), inputs, refs);
      }
      throw notOurs();
    }
    const correlationId = randomUUID();
    let created: ObservedOvirtPool;
    try {
      const answer = await this.client.call(ctx, "POST", "/vmpools", { body: toOvirtPoolCreateBody(inputs, refs), correlationId, idempotent: false });
      created = fromOvirtPool(answer.body);
    } catch (err) {
      // The engine refused (409: someone took the name since we looked), or
      // the answer was lost, or it created the pool with fewer VMs. Only a
      // pool that appeared after our check and that a job of our
      // correlation id created is ours.
      if (BackendError.isInstance(err) && err.status === 409) {
        throw notOurs(err);
      }
      const existing = await this.findPoolByName(ctx, inputs.name);
      if (existing === undefined || !(await this.createdBy(ctx, correlationId, inputs.name))) {
        throw err;
      }
      if (BackendError.isInstance(err) && err.status !== undefined && err.status < 500) {
        // The engine created the pool but not every VM (reference §2.3).
        const vms = await this.listVms(ctx, inputs.name);
        throw new PoolInitError(existing.id, (await this.snapshot(ctx, existing, vms, inputs, refs)).state, [`the engine created the pool with ${vms.length} of ${inputs.size} VMs: ${err.message}`]);
      }
      created = existing;
    }
    const deadline = this.deadlineOf(inputs, "create");
    try {
      await this.waitForVms(ctx, created, inputs.size, deadline);
    } catch (err) {
      if (PoolInitError.isInstance(err)) {
        // Record the whole state, so refresh and the retrying update work from it.
        const state = (await this.snapshot(ctx, created, await this.listVms(ctx, created.name), inputs, refs)).state;
        throw new PoolInitError(err.id, { ...state }, err.reasons);
      }
      throw err;
    }
    return this.waitForPrestarted(ctx, created.id, inputs, refs, deadline);
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
    return this.snapshot(ctx, observed, vms, inputs, { clusterId, templateId: observed.templateId ?? "" });
  }

  /** Stops the pool's running VMs, waits until they are down, then detaches each (the last detach removes the pool). */
  private async detachAll(ctx: ErrorContext, poolName: string, deadline: Deadline): Promise<void> {
    for (const vm of await this.listVms(ctx, poolName)) {
      if (vm.status !== "down" && vm.status !== "image_locked") {
        await this.client.call(ctx, "POST", `/vms/${vm.id}/stop`, { body: {}, idempotent: true });
      }
    }
    for (;;) {
      const vms = await this.listVms(ctx, poolName);
      if (vms.every((vm) => vm.status === "down")) {
        for (const vm of vms) {
          await this.client.call(ctx, "POST", `/vms/${vm.id}/detach`, { body: {}, idempotent: false });
        }
        return;
      }
      if (Date.now() > deadline.at) {
        throw new BackendError(ctx, `VMs ${vms.filter((vm) => vm.status !== "down").map((vm) => vm.name).join(", ")} did not stop in time to be detached`, { retryable: true });
      }
      await sleep(this.waits.pollMs);
    }
  }

  /**
   * Read-only checks `check()` runs before anything changes, so `preview`
   * fails where `up` would fail half-way: the cluster and template must
   * resolve, a pool placed in a trusted cluster must land in that cluster
   * with the trusted service on, and a shrink must be possible without
   * taking VMs in use.
   * Returns failures; throws only when the engine cannot be asked at all.
   */
  async verify(pool: VmPoolInputs, previous: VmPoolInputs | undefined): Promise<{ property: string; reason: string }[]> {
    const inputs = toOvirtInputs(pool);
    const ctx = this.context("preview", inputs.name);
    let refs: ResolvedRefs;
    try {
      refs = await resolveOvirtRefs(this.client, ctx, inputs);
    } catch (err) {
      if (BackendError.isInstance(err) && err.status === 404) {
        return [{ property: err.message.includes(" cluster '") ? (inputs.backend.cluster === undefined ? "trustedCluster" : "backend.cluster") : "backend.template", reason: err.message }];
      }
      throw err;
    }
    const untrusted = await verifyOvirtTrustedPlacement(this.client, ctx, inputs, refs.clusterId);
    if (untrusted !== undefined) {
      return [{ property: "trustedCluster", reason: untrusted }];
    }
    if (previous !== undefined && previous.backend.kind === "ovirt" && inputs.size < previous.size) {
      const current = await this.findPoolByName(ctx, inputs.name);
      if (current !== undefined && inputs.size < current.size) {
        const { refusal } = await planOvirtShrink(this.client, ctx, current, inputs);
        if (refusal !== undefined) {
          return [{ property: "size", reason: refusal }];
        }
      }
    }
    return [];
  }

  /**
   * Shrinks a pool the only way the engine allows: detach VMs and remove them.
   * Only VMs that are down and held by no user go, newest first, unless
   * `forceShrink`; otherwise it fails before changing anything, naming the
   * VMs in use and their users.
   */
  private async shrink(ctx: ErrorContext, current: ObservedOvirtPool, inputs: OvirtPoolInputs, deadline: Deadline): Promise<void> {
    const { excess, free, busy, refusal } = await planOvirtShrink(this.client, ctx, current, inputs);
    let chosen = free;
    if (free.length < excess) {
      if (refusal !== undefined) {
        throw new BackendError(ctx, refusal, { status: 409 });
      }
      chosen = [...free, ...busy.slice(0, excess - free.length).map(({ vm }) => vm)];
      for (const vm of chosen.filter((v) => v.status !== "down")) {
        await this.client.call(ctx, "POST", `/vms/${vm.id}/stop`, { body: {}, idempotent: true });
      }
      await this.waitUntilDown(ctx, current.name, new Set(chosen.map((vm) => vm.id)), deadline);
    }
    for (const vm of chosen) {
      await this.client.call(ctx, "POST", `/vms/${vm.id}/detach`, { body: {}, idempotent: false });
      await this.client.call(ctx, "DELETE", `/vms/${vm.id}`, { idempotent: true });
    }
  }

  private async waitUntilDown(ctx: ErrorContext, poolName: string, ids: ReadonlySet<string>, deadline: Deadline): Promise<void> {
    for (;;) {
      const pending = (await this.listVms(ctx, poolName)).filter((vm) => ids.has(vm.id) && vm.status !== "down");
      if (pending.length === 0) {
        return;
      }
      if (Date.now() > deadline.at) {
        throw new BackendError(ctx, `VMs ${pending.map((vm) => vm.name).join(", ")} did not stop in time`, { retryable: true });
      }
      await sleep(this.waits.pollMs);
    }
  }

  /** Grows or shrinks the pool and changes description, comment, prestarted, max per user and SPICE proxy in place. */
  async update(id: string, _previous: VmPoolState, pool: VmPoolInputs): Promise<PoolSnapshot> {
    const inputs = toOvirtInputs(pool);
    const ctx = this.context("update", inputs.name);
    // One budget for the whole update: stopping VMs to shrink, new disks, prestarting.
    const deadline = this.deadlineOf(inputs, "update");
    const current = fromOvirtPool((await this.client.call(ctx, "GET", `/vmpools/${id}`, { idempotent: true })).body);
    if (inputs.size < current.size) {
      await this.shrink(ctx, current, inputs, deadline);
    }
    const refs = await resolveOvirtRefs(this.client, ctx, inputs);
    const answer = await this.client.call(ctx, "PUT", `/vmpools/${id}`, { body: toOvirtPoolUpdateBody(inputs, refs), correlationId: randomUUID(), idempotent: true });
    const observed = fromOvirtPool(answer.body);
    await this.waitForVms(ctx, observed, inputs.size, deadline);
    return this.waitForPrestarted(ctx, id, inputs, { clusterId: observed.clusterId, templateId: observed.templateId ?? "" }, deadline);
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
      if (inputs.backend.keepVmsOnDelete) {
        await this.detachAll(ctx, inputs.name, deadline);
      } else {
        await this.client.call(ctx, "DELETE", `/vmpools/${id}`, { idempotent: true });
      }
    } catch (err) {
      if (NotFoundError.isInstance(err)) {
        return;
      }
      throw err;
    }
    for (;;) {
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
      await sleep(this.waits.pollMs);
    }
  }
}
