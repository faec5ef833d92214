/**
 * The pure diff of a `TrustedCluster`.
 */
import type { PlannedDiff } from "../resource-provider";
import { diffByRules, type DiffRules } from "./input-diff";

/**
 * Paths that cannot change in place, each with its reason:
 * - `name`: the cluster's identity; pools and permissions refer to it.
 * - `backend.kind`, `backend.connection`: another system or engine.
 * - `backend.dataCenter`: the engine refuses to move a cluster
 *   (`CLUSTER_CANNOT_CHANGE_STORAGE_POOL`).
 * Everything else (services, CPU type, compatibility version, description,
 * KubeVirt node selector and attestation label) changes in place.
 */
const TRUSTED_CLUSTER_DIFF_RULES: DiffRules = {
  inputKeys: ["name", "description", "backend"],
  replacePaths: [["name"], ["backend", "kind"], ["backend", "connection"], ["backend", "dataCenter"]],
  // A new cluster of the same name cannot exist beside the old one.
  identityPaths: [["name"], ["backend", "connection"]],
};

/** Compares the stored state with the new (checked) inputs. */
export function diffTrustedCluster(olds: Record<string, unknown>, news: Record<string, unknown>): PlannedDiff {
  return diffByRules(olds, news, TRUSTED_CLUSTER_DIFF_RULES);
}
