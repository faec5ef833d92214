/**
 * `PoolPermission` on VM-Operator: one entry of the VmPool's
 * `spec.permissions` (`user` for a PoolPermission user, `role` for a
 * group), written by read-modify-write guarded by `resourceVersion`, with
 * the pool's owner record saying which entry this permission added (see
 * permission-entries.ts). It never adopts, changes or removes an entry it
 * did not add.
 */
import { randomUUID } from "node:crypto";

import type { CheckFailure } from "../../check";
import { BackendError, NotFoundError, type ErrorContext } from "../../errors";
import type { PoolPermissionInputs } from "../../schemas/pool-permission";
import { calculateVmoperatorMay } from "../../schemas/vmoperator-permission";
import type { PoolPermissionBackend, PoolPermissionSnapshot, PoolPermissionState } from "../pool-permission-backend";
import { VMPOOL_PLURAL, VmoperatorClient, type KubeObject } from "./client";
import { fromVmoperatorPool } from "./mapping";
import { addEntry, findEntry, PERMISSION_OWNERS_ANNOTATION, principalKey, removeEntry, type PermissionEntry, type Principal } from "./permission-entries";
import { editObject } from "./vmoperator-backend";

type VmoperatorPermissionInputs = PoolPermissionInputs & { backend: { kind: "vmoperator"; connection?: string | undefined; namespace: string } };

function toVmoperatorInputs(inputs: PoolPermissionInputs): VmoperatorPermissionInputs {
  if (inputs.backend.kind !== "vmoperator") {
    throw new Error(`the VM-Operator permission backend was given a '${inputs.backend.kind}' permission`);
  }
  return inputs as VmoperatorPermissionInputs;
}

/** A PoolPermission user is a VM-Operator user; a group is a VM-Operator role. */
export function toPrincipal(inputs: { user?: string | undefined; group?: string | undefined }): Principal {
  return inputs.user !== undefined ? { user: inputs.user } : { role: inputs.group ?? "" };
}

/** The pool object with a new permission list and owner record, everything else as read. */
function withEntries(pool: KubeObject, entries: PermissionEntry[], owners: Record<string, string>): KubeObject {
  const spec = typeof pool["spec"] === "object" && pool["spec"] !== null ? pool["spec"] : {};
  const annotations = { ...(pool.metadata?.annotations ?? {}), [PERMISSION_OWNERS_ANNOTATION]: JSON.stringify(owners) };
  return { ...pool, metadata: { ...pool.metadata, annotations }, spec: { ...spec, permissions: entries } };
}

/** VM-Operator pool permissions. */
export class VmoperatorPoolPermissionBackend implements PoolPermissionBackend {
  constructor(private readonly client: VmoperatorClient) {}

  private context(operation: string, resource: string): ErrorContext {
    return { backend: "vmoperator", operation, resource };
  }

  /** Read-only: the pool exists as the same incarnation, and no entry for the principal exists that this permission did not add. */
  async verify(permission: PoolPermissionInputs, previous: PoolPermissionInputs | undefined): Promise<CheckFailure[]> {
    const inputs = toVmoperatorInputs(permission);
    const { namespace } = inputs.backend;
    const ctx = this.context("preview", `${namespace}/${inputs.pool.name}`);
    const pool = await this.client.find(ctx, VMPOOL_PLURAL, namespace, inputs.pool.name);
    if (pool === undefined) {
      return [{ property: "pool.name", reason: `VmPool '${inputs.pool.name}' does not exist in namespace '${namespace}'; create the pool first (pass the VmPool resource as 'pool')` }];
    }
    if (pool.metadata?.uid !== inputs.pool.uid) {
      return [{ property: "pool.uid", reason: `is ${inputs.pool.uid}, but the pool '${inputs.pool.name}' now has uid ${pool.metadata?.uid ?? "?"} (it was recreated); run 'pulumi refresh' so the permission follows the new pool` }];
    }
    const samePrincipal = previous?.backend.kind === "vmoperator" && previous.pool.uid === inputs.pool.uid && principalKey(toPrincipal(previous)) === principalKey(toPrincipal(inputs));
    const observed = fromVmoperatorPool(pool);
    const principal = toPrincipal(inputs);
    if (!samePrincipal && findEntry(observed.permissions, principal) !== undefined) {
      const refused = addEntry(observed.permissions, observed.owners, principal, calculateVmoperatorMay(inputs), "(new)");
      return "refused" in refused ? [{ property: inputs.user !== undefined ? "user" : "group", reason: refused.refused }] : [];
    }
    return [];
  }

  async create(permission: PoolPermissionInputs): Promise<PoolPermissionSnapshot> {
    const inputs = toVmoperatorInputs(permission);
    const uid = randomUUID();
    await this.write("create", inputs, uid);
    return this.toSnapshot(inputs, uid);
  }

  async read(id: string, previous: PoolPermissionState): Promise<PoolPermissionSnapshot | undefined> {
    const inputs = toVmoperatorInputs(previous);
    const { namespace } = inputs.backend;
    const pool = await this.client.find(this.context("read", id), VMPOOL_PLURAL, namespace, inputs.pool.name);
    if (pool === undefined || pool.metadata?.uid !== inputs.pool.uid) {
      return undefined;
    }
    const observed = fromVmoperatorPool(pool);
    const principal = toPrincipal(inputs);
    const entry = findEntry(observed.permissions, principal);
    if (entry === undefined || observed.owners[principalKey(principal)] !== previous.uid) {
      return undefined;
    }
    // The CRD's default for an entry without `may`; a `may` changed out of band shows as drift.
    const may = entry.may ?? ["accessConsole"];
    const asked = calculateVmoperatorMay(inputs);
    const same = may.length === asked.length && may.every((m, i) => m === asked[i]);
    return this.toSnapshot(same ? inputs : { ...inputs, may }, previous.uid);
  }

  async update(_id: string, previous: PoolPermissionState, permission: PoolPermissionInputs): Promise<PoolPermissionSnapshot> {
    const inputs = toVmoperatorInputs(permission);
    await this.write("update", inputs, previous.uid);
    return this.toSnapshot(inputs, previous.uid);
  }

  /** Removes this permission's entry and record; a pool or entry already gone is success. */
  async delete(id: string, previous: PoolPermissionState): Promise<void> {
    const inputs = toVmoperatorInputs(previous);
    const { namespace } = inputs.backend;
    const ctx = this.context("delete", id);
    try {
      await editObject(this.client, ctx, VMPOOL_PLURAL, namespace, inputs.pool.name, (pool) => {
        if (pool.metadata?.uid !== inputs.pool.uid) {
          return undefined;
        }
        const observed = fromVmoperatorPool(pool);
        if (observed.owners[principalKey(toPrincipal(inputs))] !== previous.uid) {
          return undefined;
        }
        const edit = removeEntry(observed.permissions, observed.owners, toPrincipal(inputs), previous.uid);
        return withEntries(pool, edit.entries, edit.owners);
      });
    } catch (err) {
      if (!NotFoundError.isInstance(err)) {
        throw err;
      }
    }
  }

  /** Adds or rewrites this permission's entry as `owner`; refuses, writing nothing, when the entry belongs to someone else. */
  private async write(operation: string, inputs: VmoperatorPermissionInputs, owner: string): Promise<void> {
    const { namespace } = inputs.backend;
    const ctx = this.context(operation, `${namespace}/${inputs.pool.name}`);
    await editObject(this.client, ctx, VMPOOL_PLURAL, namespace, inputs.pool.name, (pool) => {
      if (pool.metadata?.uid !== inputs.pool.uid) {
        throw new BackendError(ctx, `the VmPool '${inputs.pool.name}' is not the pool this permission is for (uid ${pool.metadata?.uid ?? "?"}, expected ${inputs.pool.uid}); run 'pulumi refresh'`, { status: 409 });
      }
      const observed = fromVmoperatorPool(pool);
      const edit = addEntry(observed.permissions, observed.owners, toPrincipal(inputs), calculateVmoperatorMay(inputs), owner);
      if ("refused" in edit) {
        throw new BackendError(ctx, edit.refused, { status: 409 });
      }
      return withEntries(pool, edit.entries, edit.owners);
    });
  }

  private toSnapshot(inputs: VmoperatorPermissionInputs, uid: string): PoolPermissionSnapshot {
    const principal = toPrincipal(inputs);
    const id = `${inputs.backend.namespace}/${inputs.pool.name}/${principalKey(principal)}`;
    const clean = pickInputs(inputs);
    return { id, inputs: clean, state: { ...clean, uid, principalId: principalKey(principal) } };
  }
}

/** The input fields of stored state, so refresh returns inputs only. */
function pickInputs(stored: VmoperatorPermissionInputs): VmoperatorPermissionInputs {
  const { role, user, group, pool, may, backend } = stored;
  return { role, pool, backend, ...(user === undefined ? {} : { user }), ...(group === undefined ? {} : { group }), ...(may === undefined ? {} : { may }) };
}
