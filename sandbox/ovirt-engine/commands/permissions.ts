/**
 * Permissions (reference §5): idempotent add, listing of direct and
 * inherited permissions with the object link rewritten, and removal by id
 * through any object's path, as the engine really does it.
 */
import { readReference, type Body } from "../body";
import type { CommandContext, Engine } from "../engine";
import { EngineFault, incompleteParameters, operationFailed } from "../faults";
import { EVERYONE_GROUP_ID, SYSTEM_OBJECT_ID, type Permission, type PermissionObjectType, type User } from "../model";

/** The id of the SuperUser role. */
export const SUPER_USER_ROLE_ID = "00000000-0000-0000-0000-000000000001";
/** The id of UserRole. */
export const USER_ROLE_ID = "00000000-0000-0000-0001-000000000001";

/** An object permissions attach to. */
export interface PermissionObject {
  type: PermissionObjectType;
  id: string;
}

/** The object and its ancestors, nearest first: pool or VM -> cluster -> data center -> system. */
export function objectChain(engine: Engine, object: PermissionObject): PermissionObject[] {
  const { store } = engine;
  const chain: PermissionObject[] = [object];
  let clusterId: string | undefined;
  let dataCenterId: string | undefined;
  switch (object.type) {
    case "vm_pool":
      clusterId = store.pools.get(object.id)?.clusterId;
      break;
    case "vm": {
      const vm = store.vms.get(object.id);
      if (vm?.poolId !== undefined) {
        chain.push({ type: "vm_pool", id: vm.poolId });
      }
      clusterId = vm?.clusterId;
      break;
    }
    case "host":
      clusterId = store.hosts.get(object.id)?.clusterId;
      break;
    case "template":
      clusterId = store.templates.get(object.id)?.clusterId;
      break;
    case "cluster":
      dataCenterId = store.clusters.get(object.id)?.dataCenterId;
      break;
    case "data_center":
    case "system":
      break;
  }
  if (clusterId !== undefined) {
    chain.push({ type: "cluster", id: clusterId });
    dataCenterId = store.clusters.get(clusterId)?.dataCenterId;
  }
  if (dataCenterId !== undefined) {
    chain.push({ type: "data_center", id: dataCenterId });
  }
  if (object.type !== "system") {
    chain.push({ type: "system", id: SYSTEM_OBJECT_ID });
  }
  return chain;
}

/** Groups a user belongs to: their own, and Everyone. */
function groupsOf(user: User): Set<string> {
  return new Set([EVERYONE_GROUP_ID, ...user.groupIds]);
}

function holds(user: User, p: Permission): boolean {
  return p.userId === user.id || (p.groupId !== undefined && groupsOf(user).has(p.groupId));
}

/** Whether the user holds SuperUser on the system object. */
export function isSuperUser(engine: Engine, user: User): boolean {
  return [...engine.store.permissions.values()].some((p) => p.objectType === "system" && p.roleId === SUPER_USER_ROLE_ID && holds(user, p));
}

/** Whether the user holds an administrative role on the object or any ancestor. */
export function canAdminister(engine: Engine, user: User, object: PermissionObject): boolean {
  const chain = objectChain(engine, object);
  return [...engine.store.permissions.values()].some(
    (p) => holds(user, p) && engine.store.roles.get(p.roleId)?.administrative === true && chain.some((o) => o.type === p.objectType && o.id === p.objectId),
  );
}

/** Throws the engine's 403 unless the user may administer the object. */
export function requireAdmin(engine: Engine, user: User, object: PermissionObject): void {
  if (!canAdminister(engine, user, object)) {
    throw operationFailed(undefined, undefined, "USER_NOT_AUTHORIZED_TO_PERFORM_ACTION");
  }
}

/**
 * Direct and inherited permissions of an object, merged by id and ordered
 * by id (the REST layer collects them in a `TreeSet` keyed on the id
 * string); inherited ones are returned with their object rewritten to this
 * object.
 */
export function listPermissions(engine: Engine, object: PermissionObject): { permission: Permission; as: PermissionObject }[] {
  const chain = objectChain(engine, object);
  const seen = new Set<string>();
  const result: { permission: Permission; as: PermissionObject }[] = [];
  for (const link of chain) {
    for (const p of engine.store.permissions.values()) {
      if (p.objectType === link.type && p.objectId === link.id && !seen.has(p.id)) {
        seen.add(p.id);
        result.push({ permission: p, as: object });
      }
    }
  }
  return result.sort((a, b) => (a.permission.id < b.permission.id ? -1 : a.permission.id > b.permission.id ? 1 : 0));
}

/**
 * `POST .../permissions` on an object: the REST layer requires
 * `role.id|name` and `user|group.id`; the command then looks the role up by
 * id, else by name, refuses admin roles from non-SuperUsers and pool VMs,
 * and only while executing looks the principal up (a missing one fails
 * without a message). A duplicate (role, principal, object) returns the
 * existing permission.
 */
export function addPermission(engine: Engine, ctx: CommandContext, object: PermissionObject, body: Body): Permission {
  const { store } = engine;
  const roleRef = readReference(body, "role");
  const userId = readReference(body, "user")?.id;
  const groupId = userId === undefined ? readReference(body, "group")?.id : undefined;
  const missing = [roleRef === undefined ? "role.id|name" : undefined, userId === undefined && groupId === undefined ? "user|group.id" : undefined].filter(
    (f): f is string => f !== undefined,
  );
  if (roleRef === undefined || missing.length > 0) {
    throw incompleteParameters("Permission", missing, "add");
  }
  const role = roleRef.id !== undefined ? [...store.roles.values()].find((r) => r.id.toLowerCase() === roleRef.id?.toLowerCase()) : [...store.roles.values()].find((r) => r.name === roleRef.name);
  if (role === undefined) {
    throw operationFailed("VAR__ACTION__ADD", "VAR__TYPE__PERMISSION", "PERMISSION_ADD_FAILED_INVALID_ROLE_ID");
  }
  if (role.administrative && !isSuperUser(engine, ctx.user)) {
    throw operationFailed("VAR__ACTION__ADD", "VAR__TYPE__PERMISSION", "PERMISSION_ADD_FAILED_ONLY_SYSTEM_SUPER_USER_CAN_GIVE_ADMIN_ROLES");
  }
  if (object.type === "vm" && store.vms.get(object.id)?.poolId !== undefined) {
    throw operationFailed("VAR__ACTION__ADD", "VAR__TYPE__PERMISSION", "PERMISSION_ADD_FAILED_VM_IN_POOL");
  }
  const principalExists = userId !== undefined ? store.users.has(userId) : store.groups.has(groupId ?? "");
  if (!principalExists) {
    // The command fails without a message; REST renders an empty list (inferred).
    throw new EngineFault(400, { reason: "Operation Failed", detail: "[]" });
  }
  const existing = [...store.permissions.values()].find(
    (p) => p.roleId === role.id && p.objectId === object.id && (userId !== undefined ? p.userId === userId : p.groupId === groupId),
  );
  if (existing !== undefined) {
    return existing;
  }
  const permission: Permission = { id: engine.newId(), roleId: role.id, userId, groupId, objectType: object.type, objectId: object.id };
  // No job: AddPermission is not a monitored action (`ActionType`
  // `AddPermission(800, MANIPULATE_PERMISSIONS, false, ...)`), and
  // `ExecutionHandler` creates jobs for monitored actions only.
  store.permissions.set(permission.id, permission);
  return permission;
}

/**
 * `DELETE .../permissions/{pid}` through any object's path: the engine does
 * not check that the permission belongs to that object. The guards of
 * `RemovePermissionCommand.validate`, in its order: the last SuperUser
 * permission, admin roles removed by a non-SuperUser, Everyone's system
 * permissions.
 */
export function removePermission(engine: Engine, ctx: CommandContext, permission: Permission): void {
  const { store } = engine;
  if (permission.roleId === SUPER_USER_ROLE_ID && [...store.permissions.values()].filter((p) => p.roleId === SUPER_USER_ROLE_ID).length === 1) {
    throw operationFailed("VAR__ACTION__REMOVE", "VAR__TYPE__PERMISSION", "ERROR_CANNOT_REMOVE_LAST_SUPER_USER_ROLE");
  }
  if (store.roles.get(permission.roleId)?.administrative === true && !isSuperUser(engine, ctx.user)) {
    throw operationFailed("VAR__ACTION__REMOVE", "VAR__TYPE__PERMISSION", "PERMISSION_REMOVE_FAILED_ONLY_SYSTEM_SUPER_USER_CAN_REMOVE_ADMIN_ROLES");
  }
  if (permission.objectType === "system" && permission.groupId === EVERYONE_GROUP_ID) {
    throw operationFailed("VAR__ACTION__REMOVE", "VAR__TYPE__PERMISSION", "SYSTEM_PERMISSIONS_CANT_BE_REMOVED_FROM_EVERYONE");
  }
  store.permissions.delete(permission.id);
  // Removing UserRole from a pool VM also detaches that user from the VM.
  if (permission.objectType === "vm" && permission.roleId === USER_ROLE_ID && permission.userId !== undefined) {
    const vm = store.vms.get(permission.objectId);
    if (vm !== undefined) {
      vm.userIds = vm.userIds.filter((id) => id !== permission.userId);
    }
  }
}
