import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

import type { CheckFailure } from "../../check";
import { isDeepEqual } from "../../diff/input-diff";
import { BackendError, NotFoundError, PoolInitError, type ErrorContext } from "../../errors";
import { calculateTimeoutMs, DEFAULT_TIMEOUTS_MS, type KubevirtPoolInputs, type VmPoolInputs } from "../../schemas/vm-pool";
import type { PoolSnapshot, VmPoolBackend, VmPoolState } from "../backend";
import { calculateBackoff, DEFAULT_RETRY, type RetryPolicy } from "../retry";
import { KubevirtClient, POOL_VERSIONS, type PoolVersion } from "./client";
import { KubevirtHpaClient } from "./hpa-client";
import { describeForeignAutoscaler, ensureKubevirtAutoscaler, findForeignAutoscaler, removeKubevirtAutoscaler } from "./kubevirt-autoscaler";
import { detectKubevirtPoolFeatures } from "./kubevirt-features";
import { toKubevirtPoolId, toKubevirtSnapshot, type PoolViewClients } from "./kubevirt-pool-view";
import { findKubevirtShrinkRefusal, previewKubevirtChange } from "./kubevirt-preview";
import { CREATE_ID_ANNOTATION, fromKubevirtPool, toKubevirtPoolManifest, toVmLabels, type ObservedKubevirtPool } from "./mapping";
import { validateKubevirtPoolFeatures, type KubevirtPoolFeatures } from "./pool-features";
import { toKubevirtPoolPatch } from "./pool-patch";
import { KubevirtVmClient } from "./vm-client";

export { toKubevirtPoolId } from "./kubevirt-pool-view";

/** How often the backend polls while waiting. */
const POLL_MS = 250;
/** Attempts for a write that loses a race with another writer. */
const UPDATE_ATTEMPTS = 3;

/** Splits a `<namespace>/<name>` id; throws on anything else. */
export function parseKubevirtPoolId(id: string): { namespace: string; name: string } {
  const parts = id.split("/");
  if (parts.length !== 2 || parts[0] === "" || parts[1] === "") {
    throw new Error(`'${id}' is not a KubeVirt pool id; expected '<namespace>/<name>'`);
  }
  return { namespace: parts[0] ?? "", name: parts[1] ?? "" };
}

function versionOf(apiVersion: string): PoolVersion | undefined {
  return POOL_VERSIONS.find((v) => apiVersion.endsWith(`/${v}`));
}

/** Narrows inputs to a KubeVirt pool; the registry only routes KubeVirt pools here. */
function toKubevirtInputs(inputs: VmPoolInputs): KubevirtPoolInputs {
  if (inputs.backend.kind !== "kubevirt") {
    throw new Error(`the KubeVirt backend was given a '${inputs.backend.kind}' pool`);
  }
  return inputs as KubevirtPoolInputs;
}

/** A race with another writer (a failed `resourceVersion` test or precondition), worth reading again. */
function isRace(err: unknown): boolean {
  return BackendError.isInstance(err) && (err.status === 409 || err.status === 422);
}

/**
 * Pools as KubeVirt `VirtualMachinePool` objects, with their VMs as outputs,
 * a size changed through the `scale` subresource, a shrink that refuses to
 * remove running VMs unless forced, and an optional HorizontalPodAutoscaler.
 */
export class KubevirtBackend implements VmPoolBackend {
  private readonly view: PoolViewClients;

  constructor(
    private readonly client: KubevirtClient,
    /** Longest wait of any operation whose pool sets no `timeouts`. @default DEFAULT_TIMEOUTS_MS */
    private readonly timeoutMs?: number,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {
    this.view = { vms: new KubevirtVmClient(client), hpas: new KubevirtHpaClient(client) };
  }

  /** The time an operation may wait: the pool's `timeouts`, else the backend's setting, else the default. */
  private budgetMs(inputs: VmPoolInputs, operation: "create" | "update" | "delete"): number {
    return inputs.timeouts?.[operation] !== undefined ? calculateTimeoutMs(inputs, operation) : (this.timeoutMs ?? DEFAULT_TIMEOUTS_MS[operation]);
  }

  private context(operation: string, resource: string): ErrorContext {
    return { backend: "kubevirt", operation, resource };
  }

  /** The cluster's pool knobs; throws the `check` failures of knobs the inputs set that it lacks (when `check` was skipped). */
  private async features(ctx: ErrorContext, version: PoolVersion, inputs: KubevirtPoolInputs): Promise<KubevirtPoolFeatures> {
    const features = await detectKubevirtPoolFeatures(this.client, ctx, version, inputs.backend.namespace);
    const failures = validateKubevirtPoolFeatures(inputs, features);
    if (failures.length > 0) {
      throw new BackendError(ctx, failures.map((f) => `'${f.property}' ${f.reason}`).join("; "));
    }
    return features;
  }

  /** Creates the pool in the newest version the cluster serves; a name already taken is an error, never an adoption. */
  async create(pool: VmPoolInputs): Promise<PoolSnapshot> {
    const inputs = toKubevirtInputs(pool);
    const id = toKubevirtPoolId(inputs.backend.namespace, inputs.name);
    const ctx = this.context("create", id);
    const version = await this.client.discoverPoolVersion(ctx);
    const features = await this.features(ctx, version, inputs);
    // A fresh id in an annotation proves which pool this create made, when
    // its answer is lost and a pool of the name turns up.
    const createId = randomUUID();
    const manifest = toKubevirtPoolManifest(inputs, version, createId, features);
    const ours = (obj: unknown): boolean => fromKubevirtPool(obj).poolAnnotations?.[CREATE_ID_ANNOTATION] === createId;
    const notOurs = (cause: unknown): BackendError =>
      new BackendError(
        ctx,
        `a VirtualMachinePool named '${inputs.name}' already exists in namespace '${inputs.backend.namespace}'; this provider does not adopt pools it did not create unless told to, so choose another name, delete the existing pool, or set 'adopt: true' to take it over`,
        { status: 409, cause },
      );
    let created: unknown;
    for (let attempt = 1; created === undefined; attempt++) {
      try {
        created = await this.client.createPool(ctx, version, inputs.backend.namespace, manifest);
      } catch (err) {
        if (NotFoundError.isInstance(err)) {
          throw new BackendError(ctx, `namespace '${inputs.backend.namespace}' does not exist; create it first or set 'backend.namespace'`, { status: 404, cause: err });
        }
        const conflict = BackendError.isInstance(err) && err.status === 409;
        const lost = BackendError.isInstance(err) && err.retryable && !conflict;
        if (!conflict && !lost) {
          throw err;
        }
        const existing = await this.tryGetByName(ctx, version, inputs.backend.namespace, inputs.name);
        if (existing !== undefined && ours(existing)) {
          created = existing;
        } else if (existing !== undefined || conflict) {
          if (existing !== undefined && inputs.adopt === true) {
            // Explicitly asked for: take the pool over as it is; the next diff
            // plans whatever differs from the declared settings.
            return toKubevirtSnapshot(this.view, ctx, fromKubevirtPool(existing), inputs);
          }
          throw notOurs(err);
        } else if (attempt >= this.retry.attempts) {
          throw err;
        } else {
          // Nothing was created: trying again cannot make a second pool.
          await sleep(calculateBackoff(this.retry, attempt));
        }
      }
    }
    const observed = fromKubevirtPool(created);
    const autoscaling = inputs.backend.autoscaling;
    if (autoscaling !== undefined) {
      try {
        await ensureKubevirtAutoscaler(this.view.hpas, ctx, { name: observed.name, namespace: observed.namespace, uid: observed.uid, version }, autoscaling);
      } catch (err) {
        // The pool exists: report it, so Pulumi records it and the next `up` retries the autoscaler.
        const state = (await toKubevirtSnapshot(this.view, ctx, observed, inputs)).state;
        throw new PoolInitError(id, { ...state }, [`the pool was created, but its HorizontalPodAutoscaler was not: ${err instanceof Error ? err.message : String(err)}`]);
      }
    }
    return this.waitUntilReady(ctx, await toKubevirtSnapshot(this.view, ctx, observed, inputs), inputs, "create");
  }

  private async tryGetByName(ctx: ErrorContext, version: PoolVersion, namespace: string, name: string): Promise<unknown> {
    try {
      return await this.client.getPool(ctx, version, namespace, name);
    } catch (err) {
      if (NotFoundError.isInstance(err)) {
        return undefined;
      }
      throw err;
    }
  }

  /**
   * Read-only checks for `check()`, so `preview` fails where `up` would: the
   * namespace exists (when the user may read namespaces), the cluster's pool
   * schema has every knob the inputs set, no foreign autoscaler holds the
   * pool's name, and a shrink removes no running VM unless forced. What a
   * shrink or a VM-template change will do goes to `notice`.
   */
  async verify(pool: VmPoolInputs, previousPool?: VmPoolInputs, notice: (message: string) => void = () => undefined): Promise<CheckFailure[]> {
    const inputs = toKubevirtInputs(pool);
    const namespace = inputs.backend.namespace;
    const ctx = this.context("preview", toKubevirtPoolId(namespace, inputs.name));
    if ((await this.client.namespaceExists(ctx, namespace)) === false) {
      return [{ property: "backend.namespace", reason: `namespace '${namespace}' does not exist on the cluster; create it first or fix 'backend.namespace'` }];
    }
    const version = await this.client.discoverPoolVersion(ctx);
    const features = await detectKubevirtPoolFeatures(this.client, ctx, version, namespace);
    const failures = validateKubevirtPoolFeatures(inputs, features);
    if (failures.length > 0) {
      return failures;
    }
    const previous = previousPool?.backend.kind === "kubevirt" ? (previousPool as KubevirtPoolInputs) : undefined;
    if (previous !== undefined && isDeepEqual(previous, inputs)) {
      // Nothing will be sent for this pool: no live state to judge, and a
      // preview of many unchanged pools reads none of them.
      return [];
    }
    // The same pool, changed in place (not a replacement, whose new pool starts afresh).
    const samePool =
      previous !== undefined &&
      previous.name === inputs.name &&
      previous.backend.namespace === namespace &&
      isDeepEqual(toVmLabels(previous.name, previous.backend), toVmLabels(inputs.name, inputs.backend));
    // Only an update has a live pool to judge (a create must not read what may be someone else's).
    const found = samePool ? await this.tryGetByName(ctx, version, namespace, inputs.name) : undefined;
    const live = found === undefined ? undefined : fromKubevirtPool(found);
    const foreign = await findForeignAutoscaler(this.view.hpas, ctx, { name: inputs.name, namespace }, live?.uid).catch((err: unknown) => {
      // Without read access to autoscalers, only a pool that asks for one must know.
      if (BackendError.isInstance(err) && err.status === 403 && inputs.backend.autoscaling === undefined) {
        return undefined;
      }
      throw err;
    });
    if (foreign !== undefined && inputs.backend.autoscaling !== undefined) {
      return [{ property: "backend.autoscaling", reason: describeForeignAutoscaler({ name: inputs.name, namespace }) }];
    }
    if (foreign?.spec.scaleTargetRef.name === inputs.name && foreign.spec.scaleTargetRef.kind === "VirtualMachinePool") {
      notice(`VmPool ${toKubevirtPoolId(namespace, inputs.name)}: the HorizontalPodAutoscaler '${inputs.name}', which this pool does not manage, also sets its replicas and will undo 'size'; declare 'backend.autoscaling' instead, or delete that autoscaler`);
    }
    if (previous === undefined || live === undefined) {
      return [];
    }
    const preview = await previewKubevirtChange(this.view, ctx, live, inputs, previous, features);
    preview.notices.forEach((message) => {
      notice(message);
    });
    return preview.failures;
  }

  async read(id: string, previous: VmPoolState): Promise<PoolSnapshot | undefined> {
    const observed = await this.tryGet("read", id, previous);
    return observed === undefined ? undefined : toKubevirtSnapshot(this.view, this.context("read", id), observed, toKubevirtInputs(previous));
  }

  /**
   * Changes the pool in place: refuses first, changing nothing, a shrink
   * that would remove running VMs (unless forced); then the autoscaler goes
   * when no longer wanted, the pool's spec and annotations are patched, the
   * size is set through the `scale` subresource (never while autoscaled),
   * and a wanted autoscaler is created or updated.
   */
  async update(id: string, previous: VmPoolState, pool: VmPoolInputs): Promise<PoolSnapshot> {
    const inputs = toKubevirtInputs(pool);
    const ctx = this.context("update", id);
    let observed = await this.getForUpdate(ctx, id, previous);
    const version = versionOf(observed.apiVersion) ?? "v1alpha1";
    const features = await this.features(ctx, version, inputs);
    const refusal = await findKubevirtShrinkRefusal(this.view, ctx, observed, inputs, features);
    if (refusal !== undefined) {
      throw new BackendError(ctx, refusal, { status: 409 });
    }
    const autoscaling = inputs.backend.autoscaling;
    if (autoscaling === undefined) {
      // Before the size is set, or the autoscaler would set it back.
      await this.removeAutoscaler(ctx, observed, previous);
    }
    for (let attempt = 1; ; attempt++) {
      const patch = toKubevirtPoolPatch(inputs, observed, features);
      try {
        if (patch.length > 0) {
          observed = fromKubevirtPool(await this.client.patchPool(ctx, version, observed.namespace, observed.name, patch));
        }
        if (autoscaling === undefined && observed.size !== inputs.size) {
          const scale = await this.client.getPoolScale(ctx, version, observed.namespace, observed.name);
          await this.client.replacePoolScale(ctx, version, observed.namespace, observed.name, inputs.size, scale.resourceVersion);
        }
        break;
      } catch (err) {
        // Another writer changed the pool between our read and our write
        // (the resourceVersion test failed): read it again.
        if (!isRace(err) || attempt >= UPDATE_ATTEMPTS) {
          throw err;
        }
        observed = await this.getForUpdate(ctx, id, previous);
      }
    }
    if (autoscaling !== undefined) {
      await ensureKubevirtAutoscaler(this.view.hpas, ctx, { name: observed.name, namespace: observed.namespace, uid: observed.uid, version }, autoscaling);
    }
    const current = await this.getForUpdate(ctx, id, previous);
    return this.waitUntilReady(ctx, await toKubevirtSnapshot(this.view, ctx, current, inputs), inputs, "update");
  }

  /**
   * Deletes the pool's own autoscaler. A user who may not read autoscalers
   * is not stopped when the state shows none was made.
   */
  private async removeAutoscaler(ctx: ErrorContext, pool: { name: string; namespace: string; uid: string }, previous: VmPoolState): Promise<void> {
    try {
      await removeKubevirtAutoscaler(this.view.hpas, ctx, pool);
    } catch (err) {
      const made = previous.backend.kind === "kubevirt" && previous.backend.autoscaling !== undefined;
      if (!(BackendError.isInstance(err) && err.status === 403 && !made)) {
        throw err;
      }
    }
  }

  /** The live pool for an update; throws when it is gone. */
  private async getForUpdate(ctx: ErrorContext, id: string, previous: VmPoolState): Promise<ObservedKubevirtPool> {
    const observed = await this.tryGet("update", id, previous);
    if (observed === undefined) {
      throw new BackendError(ctx, "the pool no longer exists (deleted outside Pulumi); run 'pulumi refresh' and then 'pulumi up' to create it again", { status: 404 });
    }
    return observed;
  }

  /** Deletes the pool's own autoscaler, then the pool (only the incarnation in state), and waits until the pool is gone. */
  async delete(id: string, previous: VmPoolState): Promise<void> {
    const ctx = this.context("delete", id);
    const { namespace, name } = parseKubevirtPoolId(id);
    // Explicitly: a cluster without a garbage collector (or with a slow one)
    // would keep an autoscaler whose target is gone.
    await this.removeAutoscaler(ctx, { name, namespace, uid: previous.uid }, previous);
    const version = versionOf(previous.apiVersion) ?? (await this.client.discoverPoolVersion(ctx));
    try {
      await this.client.deletePool(ctx, version, namespace, name, previous.uid);
    } catch (err) {
      // 404: already gone. 409: the uid precondition failed, so the name now
      // belongs to another object and ours is gone; deleting it would remove
      // something the user did not ask to delete.
      if (NotFoundError.isInstance(err) || (BackendError.isInstance(err) && err.status === 409)) {
        return;
      }
      throw err;
    }
    const budgetMs = this.budgetMs(previous, "delete");
    const deadline = Date.now() + budgetMs;
    while ((await this.tryGet("delete", id, previous)) !== undefined) {
      if (Date.now() > deadline) {
        throw new BackendError(ctx, `the pool is still terminating after ${Math.round(budgetMs / 1000)}s; a finalizer is holding it (is virt-controller running?)`, { retryable: true });
      }
      await sleep(POLL_MS);
    }
  }

  /**
   * With `waitForReady`, polls until `status.readyReplicas` reaches the size
   * (the autoscaler's, when autoscaled), within the pool's create or update
   * timeout. Past the deadline the pool exists, so the error carries its id.
   */
  private async waitUntilReady(ctx: ErrorContext, snapshot: PoolSnapshot, inputs: KubevirtPoolInputs, operation: "create" | "update"): Promise<PoolSnapshot> {
    if (inputs.backend.waitForReady !== true) {
      return snapshot;
    }
    const budgetMs = this.budgetMs(inputs, operation);
    const deadline = Date.now() + budgetMs;
    let observed: ObservedKubevirtPool | undefined;
    for (;;) {
      const ready = observed?.readyVmCount ?? snapshot.state.readyVmCount;
      const wanted = inputs.backend.autoscaling === undefined ? inputs.size : (observed?.size ?? snapshot.state.currentSize ?? inputs.size);
      if (ready >= wanted) {
        return observed === undefined ? snapshot : toKubevirtSnapshot(this.view, ctx, observed, inputs);
      }
      if (Date.now() > deadline) {
        const state = observed === undefined ? snapshot.state : (await toKubevirtSnapshot(this.view, ctx, observed, inputs)).state;
        throw new PoolInitError(snapshot.id, { ...state }, [
          `${String(ready)} of ${String(wanted)} VMs ready after ${Math.round(budgetMs / 1000)}s (is virt-controller running and are the VMs starting?); the next 'pulumi up' waits again`,
        ]);
      }
      await sleep(POLL_MS);
      observed = await this.tryGet(operation, snapshot.id, snapshot.state);
      if (observed === undefined) {
        throw new BackendError(ctx, "the pool disappeared while waiting for its VMs to become ready");
      }
    }
  }

  /** The live pool with the stored uid, or undefined when gone or replaced by another object of the same name. */
  private async tryGet(operation: string, id: string, previous: VmPoolState): Promise<ObservedKubevirtPool | undefined> {
    const ctx = this.context(operation, id);
    const { namespace, name } = parseKubevirtPoolId(id);
    const version = versionOf(previous.apiVersion) ?? (await this.client.discoverPoolVersion(ctx));
    try {
      const observed = fromKubevirtPool(await this.client.getPool(ctx, version, namespace, name));
      return observed.uid === previous.uid ? observed : undefined;
    } catch (err) {
      if (NotFoundError.isInstance(err)) {
        return undefined;
      }
      throw err;
    }
  }
}
