/**
 * `PoolPermission` on KubeVirt: one Role naming exactly the pool's VMs (and,
 * for `VmPoolAdmin`, the pool) and one RoleBinding of it to the user or
 * group, both in the pool's namespace, both named from pool, role and
 * principal (`permission-mapping.ts`). It creates only those two objects,
 * never adopts an object of the same name it did not create, keeps the
 * Role's VM names in step with the pool's size, and deletes only the
 * incarnations it created.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

import type { CheckFailure } from "../../check";
import { BackendError, NotFoundError, type ErrorContext } from "../../errors";
import type { PoolPermissionInputs } from "../../schemas/pool-permission";
import type { OwnedObject, PoolPermissionBackend, PoolPermissionSnapshot, PoolPermissionState } from "../pool-permission-backend";
import { calculateBackoff } from "../retry";
import type { KubevirtClient } from "./client";
import { fromKubevirtPool } from "./mapping";
import {
  calculateCoveredSize,
  CREATE_ID_ANNOTATION,
  hasOnlySubject,
  RBAC_GROUP,
  toPermissionObjectName,
  toPermissionRole,
  toPermissionRoleBinding,
  toPermissionRules,
  toPrincipalId,
  toRbacSubject,
  type KubevirtPoolRole,
  type PermissionTarget,
  type PoolOwner,
} from "./permission-mapping";
import { KubevirtRbacClient, type RbacKind, type RbacObject } from "./rbac-client";

/** Attempts for an update that loses a race with another writer of the Role. */
const UPDATE_ATTEMPTS = 3;

type KubevirtPermissionInputs = PoolPermissionInputs & { backend: { kind: "kubevirt"; namespace: string } };

/** Narrows inputs to KubeVirt; the registry only routes KubeVirt permissions here. */
function toKubevirtInputs(inputs: PoolPermissionInputs): KubevirtPermissionInputs {
  if (inputs.backend.kind !== "kubevirt") {
    throw new Error(`the KubeVirt permission backend was given a '${inputs.backend.kind}' permission`);
  }
  return inputs as KubevirtPermissionInputs;
}

/** What the inputs grant, to whom, on which pool (check() allows only the KubeVirt roles). */
function toTarget(inputs: KubevirtPermissionInputs): PermissionTarget {
  return {
    role: inputs.role as KubevirtPoolRole,
    subject: toRbacSubject(inputs),
    namespace: inputs.backend.namespace,
    pool: { name: inputs.pool.name, uid: inputs.pool.uid, size: inputs.pool.size ?? 0 },
  };
}

/** The inputs of stored state, without what the backend added. */
function toStoredInputs(state: PoolPermissionState): KubevirtPermissionInputs {
  const { uid: _uid, principalId: _principal, objects: _objects, ...inputs } = state;
  return toKubevirtInputs(inputs);
}

function toOwned(kind: RbacKind, obj: RbacObject): OwnedObject {
  return { kind, name: obj.metadata?.name ?? "", uid: obj.metadata?.uid ?? "" };
}

/** Pool permissions as a Role and a RoleBinding. */
export class KubevirtPoolPermissionBackend implements PoolPermissionBackend {
  private readonly rbac: KubevirtRbacClient;

  constructor(private readonly client: KubevirtClient) {
    this.rbac = new KubevirtRbacClient(client);
  }

  private context(operation: string, namespace: string, name: string): ErrorContext {
    return { backend: "kubevirt", operation, resource: `${namespace}/${name}` };
  }

  /** Creates the Role, then the RoleBinding; if the binding fails, the Role it just made is removed again. */
  async create(permission: PoolPermissionInputs): Promise<PoolPermissionSnapshot> {
    const inputs = toKubevirtInputs(permission);
    const target = toTarget(inputs);
    const name = toPermissionObjectName(target.pool.name, target.role, target.subject);
    const ctx = this.context("create", target.namespace, name);
    const owner = await this.getPoolOwner(ctx, target);
    // A fresh id in an annotation proves which objects this create made,
    // when an answer is lost and an object of the name turns up.
    const createId = randomUUID();
    const role = await this.createOwned(ctx, target.namespace, { kind: "Role", object: toPermissionRole(target, owner, createId) }, createId);
    let binding: RbacObject;
    try {
      binding = await this.createOwned(ctx, target.namespace, { kind: "RoleBinding", object: toPermissionRoleBinding(target, owner, createId) }, createId);
    } catch (err) {
      await this.deleteOwned(ctx, target.namespace, toOwned("Role", role));
      throw err;
    }
    return this.toSnapshot(inputs, target, toOwned("Role", role), toOwned("RoleBinding", binding));
  }

  /**
   * The permission as it lives: gone when its RoleBinding is (or the name now
   * holds another binding). `pool.size` reports how many VMs the live Role
   * covers. It is left out when the Role is missing, was edited into rules
   * this provider would not write, or the binding's subjects were changed
   * (another subject slipped in): the next `up` then plans an in-place
   * update, which rewrites both. Replacing instead would create objects of
   * the same names while the tampered ones still exist.
   */
  async read(id: string, previous: PoolPermissionState): Promise<PoolPermissionSnapshot | undefined> {
    const stored = toStoredInputs(previous);
    const target = toTarget(stored);
    const { namespace, name } = parsePermissionId(id);
    const ctx = this.context("read", namespace, name);
    const binding = await this.tryGet(ctx, "RoleBinding", namespace, name);
    if (binding?.metadata?.uid !== previous.uid) {
      return undefined;
    }
    const recordedRole = previous.objects?.find((o) => o.kind === "Role");
    const role = await this.tryGet(ctx, "Role", namespace, recordedRole?.name ?? name);
    const roleIsOurs = role !== undefined && (recordedRole === undefined || role.metadata?.uid === recordedRole.uid);
    const rules = roleIsOurs && "rules" in role ? (role.rules ?? []) : [];
    const bindingIsIntact = hasOnlySubject("subjects" in binding ? binding.subjects : undefined, target.subject);
    const covered = roleIsOurs && bindingIsIntact ? calculateCoveredSize(target.role, target.pool.name, rules) : undefined;
    const { size: _size, ...poolRest } = stored.pool;
    // A size the program left unset (0) and a Role covering 0 VMs agree.
    const reportedSize = covered === 0 && stored.pool.size === undefined ? undefined : covered;
    const inputs: KubevirtPermissionInputs = { ...stored, pool: { ...poolRest, ...(reportedSize === undefined ? {} : { size: reportedSize }) } };
    const objects = [...(roleIsOurs ? [toOwned("Role", role)] : []), toOwned("RoleBinding", binding)];
    return { id, inputs, state: { ...inputs, uid: previous.uid, principalId: previous.principalId, objects } };
  }

  /**
   * Keeps the Role's VM names in step with the pool's size (the only
   * in-place change `diff` allows), and puts back what was changed out of
   * band: the binding's subjects, the Role's rules, a Role deleted. Each
   * write is guarded by `resourceVersion` and read again when another writer
   * got there first. A Role replaced by an object this permission did not
   * create is refused.
   */
  async update(id: string, previous: PoolPermissionState, permission: PoolPermissionInputs): Promise<PoolPermissionSnapshot> {
    const inputs = toKubevirtInputs(permission);
    const target = toTarget(inputs);
    const { namespace, name } = parsePermissionId(id);
    const ctx = this.context("update", namespace, name);
    const binding = await this.repairBinding(ctx, namespace, name, previous.uid, target);
    const recordedUid = previous.objects?.find((o) => o.kind === "Role")?.uid;
    for (let attempt = 1; ; attempt++) {
      const live = await this.tryGet(ctx, "Role", namespace, name);
      if (live === undefined) {
        const createId = randomUUID();
        const role = await this.createOwned(ctx, namespace, { kind: "Role", object: toPermissionRole(target, await this.getPoolOwner(ctx, target), createId) }, createId);
        return this.toSnapshot(inputs, target, toOwned("Role", role), toOwned("RoleBinding", binding));
      }
      if (recordedUid !== undefined && live.metadata?.uid !== recordedUid) {
        throw this.notOurs(ctx, "Role", namespace, name);
      }
      try {
        // The live metadata carries the resourceVersion that guards the write.
        const rules = toPermissionRules(target.role, target.pool.name, target.pool.size);
        const role = await this.rbac.replaceRole(ctx, namespace, { apiVersion: `${RBAC_GROUP}/v1`, kind: "Role", metadata: live.metadata ?? {}, rules });
        return this.toSnapshot(inputs, target, toOwned("Role", role), toOwned("RoleBinding", binding));
      } catch (err) {
        // 409: the Role changed between our read and our write; read it again.
        if (!(BackendError.isInstance(err) && err.status === 409 && attempt < UPDATE_ATTEMPTS)) {
          throw err;
        }
      }
    }
  }

  /** The permission's own RoleBinding, with its subjects put back to exactly the permission's subject. */
  private async repairBinding(ctx: ErrorContext, namespace: string, name: string, uid: string, target: PermissionTarget): Promise<RbacObject> {
    for (let attempt = 1; ; attempt++) {
      const binding = await this.tryGet(ctx, "RoleBinding", namespace, name);
      if (binding === undefined || binding.metadata?.uid !== uid || !("roleRef" in binding)) {
        throw new BackendError(ctx, `the RoleBinding '${name}' no longer exists (deleted outside Pulumi); run 'pulumi refresh' and then 'pulumi up' to create the permission again`, { status: 404 });
      }
      if (hasOnlySubject(binding.subjects, target.subject)) {
        return binding;
      }
      try {
        return await this.rbac.replaceRoleBinding(ctx, namespace, { apiVersion: `${RBAC_GROUP}/v1`, kind: "RoleBinding", metadata: binding.metadata ?? {}, roleRef: binding.roleRef, subjects: [{ ...target.subject }] });
      } catch (err) {
        if (!(BackendError.isInstance(err) && err.status === 409 && attempt < UPDATE_ATTEMPTS)) {
          throw err;
        }
      }
    }
  }

  /**
   * Read-only, for previews: the pool exists as this incarnation, and the
   * Role and RoleBinding names are free when the permission is new or moves
   * to new names. What the user may not read is not checked.
   */
  async verify(permission: PoolPermissionInputs, previous: PoolPermissionInputs | undefined): Promise<CheckFailure[]> {
    const inputs = toKubevirtInputs(permission);
    const target = toTarget(inputs);
    const name = toPermissionObjectName(target.pool.name, target.role, target.subject);
    const ctx = this.context("preview", target.namespace, name);
    const failures: CheckFailure[] = [];
    const pool = await this.tryGetPool(ctx, target);
    if (pool === null) {
      failures.push({ property: "pool.name", reason: `VirtualMachinePool '${target.pool.name}' does not exist in namespace '${target.namespace}'; create the pool first (pass the VmPool resource as 'pool')` });
    } else if (pool !== undefined && pool.uid !== target.pool.uid) {
      failures.push({ property: "pool.uid", reason: `is ${target.pool.uid}, but the pool '${target.pool.name}' now has uid ${pool.uid} (it was recreated); run 'pulumi refresh' so the permission follows the new pool` });
    }
    const previousName = previous?.backend.kind === "kubevirt" ? toPermissionObjectName(previous.pool.name, previous.role as KubevirtPoolRole, toRbacSubject(previous)) : undefined;
    if (previousName !== name) {
      for (const kind of ["Role", "RoleBinding"] as const) {
        const existing = await this.tryGet(ctx, kind, target.namespace, name).catch((err: unknown) => {
          if (BackendError.isInstance(err) && err.status === 403) {
            return undefined;
          }
          throw err;
        });
        if (existing !== undefined) {
          failures.push({ property: inputs.user === undefined ? "group" : "user", reason: this.notOurs(ctx, kind, target.namespace, name).message.replace(/^.*? failed: /, "") });
        }
      }
    }
    return failures;
  }

  /** Deletes the RoleBinding (the grant ends at once), then the Role; each only as the incarnation created. Not-found is success. */
  async delete(id: string, previous: PoolPermissionState): Promise<void> {
    const { namespace, name } = parsePermissionId(id);
    const ctx = this.context("delete", namespace, name);
    const objects = previous.objects ?? [{ kind: "RoleBinding", name, uid: previous.uid }];
    for (const kind of ["RoleBinding", "Role"] as const) {
      for (const obj of objects.filter((o) => o.kind === kind)) {
        await this.deleteOwned(ctx, namespace, obj);
      }
    }
  }

  private toSnapshot(inputs: KubevirtPermissionInputs, target: PermissionTarget, role: OwnedObject, binding: OwnedObject): PoolPermissionSnapshot {
    const name = binding.name;
    return {
      id: `${target.namespace}/${name}`,
      inputs,
      state: { ...inputs, uid: binding.uid, principalId: toPrincipalId(target.subject), objects: [role, binding] },
    };
  }

  /** The pool as the Role's owner; the pool must exist as the incarnation the inputs name. */
  private async getPoolOwner(ctx: ErrorContext, target: PermissionTarget): Promise<PoolOwner> {
    const pool = await this.tryGetPool(ctx, target);
    if (pool === undefined) {
      throw new BackendError(
        ctx,
        `the kubeconfig's user may not read VirtualMachinePool '${target.pool.name}' in namespace '${target.namespace}' (Forbidden); the permission's Role and RoleBinding are tied to the pool, so grant that user 'get' on 'virtualmachinepools' (pool.kubevirt.io)`,
        { status: 403 },
      );
    }
    if (pool === null) {
      throw new BackendError(ctx, `VirtualMachinePool '${target.pool.name}' does not exist in namespace '${target.namespace}'; a permission is granted on an existing pool (pass the VmPool resource as 'pool')`, { status: 404 });
    }
    if (pool.uid !== target.pool.uid) {
      throw new BackendError(ctx, `VirtualMachinePool '${target.pool.name}' was recreated (uid ${pool.uid}, the permission names ${target.pool.uid}); run 'pulumi refresh' so the permission follows the new pool`, { status: 409 });
    }
    return pool;
  }

  /** The live pool; null when it does not exist, undefined when the user may not read it. */
  private async tryGetPool(ctx: ErrorContext, target: PermissionTarget): Promise<PoolOwner | null | undefined> {
    try {
      const version = await this.client.discoverPoolVersion(ctx);
      const observed = fromKubevirtPool(await this.client.getPool(ctx, version, target.namespace, target.pool.name));
      return { apiVersion: observed.apiVersion, name: observed.name, uid: observed.uid };
    } catch (err) {
      if (NotFoundError.isInstance(err)) {
        return null;
      }
      if (BackendError.isInstance(err) && err.status === 403) {
        return undefined;
      }
      throw err;
    }
  }

  private async tryGet(ctx: ErrorContext, kind: RbacKind, namespace: string, name: string): Promise<RbacObject | undefined> {
    try {
      return await this.rbac.get(ctx, kind, namespace, name);
    } catch (err) {
      if (NotFoundError.isInstance(err)) {
        return undefined;
      }
      throw err;
    }
  }

  private notOurs(ctx: ErrorContext, kind: RbacKind, namespace: string, name: string): BackendError {
    return new BackendError(
      ctx,
      `a ${kind} named '${name}' already exists in namespace '${namespace}' and this permission did not create it; it is never adopted or changed. Delete it if it is a leftover, or grant the role to another principal`,
      { status: 409 },
    );
  }

  /**
   * Creates one object. A name already taken is refused, unless the object
   * carries this create's id (its answer was lost); a lost answer with
   * nothing created is retried.
   */
  private async createOwned(
    ctx: ErrorContext,
    namespace: string,
    body: Parameters<KubevirtRbacClient["create"]>[2],
    createId: string,
  ): Promise<RbacObject> {
    const name = body.object.metadata?.name ?? "";
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.rbac.create(ctx, namespace, body);
      } catch (err) {
        const status = BackendError.isInstance(err) ? err.status : undefined;
        if (status === 403) {
          throw new BackendError(ctx, `${(err as BackendError).message.replace(/^.*? failed: /, "")}; creating a Role or RoleBinding needs every permission it grants (RBAC escalation check), or the 'escalate' and 'bind' verbs on roles`, { status, cause: err });
        }
        const conflict = status === 409;
        if (!conflict && !(BackendError.isInstance(err) && err.retryable)) {
          throw err;
        }
        const existing = await this.tryGet(ctx, body.kind, namespace, name);
        if (existing !== undefined && existing.metadata?.annotations?.[CREATE_ID_ANNOTATION] === createId) {
          return existing;
        }
        if (existing !== undefined || conflict) {
          throw this.notOurs(ctx, body.kind, namespace, name);
        }
        if (attempt >= this.client.retryPolicy.attempts) {
          throw err;
        }
        // Nothing was created: trying again cannot make a second object.
        await sleep(calculateBackoff(this.client.retryPolicy, attempt));
      }
    }
  }

  /** Deletes one object as the incarnation created; gone, or a name now held by another object, is success. */
  private async deleteOwned(ctx: ErrorContext, namespace: string, obj: OwnedObject): Promise<void> {
    try {
      await this.rbac.delete(ctx, obj.kind === "Role" ? "Role" : "RoleBinding", namespace, obj.name, obj.uid);
    } catch (err) {
      if (NotFoundError.isInstance(err) || (BackendError.isInstance(err) && err.status === 409)) {
        return;
      }
      throw err;
    }
  }
}

/** Splits a permission id `<namespace>/<name>`; throws on anything else. */
export function parsePermissionId(id: string): { namespace: string; name: string } {
  const [namespace, name, ...rest] = id.split("/");
  if (namespace === undefined || name === undefined || namespace === "" || name === "" || rest.length > 0) {
    throw new Error(`'${id}' is not a KubeVirt permission id; expected '<namespace>/<name>'`);
  }
  return { namespace, name };
}
