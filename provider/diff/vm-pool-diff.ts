/**
 * The pure diff of a `VmPool`: which inputs changed, and which of those the
 * backend cannot change in place, so the pool must be replaced.
 */
import { findUnknownPaths, isUnknown } from "../check";

/** Pulumi's `DiffResult`, as the dynamic provider host understands it. */
export interface VmPoolDiff {
  /** Whether anything changed. */
  changes: boolean;
  /** Top-level properties whose change forces a replacement. */
  replaces: string[];
  /** Delete the old pool before creating the new one (their names would collide). */
  deleteBeforeReplace: boolean;
}

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
];

/** Inputs compared by the diff; outputs that only the backend sets are ignored. */
const INPUT_KEYS = ["name", "description", "comment", "size", "prestarted", "maxVmsPerUser", "type", "stateful", "deleteProtection", "backend"] as const;

function get(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null) {
      return undefined;
    }
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/**
 * Structural equality of JSON values; key order does not matter, and a member
 * that is `null` counts as absent. Kubernetes reads a null field as unset,
 * and the API server drops nulls from fields its CRD schema types (a user's
 * `resources: { limits: null }` reads back without `limits`), so comparing
 * them strictly would plan the same update on every preview, forever.
 * Example: `{ limits: null, requests: {} }` equals `{ requests: {} }`.
 */
export function isDeepEqual(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => isDeepEqual(item, b[i]));
  }
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return false;
  }
  const ak = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] != null);
  const bk = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] != null);
  return ak.length === bk.length && ak.every((k) => isDeepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function hasUnknownUnder(value: unknown, path: readonly PropertyKey[]): boolean {
  const at = get(value, path);
  return isUnknown(at) || findUnknownPaths(at).length > 0 || path.some((_, i) => isUnknown(get(value, path.slice(0, i))));
}

/**
 * Compares the stored state with the new (checked) inputs. A value still
 * unknown during preview counts as a change, and as a replacement when it sits
 * on a replacement path, because it may turn out different.
 * Example: state `{name: "lab", size: 2}`, news `{name: "lab", size: 3}` ->
 * `{changes: true, replaces: [], deleteBeforeReplace: false}`.
 */
export function diffVmPool(olds: Record<string, unknown>, news: Record<string, unknown>): VmPoolDiff {
  const changedKeys = INPUT_KEYS.filter((key) => hasUnknownUnder(news, [key]) || !isDeepEqual(olds[key], news[key]));
  const replaced = REPLACE_PATHS.filter((path) => hasUnknownUnder(news, path) || !isDeepEqual(get(olds, path), get(news, path)));
  const replaces = [...new Set(replaced.map((path) => path[0] ?? ""))];
  // The replacement reuses the physical name unless name or namespace change,
  // and two pools of one name cannot exist side by side.
  const sameIdentity =
    isDeepEqual(get(olds, ["name"]), get(news, ["name"])) &&
    isDeepEqual(get(olds, ["backend", "namespace"]), get(news, ["backend", "namespace"])) &&
    !hasUnknownUnder(news, ["name"]) &&
    !hasUnknownUnder(news, ["backend", "namespace"]);
  return {
    changes: changedKeys.length > 0,
    replaces,
    deleteBeforeReplace: replaces.length > 0 && sameIdentity,
  };
}
