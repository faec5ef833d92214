/**
 * A thin client for the Roles and RoleBindings a KubeVirt `PoolPermission`
 * owns. Errors are translated at this boundary. Reads, replaces guarded by
 * `resourceVersion` and deletes guarded by `uid` are retried on 5xx, 429 and
 * dropped connections; creates are not, because the API server may have run
 * them (the backend proves ownership by its create id instead).
 */
import * as k8s from "@kubernetes/client-node";

import { BackendError, type ErrorContext } from "../../errors";
import { withRetry } from "../retry";
import { toBackendError, type KubevirtClient } from "./client";

/** The two kinds a permission creates. */
export type RbacKind = "Role" | "RoleBinding";

/** A Role or RoleBinding as read back; both carry metadata. */
export type RbacObject = k8s.V1Role | k8s.V1RoleBinding;

/** Roles and RoleBindings in one namespace at a time. */
export class KubevirtRbacClient {
  private readonly rbac: k8s.RbacAuthorizationV1Api;

  constructor(private readonly base: KubevirtClient) {
    this.rbac = base.makeApiClient(k8s.RbacAuthorizationV1Api);
  }

  private async retried<T>(context: ErrorContext, call: () => Promise<T>): Promise<T> {
    return withRetry(this.base.retryPolicy, async () => {
      try {
        return await call();
      } catch (err) {
        throw toBackendError(context, err);
      }
    });
  }

  /** Reads a Role; throws `NotFoundError` when it does not exist. */
  async getRole(context: ErrorContext, namespace: string, name: string): Promise<k8s.V1Role> {
    return this.retried(context, () => this.rbac.readNamespacedRole({ name, namespace }));
  }

  /** Reads a RoleBinding; throws `NotFoundError` when it does not exist. */
  async getRoleBinding(context: ErrorContext, namespace: string, name: string): Promise<k8s.V1RoleBinding> {
    return this.retried(context, () => this.rbac.readNamespacedRoleBinding({ name, namespace }));
  }

  /** Reads either kind by name. */
  async get(context: ErrorContext, kind: RbacKind, namespace: string, name: string): Promise<RbacObject> {
    return kind === "Role" ? this.getRole(context, namespace, name) : this.getRoleBinding(context, namespace, name);
  }

  /**
   * Creates either kind; a 409 means one of that name exists already. The
   * caller must hold every permission the Role grants (or `escalate`/`bind`):
   * RBAC's escalation check refuses anything else with 403.
   */
  async create(context: ErrorContext, namespace: string, body: { kind: "Role"; object: k8s.V1Role } | { kind: "RoleBinding"; object: k8s.V1RoleBinding }): Promise<RbacObject> {
    try {
      return body.kind === "Role"
        ? await this.rbac.createNamespacedRole({ namespace, body: body.object, fieldValidation: "Strict" })
        : await this.rbac.createNamespacedRoleBinding({ namespace, body: body.object, fieldValidation: "Strict" });
    } catch (err) {
      throw toBackendError(context, err);
    }
  }

  /**
   * Replaces a Role; `role.metadata.resourceVersion` makes the server refuse
   * (409) if it changed since it was read.
   */
  async replaceRole(context: ErrorContext, namespace: string, role: k8s.V1Role): Promise<k8s.V1Role> {
    const name = role.metadata?.name ?? "";
    try {
      return await this.rbac.replaceNamespacedRole({ name, namespace, body: role, fieldValidation: "Strict" });
    } catch (err) {
      // A stale resourceVersion must be read again, not retried as it is.
      throw toBackendError(context, err);
    }
  }

  /** Replaces a RoleBinding's subjects; its `resourceVersion` guards the write as for {@link replaceRole}. */
  async replaceRoleBinding(context: ErrorContext, namespace: string, binding: k8s.V1RoleBinding): Promise<k8s.V1RoleBinding> {
    const name = binding.metadata?.name ?? "";
    try {
      return await this.rbac.replaceNamespacedRoleBinding({ name, namespace, body: binding, fieldValidation: "Strict" });
    } catch (err) {
      throw toBackendError(context, err);
    }
  }

  /**
   * Deletes either kind, only the incarnation with `uid` (the server answers
   * 409 when the name now belongs to another object). Not-found throws
   * `NotFoundError`; the caller decides that it is success.
   */
  async delete(context: ErrorContext, kind: RbacKind, namespace: string, name: string, uid: string): Promise<void> {
    const body = { preconditions: { uid } };
    await withRetry(this.base.retryPolicy, async () => {
      try {
        await (kind === "Role" ? this.rbac.deleteNamespacedRole({ name, namespace, body }) : this.rbac.deleteNamespacedRoleBinding({ name, namespace, body }));
      } catch (err) {
        const translated = toBackendError(context, err);
        // A failed uid precondition is a 409 too, and must not be retried.
        if (translated.status === 409) {
          throw new BackendError(context, `${kind} '${name}' now belongs to another object (uid precondition failed)`, { status: 409, retryable: false, cause: err });
        }
        throw translated;
      }
    });
  }
}
