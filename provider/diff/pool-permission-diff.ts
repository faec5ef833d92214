/**
 * The pure diff of a `PoolPermission`.
 */
import type { PlannedDiff } from "../resource-provider";
import { diffByRules, getAtPath, type DiffRules } from "./input-diff";

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

/**
 * VM-Operator: the pool's entry is keyed by its user or role (the group)
 * alone, so a changed `role` only rewrites its `may` in place, and a
 * replacement that keeps the principal and pool name must remove the old
 * entry first (the new one would otherwise be refused as someone else's).
 */
const VMOPERATOR_DIFF_RULES: DiffRules = {
  ...POOL_PERMISSION_DIFF_RULES,
  replacePaths: POOL_PERMISSION_DIFF_RULES.replacePaths.filter((path) => path[0] !== "role"),
  identityPaths: POOL_PERMISSION_DIFF_RULES.identityPaths.filter((path) => path[0] !== "role"),
};

/** Compares the stored state with the new (checked) inputs. */
export function diffPoolPermission(olds: Record<string, unknown>, news: Record<string, unknown>): PlannedDiff {
  const vmoperator = getAtPath(olds, ["backend", "kind"]) === "vmoperator" && getAtPath(news, ["backend", "kind"]) === "vmoperator";
  return diffByRules(olds, news, vmoperator ? VMOPERATOR_DIFF_RULES : POOL_PERMISSION_DIFF_RULES);
}
