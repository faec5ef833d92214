/**
 * Pool permissions on an oVirt engine: one role for one user or group,
 * attached to the pool itself (reference §5). It creates only a permission
 * that did not exist, and deletes only the one it created, never one
 * inherited from the pool's cluster, data center or the system.
 */
import type { CheckFailure } from "../../check";
import { BackendError, NotFoundError, type ErrorContext } from "../../errors";
import type { PoolPermissionInputs } from "../../schemas/pool-permission";
import type { PoolPermissionBackend, PoolPermissionSnapshot, PoolPermissionState } from "../pool-permission-backend";
import { withRetry, type RetryPolicy } from "../retry";
import type { OvirtClient } from "./client";
import { resolveOvirtPrincipal, resolveOvirtRole } from "./ovirt-principals";
import { fromOvirtPermission, fromOvirtPermissionList, isOnPool, isSameGrant, isSameId, toOvirtPermissionBody, type ObservedOvirtPermission, type Principal } from "./ovirt-permission-mapping";

/** How long a lookup after a lost answer keeps trying: about a minute of backoff on top of each call's own retries. */
const PATIENT_LOOKUP: RetryPolicy = { attempts: 8, baseDelayMs: 500, maxDelayMs: 8_000 };

/** The inputs a permission's identity is made of, as the diff replaces them. */
function isSameGrantInputs(a: PoolPermissionInputs, b: PoolPermissionInputs): boolean {
  return a.role.toLowerCase() === b.role.toLowerCase() && a.user === b.user && a.group === b.group && a.pool.uid === b.pool.uid && a.backend.connection === b.backend.connection;
}

/** Only the inputs: state fields dropped, so `read` hands Pulumi clean inputs. */
function toInputs(state: PoolPermissionState): PoolPermissionInputs {
  const { uid: _uid, principalId: _principalId, objects: _objects, ...inputs } = state;
  return inputs;
}

/** Pool permissions as engine `permission` entities on a `vm_pool`. */
export class OvirtPoolPermissionBackend implements PoolPermissionBackend {
  constructor(private readonly client: OvirtClient) {}

  private context(operation: string, inputs: PoolPermissionInputs): ErrorContext {
    const who = inputs.user !== undefined ? `user ${inputs.user}` : `group ${inputs.group ?? ""}`;
    return { backend: "ovirt", operation, resource: `permission ${inputs.role} for ${who} on pool ${inputs.pool.name}` };
  }

  private snapshot(inputs: PoolPermissionInputs, id: string, principalId: string): PoolPermissionSnapshot {
    return { id, inputs, state: { ...inputs, uid: id, principalId } };
  }

  /** The pool's permissions as listed: direct and inherited, all showing the pool (reference §5.1). A missing pool is a 404. */
  private async listPoolPermissions(ctx: ErrorContext, poolId: string): Promise<ObservedOvirtPermission[]> {
    return fromOvirtPermissionList((await this.client.call(ctx, "GET", `/vmpools/${poolId}/permissions`, { idempotent: true })).body);
  }

  /** The permission by id with its real object link, or undefined when it (or the pool) is gone. */
  private async getPermission(ctx: ErrorContext, poolId: string, id: string): Promise<ObservedOvirtPermission | undefined> {
    try {
      return fromOvirtPermission((await this.client.call(ctx, "GET", `/vmpools/${poolId}/permissions/${id}`, { idempotent: true })).body);
    } catch (err) {
      if (NotFoundError.isInstance(err)) {
        return undefined;
      }
      throw err;
    }
  }

  /**
   * The permission granting this role to this principal directly on the
   * pool, if any. The listing rewrites inherited permissions to the pool,
   * so each candidate is read by id, which shows its real object.
   */
  private async findDirectGrant(ctx: ErrorContext, poolId: string, listed: readonly ObservedOvirtPermission[], roleId: string, principal: Principal): Promise<ObservedOvirtPermission | undefined> {
    for (const candidate of listed.filter((p) => isSameGrant(p, roleId, principal))) {
      const real = await this.getPermission(ctx, poolId, candidate.id);
      if (real !== undefined && isOnPool(real, poolId)) {
        return real;
      }
    }
    return undefined;
  }

  private missingPool(ctx: ErrorContext, inputs: PoolPermissionInputs, cause?: unknown): BackendError {
    return new BackendError(ctx, `pool '${inputs.pool.name}' (id ${inputs.pool.uid}) does not exist on the engine; it was removed outside Pulumi or recreated, so run 'pulumi refresh' and then 'pulumi up'`, { status: 404, cause });
  }

  private alreadyGranted(ctx: ErrorContext, inputs: PoolPermissionInputs, principal: Principal, existing: ObservedOvirtPermission): BackendError {
    return new BackendError(
      ctx,
      `${principal.kind} '${principal.name}' already has role ${inputs.role} directly on pool '${inputs.pool.name}' (permission ${existing.id}), granted outside this resource. ` +
        `This provider neither takes over a permission it did not create nor ever deletes one, so either drop this PoolPermission (the grant exists already), ` +
        `or remove that permission on the engine (Administration Portal: Pools > ${inputs.pool.name} > Permissions > Remove, or 'DELETE /ovirt-engine/api/vmpools/${inputs.pool.uid}/permissions/${existing.id}') and run 'pulumi up' again. Nothing was changed`,
      { status: 409 },
    );
  }

  /**
   * Read-only checks `check()` runs, so `preview` fails where `up` would:
   * the principal and role exist, the pool exists, and a new grant does not
   * exist already. Returns failures; throws only when the engine cannot be
   * asked.
   */
  async verify(inputs: PoolPermissionInputs, previous: PoolPermissionInputs | undefined): Promise<CheckFailure[]> {
    const ctx = this.context("preview", inputs);
    const failures: CheckFailure[] = [];
    const principalProperty = inputs.user !== undefined ? "user" : "group";
    // Each lookup fails with a 404 when what it looks for is missing: a check failure, not an error.
    const attempt = async <T>(property: string, run: () => Promise<T>, describe: (err: BackendError) => string = (err) => err.message): Promise<T | undefined> => {
      try {
        return await run();
      } catch (err) {
        if (BackendError.isInstance(err) && err.status === 404) {
          failures.push({ property, reason: describe(err) });
          return undefined;
        }
        throw err;
      }
    };
    const principal = await attempt(principalProperty, () => resolveOvirtPrincipal(this.client, ctx, inputs));
    const role = await attempt("role", () => resolveOvirtRole(this.client, ctx, inputs.role));
    const listed = await attempt("pool", () => this.listPoolPermissions(ctx, inputs.pool.uid), () => this.missingPool(ctx, inputs).message);
    if (principal !== undefined && role !== undefined && listed !== undefined && (previous === undefined || !isSameGrantInputs(previous, inputs))) {
      const existing = await this.findDirectGrant(ctx, inputs.pool.uid, listed, role.id, principal);
      if (existing !== undefined) {
        failures.push({ property: principalProperty, reason: this.alreadyGranted(ctx, inputs, principal, existing).message });
      }
    }
    return failures;
  }

  /**
   * Grants the role on the pool. The principal is resolved first and the
   * role next, so a missing one fails before anything is sent; a grant that
   * exists already directly on the pool is refused, not adopted. The engine
   * answers a repeated add with the existing permission (reference §5.2),
   * so the add is safe to retry after a lost answer: it never makes a
   * second permission.
   */
  async create(inputs: PoolPermissionInputs): Promise<PoolPermissionSnapshot> {
    const ctx = this.context("create", inputs);
    const principal = await resolveOvirtPrincipal(this.client, ctx, inputs);
    const role = await resolveOvirtRole(this.client, ctx, inputs.role);
    let listed: ObservedOvirtPermission[];
    try {
      listed = await this.listPoolPermissions(ctx, inputs.pool.uid);
    } catch (err) {
      throw NotFoundError.isInstance(err) ? this.missingPool(ctx, inputs, err) : err;
    }
    const existing = await this.findDirectGrant(ctx, inputs.pool.uid, listed, role.id, principal);
    if (existing !== undefined) {
      throw this.alreadyGranted(ctx, inputs, principal, existing);
    }
    let answer: Awaited<ReturnType<OvirtClient["call"]>>;
    try {
      answer = await this.client.call(ctx, "POST", `/vmpools/${inputs.pool.uid}/permissions`, { body: toOvirtPermissionBody(role.id, principal), idempotent: true });
    } catch (err) {
      // The answer may be lost after the engine added the grant (the client
      // gave up retrying): the grant was not on the pool just before, so if
      // it is there now, it is this one, and forgetting it would leave a
      // permission no resource tracks, which the next create then refuses.
      const mayHaveRun = BackendError.isInstance(err) && (err.status === undefined || err.status >= 500);
      // The lookup outlasts a short outage (the retry policy's attempts, again and again), or the grant would be forgotten.
      const added = mayHaveRun ? await withRetry(PATIENT_LOOKUP, async () => this.findDirectGrant(ctx, inputs.pool.uid, await this.listPoolPermissions(ctx, inputs.pool.uid), role.id, principal)) : undefined;
      if (added === undefined) {
        throw err;
      }
      return this.snapshot(inputs, added.id, principal.id);
    }
    const created = fromOvirtPermission(answer.body);
    return this.snapshot(inputs, created.id, principal.id);
  }

  /**
   * The permission this resource created, if it is still there: read by id
   * through the pool, on the pool itself, for the same principal. A
   * permission or pool removed outside Pulumi reads as undefined.
   */
  private async readOwn(ctx: ErrorContext, id: string, previous: PoolPermissionState): Promise<ObservedOvirtPermission | undefined> {
    const real = await this.getPermission(ctx, previous.pool.uid, id);
    if (real === undefined || !isOnPool(real, previous.pool.uid) || !isSameId(previous.user !== undefined ? real.userId : real.groupId, previous.principalId)) {
      return undefined;
    }
    return real;
  }

  async read(id: string, previous: PoolPermissionState): Promise<PoolPermissionSnapshot | undefined> {
    const inputs = toInputs(previous);
    const own = await this.readOwn(this.context("read", inputs), id, previous);
    // A permission never changes in place on the engine: while it exists, the inputs stay as they were.
    return own === undefined ? undefined : this.snapshot(inputs, own.id, previous.principalId);
  }

  /** Nothing of a permission changes in place on oVirt (the diff replaces it); confirms it still exists. */
  async update(id: string, previous: PoolPermissionState, inputs: PoolPermissionInputs): Promise<PoolPermissionSnapshot> {
    const ctx = this.context("update", inputs);
    if ((await this.readOwn(ctx, id, previous)) === undefined) {
      throw new BackendError(ctx, `permission ${id} was removed outside Pulumi; run 'pulumi refresh' and then 'pulumi up' to grant it again`, { status: 404 });
    }
    return this.snapshot(inputs, id, previous.principalId);
  }

  /**
   * Deletes the permission this resource created; not-found is success.
   * The pool path deletes any permission id, inherited ones included
   * (reference §5.1, "Danger"), so the permission is read by id first and
   * deleted only when it is on this pool for this principal; anything else
   * is not this resource's and is left alone.
   */
  async delete(id: string, previous: PoolPermissionState): Promise<void> {
    const ctx = this.context("delete", toInputs(previous));
    if ((await this.readOwn(ctx, id, previous)) === undefined) {
      return;
    }
    try {
      await this.client.call(ctx, "DELETE", `/vmpools/${previous.pool.uid}/permissions/${id}`, { idempotent: true });
    } catch (err) {
      if (!NotFoundError.isInstance(err)) {
        throw err;
      }
    }
  }
}
