/**
 * The pure diff every resource shares: which inputs changed, which of those
 * the backend cannot change in place (a replacement), and whether the old
 * object must go first because the new one takes its name.
 */
import { findUnknownPaths, isUnknown } from "../check";
import type { PlannedDiff } from "../resource-provider";

/** What one resource's diff compares. */
export interface DiffRules {
  /** Inputs compared; outputs that only the backend sets are ignored. */
  readonly inputKeys: readonly string[];
  /** Input paths that cannot change in place. */
  readonly replacePaths: readonly (readonly string[])[];
  /**
   * Paths that together name the physical object (name, namespace, ...).
   * When a replacement keeps all of them, the new object would collide with
   * the old one, so the old one is deleted first.
   */
  readonly identityPaths: readonly (readonly string[])[];
}

/** The value at `path` inside `value`, or undefined. */
export function getAtPath(value: unknown, path: readonly PropertyKey[]): unknown {
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

export function hasUnknownUnder(value: unknown, path: readonly PropertyKey[]): boolean {
  const at = getAtPath(value, path);
  return isUnknown(at) || findUnknownPaths(at).length > 0 || path.some((_, i) => isUnknown(getAtPath(value, path.slice(0, i))));
}

/**
 * Compares the stored state with the new (checked) inputs by `rules`. A value
 * still unknown during preview counts as a change, and as a replacement when
 * it sits on a replacement path, because it may turn out different.
 */
export function diffByRules(olds: Record<string, unknown>, news: Record<string, unknown>, rules: DiffRules): PlannedDiff {
  const changedKeys = rules.inputKeys.filter((key) => hasUnknownUnder(news, [key]) || !isDeepEqual(olds[key], news[key]));
  const replaced = rules.replacePaths.filter((path) => hasUnknownUnder(news, path) || !isDeepEqual(getAtPath(olds, path), getAtPath(news, path)));
  const replaces = [...new Set(replaced.map((path) => path[0] ?? ""))];
  const sameIdentity = rules.identityPaths.every((path) => isDeepEqual(getAtPath(olds, path), getAtPath(news, path)) && !hasUnknownUnder(news, path));
  return {
    changes: changedKeys.length > 0,
    replaces,
    deleteBeforeReplace: replaces.length > 0 && sameIdentity,
  };
}
