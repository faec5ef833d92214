/**
 * Read-only resolution of what a pool permission names: the user or group
 * and the role, to the engine's ids (reference §5.2–§5.4). The engine adds a
 * permission for an unknown principal with a bare failure and no message,
 * so principals are always resolved first, with errors that say how to add
 * them.
 */
import { BackendError, type ErrorContext } from "../../errors";
import type { OvirtClient } from "./client";
import { chooseGroups, chooseRole, chooseUsers, fromOvirtGroupList, fromOvirtRoleList, fromOvirtUserList, listSomeRoles, toSearchValue, type ObservedOvirtRole, type Principal } from "./ovirt-permission-mapping";

/** Status of a resolution failure: 404, so `verify` can report it as a check failure. */
const NOT_FOUND = 404;

async function searchUsers(client: OvirtClient, ctx: ErrorContext, usrname: string): Promise<ReturnType<typeof fromOvirtUserList>> {
  const answer = await client.call(ctx, "GET", "/users", { query: { search: `usrname=${toSearchValue(usrname)}` }, idempotent: true });
  return fromOvirtUserList(answer.body);
}

/**
 * The engine's user named `<login>@<authz>` (`usrname`, split at the last
 * `@`, reference §5.4), or the only user with that login when no `@` is
 * given. A missing user fails with how to add it and, when the part after
 * `@` was the login profile instead of the directory, the right name.
 */
export async function resolveOvirtUser(client: OvirtClient, ctx: ErrorContext, wanted: string): Promise<Principal> {
  const found = chooseUsers(await searchUsers(client, ctx, wanted), wanted);
  if (found.length > 1) {
    throw new BackendError(ctx, `user '${wanted}' is ambiguous: the engine has ${found.map((u) => `'${u.userName}'`).join(", ")}; give the user as '<login>@<authz directory>'`, { status: NOT_FOUND });
  }
  const user = found[0];
  if (user !== undefined) {
    return { kind: "user", id: user.id, name: user.userName };
  }
  const at = wanted.lastIndexOf("@");
  const sameLogin = at > 0 ? chooseUsers(await searchUsers(client, ctx, wanted.slice(0, at)), wanted.slice(0, at)) : [];
  const hint =
    sameLogin.length > 0
      ? ` The engine knows ${sameLogin.map((u) => `'${u.userName}'`).join(", ")}: users are named '<login>@<authz directory>', and the part after '@' is the directory (e.g. 'internal-authz'), not the login profile (e.g. 'internal').`
      : "";
  throw new BackendError(
    ctx,
    `user '${wanted}' is not known to the engine, so it cannot be given a permission.${hint} A user must be added to the engine before it gets permissions: in the Administration Portal (Administration > Users > Add), or by 'POST /ovirt-engine/api/users' with 'user_name' and 'domain.name'; then run this again. Nothing was changed`,
    { status: NOT_FOUND },
  );
}

/** The engine's group of that name (exact, else ignoring case). A missing group fails with how to add it. */
export async function resolveOvirtGroup(client: OvirtClient, ctx: ErrorContext, wanted: string): Promise<Principal> {
  const answer = await client.call(ctx, "GET", "/groups", { query: { search: `name=${toSearchValue(wanted)}` }, idempotent: true });
  const found = chooseGroups(fromOvirtGroupList(answer.body), wanted);
  if (found.length > 1) {
    throw new BackendError(ctx, `group '${wanted}' is ambiguous: the engine has ${found.length} groups of that name ignoring case; give its exact name`, { status: NOT_FOUND });
  }
  const group = found[0];
  if (group === undefined) {
    throw new BackendError(
      ctx,
      `group '${wanted}' is not known to the engine, so it cannot be given a permission. A group must be added from its directory first: in the Administration Portal (Administration > Users > Add, type Group), or by 'POST /ovirt-engine/api/groups' with 'name' and 'domain.name' ('Everyone' is built in); then run this again. Nothing was changed`,
      { status: NOT_FOUND },
    );
  }
  return { kind: "group", id: group.id, name: group.name };
}

/** The permission's principal: its user or its group (exactly one, as `check()` ensures). */
export async function resolveOvirtPrincipal(client: OvirtClient, ctx: ErrorContext, inputs: { user?: string | undefined; group?: string | undefined }): Promise<Principal> {
  if (inputs.user !== undefined) {
    return resolveOvirtUser(client, ctx, inputs.user);
  }
  if (inputs.group !== undefined) {
    return resolveOvirtGroup(client, ctx, inputs.group);
  }
  // check() refuses such inputs, so this is a bug, not user error.
  throw new Error("a pool permission without 'user' or 'group' passed check()");
}

/** The role of that name, compared ignoring case; an unknown role fails listing some that exist. */
export async function resolveOvirtRole(client: OvirtClient, ctx: ErrorContext, wanted: string): Promise<ObservedOvirtRole> {
  const roles = fromOvirtRoleList((await client.call(ctx, "GET", "/roles", { idempotent: true })).body);
  const role = chooseRole(roles, wanted);
  if (role === undefined) {
    throw new BackendError(ctx, `role '${wanted}' does not exist on the engine; roles there include ${listSomeRoles(roles)} (names compare ignoring case). Nothing was changed`, { status: NOT_FOUND });
  }
  return role;
}
