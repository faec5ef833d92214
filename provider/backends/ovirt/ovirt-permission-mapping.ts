/**
 * Pure conversions for pool permissions on the engine: permissions, roles,
 * users and groups as the REST API renders them, and the choices made from
 * them (which role a name means, which user a user name means, whether a
 * listed permission is really on the pool), written from reference §5.
 */
import { z } from "zod";

const link = z.object({ id: z.string() });

/** The objects a permission can be attached to (`model:types/Permission.java`). */
const OBJECT_LINKS = ["vm_pool", "cluster", "data_center", "host", "storage_domain", "vm", "template", "disk"] as const;

/** The object a permission is attached to; `system` when it names none. */
export interface PermissionObject {
  readonly type: (typeof OBJECT_LINKS)[number] | "system";
  readonly id: string | undefined;
}

/** A permission as the engine reports it. */
export interface ObservedOvirtPermission {
  readonly id: string;
  readonly roleId: string;
  readonly userId: string | undefined;
  readonly groupId: string | undefined;
  /** The object link. In a listing, inherited permissions show the listed object here (reference §5.1). */
  readonly object: PermissionObject;
}

const permissionSchema = z.object({
  id: z.string(),
  role: link,
  user: link.optional(),
  group: link.optional(),
  vm_pool: link.optional(),
  cluster: link.optional(),
  data_center: link.optional(),
  host: link.optional(),
  storage_domain: link.optional(),
  vm: link.optional(),
  template: link.optional(),
  disk: link.optional(),
});

/** Reads a `permission` object; throws naming the first unexpected field. */
export function fromOvirtPermission(body: unknown): ObservedOvirtPermission {
  const parsed = permissionSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`unexpected permission from the engine at '${issue?.path.join(".") ?? ""}': ${issue?.message ?? "invalid"}`);
  }
  const p = parsed.data;
  const type = OBJECT_LINKS.find((key) => p[key] !== undefined);
  return {
    id: p.id,
    roleId: p.role.id,
    userId: p.user?.id,
    groupId: p.group?.id,
    object: type === undefined ? { type: "system", id: undefined } : { type, id: p[type]?.id },
  };
}

/** Reads a `GET .../permissions` collection; an empty collection is `{}`. */
export function fromOvirtPermissionList(body: unknown): ObservedOvirtPermission[] {
  const list = (typeof body === "object" && body !== null ? (body as { permission?: unknown }).permission : undefined) ?? [];
  return z.array(z.unknown()).parse(list).map(fromOvirtPermission);
}

/** A user or a group, resolved to the engine's id. */
export interface Principal {
  readonly kind: "user" | "group";
  readonly id: string;
  /** As the engine names it: `user_name` (`alice@internal-authz`) or the group's name. */
  readonly name: string;
}

/** The body of `POST /vmpools/{id}/permissions`: role and principal by id (reference §5.1). */
export function toOvirtPermissionBody(roleId: string, principal: Principal): Record<string, unknown> {
  return { role: { id: roleId }, [principal.kind]: { id: principal.id } };
}

/** Ids compare case-insensitively: the engine's Java code spells role ids in upper case (reference §5.3). */
export function isSameId(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

/** Whether a permission grants this role to this principal. */
export function isSameGrant(p: ObservedOvirtPermission, roleId: string, principal: Principal): boolean {
  return isSameId(p.roleId, roleId) && isSameId(principal.kind === "user" ? p.userId : p.groupId, principal.id);
}

/**
 * Whether a permission read by id (`GET /vmpools/{pool}/permissions/{id}`,
 * which shows the real object) is attached to the pool itself, not
 * inherited from its cluster, data center or the system.
 */
export function isOnPool(p: ObservedOvirtPermission, poolId: string): boolean {
  return p.object.type === "vm_pool" && isSameId(p.object.id, poolId);
}

/** A role as `GET /roles` lists it. */
export interface ObservedOvirtRole {
  readonly id: string;
  readonly name: string;
  readonly administrative: boolean;
}

/** Reads a `GET /roles` collection. */
export function fromOvirtRoleList(body: unknown): ObservedOvirtRole[] {
  const list = (typeof body === "object" && body !== null ? (body as { role?: unknown }).role : undefined) ?? [];
  return z
    .array(z.object({ id: z.string(), name: z.string(), administrative: z.boolean().optional() }))
    .parse(list)
    .map((r) => ({ id: r.id, name: r.name, administrative: r.administrative ?? false }));
}

/** The role a name means: the exact name, else the only one equal ignoring case. */
export function chooseRole(roles: readonly ObservedOvirtRole[], name: string): ObservedOvirtRole | undefined {
  const exact = roles.find((r) => r.name === name);
  if (exact !== undefined) {
    return exact;
  }
  const folded = roles.filter((r) => r.name.toLowerCase() === name.toLowerCase());
  return folded.length === 1 ? folded[0] : undefined;
}

/** Roles a pool permission usually carries, named first when listing valid roles. */
const POOL_ROLES = ["UserRole", "VmPoolAdmin", "PowerUserRole", "UserVmManager"];

/** Some valid role names for a message: the pool roles first, then the rest by name, at most `max`. Example: `UserRole, VmPoolAdmin, ... and 12 more`. */
export function listSomeRoles(roles: readonly ObservedOvirtRole[], max = 8): string {
  const names = [...roles.map((r) => r.name)].sort((a, b) => {
    const ia = POOL_ROLES.indexOf(a);
    const ib = POOL_ROLES.indexOf(b);
    return (ia < 0 ? POOL_ROLES.length : ia) - (ib < 0 ? POOL_ROLES.length : ib) || a.localeCompare(b);
  });
  const shown = names.slice(0, max).join(", ");
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/** A user as `GET /users` lists it. */
export interface ObservedOvirtUser {
  readonly id: string;
  /** `<login>@<authz>`, e.g. `alice@internal-authz`. */
  readonly userName: string;
  /** The login without the directory. */
  readonly principal: string;
}

/** Reads a `GET /users` collection. */
export function fromOvirtUserList(body: unknown): ObservedOvirtUser[] {
  const list = (typeof body === "object" && body !== null ? (body as { user?: unknown }).user : undefined) ?? [];
  return z
    .array(z.object({ id: z.string(), user_name: z.string(), principal: z.string().optional() }))
    .parse(list)
    .map((u) => ({ id: u.id, userName: u.user_name, principal: u.principal ?? u.user_name.slice(0, Math.max(0, u.user_name.lastIndexOf("@"))) }));
}

/**
 * The users a user name means among search results: with `@`, those whose
 * `user_name` is the name (ignoring case, as the engine's search does);
 * without, those whose login is the name.
 */
export function chooseUsers(users: readonly ObservedOvirtUser[], wanted: string): ObservedOvirtUser[] {
  const folded = wanted.toLowerCase();
  return wanted.includes("@") ? users.filter((u) => u.userName.toLowerCase() === folded) : users.filter((u) => u.principal.toLowerCase() === folded);
}

/** A group as `GET /groups` lists it. */
export interface ObservedOvirtGroup {
  readonly id: string;
  readonly name: string;
}

/** Reads a `GET /groups` collection. */
export function fromOvirtGroupList(body: unknown): ObservedOvirtGroup[] {
  const list = (typeof body === "object" && body !== null ? (body as { group?: unknown }).group : undefined) ?? [];
  return z
    .array(z.object({ id: z.string(), name: z.string() }))
    .parse(list)
    .map((g) => ({ id: g.id, name: g.name }));
}

/** The groups a name means: the exact name, else those equal ignoring case. */
export function chooseGroups(groups: readonly ObservedOvirtGroup[], wanted: string): ObservedOvirtGroup[] {
  const exact = groups.filter((g) => g.name === wanted);
  return exact.length > 0 ? exact : groups.filter((g) => g.name.toLowerCase() === wanted.toLowerCase());
}

/**
 * A value for the engine's search language: quoted when it holds a space
 * or a quote-free special character, so `name=Domain Users` stays one term.
 * Example: `vdi users` -> `"vdi users"`, `alice@internal-authz` unchanged.
 */
export function toSearchValue(value: string): string {
  return /^[^\s"=]+$/.test(value) ? value : `"${value.replace(/"/g, "")}"`;
}
