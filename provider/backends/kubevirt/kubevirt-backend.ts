import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

import { BackendError, NotFoundError, PoolInitError, type ErrorContext } from "../../errors";
import { calculateTimeoutMs, DEFAULT_TIMEOUTS_MS, type KubevirtPoolInputs, type VmPoolInputs } from "../../schemas/vm-pool";
import type { PoolSnapshot, VmPoolBackend, VmPoolState } from "../backend";
import { KubevirtClient, POOL_VERSIONS, type PoolVersion } from "./client";
import { calculateBackoff, DEFAULT_RETRY, type RetryPolicy } from "../retry";
import { CREATE_ID_ANNOTATION, fromKubevirtPool, TRUSTED_CLUSTER_ANNOTATION, toInputsFromKubevirtPool, toKubevirtPoolManifest, toKubevirtPoolPatch, type ObservedKubevirtPool } from "./mapping";

/** How often the backend polls while waiting. */
const POLL_MS = 250;
/** Attempts for an update that loses a race with another writer. */
const UPDATE_ATTEMPTS = 3;

/** The Pulumi id of a KubeVirt pool: `<namespace>/<name>`. */
export function toKubevirtPoolId(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

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

function toSnapshot(observed: ObservedKubevirtPool, previous: KubevirtPoolInputs | undefined): PoolSnapshot {
  const inputs = toInputsFromKubevirtPool(observed, previous);
  return {
    id: toKubevirtPoolId(observed.namespace, observed.name),
    inputs,
    state: {
      ...inputs,
      uid: observed.uid,
      apiVersion: observed.apiVersion,
      vmCount: observed.vmCount,
      readyVmCount: observed.readyVmCount,
    },
  };
}

/** Pools as KubeVirt `VirtualMachinePool` objects. */
export class KubevirtBackend implements VmPoolBackend {
  constructor(
    private readonly client: KubevirtClient,
    /** Longest wait of any operation whose pool sets no `timeouts`. @default DEFAULT_TIMEOUTS_MS */
    private readonly timeoutMs?: number,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  /** The time an operation may wait: the pool's `timeouts`, else the backend's setting, else the default. */
  private budgetMs(inputs: VmPoolInputs, operation: "create" | "update" | "delete"): number {
    return inputs.timeouts?.[operation] !== undefined ? calculateTimeoutMs(inputs, operation) : (this.timeoutMs ?? DEFAULT_TIMEOUTS_MS[operation]);
  }

  private context(operation: string, resource: string): ErrorContext {
    return { backend: "kubevirt", operation, resource };
  }

  /** Creates the pool in the newest version the cluster serves; a name already taken is an error, never an adoption. */
  async create(pool: VmPoolInputs): Promise<PoolSnapshot> {
    const inputs = toKubevirtInputs(pool);
    const id = toKubevirtPoolId(inputs.backend.namespace, inputs.name);
    const ctx = this.context("create", id);
    const version = await this.client.discoverPoolVersion(ctx);
    // A fresh id in an annotation proves which pool this create made, when
    // its answer is lost and a pool of the name turns up.
    const createId = randomUUID();
    const manifest = toKubevirtPoolManifest(inputs, version, createId);
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
            return toSnapshot(fromKubevirtPool(existing), inputs);
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
    return this.waitUntilReady(ctx, toSnapshot(fromKubevirtPool(created), inputs), inputs, "create");
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

  /** Read-only checks for `check()`: the namespace exists (when the user may read namespaces). */
  async verify(pool: VmPoolInputs): Promise<{ property: string; reason: string }[]> {
    const inputs = toKubevirtInputs(pool);
    const ctx = this.context("preview", toKubevirtPoolId(inputs.backend.namespace, inputs.name));
    if ((await this.client.namespaceExists(ctx, inputs.backend.namespace)) === false) {
      return [{ property: "backend.namespace", reason: `namespace '${inputs.backend.namespace}' does not exist on the cluster; create it first or fix 'backend.namespace'` }];
    }
    return [];
  }

  async read(id: string, previous: VmPoolState): Promise<PoolSnapshot | undefined> {
    const observed = await this.tryGet("read", id, previous);
    return observed === undefined ? undefined : toSnapshot(observed, toKubevirtInputs(previous));
  }

  async update(id: string, previous: VmPoolState, pool: VmPoolInputs): Promise<PoolSnapshot> {
    const inputs = toKubevirtInputs(pool);
    const ctx = this.context("update", id);
    for (let attempt = 1; ; attempt++) {
      const observed = await this.tryGet("update", id, previous);
      if (observed === undefined) {
        throw new BackendError(ctx, "the pool no longer exists (deleted outside Pulumi); run 'pulumi refresh' and then 'pulumi up' to create it again", {
          status: 404,
        });
      }
      const version = versionOf(observed.apiVersion) ?? "v1alpha1";
      try {
        const patched: unknown = await this.client.patchPool(ctx, version, observed.namespace, observed.name, toKubevirtPoolPatch(inputs, { resourceVersion: observed.resourceVersion, hasAnnotations: observed.poolAnnotations !== undefined, hasNameGeneration: observed.nameGeneration !== undefined, hasTrustedClusterAnnotation: observed.poolAnnotations?.[TRUSTED_CLUSTER_ANNOTATION] !== undefined }));
        return await this.waitUntilReady(ctx, toSnapshot(fromKubevirtPool(patched), inputs), inputs, "update");
      } catch (err) {
        // 409/422 here means another writer changed the pool between our read
        // and our patch (the resourceVersion test failed): read it again.
        const raced = BackendError.isInstance(err) && (err.status === 409 || err.status === 422) && attempt < UPDATE_ATTEMPTS;
        if (!raced) {
          throw err;
        }
      }
    }
  }

  async delete(id: string, previous: VmPoolState): Promise<void> {
    const ctx = this.context("delete", id);
    const { namespace, name } = parseKubevirtPoolId(id);
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
        throw new BackendError(
          ctx,
          `the pool is still terminating after ${Math.round(budgetMs / 1000)}s; a finalizer is holding it (is virt-controller running?)`,
          { retryable: true },
        );
      }
      await sleep(POLL_MS);
    }
  }

  /**
   * With `waitForReady`, polls until `status.readyReplicas` reaches the size
   * (a controller reports it), within the pool's create or update timeout.
   * Past the deadline the pool exists, so the error carries its id.
   */
  private async waitUntilReady(ctx: ErrorContext, snapshot: PoolSnapshot, inputs: KubevirtPoolInputs, operation: "create" | "update"): Promise<PoolSnapshot> {
    if (inputs.backend.waitForReady !== true) {
      return snapshot;
    }
    const budgetMs = this.budgetMs(inputs, operation);
    const deadline = Date.now() + budgetMs;
    let current = snapshot;
    for (;;) {
      if (current.state.readyVmCount >= inputs.size) {
        return current;
      }
      if (Date.now() > deadline) {
        throw new PoolInitError(current.id, { ...current.state }, [
          `${current.state.readyVmCount} of ${inputs.size} VMs ready after ${Math.round(budgetMs / 1000)}s (is virt-controller running and are the VMs starting?); the next 'pulumi up' waits again`,
        ]);
      }
      await sleep(POLL_MS);
      const observed = await this.tryGet(operation, current.id, current.state);
      if (observed === undefined) {
        throw new BackendError(ctx, "the pool disappeared while waiting for its VMs to become ready");
      }
      current = toSnapshot(observed, inputs);
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
