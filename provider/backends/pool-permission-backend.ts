import type { ResourceBackend, ResourceSnapshot } from "../resource-backend";
import type { PoolPermissionInputs } from "../schemas/pool-permission";

/** What the provider stores for a pool permission. */
export type PoolPermissionState = PoolPermissionInputs & {
  /** The backend's id of what this permission created (oVirt permission id; KubeVirt RoleBinding uid). */
  uid: string;
  /** The engine's id of the user or group (oVirt), or the RBAC subject kind and name (KubeVirt). */
  principalId: string;
  /** The Kubernetes objects this permission owns, `Role/<name>` and `RoleBinding/<name>` (KubeVirt). */
  objects?: string[];
};

/** A pool permission as it exists on the backend. */
export type PoolPermissionSnapshot = ResourceSnapshot<PoolPermissionInputs, PoolPermissionState>;

/** One backend's pool permission operations (see {@link ResourceBackend} for each method's contract). */
export type PoolPermissionBackend = ResourceBackend<PoolPermissionInputs, PoolPermissionState>;
