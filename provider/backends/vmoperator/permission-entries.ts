/**
 * Pure editing of a VmPool's `spec.permissions`, the list VM-Operator keeps
 * inside the pool. The CRD marks the list neither `map` nor `set`, so
 * server-side apply treats it as atomic: two field managers cannot each own
 * an entry. Every writer therefore reads the pool, edits its own entry and
 * writes it back guarded by `resourceVersion` (retrying on 409), and the
 * pool's annotation {@link PERMISSION_OWNERS_ANNOTATION} records which entry
 * each `PoolPermission` added, so it changes and removes only that one.
 */

/** The annotation on a VmPool mapping each entry a PoolPermission added to that permission's uid, as JSON. */
export const PERMISSION_OWNERS_ANNOTATION = "vmpools.pulumi.com/permission-owners";



/** One entry of `spec.permissions`: exactly one of `user` and `role`, and what they may do. */
export interface PermissionEntry {
  /** A VM-Operator (GUI) user name. */
  user?: string;
  /** A VM-Operator (GUI) role. */
  role?: string;
  /** What the user or role may do; the CRD's default is `["accessConsole"]`. */
  may?: string[];
}

/** Who an entry is for: a user or a role, e.g. `{ user: "alice" }`. */
export type Principal = { readonly user: string } | { readonly role: string };

/** The owner record's key of a principal, e.g. `user:alice`, `role:staff`. */
export function principalKey(principal: Principal): string {
  return "user" in principal ? `user:${principal.user}` : `role:${principal.role}`;
}

function isFor(entry: PermissionEntry, principal: Principal): boolean {
  return "user" in principal ? entry.user === principal.user && entry.role === undefined : entry.role === principal.role && entry.user === undefined;
}

/** The entry for a principal, if the list has one. */
export function findEntry(entries: readonly PermissionEntry[], principal: Principal): PermissionEntry | undefined {
  return entries.find((entry) => isFor(entry, principal));
}

/** Parses the owner record; anything unreadable counts as no record (nothing is then claimed). */
export function parseOwners(annotations: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const text = annotations?.[PERMISSION_OWNERS_ANNOTATION];
  if (text === undefined) {
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      return {};
    }
    return Object.fromEntries(Object.entries(parsed).filter((pair): pair is [string, string] => typeof pair[1] === "string"));
  } catch {
    return {};
  }
}

/** The result of an edit: the new list and owner record, or why the edit is refused. */
export type EntryEdit = { readonly entries: PermissionEntry[]; readonly owners: Record<string, string> } | { readonly refused: string };

/**
 * Adds the entry of permission `owner` for `principal`. Refused when the
 * list already has an entry for that principal that `owner` did not add:
 * adopting it would let `destroy` remove a grant someone else made. A retry
 * of the same add (the entry is already recorded as `owner`'s) sets `may`
 * again. Example: `[]`, alice may `["start"]` -> `[{ user: "alice", may: ["start"] }]`.
 */
export function addEntry(entries: readonly PermissionEntry[], owners: Readonly<Record<string, string>>, principal: Principal, may: readonly string[], owner: string): EntryEdit {
  const key = principalKey(principal);
  const existing = findEntry(entries, principal);
  if (existing !== undefined && owners[key] !== owner) {
    return { refused: `the pool already has a permission entry for ${key.replace(":", " '")}' (may: ${JSON.stringify(existing.may ?? ["accessConsole"])}) that this PoolPermission did not add; remove it from the VmPool or drop this resource` };
  }
  const entry: PermissionEntry = { ...principal, may: [...may] };
  const next = existing === undefined ? [...entries, entry] : entries.map((e) => (e === existing ? entry : e));
  return { entries: next, owners: { ...owners, [key]: owner } };
}

/**
 * Removes the entry `owner` added for `principal`, and its record. An entry
 * for the same principal that `owner` did not add (made by hand after this
 * one was removed out of band) stays. Example: `[{ user: "alice" }, { role:
 * "staff" }]`, owners `{ "user:alice": "p1" }`, remove alice as p1 -> `[{ role: "staff" }]`.
 */
export function removeEntry(entries: readonly PermissionEntry[], owners: Readonly<Record<string, string>>, principal: Principal, owner: string): { entries: PermissionEntry[]; owners: Record<string, string> } {
  const key = principalKey(principal);
  if (owners[key] !== owner) {
    return { entries: [...entries], owners: { ...owners } };
  }
  const { [key]: _removed, ...rest } = owners;
  return { entries: entries.filter((entry) => !isFor(entry, principal)), owners: rest };
}
