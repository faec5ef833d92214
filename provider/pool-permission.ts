import * as pulumi from "@pulumi/pulumi";

import { createProviderShim } from "./provider-shim";
import type { VmPool } from "./vm-pool";

/** The type token of `PoolPermission`: `pulumi-nodejs:dynamic/vmpools:PoolPermission`. */
export const POOL_PERMISSION_TYPE = "pulumi-nodejs:dynamic/vmpools:PoolPermission";

/** Inputs of a {@link PoolPermission}: one role, one user or group, one pool. */
export interface PoolPermissionArgs {
  /** The pool. The permission lives where the pool does and goes with it. */
  pool: VmPool;
  /**
   * The role: on oVirt any engine role by name (`UserRole` to use the pool's
   * VMs, `VmPoolAdmin` to manage the pool, ...); on KubeVirt `UserRole` or
   * `VmPoolAdmin`, made into least-privilege RBAC; on VM-Operator `UserRole`
   * (may accessConsole, start) or `VmPoolAdmin` (may `*`), changed in place.
   * Elsewhere changing it replaces the permission.
   */
  role: pulumi.Input<string>;
  /** The user: `alice@internal-authz` on oVirt (added to the engine beforehand); the authenticated user name on Kubernetes; a VM-Operator GUI user. Exactly one of `user` and `group`. */
  user?: pulumi.Input<string>;
  /** The group: a group's name on oVirt (`Everyone` included); an RBAC group on Kubernetes; a VM-Operator GUI role. Exactly one of `user` and `group`. */
  group?: pulumi.Input<string>;
  /**
   * VM-Operator only: what the user or role may do with the VM assigned to
   * them: `start`, `stop`, `reset`, `accessConsole`, `*`. Changes in place.
   * @default from `role`: UserRole `["accessConsole", "start"]`, VmPoolAdmin `["*"]`
   */
  may?: pulumi.Input<pulumi.Input<"start" | "stop" | "reset" | "accessConsole" | "*">[]>;
}

/**
 * How many VMs a KubeVirt permission's Role names, `<pool>-0` ..
 * `<pool>-<n-1>`: the pool's size, or for an autoscaled pool its
 * `maxReplicas`, since the autoscaler may grow it that far and its VMs keep
 * those names (a new VM takes the lowest free index). Example: size 2,
 * autoscaling 2..5 -> 5.
 */
export function calculatePermissionPoolSize(size: number, backend: { readonly autoscaling?: { readonly maxReplicas: number } | undefined }): number {
  return backend.autoscaling?.maxReplicas ?? size;
}

/** One shim for every permission: Pulumi caches its serialized text per object. */
const POOL_PERMISSION_PROVIDER = createProviderShim("PoolPermission");

/**
 * A role for a user or group on a pool. It deletes only what it created:
 * never a permission inherited from the cluster, data center or system, and
 * never one that existed before it.
 */
export class PoolPermission extends pulumi.dynamic.Resource {
  /** The role. */
  declare public readonly role: pulumi.Output<string>;
  /** The user, if the principal is a user. */
  declare public readonly user: pulumi.Output<string | undefined>;
  /** The group, if the principal is a group. */
  declare public readonly group: pulumi.Output<string | undefined>;
  /** The backend's id of what this permission created (oVirt permission id; KubeVirt RoleBinding uid). */
  declare public readonly uid: pulumi.Output<string>;
  /** The engine's id of the principal (oVirt), or its RBAC subject (KubeVirt). */
  declare public readonly principalId: pulumi.Output<string>;

  constructor(name: string, args: PoolPermissionArgs, opts?: pulumi.CustomResourceOptions) {
    const backend = args.pool.backend.apply((b) =>
      b.kind === "kubevirt" || b.kind === "vmoperator" ? { kind: b.kind, connection: b.connection, namespace: b.namespace } : { kind: b.kind, connection: b.connection },
    );
    const pool = pulumi.all([args.pool.name, args.pool.uid, args.pool.size, args.pool.backend]).apply(([poolName, uid, size, b]) =>
      // Only KubeVirt's Role names each VM, so only there does the size matter.
      b.kind === "kubevirt" ? { name: poolName, uid, size: calculatePermissionPoolSize(size, b) } : { name: poolName, uid },
    );
    super(
      POOL_PERMISSION_PROVIDER,
      name,
      { role: args.role, user: args.user, group: args.group, may: args.may, pool, backend, uid: undefined, principalId: undefined, objects: undefined },
      // The pool's outputs make it a dependency: it is created first and deleted last.
      opts,
      "vmpools",
      "PoolPermission",
    );
  }
}
