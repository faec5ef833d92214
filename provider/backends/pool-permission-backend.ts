import type { ResourceBackend, ResourceSnapshot } from "../resource-backend";
import type { PoolPermissionInputs } from "../schemas/pool-permission";

/** What the provider stores for a pool permission. */
export type PoolPermissionState = PoolPermissionInputs & {
  /** The backend's id of what this permission created (oVirt permission id; KubeVirt RoleBinding uid). */
  uid: string;
  /** The engine's id of the user or group (oVirt), or the RBAC subject kind and name (KubeVirt). */
  principalId: string;
  /**
   * The Kubernetes objects this permission created and owns (KubeVirt): its
   * Role and RoleBinding, each with the `uid` of the incarnation it created,
   * so update and delete touch only those.
   */
  objects?: OwnedObject[];
};

/** A Kubernetes object a permission created, e.g. `{ kind: "Role", name: "vmpools-lab-userrole-user-alice", uid: "..." }`. */
export interface OwnedObject {
  /** `Role` or `RoleBinding`. */
  kind: string;
  /** Its name in the pool's namespace. */
  name: string;
  /** `metadata.uid` of the incarnation the permission created. */
  uid: string;
}

/** A pool permission as it exists on the backend. */
export type PoolPermissionSnapshot = ResourceSnapshot<PoolPermissionInputs, PoolPermissionState>;

/** One backend's pool permission operations (see {@link ResourceBackend} for each method's contract). */
export type PoolPermissionBackend = ResourceBackend<PoolPermissionInputs, PoolPermissionState>;
