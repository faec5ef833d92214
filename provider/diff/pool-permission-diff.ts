/**
 * The pure diff of a `PoolPermission`.
 */
import type { PlannedDiff } from "../resource-provider";
import { diffByRules, type DiffRules } from "./input-diff";

/**
 * A permission is a (role, principal, object) triple: the engine has no way
 * to change one in place, so every part of it is a replacement. Only
 * `pool.size` changes in place: on KubeVirt the Role names each VM of the
 * pool, and follows the pool's size; and `may` on VM-Operator, whose pool
 * entry is rewritten.
 */
const POOL_PERMISSION_DIFF_RULES: DiffRules = {
  inputKeys: ["role", "user", "group", "pool", "backend", "may"],
  replacePaths: [["role"], ["user"], ["group"], ["pool", "name"], ["pool", "uid"], ["backend", "kind"], ["backend", "connection"], ["backend", "namespace"]],
  // Kubernetes object names derive from these; when none changes (the pool
  // was recreated under its name), the old objects must go first.
  identityPaths: [["role"], ["user"], ["group"], ["pool", "name"], ["backend", "kind"], ["backend", "connection"], ["backend", "namespace"]],
};

/** Compares the stored state with the new (checked) inputs. */
export function diffPoolPermission(olds: Record<string, unknown>, news: Record<string, unknown>): PlannedDiff {
  return diffByRules(olds, news, POOL_PERMISSION_DIFF_RULES);
}
