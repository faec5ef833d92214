/**
 * The pure diff of a `VmPool`: which inputs changed, and which of those the
 * backend cannot change in place, so the pool must be replaced.
 */
import type { PlannedDiff } from "../resource-provider";
import { hasStoredPassword, type InitialRun } from "../schemas/ovirt-initial-run";
import { resolveSecretHashes } from "../secret-hash";
import { diffByRules, getAtPath, type DiffRules } from "./input-diff";

/**
 * Input paths that cannot change in place, each with its reason:
 * - `name`: the pool's identity on every backend.
 * - `backend.kind`: a different system altogether.
 * - `backend.namespace`: Kubernetes objects cannot move between namespaces.
 * - `backend.virtualMachineTemplate.metadata.labels`: the pool's selector is
 *   generated from them, and KubeVirt's webhook makes the selector immutable
 *   ("selector is immutable after creation.").
 * - `type`, `stateful`, `backend.autoStorageSelect`: the engine refuses to
 *   change them (`VM_POOL_CANNOT_CHANGE_POOL_TYPE`, `..._STATEFUL_OPTION`,
 *   `..._AUTO_STORAGE_SELECT`).
 * - `backend.cluster`, `backend.connection`: another cluster or engine.
 * - `backend.template`: another template; the engine allows only versions
 *   of the same base template in place, so `backend.templateVersion`
 *   changes in place.
 * - `trustedCluster.kind`, `trustedCluster.id`: another trusted cluster (on
 *   oVirt another engine cluster). On KubeVirt a placement is only a required
 *   node affinity in the VM template, so placing a pool, moving it, changing
 *   the node selector or attestation label, or taking it out all change it
 *   in place ({@link diffVmPool}); a placement found missing on refresh must
 *   not cost the pool its VMs.
 */
export const REPLACE_PATHS: readonly (readonly string[])[] = [
  ["name"],
  ["type"],
  ["stateful"],
  ["backend", "kind"],
  ["backend", "namespace"],
  ["backend", "virtualMachineTemplate", "metadata", "labels"],
  ["backend", "connection"],
  ["backend", "cluster"],
  ["backend", "template"],
  ["backend", "autoStorageSelect"],
  ["trustedCluster", "kind"],
  ["trustedCluster", "id"],
];

const VM_POOL_DIFF_RULES: DiffRules = {
  inputKeys: ["name", "description", "comment", "size", "prestarted", "maxVmsPerUser", "type", "stateful", "deleteProtection", "backend", "trustedCluster"],
  replacePaths: REPLACE_PATHS,
  // A replacement reuses the physical name unless name or namespace change,
  // and two pools of one name cannot exist side by side.
  identityPaths: [["name"], ["backend", "namespace"]],
};

/**
 * oVirt pools: an initial-run change replaces the pool. The engine refuses
 * to change a stateless pool VM's initialization (`UpdateVmCommand`:
 * `ACTION_TYPE_CANNOT_CHANGE_INITIAL_RUN_DATA`), and a grow copies an
 * existing VM's (`BackendVmPoolResource`, `GetVmDataByPoolId`), so no VM
 * would ever get the new one. A stateful pool's VMs could be edited, but
 * which of them carry a new initialization cannot be read back (the engine
 * hides the password), so it is replaced too.
 */
const OVIRT_DIFF_RULES: DiffRules = { ...VM_POOL_DIFF_RULES, replacePaths: [...REPLACE_PATHS, ["backend", "vm", "initialRun"]] };

/**
 * Stateless oVirt pools whose initial run stores a password (before or
 * after): any VM-setting change replaces the pool. The engine refuses every
 * edit of such a VM (`UpdateVmCommand` compares the VM's initialization,
 * whose password no client gets back, with the stored one), and a grow
 * copies an existing VM, so no VM could get the change.
 */
const FROZEN_OVIRT_DIFF_RULES: DiffRules = { ...VM_POOL_DIFF_RULES, replacePaths: [...REPLACE_PATHS, ["backend", "vm"]] };

function storesPassword(props: Record<string, unknown>): boolean {
  return hasStoredPassword(getAtPath(props, ["backend", "vm", "initialRun"]) as InitialRun | undefined);
}

/** KubeVirt pools: the same rules, but the placement (`trustedCluster`) changes in place. */
const KUBEVIRT_DIFF_RULES: DiffRules = { ...VM_POOL_DIFF_RULES, replacePaths: REPLACE_PATHS.filter((path) => path[0] !== "trustedCluster") };

/**
 * Autoscaled KubeVirt pools: `size` is not compared, nor `prestarted`, which
 * an autoscaled pool derives from it (its VMs all run, so it is the size).
 * The autoscaler owns the pool's replicas, `size` is only the count the
 * pool started with, and `update` would not write it, so a changed `size`
 * must not plan an update.
 */
const AUTOSCALED_DIFF_RULES: DiffRules = { ...KUBEVIRT_DIFF_RULES, inputKeys: KUBEVIRT_DIFF_RULES.inputKeys.filter((key) => key !== "size" && key !== "prestarted") };

/**
 * Compares the stored state with the new (checked) inputs (a credential
 * stored as a hash equals the same credential given again); on an
 * autoscaled KubeVirt pool, `size` and `prestarted` are not compared.
 * Example: state `{name: "lab", size: 2}`, news `{name: "lab", size: 3}` ->
 * `{changes: true, replaces: [], deleteBeforeReplace: false}`.
 */
export function diffVmPool(stored: Record<string, unknown>, news: Record<string, unknown>): PlannedDiff {
  // State keeps credentials only as salted hashes.
  const olds = resolveSecretHashes(stored, news);
  const kubevirt = getAtPath(olds, ["backend", "kind"]) === "kubevirt" && getAtPath(news, ["backend", "kind"]) === "kubevirt";
  if (!kubevirt) {
    const frozen = news["stateful"] !== true && (storesPassword(olds) || storesPassword(news));
    return diffByRules(olds, news, frozen ? FROZEN_OVIRT_DIFF_RULES : OVIRT_DIFF_RULES);
  }
  // Autoscaled before and after; a pool that starts or stops being
  // autoscaled compares `size`, since its replicas change hands.
  const autoscaled = getAtPath(olds, ["backend", "autoscaling"]) !== undefined && getAtPath(news, ["backend", "autoscaling"]) !== undefined;
  return diffByRules(olds, news, autoscaled ? AUTOSCALED_DIFF_RULES : KUBEVIRT_DIFF_RULES);
}
